import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseConnectorArgs, run } from './connector.ts';

test('--trust-proxy takes a number of proxy hops; a bare --trust-proxy means one; the default is none', () => {
  assert.equal(parseConnectorArgs([], {})?.trustProxy, 0);
  assert.equal(parseConnectorArgs(['--trust-proxy', '2'], {})?.trustProxy, 2);
  assert.equal(parseConnectorArgs(['--trust-proxy=0'], {})?.trustProxy, 0);
  assert.equal(parseConnectorArgs(['--trust-proxy'], {})?.trustProxy, 1);
  assert.equal(parseConnectorArgs(['--trust-proxy', '--port', '0'], {})?.trustProxy, 1);
  assert.equal(parseConnectorArgs(['--trust-proxy', '--port', '0'], {})?.port, 0);
});

test('a --trust-proxy that is not a whole number is refused with exit code 2 and names the flag', async () => {
  const err: string[] = [];
  const code = await run(['--trust-proxy=yes'], { stdout: () => {}, stderr: (text) => err.push(text), env: {} });
  assert.equal(code, 2);
  assert.match(err.join(''), /--trust-proxy must be a non-negative integer/);
});

test('--redis and --redis-prefix, or REDIS_URL and REDIS_PREFIX, put the connector on Redis; neither keeps it in memory', () => {
  assert.equal(parseConnectorArgs([], {})?.redis, undefined);
  assert.deepEqual(parseConnectorArgs(['--redis', 'redis://cache:6379', '--redis-prefix', 'acme:'], {})?.redis, { url: 'redis://cache:6379', prefix: 'acme:' });
  assert.deepEqual(parseConnectorArgs([], { REDIS_URL: 'rediss://app:pw@cache:6380' })?.redis, { url: 'rediss://app:pw@cache:6380' });
});

test('a --redis that is not a Redis URL exits 2, naming the flag and not the password', async () => {
  const err: string[] = [];
  const code = await run(['--redis', 'http://app:hunter2@cache'], { stdout: () => {}, stderr: (text) => err.push(text), env: {} });
  assert.equal(code, 2);
  assert.match(err.join(''), /--redis \(REDIS_URL\) must be/);
  assert.doesNotMatch(err.join(''), /hunter2/);
});

test('sightline connector on a taken port says so and how to pick another', async () => {
  const taken = createServer();
  await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
  try {
    const port = String((taken.address() as { port: number }).port);
    const dataDir = mkdtempSync(join(tmpdir(), 'sightline-cli-connector-'));
    const main = fileURLToPath(new URL('../main.ts', import.meta.url));
    const child = spawn(process.execPath, ['--conditions=source', '--import', import.meta.resolve('tsx'), main, 'connector', '--port', port, '--host', '127.0.0.1', '--data-dir', dataDir], {
      env: { PATH: process.env['PATH'] ?? '' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    assert.equal(code, 1, stderr);
    assert.match(stderr, /EADDRINUSE/);
    assert.match(stderr, /The port is taken by another process: stop it, or start on a free port with --port \(sightline connector --help\)/);
  } finally {
    taken.close();
  }
});
