import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createActionsPayload, createSlimAction, HEARTBEAT_FRAME, toWireJson, type ActionsPayload } from '@sightline/protocol';
import { FakeClock } from '@sightline/protocol/testing';
import { openStream } from '../testing/sse-client.ts';
import { startTestConnector } from '../testing/test-connector.ts';

function actions(sessionId: string, description = 'User clicked Save on the settings page'): ActionsPayload {
  return createActionsPayload({
    product_id: 'acme',
    session_id: sessionId,
    user_id: 'u1',
    email: null,
    forwarded_at: 1_732_230_000,
    actions: [createSlimAction({ index: 0, type: 'click', title: "Clicked 'Save'", description, canonical_url: 'https://app.example.com/settings', raw_url: 'https://app.example.com/settings', timestamp_start: 1_732_230_000, timestamp_end: 1_732_230_000, session_id: sessionId, user_id: 'u1' })],
  });
}

async function setup(options: Parameters<typeof startTestConnector>[0] = {}) {
  const connector = await startTestConnector(options);
  const credentials = await connector.registerProduct({ productId: 'acme', contactEmail: 'owner@acme.com' });
  const other = await connector.registerProduct({ productId: 'other', contactEmail: 'owner@other.com' });
  const auth = { authorization: `Bearer ${credentials.stream_key}` };
  return { connector, credentials, other, auth };
}

test('a missing or wrong key and an unknown product are 401, another product\'s key 403, before any stream byte', async (t) => {
  const { connector, credentials, other, auth } = await setup();
  t.after(() => connector.cleanup());
  const cases: Array<[string, Record<string, string>, number, string]> = [
    ['acme', {}, 401, 'SL_STREAM_KEY_MISSING'],
    ['acme', { authorization: 'Bearer sl_sk_wrong' }, 401, 'SL_STREAM_KEY_INVALID'],
    ['acme', { authorization: `Bearer ${credentials.webhook_secret}` }, 401, 'SL_STREAM_KEY_INVALID'],
    ['acme', { authorization: `Bearer ${other.stream_key}` }, 403, 'SL_STREAM_KEY_FOREIGN'],
    ['nobody', { authorization: 'Bearer sl_sk_guess' }, 401, 'SL_STREAM_KEY_INVALID'],
    // Another product's key gets 403 for every id but its own, so it does not tell whether `nobody` exists.
    ['nobody', auth, 403, 'SL_STREAM_KEY_FOREIGN'],
  ];
  for (const [product, headers, status, code] of cases) {
    const stream = await openStream(`${connector.url}/stream/${product}`, headers);
    assert.equal(stream.status, status, code);
    assert.match(String(stream.headers['content-type']), /application\/json/);
    assert.equal((JSON.parse(await stream.body) as { error: { code: string } }).error.code, code);
  }
});

test('an unknown product and a wrong key for a known one get the same status and the same body bytes', async (t) => {
  const { connector } = await setup();
  t.after(() => connector.cleanup());
  const known = await openStream(`${connector.url}/stream/acme`, { authorization: 'Bearer sl_sk_guess_one' });
  const unknown = await openStream(`${connector.url}/stream/nobody`, { authorization: 'Bearer sl_sk_guess_two' });
  assert.equal(known.status, 401);
  assert.equal(unknown.status, known.status);
  assert.equal(await unknown.body, await known.body);
});

test('payload frames carry ids and wire JSON byte for byte; every subscriber gets every payload', async (t) => {
  const { connector, auth } = await setup();
  t.after(() => connector.cleanup());
  const first = await openStream(`${connector.url}/stream/acme`, auth);
  const second = await openStream(`${connector.url}/stream/acme`, auth);
  assert.equal(first.status, 200);
  assert.equal(first.headers['content-type'], 'text/event-stream; charset=utf-8');
  assert.equal(first.headers['cache-control'], 'no-cache, no-transform');
  const payload = actions('s1');
  await connector.publish('acme', payload);
  await connector.publish('acme', actions('s2'));
  for (const stream of [first, second]) {
    await stream.until((messages) => messages.length === 2);
    // Framing byte for byte: id line first, one data line with the wire JSON, a blank line; no event name.
    const expected = `id: ${connector.epoch}-1\ndata: ${toWireJson(payload)}\n\nid: ${connector.epoch}-2\ndata: ${toWireJson(actions('s2'))}\n\n`;
    assert.equal(stream.raw(), expected);
    assert.deepEqual(stream.messages.map((message) => message.id), [`${connector.epoch}-1`, `${connector.epoch}-2`]);
    stream.close();
  }
});

