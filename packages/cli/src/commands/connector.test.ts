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
