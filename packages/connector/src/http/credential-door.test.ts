import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { FakeClock } from '@sightline/protocol/testing';
import { openStream } from '../testing/sse-client.ts';
import { startTestConnector } from '../testing/test-connector.ts';
import { credentialFingerprint, failureAddressOf } from './credential-door.ts';
import { redactUrl } from './redact-request-url.ts';

test('a fingerprint depends on scope and value, and never contains the value', () => {
  const key = 'sl_sk_0123456789abcdef';
  assert.match(credentialFingerprint('acme', key), /^[0-9a-f]{32}$/);
  assert.notEqual(credentialFingerprint('acme', key), credentialFingerprint('other', key));
  assert.notEqual(credentialFingerprint('acme', key), credentialFingerprint('acme', `${key}x`));
  assert.equal(credentialFingerprint('acme', key), credentialFingerprint('acme', key));
  assert.ok(!credentialFingerprint('acme', key).includes('0123456789abcdef'));
});

test('failures are counted per IPv4 address, IPv4-mapped IPv6 as IPv4, and IPv6 per /64', () => {
  assert.equal(failureAddressOf('203.0.113.7'), '203.0.113.7');
  assert.equal(failureAddressOf('::ffff:203.0.113.7'), '203.0.113.7');
  assert.equal(failureAddressOf('2001:db8:1:2:aaaa:bbbb:cccc:dddd'), '2001:db8:1:2::/64');
  assert.equal(failureAddressOf('2001:db8:1:2::1'), '2001:db8:1:2::/64');
  assert.equal(failureAddressOf('2001:db8::1'), '2001:db8:0:0::/64');
  assert.equal(failureAddressOf('::1'), '0:0:0:0::/64');
  assert.equal(failureAddressOf('fe80::1%eth0'), 'fe80:0:0:0::/64');
});

/** Whether a request answers before the manual clock moves (a full round trip on another connection in between). */
async function answersAtOnce(pending: Promise<unknown>, connectorUrl: string): Promise<boolean> {
  let isAnswered = false;
  void pending.then(() => { isAnswered = true; }, () => { isAnswered = true; });
  for (let round = 0; round < 3; round += 1) await fetch(`${connectorUrl}/healthz`);
  return isAnswered;
}

const wrongAdmin = (url: string, token: string, forwardedFor?: string) =>
  fetch(`${url}/products`, { headers: { authorization: `Bearer ${token}`, ...(forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor }) } });

test('behind one trusted hop, a rotating X-Forwarded-For from one client is counted under that client', async (t) => {
  const clock = new FakeClock({ now: 1_732_230_000_000 });
  const connector = await startTestConnector({ clock, trustProxy: 1, credentialGuard: { freeFailures: 2 } });
  t.after(() => connector.cleanup());
  // The proxy appends the address it saw; whatever the client wrote sits to the left of it.
  for (let attempt = 0; attempt < 2; attempt += 1) {
    assert.equal((await wrongAdmin(connector.url, `guess-${attempt}`, `10.9.${attempt}.1, 198.51.100.7`)).status, 401);
  }
  const held = wrongAdmin(connector.url, 'guess-2', '10.9.99.1, 198.51.100.7');
  assert.equal(await answersAtOnce(held, connector.url), false, 'the third failure of 198.51.100.7 is slowed');
  // Another client behind the same proxy is its own address: not slowed by the first one's guesses.
  assert.equal(await answersAtOnce(wrongAdmin(connector.url, 'guess-other', '198.51.100.8'), connector.url), true);
  await clock.advance(250);
  assert.equal((await held).status, 401);
});

test('without trusted hops, X-Forwarded-For is ignored: the socket address is counted', async (t) => {
  const clock = new FakeClock({ now: 1_732_230_000_000 });
  const connector = await startTestConnector({ clock, credentialGuard: { freeFailures: 2 } });
  t.after(() => connector.cleanup());
  for (let attempt = 0; attempt < 2; attempt += 1) {
    assert.equal((await wrongAdmin(connector.url, `guess-${attempt}`, `198.51.100.${attempt}`)).status, 401);
  }
  const held = wrongAdmin(connector.url, 'guess-2', '198.51.100.200');
  assert.equal(await answersAtOnce(held, connector.url), false);
  await clock.advance(250);
  assert.equal((await held).status, 401);
});

