import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseConnectorArgs, run } from './connector.ts';

test('--trust-proxy-hops takes a number of proxy hops; the default is none; a bare former --trust-proxy means one', () => {
  const quiet = () => {};
  assert.equal(parseConnectorArgs([], {})?.trustProxy, 0);
  assert.equal(parseConnectorArgs(['--trust-proxy-hops', '2'], {})?.trustProxy, 2);
  assert.equal(parseConnectorArgs(['--trust-proxy-hops=0'], {})?.trustProxy, 0);
  assert.equal(parseConnectorArgs([], { CONNECTOR_TRUST_PROXY_HOPS: '3' })?.trustProxy, 3);
  assert.equal(parseConnectorArgs(['--trust-proxy', '--port', '0'], {}, quiet)?.trustProxy, 1);
  assert.equal(parseConnectorArgs(['--trust-proxy', '--port', '0'], {}, quiet)?.port, 0);
});

test('a --trust-proxy-hops that is not a whole number is refused with exit code 1, naming the setting and the flag', async () => {
  const err: string[] = [];
  const code = await run(['--trust-proxy-hops=yes'], { stdout: () => {}, stderr: (text) => err.push(text), env: {} });
  assert.equal(code, 1);
  assert.match(err.join(''), /CONNECTOR_TRUST_PROXY_HOPS: 'yes' \(given as --trust-proxy-hops\) is not a whole number/);
});

test('the former --trust-proxy, bare or with hops, and --public-metrics still work, each with a warning', () => {
  const warnings: string[] = [];
  const onFormerName = (message: string) => warnings.push(message);
  assert.equal(parseConnectorArgs(['--trust-proxy'], {}, onFormerName)?.trustProxy, 1);
  assert.equal(parseConnectorArgs(['--trust-proxy', '2'], {}, onFormerName)?.trustProxy, 2);
  assert.equal(parseConnectorArgs(['--public-metrics'], {}, onFormerName)?.publicMetrics, true);
  assert.equal(warnings.length, 3);
  assert.match(warnings[2]!, /--public-metrics is the former name of --metrics-public/);
});

test('every setting is a variable and the same words as a flag; former variable names warn', () => {
  const warnings: string[] = [];
  const fromEnv = parseConnectorArgs([], { CONNECTOR_PORT: '9001', CONNECTOR_RETENTION_AGE_S: '60', CONNECTOR_CHOICE_LABELS: 'false', SIGHTLINE_ADMIN_TOKEN: 'admin-token-0123456789abcdef', SIGHTLINE_LOG_LEVEL: 'warn' }, (message) => warnings.push(message));
  assert.equal(fromEnv?.port, 9001);
  assert.equal(fromEnv?.logRetention?.maxAgeMs, 60_000);
  assert.equal(fromEnv?.captureChoiceLabels, false);
  assert.equal(fromEnv?.adminToken, 'admin-token-0123456789abcdef');
  assert.equal(fromEnv?.logLevel, 'warn');
  assert.equal(warnings.length, 2, warnings.join('\n'));
  const fromFlags = parseConnectorArgs(['--port', '9002', '--retention-age-s', '30', '--no-choice-labels'], { CONNECTOR_PORT: '9001' });
  assert.equal(fromFlags?.port, 9002, 'the flag wins over the variable');
  assert.equal(fromFlags?.logRetention?.maxAgeMs, 30_000);
  assert.equal(fromFlags?.captureChoiceLabels, false);
  assert.equal(parseConnectorArgs([], { PORT: '7000' })?.port, 7000, "a platform's PORT is read when CONNECTOR_PORT is unset");
});

test('--redis and --redis-prefix, or REDIS_URL and REDIS_PREFIX, put the connector on Redis; neither keeps it in memory', () => {
  assert.equal(parseConnectorArgs([], {})?.redis, undefined);
  assert.deepEqual(parseConnectorArgs(['--redis', 'redis://cache:6379', '--redis-prefix', 'acme:'], {})?.redis, { url: 'redis://cache:6379', prefix: 'acme:' });
  assert.deepEqual(parseConnectorArgs([], { REDIS_URL: 'rediss://app:pw@cache:6380' })?.redis, { url: 'rediss://app:pw@cache:6380', prefix: 'sightline:' });
});

test('a --redis that is not a Redis URL exits 1, naming the setting and the flag and not the password', async () => {
  const err: string[] = [];
  const code = await run(['--redis', 'http://app:hunter2@cache'], { stdout: () => {}, stderr: (text) => err.push(text), env: {} });
  assert.equal(code, 1);
  assert.match(err.join(''), /REDIS_URL: .* \(given as --redis\) is not a redis or rediss URL/);
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
