import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { openStream } from '../testing/sse-client.ts';
import { post, removeDir, startTestConnector, tempDir } from '../testing/test-connector.ts';

const ADMIN_SECRET = 'admin-secret-for-product-route-tests-0123';

const registration = JSON.stringify({ product_id: 'acme', contact_email: 'owner@acme.com' });

test('POST /products with the admin token answers 201 with every credential', async (t) => {
  const connector = await startTestConnector({ adminToken: ADMIN_SECRET });
  t.after(() => connector.cleanup());
  const response = await post(`${connector.url}/products`, registration, { authorization: `Bearer ${ADMIN_SECRET}`, 'content-type': 'application/json' });
  assert.equal(response.status, 201);
  const body = response.json as Record<string, string>;
  assert.deepEqual(Object.keys(body).sort(), [
    'capture_token', 'integration_type', 'product_id', 'stream_key', 'stream_url', 'unkey_key', 'unkey_key_id', 'webhook_secret', 'webhook_url',
  ]);
  assert.equal(body.product_id, 'acme');
  assert.equal(body.webhook_url, `${connector.url}/webhook/acme`);
  assert.equal(body.stream_url, `${connector.url}/stream/acme`);
  assert.equal(body.unkey_key, body.stream_key);
  assert.match(body.webhook_secret!, /^whsec_[A-Za-z0-9+/]{43}=$/);
  assert.match(body.capture_token!, /^phc_/);
});

test('X-Admin-Key is accepted like Autoplay; a missing or wrong token is 401', async (t) => {
  const connector = await startTestConnector({ adminToken: ADMIN_SECRET });
  t.after(() => connector.cleanup());
  assert.equal((await post(`${connector.url}/products`, registration)).json.error?.code, 'SL_ADMIN_TOKEN_INVALID');
  const wrong = await post(`${connector.url}/products`, registration, { authorization: 'Bearer admin-secreT' });
  assert.equal(wrong.status, 401);
  assert.equal(wrong.json.error?.code, 'SL_ADMIN_TOKEN_INVALID');
  assert.equal((await post(`${connector.url}/products`, registration, { 'x-admin-key': ADMIN_SECRET })).status, 201);
});

test('registration input is validated with codes', async (t) => {
  const connector = await startTestConnector({ adminToken: ADMIN_SECRET });
  t.after(() => connector.cleanup());
  const auth = { authorization: `Bearer ${ADMIN_SECRET}` };
  const cases: Array<[unknown, string]> = [
    [{ product_id: 'acme' }, 'SL_CONTACT_EMAIL_INVALID'],
    [{ product_id: 'acme', contact_email: 'not-an-email' }, 'SL_CONTACT_EMAIL_INVALID'],
    [{ product_id: 'bad/id', contact_email: 'o@acme.com' }, 'SL_PRODUCT_ID_INVALID'],
    [{ contact_email: 'o@acme.com' }, 'SL_PRODUCT_ID_INVALID'],
    [{ product_id: 'acme', contact_email: 'o@acme.com', force_reregister: 'yes' }, 'SL_BODY_INVALID'],
    [{ product_id: 'acme', contact_email: 'o@acme.com', allowed_origins: ['not a url'] }, 'SL_BODY_INVALID'],
    [{ product_id: 'acme', contact_email: 'o@acme.com', allowed_origins: [42] }, 'SL_BODY_INVALID'],
    [{ product_id: 42, contact_email: 'o@acme.com' }, 'SL_PRODUCT_ID_INVALID'],
    [{ product_id: 'acme', contact_email: ['o@acme.com'] }, 'SL_CONTACT_EMAIL_INVALID'],
    [{ product_id: 'acme', contact_email: 'o@acme.com', privacy: { selectors: 'x' } }, 'SL_BODY_INVALID'],
    [[1, 2], 'SL_BODY_INVALID'],
  ];
  for (const [body, code] of cases) {
    const response = await post(`${connector.url}/products`, JSON.stringify(body), auth);
    assert.equal(response.status, 400, JSON.stringify(body));
    assert.equal(response.json.error?.code, code, JSON.stringify(body));
  }
  assert.equal((await post(`${connector.url}/products`, '{', auth)).json.error?.code, 'SL_BODY_INVALID');
});

test('POST /products accepts and ignores fields it does not know', async (t) => {
  const connector = await startTestConnector({ adminToken: ADMIN_SECRET });
  t.after(() => connector.cleanup());
  const body = JSON.stringify({ product_id: 'acme', contact_email: 'owner@acme.com', integration_type: 'posthog', notes: { team: 'growth' } });
  const response = await post(`${connector.url}/products`, body, { authorization: `Bearer ${ADMIN_SECRET}`, 'content-type': 'application/json' });
  assert.equal(response.status, 201);
  assert.equal(response.json.product_id, 'acme');
});