test('payloads published in one turn reach every subscriber in one write, concatenated once for all of them', async (t) => {
  const { connector, auth } = await setup();
  t.after(() => connector.cleanup());
  const streams = [await openStream(`${connector.url}/stream/acme`, auth), await openStream(`${connector.url}/stream/acme`, auth)];
  const payloads = [actions('s1'), actions('s2'), actions('s3')];
  const expected = payloads.map((payload, index) => `id: ${connector.epoch}-${index + 1}\ndata: ${toWireJson(payload)}\n\n`).join('');
  const concat = t.mock.method(Buffer, 'concat');
  // Not awaited one by one: all three are logged before the hub's next flush, which then owes each subscriber three.
  await Promise.all(payloads.map((payload) => connector.publish('acme', payload)));
  for (const stream of streams) {
    await stream.until((messages) => messages.length === 3);
    assert.equal(stream.raw(), expected);
    stream.close();
  }
  const runs = concat.mock.calls.filter((call) => call.result?.toString('utf8') === expected);
  assert.equal(runs.length, 1, 'the run of three frames was concatenated once, not once per subscriber');
});

test('a heartbeat goes out every heartbeatMs, byte for byte, without an id', async (t) => {
  const clock = new FakeClock({ now: 1_732_230_000_000 });
  const { connector, auth } = await setup({ clock, heartbeatMs: 15_000 });
  t.after(() => connector.cleanup());
  const stream = await openStream(`${connector.url}/stream/acme`, auth);
  await clock.advance(14_999);
  await connector.publish('acme', actions('s1'));
  await stream.until((messages) => messages.length === 1);
  assert.ok(!stream.raw().includes('heartbeat'));
  await clock.advance(1);
  await stream.until((messages) => messages.length === 2);
  assert.ok(stream.raw().endsWith(HEARTBEAT_FRAME));
  assert.equal(stream.raw().slice(-HEARTBEAT_FRAME.length), 'event: heartbeat\ndata:\n\n');
  await clock.advance(15_000);
  await stream.until((messages) => messages.filter((message) => message.event === 'heartbeat').length === 2);
  stream.close();
});

test('after a disconnect, Last-Event-ID (header or query) replays what was missed, then goes live', async (t) => {
  const { connector, auth } = await setup();
  t.after(() => connector.cleanup());
  const stream = await openStream(`${connector.url}/stream/acme`, auth);
  await connector.publish('acme', actions('s1'));
  await stream.until((messages) => messages.length === 1);
  const lastId = stream.messages[0]!.id;
  stream.close();
  await stream.ended;
  await connector.publish('acme', actions('s2'));
  await connector.publish('acme', actions('s3'));

  const resumed = await openStream(`${connector.url}/stream/acme`, { ...auth, 'last-event-id': lastId });
  await resumed.until((messages) => messages.length === 2);
  assert.deepEqual(resumed.payloads().map((payload) => payload.session_id), ['s2', 's3']);
  await connector.publish('acme', actions('s4'));
  await resumed.until((messages) => messages.length === 3);
  assert.equal(resumed.messages[2]!.id, `${connector.epoch}-4`);
  resumed.close();

  const byQuery = await openStream(`${connector.url}/stream/acme?last_event_id=${connector.epoch}-3`, auth);
  await byQuery.until((messages) => messages.length === 1);
  assert.equal(byQuery.payloads()[0]!.session_id, 's4');
  byQuery.close();
});