test('an admin token that already failed is refused with 429 before the comparison; the right token still works', async (t) => {
  const connector = await startTestConnector();
  t.after(() => connector.cleanup());
  assert.equal((await wrongAdmin(connector.url, 'leaked-old-token')).status, 401);
  const repeated = await wrongAdmin(connector.url, 'leaked-old-token');
  assert.equal(repeated.status, 429);
  assert.equal(repeated.headers.get('retry-after'), '900');
  assert.equal(((await repeated.json()) as { error: { code: string } }).error.code, 'SL_ADMIN_TOKEN_RATE_LIMITED');
  const right = await fetch(`${connector.url}/products`, { headers: { authorization: `Bearer ${connector.adminToken}` } });
  assert.equal(right.status, 200);
  // The admin view still tells an unknown product apart.
  const unknown = await fetch(`${connector.url}/products/ghost`, { headers: { authorization: `Bearer ${connector.adminToken}` } });
  assert.equal(unknown.status, 404);
  assert.equal(((await unknown.json()) as { error: { code: string } }).error.code, 'SL_PRODUCT_NOT_FOUND');
  const metrics = await (await fetch(`${connector.url}/metrics`, { headers: { authorization: `Bearer ${connector.adminToken}` } })).text();
  assert.match(metrics, /sightline_credential_checks_total\{kind="admin_token",result="refused"\} 1/);
  // Two admin calls and the metrics read itself, which needs the token too.
  assert.match(metrics, /sightline_credential_checks_total\{kind="admin_token",result="accepted"\} 3/);
});

test('a held answer whose client hangs up is cancelled: its timer is cleared and the server carries on', async (t) => {
  const clock = new FakeClock({ now: 1_732_230_000_000 });
  const connector = await startTestConnector({ clock, credentialGuard: { freeFailures: 0 } });
  t.after(() => connector.cleanup());
  const timers = (clock as unknown as { timers: Set<unknown> }).timers;
  const before = timers.size;
  const abort = new AbortController();
  const held = fetch(`${connector.url}/stream/acme`, { headers: { authorization: 'Bearer guess' }, signal: abort.signal }).catch((error: unknown) => error);
  while (timers.size === before) await new Promise((resolve) => setImmediate(resolve));
  abort.abort();
  while (timers.size > before) await new Promise((resolve) => setImmediate(resolve));
  assert.ok((await held) instanceof Error);
  await clock.advance(10_000);
  assert.equal((await fetch(`${connector.url}/healthz`)).status, 200);
});

test('no logged line carries a query string, a presented key or a typed product id', async (t) => {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString('utf8'));
      done();
    },
  });
  const connector = await startTestConnector({ logger: pino({ level: 'trace' }, sink) });
  t.after(() => connector.cleanup());
  const credentials = await connector.registerProduct({ productId: 'acme', contactEmail: 'owner@acme.com' });
  await fetch(`${connector.url}/products?token=SECRET-ADMIN-QUERY`, { headers: { authorization: 'Bearer SECRET-ADMIN-GUESS' } });
  await fetch(`${connector.url}/nowhere?token=SECRET-NOWHERE`);
  (await openStream(`${connector.url}/stream/secret-typed-product?last_event_id=SECRET-RESUME&token=SECRET-STREAM-QUERY`, { authorization: 'Bearer SECRET-STREAM-GUESS' })).close();
  const right = await openStream(`${credentials.stream_url}?last_event_id=SECRET-RESUME-2`, { authorization: `Bearer ${credentials.stream_key}` });
  right.close();
  await fetch(`${connector.url}/webhook/secret-typed-product?token=SECRET-WEBHOOK-QUERY`, { method: 'POST', body: '{}', headers: { 'x-posthog-secret': 'SECRET-WEBHOOK-GUESS' } });
  const logged = lines.join('');
  assert.ok(logged.includes('admin-token-rejected') && logged.includes('stream-connect-rejected'), 'the rejections were logged');
  for (const secret of ['SECRET', 'secret-typed-product', credentials.stream_key, connector.adminToken]) {
    assert.ok(!logged.includes(secret), `${secret} reached the log`);
  }
});

test('redactUrl keeps the path and hides the whole query string', () => {
  assert.equal(redactUrl('/stream/acme?last_event_id=1-2&token=abc'), '/stream/acme?[redacted]');
  assert.equal(redactUrl('/healthz'), '/healthz');
  assert.equal(redactUrl('/e/?'), '/e/?[redacted]');
});
