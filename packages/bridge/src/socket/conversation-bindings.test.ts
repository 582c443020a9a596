import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import { BACKENDS, testBridgeRedis, type BackendName } from '../redis/__fixtures__/test-redis.ts';
import { MemoryConversationBindings, type ConversationBindings } from './conversation-bindings.ts';
import { RedisConversationBindings } from './redis-conversation-bindings.ts';

async function bindingsOf(backend: BackendName, t: TestContext): Promise<ConversationBindings | null> {
  if (backend === 'memory') return new MemoryConversationBindings();
  const redis = await testBridgeRedis(t);
  return redis && new RedisConversationBindings({ redis, ttlSeconds: 60 });
}

for (const backend of BACKENDS) {
  test(`${backend}: the first identity to claim a conversation owns it; another identity is refused`, async (t) => {
    const bindings = await bindingsOf(backend, t);
    if (!bindings) return;
    assert.equal(await bindings.ownerOf('s1'), undefined);
    assert.equal(await bindings.claim('s1', 'user:ann'), true);
    assert.equal(await bindings.claim('s1', 'user:ann'), true, 'the owner claims it again');
    assert.equal(await bindings.claim('s1', 'user:bob'), false);
    assert.equal(await bindings.claim('s1', 'socket:abc'), false);
    assert.equal(await bindings.ownerOf('s1'), 'user:ann');
  });

  test(`${backend}: forgetUser unbinds the user's conversations only, and says which`, async (t) => {
    const bindings = await bindingsOf(backend, t);
    if (!bindings) return;
    await bindings.claim('s1', 'user:ann');
    await bindings.claim('s2', 'user:ann');
    await bindings.claim('s3', 'user:bob');
    await bindings.claim('s4', 'socket:abc');
    assert.deepEqual((await bindings.forgetUser('ann')).sort(), ['s1', 's2']);
    assert.equal(await bindings.ownerOf('s1'), undefined);
    assert.equal(await bindings.ownerOf('s3'), 'user:bob');
    assert.deepEqual(await bindings.forgetUser('ann'), []);
    assert.equal(await bindings.claim('s1', 'user:bob'), true, 'a forgotten id binds anew');
  });
}

test('redis: two bridges racing for one conversation: exactly one identity wins', async (t) => {
  const redis = await testBridgeRedis(t);
  if (!redis) return;
  const first = new RedisConversationBindings({ redis, ttlSeconds: 60 });
  const second = new RedisConversationBindings({ redis, ttlSeconds: 60 });
  const results = await Promise.all([first.claim('s1', 'user:ann'), second.claim('s1', 'user:bob')]);
  assert.deepEqual(results.sort(), [false, true]);
  const ttl = await redis.client.pttl(redis.key(['binding', 's1']));
  assert.ok(ttl > 0 && ttl <= 60_000);
});
