import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { cdpGlobals, hogFlatPayloads } from '../__fixtures__/index.ts';
import { signHmacHeader, signStandardWebhook } from '../auth/verify-webhook.ts';
import { openStream } from '../testing/sse-client.ts';
import { post, startTestConnector } from '../testing/test-connector.ts';

async function setup(options: Parameters<typeof startTestConnector>[0] = {}) {
  const connector = await startTestConnector(options);
  const credentials = await connector.registerProduct({ productId: 'acme', contactEmail: 'owner@acme.com' });
  const stream = await openStream(credentials.stream_url, { authorization: `Bearer ${credentials.stream_key}` });
  return { connector, credentials, stream, webhook: credentials.webhook_url };
}

const click = JSON.stringify(hogFlatPayloads.buttonClick);

test('the Hog script\'s flat payloads with the plain secret become actions on the stream', async (t) => {
  const { connector, credentials, stream, webhook } = await setup();
  t.after(() => connector.cleanup());
  for (const payload of [hogFlatPayloads.pageview, hogFlatPayloads.buttonClick, hogFlatPayloads.linkClick]) {
    const response = await post(webhook, JSON.stringify(payload), { 'content-type': 'application/json', 'x-posthog-secret': credentials.webhook_secret });
    assert.equal(response.status, 200);
    assert.deepEqual(response.json, { status: 1, accepted: 1, rejected: [] });
  }
  await connector.flush();
  await stream.until(() => stream.payloads().flatMap((payload) => payload.actions as unknown[]).length === 3);
  const [first] = stream.payloads();
  assert.equal(first!.type, 'actions');
  assert.equal(first!.product_id, 'acme');
  assert.equal(first!.session_id, hogFlatPayloads.pageview.session_id);
  const types = stream.payloads().flatMap((payload) => (payload.actions as Array<{ type: string }>).map((action) => action.type));
  assert.deepEqual(types, ['pageview', 'click', 'click']);
  stream.close();
});

test('sha256=<HMAC of the raw body> and Standard Webhooks signatures are accepted', async (t) => {
  const { connector, credentials, stream, webhook } = await setup();
  t.after(() => connector.cleanup());
  const hmac = await post(webhook, click, { 'x-posthog-secret': signHmacHeader(credentials.webhook_secret, click) });
  assert.equal(hmac.status, 200);
  const body = JSON.stringify(cdpGlobals.pageview);
  const timestamp = Math.floor(Date.now() / 1000);
  const standard = await post(webhook, body, {
    'content-type': 'application/json',
    'webhook-id': 'msg_2Fz',
    'webhook-timestamp': String(timestamp),
    'webhook-signature': signStandardWebhook(credentials.webhook_secret, 'msg_2Fz', timestamp, body),
  });
  assert.equal(standard.status, 200);
  assert.equal(standard.json.accepted, 1);
  stream.close();
});

test('a wrong or missing secret is 401, logged and counted per product; an unknown product is the same 401', async (t) => {
  const { connector, credentials, stream, webhook } = await setup();
  t.after(() => connector.cleanup());
  const wrong = await post(webhook, click, { 'x-posthog-secret': `${credentials.webhook_secret}x` });
  assert.equal(wrong.status, 401);
  assert.equal(wrong.json.error?.code, 'SL_WEBHOOK_SIGNATURE_INVALID');
  const wrongHmac = await post(webhook, click, { 'x-posthog-secret': signHmacHeader(credentials.webhook_secret, `${click} `) });
  assert.equal(wrongHmac.json.error?.code, 'SL_WEBHOOK_SIGNATURE_INVALID');
  const missing = await post(webhook, click);
  assert.equal(missing.status, 401);
  assert.equal(missing.json.error?.code, 'SL_WEBHOOK_SIGNATURE_MISSING');
  const unknown = await post(`${connector.url}/webhook/nobody`, click, { 'x-posthog-secret': credentials.webhook_secret });
  assert.equal(unknown.status, 401);
  assert.equal(unknown.text, wrong.text);
  const unknownMissing = await post(`${connector.url}/webhook/nobody`, click);
  assert.equal(unknownMissing.text, missing.text);
  const metrics = await (await fetch(`${connector.url}/metrics`, { headers: { authorization: `Bearer ${connector.adminToken}` } })).text();
  assert.match(metrics, /sightline_webhook_signature_failures_total\{product="acme"\} 3/);
  assert.doesNotMatch(metrics, /product="nobody"/);
  assert.match(metrics, /sightline_ingest_requests_total\{door="webhook",status="401"\} 5/);
  stream.close();
});

