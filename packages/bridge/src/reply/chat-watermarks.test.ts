import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import { MemoryChatWatermarkStore, type ChatWatermarkStore } from '@sightline/sdk';
import { BACKENDS, testBridgeRedis, type BackendName } from '../redis/__fixtures__/test-redis.ts';
import { RedisChatWatermarks } from './redis-chat-watermarks.ts';

async function watermarksOf(backend: BackendName, t: TestContext): Promise<ChatWatermarkStore | null> {
  if (backend === 'memory') return new MemoryChatWatermarkStore();
  const redis = await testBridgeRedis(t);
  return redis && new RedisChatWatermarks({ redis, ttlSeconds: 60 });
}

const scope = { productId: 'acme', conversationId: 'c1' };

for (const backend of BACKENDS) {
  test(`${backend}: a conversation's watermark is the last inbound time set, per conversation`, async (t) => {
    const watermarks = await watermarksOf(backend, t);
    if (!watermarks) return;
    assert.equal(await watermarks.getPreviousInboundAt(scope), null);
    await watermarks.setLastInboundAt(scope, 1700000000.5);
    await watermarks.setLastInboundAt(scope, 1700000010.25);
    assert.equal(await watermarks.getPreviousInboundAt(scope), 1700000010.25);
    assert.equal(await watermarks.getPreviousInboundAt({ ...scope, conversationId: 'c2' }), null);
  });

  test(`${backend}: delete forgets a watermark and says whether there was one`, async (t) => {
    const watermarks = await watermarksOf(backend, t);
    if (!watermarks) return;
    await watermarks.setLastInboundAt(scope, 1);
    assert.equal(await watermarks.delete(scope), true);
    assert.equal(await watermarks.getPreviousInboundAt(scope), null);
    assert.equal(await watermarks.delete(scope), false);
  });
}

test('redis: a watermark key carries the product hash tag and a TTL', async (t) => {
  const redis = await testBridgeRedis(t);
  if (!redis) return;
  await new RedisChatWatermarks({ redis, ttlSeconds: 60 }).setLastInboundAt(scope, 1);
  const ttl = await redis.client.pttl(`${redis.prefix}{acme}:watermark:c1`);
  assert.ok(ttl > 0 && ttl <= 60_000);
});
