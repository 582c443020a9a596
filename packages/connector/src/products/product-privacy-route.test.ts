import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openStream } from '../testing/sse-client.ts';
import { post, startTestConnector } from '../testing/test-connector.ts';

const ADMIN = 'admin-secret-for-privacy-tests-0123456789';

async function put(url: string, body: unknown, token = ADMIN) {
  const response = await fetch(url, { method: 'PUT', body: JSON.stringify(body), headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' } });
  return { status: response.status, json: (await response.json()) as { error?: { code: string }; privacy?: unknown } };
}

test('a privacy list set on POST /products and PUT /products/:id/privacy is stored and applies to extraction', async (t) => {
  const connector = await startTestConnector({ adminToken: ADMIN });
  t.after(() => connector.cleanup());
  const auth = { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' };
  const created = await post(`${connector.url}/products`, JSON.stringify({ product_id: 'acme', contact_email: 'owner@acme.com', privacy: { text_patterns: ['ACME-[0-9]{4}'] } }), auth);
  assert.equal(created.status, 201);
  const updated = await put(`${connector.url}/products/acme/privacy`, { text_patterns: ['ACME-[0-9]{4}'], selectors: ['.customer-name'] });
  assert.equal(updated.status, 200);
  assert.deepEqual(updated.json.privacy, { text_patterns: ['ACME-[0-9]{4}'], selectors: ['.customer-name'] });

  const credentials = created.json as Record<string, string>;
  const stream = await openStream(credentials['stream_url']!, { authorization: `Bearer ${credentials['stream_key']}` });
  const event = (chain: string) => ({
    event: '$autocapture',
    properties: { token: credentials['capture_token'], distinct_id: 'd1', $session_id: 's1', $current_url: 'https://app.example.com/tickets', $event_type: 'click', $elements_chain: chain },
  });
  const sent = await post(`${connector.url}/e/`, JSON.stringify({ batch: [event('button:text="Open ACME-1234"'), event('span:text="Jane Roe";a.customer-name:href="/c"')] }), { 'content-type': 'application/json' });
  assert.equal(sent.status, 200);
  await connector.flush();
  await stream.until(() => stream.payloads().some((payload) => JSON.stringify(payload).includes('Open')));
  const text = JSON.stringify(stream.payloads());
  assert.doesNotMatch(text, /ACME-1234|Jane Roe/);
  stream.close();
});

test('PUT /products/:id/privacy refuses unsafe patterns with a code, needs the admin token and a known product', async (t) => {
  const connector = await startTestConnector({ adminToken: ADMIN });
  t.after(() => connector.cleanup());
  await connector.registerProduct({ productId: 'acme', contactEmail: 'owner@acme.com' });
  const unsafe = await put(`${connector.url}/products/acme/privacy`, { text_patterns: ['(a+)+$'] });
  assert.equal(unsafe.status, 400);
  assert.equal(unsafe.json.error?.code, 'SL_PRIVACY_RULE_INVALID');
  assert.equal((await put(`${connector.url}/products/acme/privacy`, { selectors: 'x' })).json.error?.code, 'SL_BODY_INVALID');
  assert.equal((await put(`${connector.url}/products/nope/privacy`, {})).json.error?.code, 'SL_PRODUCT_NOT_FOUND');
  assert.equal((await put(`${connector.url}/products/acme/privacy`, {}, 'wrong-token')).status, 401);
});
