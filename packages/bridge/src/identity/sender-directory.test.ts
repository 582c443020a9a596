import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import { BACKENDS, testBridgeRedis, type BackendName } from '../redis/__fixtures__/test-redis.ts';
import { RedisSenderDirectory } from './redis-sender-directory.ts';
import { MemorySenderDirectory, type SenderDirectory } from './sender-directory.ts';

async function sendersOf(backend: BackendName, t: TestContext): Promise<SenderDirectory | null> {
  if (backend === 'memory') return new MemorySenderDirectory();
  const redis = await testBridgeRedis(t);
  return redis && new RedisSenderDirectory({ redis, ttlSeconds: 60 });
}

for (const backend of BACKENDS) {
  test(`${backend}: a user's Rasa sender and socket conversation are both remembered, with the latest update time`, async (t) => {
    const senders = await sendersOf(backend, t);
    if (!senders) return;
    assert.equal(await senders.get('u-42'), undefined);
    await senders.learnRasaSender('u-42', 'rasa-1', 1000);
    await senders.learnSocketConversation('u-42', 'sock-1', 2000);
    assert.deepEqual(await senders.get('u-42'), { userId: 'u-42', rasaSenderId: 'rasa-1', socketConversationId: 'sock-1', updatedAt: 2000 });
    await senders.learnRasaSender('u-42', 'rasa-2', 3000);
    assert.equal((await senders.get('u-42'))?.rasaSenderId, 'rasa-2');
  });

  test(`${backend}: delete forgets a user and says whether they were known`, async (t) => {
    const senders = await sendersOf(backend, t);
    if (!senders) return;
    await senders.learnSocketConversation('u-42', 'sock-1', 1000);
    assert.equal(await senders.delete('u-42'), true);
    assert.equal(await senders.get('u-42'), undefined);
    assert.equal(await senders.delete('u-42'), false);
  });
}

test('redis: a sender record lives HISTORY_TTL_SECONDS and one of an unknown version is refused', async (t) => {
  const redis = await testBridgeRedis(t);
  if (!redis) return;
  const senders = new RedisSenderDirectory({ redis, ttlSeconds: 60 });
  await senders.learnRasaSender('u-42', 'rasa-1', 1000);
  const ttl = await redis.client.pttl(redis.key(['sender', 'u-42']));
  assert.ok(ttl > 0 && ttl <= 60_000);
  await redis.client.hset(redis.key(['sender', 'u-42']), 'v', '2');
  await assert.rejects(senders.get('u-42'), { code: 'SL_RECORD_VERSION_UNKNOWN' });
});
