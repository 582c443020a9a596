import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { base64FormCaptureBody, gzipCaptureBody, posthogJsAutocaptureBatch, posthogJsEvents } from '../__fixtures__/index.ts';
import { openStream } from '../testing/sse-client.ts';
import { post, startTestConnector } from '../testing/test-connector.ts';

/** The fixture body with its token (`phc_testtoken`) replaced by the product's capture token. */
function withToken<T>(body: T, token: string): T {
  return JSON.parse(JSON.stringify(body).replaceAll('phc_testtoken', token)) as T;
}

async function setup(options: Parameters<typeof startTestConnector>[0] = {}, allowedOrigins?: string[]) {
  const connector = await startTestConnector(options);
  const credentials = await connector.registerProduct({ productId: 'acme', contactEmail: 'owner@acme.com', ...(allowedOrigins ? { allowedOrigins } : {}) });
  const stream = await openStream(credentials.stream_url, { authorization: `Bearer ${credentials.stream_key}` });
  return { connector, credentials, stream, token: credentials.capture_token };
}

function actionCount(stream: Awaited<ReturnType<typeof openStream>>): number {
  return stream.payloads().flatMap((payload) => (payload.actions as unknown[]) ?? []).length;
}

test('posthog-js gzip bodies on /e/ (text/plain, magic bytes only) reach the product picked by the token', async (t) => {
  const { connector, stream, token } = await setup();
  t.after(() => connector.cleanup());
  const response = await post(`${connector.url}/e/`, gzipCaptureBody(withToken(posthogJsEvents.pageview, token)), { 'content-type': 'text/plain', origin: 'https://app.example.com' });
  assert.equal(response.status, 200);
  assert.deepEqual(response.json, { status: 1 });
  assert.equal(response.headers.get('access-control-allow-origin'), 'https://app.example.com');
  const batch = await post(`${connector.url}/e/`, gzipCaptureBody(withToken(posthogJsAutocaptureBatch, token)), { 'content-type': 'text/plain' });
  assert.equal(batch.status, 200);
  await connector.flush();
  await stream.until(() => actionCount(stream) === 5);
  const types = stream.payloads().flatMap((payload) => (payload.actions as Array<{ type: string }>).map((action) => action.type));
  assert.deepEqual(types, ['pageview', 'click', 'click', 'type', 'submit']);
  // Typed values never leave the connector.
  assert.ok(!JSON.stringify(stream.payloads()).includes('$input_value'));
  stream.close();
});

test('base64 form bodies, plain JSON, the aliases and GET ?data= are all accepted', async (t) => {
  const { connector, stream, token } = await setup();
  t.after(() => connector.cleanup());
  const bodies: Array<[string, string | Buffer, Record<string, string>]> = [
    ['/e/?compression=base64', base64FormCaptureBody(withToken(posthogJsEvents.buttonClick, token)), { 'content-type': 'application/x-www-form-urlencoded' }],
    ['/i/v0/e/', JSON.stringify(withToken(posthogJsEvents.linkClick, token)), { 'content-type': 'application/json' }],
    ['/batch', JSON.stringify({ api_key: token, batch: [{ event: '$pageview', distinct_id: 'server-user', timestamp: '2026-11-21T22:40:00.000Z', properties: { $current_url: 'https://app.example.com/billing', $session_id: 'server-session' } }] }), { 'content-type': 'application/json', 'content-encoding': 'identity' }],
    ['/capture/', gzipSync(JSON.stringify(withToken(posthogJsEvents.formSubmit, token))), { 'content-type': 'application/json', 'content-encoding': 'gzip' }],
  ];
  for (const [path, body, headers] of bodies) {
    const response = await post(`${connector.url}${path}`, body, headers);
    assert.equal(response.status, 200, path);
  }
  const data = encodeURIComponent(Buffer.from(JSON.stringify(withToken(posthogJsEvents.inputChange, token))).toString('base64'));
  assert.equal((await fetch(`${connector.url}/e/?data=${data}&compression=base64`)).status, 200);
  await connector.flush();
  await stream.until(() => actionCount(stream) === 5);
  stream.close();
});