test('in a batch, invalid events are skipped and counted while the valid ones are kept', async (t) => {
  const { connector, credentials, stream, webhook } = await setup();
  t.after(() => connector.cleanup());
  const batch = { batch: [hogFlatPayloads.buttonClick, 42, { event: 7 }, hogFlatPayloads.formSubmit] };
  const response = await post(webhook, JSON.stringify(batch), { 'x-posthog-secret': credentials.webhook_secret });
  assert.equal(response.status, 200);
  assert.equal(response.json.accepted, 2);
  assert.deepEqual((response.json.rejected as Array<{ index: number }>).map((entry) => entry.index), [1, 2]);
  await connector.flush();
  await stream.until(() => stream.payloads().flatMap((payload) => payload.actions as unknown[]).length === 2);
  const metrics = await (await fetch(`${connector.url}/metrics`, { headers: { authorization: `Bearer ${connector.adminToken}` } })).text();
  assert.match(metrics, /sightline_ingest_events_total\{door="webhook",result="invalid"\} 2/);
  stream.close();
});

test('malformed bodies are 400 with a code; oversized and gzip-bomb bodies are 413', async (t) => {
  const { connector, credentials, stream, webhook } = await setup({ maxBodyBytes: 64 * 1024, maxDecodedBytes: 256 * 1024 });
  t.after(() => connector.cleanup());
  const headers = { 'x-posthog-secret': credentials.webhook_secret };
  for (const body of ['{"event":', '[]x', '"just a string"', '{"batch":[1,2]}', '']) {
    const response = await post(webhook, body, headers);
    assert.equal(response.status, 400, body);
    assert.match(String(response.json.error?.code), /^SL_(BODY|INGEST_EVENT)_INVALID$/, body);
  }
  const large = await post(webhook, JSON.stringify({ event: '$pageview', padding: 'x'.repeat(70 * 1024) }), headers);
  assert.equal(large.status, 413);
  assert.equal(large.json.error?.code, 'SL_BODY_TOO_LARGE');
  const bomb = await post(webhook, gzipSync(Buffer.alloc(4 << 20, 0x20)), headers);
  assert.equal(bomb.status, 413);
  assert.equal(bomb.json.error?.code, 'SL_BODY_TOO_LARGE');
  stream.close();
});

test('the webhook answer is JSON with the same bytes whether every event was accepted or some were skipped', async (t) => {
  const { connector, credentials, stream, webhook } = await setup();
  t.after(() => connector.cleanup());
  const headers = { 'content-type': 'application/json', 'x-posthog-secret': credentials.webhook_secret };
  const allGood = await fetch(webhook, { method: 'POST', body: JSON.stringify({ batch: [hogFlatPayloads.buttonClick, hogFlatPayloads.linkClick] }), headers });
  assert.equal(allGood.status, 200);
  assert.equal(allGood.headers.get('content-type'), 'application/json; charset=utf-8');
  assert.equal(await allGood.text(), JSON.stringify({ status: 1, accepted: 2, rejected: [] }));
  const mixed = await fetch(webhook, { method: 'POST', body: JSON.stringify({ batch: [7, hogFlatPayloads.buttonClick] }), headers });
  assert.equal(mixed.headers.get('content-type'), 'application/json; charset=utf-8');
  assert.equal(await mixed.text(), JSON.stringify({ status: 1, accepted: 1, rejected: [{ index: 0, code: 'SL_INGEST_EVENT_INVALID' }] }));
  const metrics = await (await fetch(`${connector.url}/metrics`, { headers: { authorization: `Bearer ${connector.adminToken}` } })).text();
  assert.match(metrics, /sightline_ingest_events_total\{door="webhook",result="accepted"\} 3/);
  assert.match(metrics, /sightline_ingest_requests_total\{door="webhook",status="200"\} 2/);
  stream.close();
});

test('a webhook secret that already failed is refused with 429 before any lookup; the right secret still passes', async (t) => {
  const { connector, credentials, stream, webhook } = await setup();
  t.after(() => connector.cleanup());
  assert.equal((await post(webhook, click, { 'x-posthog-secret': 'whsec_guess' })).status, 401);
  const repeated = await post(webhook, click, { 'x-posthog-secret': 'whsec_guess' });
  assert.equal(repeated.status, 429);
  assert.equal(repeated.json.error?.code, 'SL_WEBHOOK_RATE_LIMITED');
  assert.equal(repeated.headers.get('retry-after'), '900');
  const right = await post(webhook, click, { 'x-posthog-secret': credentials.webhook_secret });
  assert.equal(right.status, 200);
  stream.close();
});