test('an id older than retention gets one gap frame (no id) first, then what the log holds', async (t) => {
  const { connector, auth } = await setup({ logRetention: { maxEntries: 2 } });
  t.after(() => connector.cleanup());
  for (const session of ['s1', 's2', 's3', 's4']) await connector.publish('acme', actions(session));
  const stream = await openStream(`${connector.url}/stream/acme`, { ...auth, 'last-event-id': `${connector.epoch}-1` });
  await stream.until((messages) => messages.length === 3);
  const [gap, ...rest] = stream.payloads();
  assert.deepEqual(Object.keys(gap!), ['type', 'product_id', 'last_event_id', 'resumed_from', 'reason', 'forwarded_at']);
  assert.equal(gap!.type, 'gap');
  assert.equal(gap!.reason, 'expired');
  assert.equal(gap!.last_event_id, `${connector.epoch}-1`);
  assert.equal(gap!.resumed_from, `${connector.epoch}-3`);
  assert.ok(stream.raw().startsWith('data: {"type":"gap"'), 'the gap frame has no id line');
  assert.deepEqual(rest.map((payload) => payload.session_id), ['s3', 's4']);
  stream.close();
});

test('an id from an earlier process start gets an epoch_mismatch gap', async (t) => {
  const { connector, auth } = await setup();
  t.after(() => connector.cleanup());
  await connector.publish('acme', actions('s1'));
  const stream = await openStream(`${connector.url}/stream/acme`, { ...auth, 'last-event-id': `${connector.epoch - 60}-7` });
  await stream.until((messages) => messages.length === 2);
  assert.equal(stream.payloads()[0]!.reason, 'epoch_mismatch');
  assert.equal(stream.payloads()[1]!.session_id, 's1');
  stream.close();
});

test('a slow subscriber is cut beside a fast one that gets everything, and resumes by id without loss', async (t) => {
  const { connector, auth } = await setup({ subscriberQueueSize: 4, logRetention: { maxEntries: 5000 } });
  t.after(() => connector.cleanup());
  const fast = await openStream(`${connector.url}/stream/acme`, auth);
  const slow = await openStream(`${connector.url}/stream/acme`, auth);
  slow.pause();
  const big = 'x'.repeat(64 * 1024);
  // ~40 MB: more than loopback socket buffers can hold for the paused reader.
  const total = 640;
  for (let index = 0; index < total; index += 1) {
    await connector.publish('acme', actions(`s${index}`, big));
    // The fast subscriber reads each payload before the next one goes out; the slow one reads nothing.
    await fast.until((messages) => messages.length === index + 1);
  }
  assert.deepEqual(fast.payloads().map((payload) => payload.session_id), Array.from({ length: total }, (_, index) => `s${index}`));

  slow.resume();
  await slow.ended;
  const received = slow.messages.length;
  assert.ok(received < total, `the slow subscriber was cut (got ${received} of ${total})`);
  const metrics = await (await fetch(`${connector.url}/metrics`, { headers: { authorization: `Bearer ${connector.adminToken}` } })).text();
  assert.match(metrics, /sightline_stream_subscribers_cut_total\{product="acme"\} 1/);

  const lastId = received > 0 ? slow.messages[received - 1]!.id : `${connector.epoch}-0`;
  const resumed = await openStream(`${connector.url}/stream/acme`, { ...auth, 'last-event-id': lastId });
  await resumed.until((messages) => messages.length === total - received, 30_000);
  assert.equal(resumed.messages[0]!.id, `${connector.epoch}-${received + 1}`);
  assert.equal(resumed.messages.at(-1)!.id, `${connector.epoch}-${total}`);
  fast.close();
  resumed.close();
});

/** Awaits a request whose answer may be held on the manual clock, moving the clock until it settles. */
async function settle<T>(pending: Promise<T>, clock: FakeClock): Promise<T> {
  let isSettled = false;
  void pending.then(() => { isSettled = true; }, () => { isSettled = true; });
  while (!isSettled) {
    await clock.advance(1000);
    await new Promise((resolve) => setImmediate(resolve));
  }
  return pending;
}

