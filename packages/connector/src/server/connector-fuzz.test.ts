/**
 * Fuzz runs of every door with a fixed seed: random bytes, truncations and mutations of the real fixtures,
 * in every encoding. The server must never answer 5xx or crash, and valid events beside junk must be kept. The
 * generators live in testing/fuzz-doors.ts, which the 100,000-request attack script uses too (docs/attack-figures.md).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { hogFlatPayloads, posthogJsEvents } from '../__fixtures__/index.ts';
import { mutate, prng, randomBody, randomValue } from '../testing/fuzz-doors.ts';
import { openStream } from '../testing/sse-client.ts';
import { post, startTestConnector } from '../testing/test-connector.ts';

const ROUNDS = 120;

test('fuzzing the webhook door never gives 5xx and keeps valid neighbours', async (t) => {
  const connector = await startTestConnector();
  t.after(() => connector.cleanup());
  const credentials = await connector.registerProduct({ productId: 'acme', contactEmail: 'owner@acme.com' });
  const stream = await openStream(credentials.stream_url, { authorization: `Bearer ${credentials.stream_key}` });
  const random = prng(0x5eed);
  const headers = { 'x-posthog-secret': credentials.webhook_secret };
  let validSent = 0;
  for (let round = 0; round < ROUNDS; round += 1) {
    const junk = randomBody(random, random.pick(Object.values(hogFlatPayloads)));
    const alone = await post(credentials.webhook_url, junk, { ...headers, 'content-type': random.pick(['application/json', 'text/plain', 'application/x-www-form-urlencoded']) });
    assert.ok(alone.status < 500, `round ${round}: ${alone.status} ${alone.text} for ${junk.toString('latin1').slice(0, 400)}`);
    if (alone.status >= 400) assert.match(String(alone.json?.error?.code), /^SL_/);
    // A valid click (unique session) between junk events must come through.
    const neighbour = { ...hogFlatPayloads.buttonClick, session_id: `fuzz-session-${round}` };
    const batch = { batch: [randomValue(random), neighbour, mutate(random, hogFlatPayloads.linkClick)] };
    const response = await post(credentials.webhook_url, JSON.stringify(batch), headers);
    assert.equal(response.status, 200, `round ${round}: ${response.text}`);
    assert.ok((response.json.accepted as number) >= 1, `round ${round}: ${response.text} for ${JSON.stringify(batch).slice(0, 600)}`);
    validSent += 1;
  }
  await connector.flush();
  const expected = Array.from({ length: validSent }, (_, round) => `fuzz-session-${round}`);
  const hasAll = () => {
    const sessions = new Set(stream.payloads().map((payload) => payload.session_id));
    return expected.every((session) => sessions.has(session));
  };
  await stream.until(hasAll);
  assert.equal((await fetch(`${connector.url}/healthz`)).status, 200);
  stream.close();
});

test('fuzzing the capture door never gives 5xx and keeps valid neighbours', async (t) => {
  const connector = await startTestConnector();
  t.after(() => connector.cleanup());
  const credentials = await connector.registerProduct({ productId: 'acme', contactEmail: 'owner@acme.com' });
  const token = credentials.capture_token;
  const stream = await openStream(credentials.stream_url, { authorization: `Bearer ${credentials.stream_key}` });
  const random = prng(0xc0ffee);
  const fixtures = Object.values(posthogJsEvents).map((body) => JSON.parse(JSON.stringify(body).replaceAll('phc_testtoken', token)) as { batch: Array<Record<string, unknown>> });
  for (let round = 0; round < ROUNDS; round += 1) {
    const path = random.pick(['/e/', '/i/v0/e/', '/batch/', '/capture/', '/e/?compression=base64', '/e/?compression=gzip-js', '/e/?compression=lz64']);
    const junk = randomBody(random, random.pick(fixtures));
    const alone = await post(`${connector.url}${path}`, junk, { 'content-type': random.pick(['text/plain', 'application/json', 'application/x-www-form-urlencoded']) });
    assert.ok(alone.status < 500, `round ${round}: ${alone.status} ${alone.text} for ${junk.toString('latin1').slice(0, 400)}`);
    const click = fixtures[1]!.batch[0]!;
    const neighbour = { ...click, uuid: `01a2003e-0000-7000-8000-${String(round).padStart(12, '0')}`, properties: { ...(click.properties as object), $session_id: `fuzz-capture-${round}` } };
    const body = { api_key: token, batch: [mutate(random, click), neighbour, randomValue(random)], sent_at: '2026-11-21T22:33:27.557Z' };
    const response = await post(`${connector.url}/e/`, gzipSync(JSON.stringify(body)), { 'content-type': 'text/plain' });
    assert.equal(response.status, 200, `round ${round}: ${response.text}`);
  }
  await connector.flush();
  await stream.until(() => {
    const sessions = new Set(stream.payloads().map((payload) => payload.session_id));
    return Array.from({ length: ROUNDS }, (_, round) => `fuzz-capture-${round}`).every((session) => sessions.has(session));
  });
  stream.close();
});

test('fuzzing the stream door and the admin door never gives 5xx', async (t) => {
  const connector = await startTestConnector({ credentialGuard: { freeFailures: 1_000_000 } });
  t.after(() => connector.cleanup());
  const credentials = await connector.registerProduct({ productId: 'acme', contactEmail: 'owner@acme.com' });
  const random = prng(42);
  for (let round = 0; round < ROUNDS; round += 1) {
    const lastEventId = random.pick([`${connector.epoch}-${random.int(5)}`, String(randomValue(random)).replaceAll('\r', '').replaceAll('\n', '').replaceAll('\u0000', '').slice(0, 300), '-1', '1-1-1', `${connector.epoch}-99999999999999999999`]);
    const authorization = random.pick([`Bearer ${credentials.stream_key}`, 'Bearer ', 'Basic abc', `Bearer ${credentials.stream_key}x`]);
    const stream = await openStream(`${connector.url}/stream/${random.pick(['acme', 'nobody', '%2e%2e', '%E0%A4%A', 'a'.repeat(300)])}?last_event_id=${encodeURIComponent(lastEventId.replace(/[\ud800-\udfff]/g, ''))}`, { authorization }).catch(() => null);
    if (stream) {
      assert.ok(stream.status < 500, `round ${round}: ${stream.status}`);
      stream.close();
    }
    const admin = await post(`${connector.url}/products`, randomBody(random, { product_id: 'p', contact_email: 'a@b.co', force_reregister: true }), { authorization: `Bearer ${connector.adminToken}` });
    assert.ok(admin.status < 500, `round ${round}: ${admin.status} ${admin.text}`);
  }
  assert.equal((await fetch(`${connector.url}/healthz`)).status, 200);
});
