import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const MAIN = fileURLToPath(new URL('../main.ts', import.meta.url));
// Resolved here, since the child runs in a temporary directory outside the workspace.
const TSX = import.meta.resolve('tsx');

/** Runs `sightline bridge …` in a fresh process with only the given environment (plus PATH). */
function runBridge(args: string[], env: Record<string, string>, cwd: string): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--conditions=source', '--import', TSX, MAIN, 'bridge', ...args], {
      cwd,
      env: { PATH: process.env['PATH'] ?? '', ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, stderr }));
  });
}

test('sightline bridge without STREAM_URL stops at once with one line naming it', async () => {
  const cwd = mkdtempSync(join(tmpdir(), 'sightline-cli-bridge-'));
  const result = await runBridge([], {}, cwd);
  assert.equal(result.code, 1);
  const lines = result.stderr.trim().split('\n');
  assert.equal(lines.length, 1, result.stderr);
  assert.match(lines[0]!, /STREAM_URL/);
});

test('sightline bridge reports a wrong value from .env by its variable name', async () => {
  const cwd = mkdtempSync(join(tmpdir(), 'sightline-cli-bridge-'));
  writeFileSync(join(cwd, '.env'), 'STREAM_URL=http://127.0.0.1:1/stream/acme\nSTREAM_KEY=sk\nMAX_ACTIONS=lots\n');
  const result = await runBridge([], {}, cwd);
  assert.equal(result.code, 1);
  assert.match(result.stderr.trim(), /^sightline bridge: Invalid option MAX_ACTIONS: /);
});

test('sightline bridge --port rejects a bad port the same way', async () => {
  const cwd = mkdtempSync(join(tmpdir(), 'sightline-cli-bridge-'));
  const result = await runBridge(['--port', 'http'], { STREAM_URL: 'http://127.0.0.1:1/stream/acme', STREAM_KEY: 'sk' }, cwd);
  assert.equal(result.code, 1);
  assert.match(result.stderr, /Invalid option BRIDGE_PORT: 'http' \(given as --port\) is not a whole number/);
});

test('sightline bridge --dotenv with a missing file says so in one line', async () => {
  const cwd = mkdtempSync(join(tmpdir(), 'sightline-cli-bridge-'));
  const result = await runBridge(['--dotenv', join(cwd, 'missing.env')], { STREAM_URL: 'http://127.0.0.1:1/stream/acme', STREAM_KEY: 'sk' }, cwd);
  assert.equal(result.code, 1);
  const lines = result.stderr.trim().split('\n');
  assert.equal(lines.length, 1, result.stderr);
  assert.match(lines[0]!, /--dotenv .*missing\.env/);
});

test('sightline bridge logs only JSON on stdout, and stops cleanly on SIGTERM', async () => {
  const cwd = mkdtempSync(join(tmpdir(), 'sightline-cli-bridge-'));
  const child = spawn(process.execPath, ['--conditions=source', '--import', TSX, MAIN, 'bridge', '--port', '0', '--host', '127.0.0.1'], {
    cwd,
    // Nothing listens on port 1: the stream keeps retrying in the background while the bridge serves.
    env: { PATH: process.env['PATH'] ?? '', STREAM_URL: 'http://127.0.0.1:1/stream/acme', STREAM_KEY: 'sk' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  const exited = new Promise<string>((resolve) => child.on('exit', (code, signal) => resolve(`${code}/${signal}`)));
  await new Promise<void>((resolve, reject) => {
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (/listening on http:\/\/127\.0\.0\.1:\d+/.test(stderr)) resolve();
    });
    void exited.then(() => reject(new Error(`exited early: ${stderr}`)));
  });
  child.kill('SIGTERM');
  assert.equal(await exited, '0/null', stderr + stdout);
  const lines = stdout.trim().split('\n');
  assert.ok(lines.some((line) => line.includes('"bridge-started"')), stdout);
  for (const line of lines) assert.doesNotThrow(() => JSON.parse(line), `not JSON: ${line}`);
});

test('sightline bridge on all interfaces without keys refuses to start and says what to set', async () => {
  const cwd = mkdtempSync(join(tmpdir(), 'sightline-cli-bridge-'));
  const stream = { STREAM_URL: 'http://127.0.0.1:1/stream/acme', STREAM_KEY: 'sk' };
  const refused = await runBridge(['--host', '0.0.0.0', '--port', '0'], stream, cwd);
  assert.equal(refused.code, 1);
  assert.match(refused.stderr.trim(), /^sightline bridge: Invalid option BRIDGE_API_KEY: .*--insecure/);
  const short = await runBridge(['--port', '0'], { ...stream, BRIDGE_API_KEY: 'letmein', IDENTITY_SECRET: 'x'.repeat(40) }, cwd);
  assert.equal(short.code, 1);
  assert.match(short.stderr, /BRIDGE_API_KEY: a value is shorter than 128 bits/);
});

test('sightline bridge --redis with a URL that is not Redis stops in one line naming the flag, never the password', async () => {
  const cwd = mkdtempSync(join(tmpdir(), 'sightline-cli-bridge-'));
  const result = await runBridge(['--redis', 'http://app:hunter2@cache:6379'], { STREAM_URL: 'http://127.0.0.1:1/stream/acme', STREAM_KEY: 'sk' }, cwd);
  assert.equal(result.code, 1);
  const lines = result.stderr.trim().split('\n');
  assert.equal(lines.length, 1, result.stderr);
  assert.match(lines[0]!, /--redis/);
  assert.doesNotMatch(result.stderr, /hunter2/);
});

test('sightline bridge on a taken port says so and how to pick another', async () => {
  const cwd = mkdtempSync(join(tmpdir(), 'sightline-cli-bridge-'));
  const taken = createServer();
  await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
  try {
    const port = String((taken.address() as { port: number }).port);
    const result = await runBridge(['--port', port, '--host', '127.0.0.1'], { STREAM_URL: 'http://127.0.0.1:1/stream/acme', STREAM_KEY: 'sk' }, cwd);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /EADDRINUSE/);
    assert.match(result.stderr, /The port is taken by another process: stop it, or start on a free port with --port/);
  } finally {
    taken.close();
  }
});
