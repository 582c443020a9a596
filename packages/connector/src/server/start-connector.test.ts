import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isSightlineError } from '@sightline/protocol';
import { hogFlatPayloads } from '../__fixtures__/index.ts';
import { openStream } from '../testing/sse-client.ts';
import { post, startTestConnector, tempDir, removeDir } from '../testing/test-connector.ts';
import { startConnector } from './start-connector.ts';

test('healthz answers ok with the epoch; unknown routes get a coded 404', async (t) => {
  const connector = await startTestConnector();
  t.after(() => connector.cleanup());
  const health = await fetch(`${connector.url}/healthz`);
  assert.equal(health.status, 200);
  assert.deepEqual(await health.json(), { status: 'ok', epoch: connector.epoch, products: 0 });
  assert.equal(connector.epoch, Math.floor(connector.epoch));
  const missing = await fetch(`${connector.url}/nothing/here`);
  assert.equal(missing.status, 404);
  assert.equal(((await missing.json()) as { error: { code: string } }).error.code, 'SL_ROUTE_NOT_FOUND');
});

test('metrics expose ingest counts, subscribers and the ingest-to-socket latency histogram', async (t) => {
  const connector = await startTestConnector();
  t.after(() => connector.cleanup());
  const credentials = await connector.registerProduct({ productId: 'acme', contactEmail: 'owner@acme.com' });
  const stream = await openStream(credentials.stream_url, { authorization: `Bearer ${credentials.stream_key}` });
  const response = await post(credentials.webhook_url, JSON.stringify(hogFlatPayloads.buttonClick), { 'x-posthog-secret': credentials.webhook_secret });
  assert.equal(response.status, 200);
  await connector.flush();
  await stream.until((messages) => messages.length === 1);
  const metricsResponse = await fetch(`${connector.url}/metrics`, { headers: { authorization: `Bearer ${connector.adminToken}` } });
  assert.match(String(metricsResponse.headers.get('content-type')), /text\/plain/);
  const metrics = await metricsResponse.text();
  assert.match(metrics, /sightline_ingest_events_total\{door="webhook",result="accepted"\} 1/);
  assert.match(metrics, /sightline_ingest_requests_total\{door="webhook",status="200"\} 1/);
  assert.match(metrics, /sightline_stream_subscribers\{product="acme"\} 1/);
  assert.match(metrics, /sightline_stream_delivery_latency_seconds_count 1/);
  assert.match(metrics, /sightline_stream_payloads_published_total\{type="actions"\} 1/);
  stream.close();
  const anonymous = await fetch(`${connector.url}/metrics`);
  assert.equal(anonymous.status, 401, 'the metrics name every product, so they need the admin token');
  assert.ok(!(await anonymous.text()).includes('acme'));
});

test('invalid options are refused with SL_CONFIG_INVALID', async (t) => {
  const dataDir = await tempDir();
  t.after(() => removeDir(dataDir));
  await assert.rejects(startConnector({ dataDir: '', logger: false }), { code: 'SL_CONFIG_INVALID' });
  await assert.rejects(startConnector({ dataDir, port: 70000, logger: false }), { code: 'SL_CONFIG_INVALID' });
  await assert.rejects(startConnector({ dataDir, port: 0, heartbeatMs: 0, logger: false }), { code: 'SL_CONFIG_INVALID' });
});

test('publicUrl is used in the credentials instead of the listening address', async (t) => {
  const connector = await startTestConnector({ publicUrl: 'https://events.example.com/' });
  t.after(() => connector.cleanup());
  const credentials = await connector.registerProduct({ productId: 'acme', contactEmail: 'owner@acme.com' });
  assert.equal(credentials.webhook_url, 'https://events.example.com/webhook/acme');
  assert.equal(credentials.stream_url, 'https://events.example.com/stream/acme');
});

test('an admin token shorter than 128 bits is refused at start', async () => {
  const dataDir = await tempDir();
  try {
    await assert.rejects(
      startConnector({ port: 0, dataDir, adminToken: 'admin-secret', logger: false }),
      (error: unknown) => isSightlineError(error, 'SL_CONFIG_INVALID') && error.details['option'] === 'adminToken',
    );
  } finally {
    await removeDir(dataDir);
  }
});
