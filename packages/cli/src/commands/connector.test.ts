import { test } from 'node:test';
import assert from 'node:assert/strict';
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
