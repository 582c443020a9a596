import { test } from 'node:test';
import assert from 'node:assert/strict';
import { redisForTests, type TestRedis } from '@sightline/sdk/testing';
import { hogFlatPayloads } from '../__fixtures__/index.ts';
import { openStream } from '../testing/sse-client.ts';
import { post, removeDir, startTestConnector, tempDir } from '../testing/test-connector.ts';
import { RedisProductStore, serializeProductRecord } from './redis-product-store.ts';

const ADMIN_TOKEN = 'admin-secret-for-redis-product-tests-0123';
const click = JSON.stringify(hogFlatPayloads.buttonClick);

/** Waits for a change that travels through Redis pub/sub to another connector, with a deadline. */
async function until(condition: () => Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

async function startOnRedis(redis: TestRedis, dataDir?: string) {
  return startTestConnector({ adminToken: ADMIN_TOKEN, redis: { url: redis.url, prefix: redis.prefix }, ...(dataDir === undefined ? {} : { dataDir }) });
}

function knows(connector: { url: string }, productId: string, check: (body: Record<string, unknown>) => boolean = () => true) {
  return async () => {
    const response = await fetch(`${connector.url}/products/${productId}`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    return response.status === 200 && check((await response.json()) as Record<string, unknown>);
  };
}

test('a product registered on one connector is accepted by the other\'s webhook and stream doors', async (t) => {
  const redis = await redisForTests(t);
  if (!redis) return;
  const a = await startOnRedis(redis);
  t.after(() => a.cleanup());
  const b = await startOnRedis(redis);
  t.after(() => b.cleanup());
  const credentials = await a.registerProduct({ productId: 'acme', contactEmail: 'owner@acme.com' });
  await until(knows(b, 'acme'), 'connector B to learn of acme');
  const stream = await openStream(`${b.url}/stream/acme`, { authorization: `Bearer ${credentials.stream_key}` });
  t.after(() => stream.close());
  assert.equal(stream.status, 200);
  const webhook = await post(`${b.url}/webhook/acme`, click, { 'content-type': 'application/json', 'x-posthog-secret': credentials.webhook_secret });
  assert.equal(webhook.status, 200);
  assert.equal(webhook.json.accepted, 1);
  const capture = await fetch(`${b.url}/array/${credentials.capture_token}/config`);
  assert.equal(capture.status, 200);
  const stored = JSON.parse((await redis.client.hget(`${redis.prefix}products`, 'acme'))!) as Record<string, unknown>;
  assert.equal(stored.v, 1);
  assert.equal(stored.product_id, 'acme');
});

test('a rotation on one connector ends the old key\'s streams and stops the old key and secret on the other', async (t) => {
  const redis = await redisForTests(t);
  if (!redis) return;
  const a = await startOnRedis(redis);
  t.after(() => a.cleanup());
  const b = await startOnRedis(redis);
  t.after(() => b.cleanup());
  const first = await a.registerProduct({ productId: 'acme', contactEmail: 'owner@acme.com' });
  await until(knows(b, 'acme'), 'connector B to learn of acme');
  const open = await openStream(`${b.url}/stream/acme`, { authorization: `Bearer ${first.stream_key}` });
  assert.equal(open.status, 200);
  const rotated = await a.registerProduct({ productId: 'acme', contactEmail: 'owner@acme.com', force: true });
  assert.equal(rotated.capture_token, first.capture_token);
  await open.ended;
  const old = await openStream(`${b.url}/stream/acme`, { authorization: `Bearer ${first.stream_key}` });
  assert.equal(old.status, 401);
  const oldSecret = await post(`${b.url}/webhook/acme`, click, { 'x-posthog-secret': first.webhook_secret });
  assert.equal(oldSecret.status, 401);
  const fresh = await openStream(`${b.url}/stream/acme`, { authorization: `Bearer ${rotated.stream_key}` });
  t.after(() => fresh.close());
  assert.equal(fresh.status, 200);
  assert.equal((await post(`${b.url}/webhook/acme`, click, { 'x-posthog-secret': rotated.webhook_secret })).status, 200);
});

test('a product removed on one connector is gone on the other; registering it again there is not a conflict', async (t) => {
  const redis = await redisForTests(t);
  if (!redis) return;
  const a = await startOnRedis(redis);
  t.after(() => a.cleanup());
  const b = await startOnRedis(redis);
  t.after(() => b.cleanup());
  const credentials = await a.registerProduct({ productId: 'acme', contactEmail: 'owner@acme.com' });
  await until(knows(b, 'acme'), 'connector B to learn of acme');
  const removed = await fetch(`${a.url}/products/acme`, { method: 'DELETE', headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
  assert.equal(removed.status, 204);
  await until(async () => !(await knows(b, 'acme')()), 'connector B to forget acme');
  assert.equal((await post(`${b.url}/webhook/acme`, click, { 'x-posthog-secret': credentials.webhook_secret })).status, 401);
  const again = await b.registerProduct({ productId: 'acme', contactEmail: 'owner@acme.com' });
  assert.notEqual(again.webhook_secret, credentials.webhook_secret);
});

test('a second registration without force on another connector is a conflict, even before it heard of the first', async (t) => {
  const redis = await redisForTests(t);
  if (!redis) return;
  const a = await startOnRedis(redis);
  t.after(() => a.cleanup());
  const b = await startOnRedis(redis);
  t.after(() => b.cleanup());
  await a.registerProduct({ productId: 'acme', contactEmail: 'owner@acme.com' });
  await assert.rejects(b.registerProduct({ productId: 'acme', contactEmail: 'other@acme.com' }), { code: 'SL_PRODUCT_EXISTS' });
});

test('the data dir\'s products are imported at the first start on Redis: same secrets, nothing overwritten, nothing revived', async (t) => {
  const redis = await redisForTests(t);
  if (!redis) return;
  const dataDir = await tempDir();
  t.after(() => removeDir(dataDir));
  const onFile = await startTestConnector({ adminToken: ADMIN_TOKEN, dataDir });
  const acme = await onFile.registerProduct({ productId: 'acme', contactEmail: 'owner@acme.com' });
  const globex = await onFile.registerProduct({ productId: 'globex', contactEmail: 'owner@globex.com' });
  await onFile.close();

  const first = await startOnRedis(redis, dataDir);
  assert.equal((await post(`${first.url}/webhook/acme`, click, { 'x-posthog-secret': acme.webhook_secret })).status, 200);
  const stream = await openStream(`${first.url}/stream/globex`, { authorization: `Bearer ${globex.stream_key}` });
  assert.equal(stream.status, 200);
  stream.close();
  const rotated = await first.registerProduct({ productId: 'acme', contactEmail: 'owner@acme.com', force: true });
  const removed = await fetch(`${first.url}/products/globex`, { method: 'DELETE', headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
  assert.equal(removed.status, 204);
  await first.close();

  const second = await startOnRedis(redis, dataDir);
  t.after(() => second.close());
  assert.equal((await post(`${second.url}/webhook/acme`, click, { 'x-posthog-secret': rotated.webhook_secret })).status, 200, 'the rotated secret stays');
  assert.equal((await post(`${second.url}/webhook/acme`, click, { 'x-posthog-secret': acme.webhook_secret })).status, 401, 'the file does not overwrite Redis');
  assert.equal(await knows(second, 'globex')(), false, 'a product removed on Redis is not imported again');
});

test('/healthz names the Redis connection and the Redis event log, without an instance epoch', async (t) => {
  const redis = await redisForTests(t);
  if (!redis) return;
  const connector = await startOnRedis(redis);
  t.after(() => connector.cleanup());
  const health = (await (await fetch(`${connector.url}/healthz`)).json()) as { status: string; event_log: string; epoch?: number; redis: { connected: boolean; products_synced_at: string } };
  assert.equal(health.status, 'ok');
  assert.equal(health.event_log, 'redis');
  assert.equal('epoch' in health, false, 'on Redis each product has its own epoch; the instance start time is not shown');
  assert.equal(health.redis.connected, true);
  assert.match(health.redis.products_synced_at, /^\d{4}-\d\d-\d\dT/);
});

test('a stored record of an unknown schema version is refused with its code, and its credentials stop working', async (t) => {
  const redis = await redisForTests(t);
  if (!redis) return;
  const store = await RedisProductStore.open({ url: redis.url, prefix: redis.prefix });
  t.after(() => store.close());
  const { record, streamKey } = await store.register({ productId: 'acme', contactEmail: 'owner@acme.com' });
  const changes: string[] = [];
  store.onChange((change) => changes.push(`${change.productId} ${change.kind}`));
  const newer = serializeProductRecord(record).replace('"v":1', '"v":2');
  await redis.client.hset(`${redis.prefix}products`, 'acme', newer);
  await redis.client.publish(`${redis.prefix}products:changed`, 'acme');
  await until(async () => changes.length > 0, 'the change to arrive');
  assert.deepEqual(changes, ['acme removed']);
  assert.equal(store.checkStreamKey('acme', streamKey), 'invalid');
  await assert.rejects(store.setPrivacy('acme', { text_patterns: [], selectors: [] }), { code: 'SL_STORED_RECORD_UNSUPPORTED' });
});

test('without Redis at the given URL the store refuses to start with SL_REDIS_UNAVAILABLE and no password in the message', async () => {
  await assert.rejects(
    RedisProductStore.open({ url: 'redis://user:hunter2@127.0.0.1:1' }),
    (error: Error & { code?: string }) => error.code === 'SL_REDIS_UNAVAILABLE' && !error.message.includes('hunter2'),
  );
});