test('re-registering is 409 unless force_reregister, which rotates secrets and keeps the capture token', async (t) => {
  const connector = await startTestConnector();
  t.after(() => connector.cleanup());
  const first = await connector.registerProduct({ productId: 'acme', contactEmail: 'owner@acme.com' });
  const auth = { authorization: `Bearer ${connector.adminToken}` };
  const again = await post(`${connector.url}/products`, registration, auth);
  assert.equal(again.status, 409);
  assert.equal(again.json.error?.code, 'SL_PRODUCT_EXISTS');
  const open = await openStream(first.stream_url, { authorization: `Bearer ${first.stream_key}` });
  assert.equal(open.status, 200);
  const rotated = await post(`${connector.url}/products`, JSON.stringify({ product_id: 'acme', contact_email: 'new@acme.com', force_reregister: true }), auth);
  assert.equal(rotated.status, 201);
  assert.notEqual(rotated.json.webhook_secret, first.webhook_secret);
  assert.notEqual(rotated.json.stream_key, first.stream_key);
  assert.equal(rotated.json.capture_token, first.capture_token);
  // The stream opened with the old key is ended, and the old key no longer opens one.
  await open.ended;
  const old = await openStream(first.stream_url, { authorization: `Bearer ${first.stream_key}` });
  assert.equal(old.status, 401);
  const fresh = await openStream(first.stream_url, { authorization: `Bearer ${String(rotated.json.stream_key)}` });
  assert.equal(fresh.status, 200);
  fresh.close();
});

test('GET and DELETE /products/:id are admin-only; GET shows no secrets', async (t) => {
  const connector = await startTestConnector();
  t.after(() => connector.cleanup());
  const credentials = await connector.registerProduct({ productId: 'acme', contactEmail: 'owner@acme.com' });
  const auth = { authorization: `Bearer ${connector.adminToken}` };
  assert.equal((await fetch(`${connector.url}/products/acme`)).status, 401);
  const got = await fetch(`${connector.url}/products/acme`, { headers: auth });
  assert.equal(got.status, 200);
  const text = await got.text();
  assert.equal((JSON.parse(text) as { contact_email: string }).contact_email, 'owner@acme.com');
  assert.ok(!text.includes(credentials.webhook_secret) && !text.includes(credentials.stream_key));
  const listed = (await (await fetch(`${connector.url}/products`, { headers: auth })).json()) as { products: unknown[] };
  assert.equal(listed.products.length, 1);
  assert.equal((await fetch(`${connector.url}/products/acme`, { method: 'DELETE', headers: auth })).status, 204);
  const missing = await fetch(`${connector.url}/products/acme`, { method: 'DELETE', headers: auth });
  assert.equal(missing.status, 404);
  assert.equal(((await missing.json()) as { error: { code: string } }).error.code, 'SL_PRODUCT_NOT_FOUND');
});

test('products survive a restart with the same data dir; keys are stored hashed in a 0600 file', async (t) => {
  const dataDir = await tempDir();
  t.after(() => removeDir(dataDir));
  const first = await startTestConnector({ dataDir });
  assert.equal(first.adminTokenSource, 'generated');
  const credentials = await first.registerProduct({ productId: 'acme', contactEmail: 'owner@acme.com' });
  await first.close();

  const file = join(dataDir, 'products.json');
  assert.equal((await stat(file)).mode & 0o777, 0o600);
  assert.equal((await stat(join(dataDir, 'admin-token'))).mode & 0o777, 0o600);
  const stored = await readFile(file, 'utf8');
  assert.ok(!stored.includes(credentials.stream_key), 'the stream key itself is never written');

  const second = await startTestConnector({ dataDir });
  t.after(() => second.close());
  assert.equal(second.adminTokenSource, 'data-dir');
  assert.equal(second.adminToken, first.adminToken);
  const got = await fetch(`${second.url}/products/acme`, { headers: { authorization: `Bearer ${second.adminToken}` } });
  assert.equal(got.status, 200);
  const stream = await openStream(`${second.url}/stream/acme`, { authorization: `Bearer ${credentials.stream_key}` });
  assert.equal(stream.status, 200);
  stream.close();
  const webhook = await post(`${second.url}/webhook/acme`, JSON.stringify({ event: '$pageview', distinct_id: 'u', properties: { $current_url: 'https://a.example/x', $session_id: 's' } }), {
    'x-posthog-secret': credentials.webhook_secret,
  });
  assert.equal(webhook.status, 200);
});
