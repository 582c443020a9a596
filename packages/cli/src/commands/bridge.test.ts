import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
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
  assert.match(result.stderr, /Invalid option PORT/);
});