test('a wrong key sent again is answered 429 with Retry-After at once, before any lookup', async (t) => {
  const { connector } = await setup();
  t.after(() => connector.cleanup());
  assert.equal((await openStream(`${connector.url}/stream/acme`, { authorization: 'Bearer nope' })).status, 401);
  const repeated = await openStream(`${connector.url}/stream/acme`, { authorization: 'Bearer nope' });
  assert.equal(repeated.status, 429);
  assert.equal(repeated.headers['retry-after'], '900');
  assert.equal((JSON.parse(await repeated.body) as { error: { code: string } }).error.code, 'SL_STREAM_RATE_LIMITED');
  // The same value for another product id is another fingerprint: looked up, 401.
  assert.equal((await openStream(`${connector.url}/stream/other`, { authorization: 'Bearer nope' })).status, 401);
  const metrics = await (await fetch(`${connector.url}/metrics`, { headers: { authorization: `Bearer ${connector.adminToken}` } })).text();
  assert.match(metrics, /sightline_credential_checks_total\{kind="stream_key",result="refused"\} 1/);
  assert.match(metrics, /sightline_credential_checks_total\{kind="stream_key",result="rejected"\} 2/);
});

test('after 40 wrong stream-key attempts from one address, the correct key still connects at once', { timeout: 60_000 }, async (t) => {
  const clock = new FakeClock({ now: 1_732_230_000_000 });
  const { connector, auth } = await setup({ clock });
  t.after(() => connector.cleanup());
  const statuses = new Set<number>();
  for (let attempt = 0; attempt < 40; attempt += 1) {
    const wrong = await settle(openStream(`${connector.url}/stream/acme`, { authorization: `Bearer sl_sk_guess_${attempt}` }), clock);
    statuses.add(wrong.status);
    wrong.close();
  }
  assert.deepEqual([...statuses], [401]);
  // No clock movement: a held answer would never come.
  const right = await openStream(`${connector.url}/stream/acme`, auth);
  assert.equal(right.status, 200);
  assert.equal(right.headers['content-type'], 'text/event-stream; charset=utf-8');
  right.close();
});

test('past the free failures, a new wrong key is answered only once the guard\'s delay has passed', async (t) => {
  const clock = new FakeClock({ now: 1_732_230_000_000 });
  const { connector } = await setup({ clock, credentialGuard: { freeFailures: 2, baseDelayMs: 500 } });
  t.after(() => connector.cleanup());
  for (const guess of ['one', 'two']) assert.equal((await openStream(`${connector.url}/stream/acme`, { authorization: `Bearer ${guess}` })).status, 401);
  let answered = false;
  const held = openStream(`${connector.url}/stream/acme`, { authorization: 'Bearer three' }).then((stream) => {
    answered = true;
    return stream;
  });
  // Requests on other connections are answered meanwhile: the delay is a timer, not a blocked loop.
  for (let round = 0; round < 3; round += 1) assert.equal((await fetch(`${connector.url}/healthz`)).status, 200);
  await clock.advance(499);
  assert.equal((await fetch(`${connector.url}/healthz`)).status, 200);
  assert.equal(answered, false);
  await clock.advance(1);
  const stream = await held;
  assert.equal(stream.status, 401);
  assert.equal((JSON.parse(await stream.body) as { error: { code: string } }).error.code, 'SL_STREAM_KEY_INVALID');
});

test('close ends open streams after flushing pending batches to them', async (t) => {
  const { connector, credentials, auth } = await setup({ batchWindowMs: 60_000 });
  t.after(() => connector.cleanup());
  const stream = await openStream(`${connector.url}/stream/acme`, auth);
  const event = { event: '$pageview', distinct_id: 'u1', timestamp: '2026-11-21T22:33:26.518Z', properties: { $current_url: 'https://app.example.com/dashboard', $session_id: 's1' } };
  const response = await fetch(`${connector.url}/webhook/acme`, { method: 'POST', body: JSON.stringify(event), headers: { 'x-posthog-secret': credentials.webhook_secret } });
  assert.equal(response.status, 200);
  await connector.close();
  await stream.ended;
  assert.equal(stream.payloads().length, 1);
  assert.equal(stream.payloads()[0]!.type, 'actions');
});