test('OPTIONS preflight answers 204 with CORS headers echoing origin and requested headers', async (t) => {
  const { connector, stream } = await setup();
  t.after(() => connector.cleanup());
  const response = await fetch(`${connector.url}/e/`, {
    method: 'OPTIONS',
    headers: { origin: 'https://app.example.com', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,x-custom' },
  });
  assert.equal(response.status, 204);
  assert.equal(response.headers.get('access-control-allow-origin'), 'https://app.example.com');
  assert.equal(response.headers.get('access-control-allow-credentials'), 'true');
  assert.equal(response.headers.get('access-control-allow-headers'), 'content-type,x-custom');
  assert.match(String(response.headers.get('access-control-allow-methods')), /POST/);
  assert.equal(response.headers.get('vary'), 'Origin');
  stream.close();
});

test('the remote config turns autocapture on (a real false opt-out); flags answer minimally', async (t) => {
  const { connector, stream, token } = await setup();
  t.after(() => connector.cleanup());
  const config = await fetch(`${connector.url}/array/${token}/config`, { headers: { origin: 'https://app.example.com' } });
  assert.equal(config.status, 200);
  assert.equal(config.headers.get('access-control-allow-origin'), 'https://app.example.com');
  const json = (await config.json()) as Record<string, unknown>;
  assert.equal(json.autocapture_opt_out, false);
  assert.deepEqual(json.supportedCompression, ['gzip-js', 'base64']);
  assert.equal(json.sessionRecording, false);
  const script = await fetch(`${connector.url}/array/${token}/config.js`);
  assert.match(String(script.headers.get('content-type')), /javascript/);
  const text = await script.text();
  // Run the script the way a browser would, against a stand-in window.
  const window: { _POSTHOG_REMOTE_CONFIG?: Record<string, { config: Record<string, unknown> }> } = {};
  new Function('window', text)(window);
  assert.equal(window._POSTHOG_REMOTE_CONFIG?.[token]?.config.autocapture_opt_out, false);
  assert.equal((await fetch(`${connector.url}/array/phc_unknown/config`)).status, 404);
  const flags = await post(`${connector.url}/flags/?v=2`, 'data=e30%3D', { 'content-type': 'application/x-www-form-urlencoded' });
  assert.equal(flags.status, 200);
  assert.deepEqual(flags.json, { flags: {}, featureFlags: {}, featureFlagPayloads: {}, errorsWhileComputingFlags: false });
  stream.close();
});

test('unknown or missing tokens, refused origins, bad bodies and gzip bombs get 4xx codes', async (t) => {
  const { connector, stream, token } = await setup({ maxDecodedBytes: 256 * 1024 }, ['https://app.example.com']);
  t.after(() => connector.cleanup());
  const unknown = await post(`${connector.url}/e/`, gzipCaptureBody(posthogJsEvents.pageview), { 'content-type': 'text/plain' });
  assert.equal(unknown.status, 404);
  assert.equal(unknown.json.error?.code, 'SL_CAPTURE_TOKEN_UNKNOWN');
  const noToken = await post(`${connector.url}/e/`, JSON.stringify({ event: '$pageview', properties: { distinct_id: 'u', $current_url: 'https://a.example/' } }));
  assert.equal(noToken.status, 400);
  assert.equal(noToken.json.error?.code, 'SL_CAPTURE_TOKEN_MISSING');
  const refused = await post(`${connector.url}/e/`, gzipCaptureBody(withToken(posthogJsEvents.pageview, token)), { origin: 'https://evil.example' });
  assert.equal(refused.status, 403);
  assert.equal(refused.json.error?.code, 'SL_ORIGIN_NOT_ALLOWED');
  const allowed = await post(`${connector.url}/e/`, gzipCaptureBody(withToken(posthogJsEvents.pageview, token)), { origin: 'https://app.example.com' });
  assert.equal(allowed.status, 200);
  const corrupt = await post(`${connector.url}/e/`, gzipCaptureBody(posthogJsEvents.pageview).subarray(0, 40), { 'content-type': 'text/plain' });
  assert.equal(corrupt.status, 400);
  assert.equal(corrupt.json.error?.code, 'SL_BODY_INVALID');
  const bomb = await post(`${connector.url}/e/`, gzipSync(Buffer.alloc(8 << 20, 0x5b)), { 'content-type': 'text/plain' });
  assert.equal(bomb.status, 413);
  assert.equal(bomb.json.error?.code, 'SL_BODY_TOO_LARGE');
  stream.close();
});

test('a large gzip body (inflated off the event loop) is accepted and streamed like a small one', async (t) => {
  const { connector, stream, token } = await setup({ batchWindowMs: 0 });
  t.after(() => connector.cleanup());
  // 500 clicks whose labels are random enough that the gzip stays above the off-loop threshold.
  const batch = Array.from({ length: 500 }, (_, index) => ({
    event: '$autocapture', distinct_id: 'bulk-user', timestamp: new Date(Date.now() + index).toISOString(),
    properties: { token, $session_id: 'bulk', $event_type: 'click', $current_url: 'https://app.example.com/reports', $elements_chain: `button:attr__data-x="${randomBytes(150).toString('base64')}"text="Export"nth-child="1"nth-of-type="1"` },
  }));
  const body = gzipSync(JSON.stringify({ api_key: token, batch }));
  assert.ok(body.length > 64 * 1024, `${body.length} bytes`);
  const response = await post(`${connector.url}/e/`, body, { 'content-type': 'text/plain' });
  assert.equal(response.status, 200);
  await stream.until(() => actionCount(stream) === 500);
  stream.close();
});
