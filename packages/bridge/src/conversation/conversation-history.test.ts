import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import { BACKENDS, testBridgeRedis, type BackendName } from '../redis/__fixtures__/test-redis.ts';
import { MemoryConversationHistory, type ConversationHistory } from './conversation-history.ts';
import { RedisConversationHistory } from './redis-conversation-history.ts';

async function historyOf(backend: BackendName, t: TestContext, options: { maxTurns?: number; maxTurnLength?: number } = {}): Promise<ConversationHistory | null> {
  if (backend === 'memory') return new MemoryConversationHistory(options);
  const redis = await testBridgeRedis(t);
  return redis && new RedisConversationHistory({ redis, ttlSeconds: 60, ...options });
}

for (const backend of BACKENDS) {
  test(`${backend}: history keeps the last turns per conversation, oldest first`, async (t) => {
    const history = await historyOf(backend, t, { maxTurns: 3 });
    if (!history) return;
    await history.append('c1', { role: 'user', content: 'one' }, { role: 'assistant', content: 'two' });
    await history.append('c1', { role: 'user', content: 'three' }, { role: 'assistant', content: 'four' });
    assert.deepEqual(
      (await history.get('c1')).map((turn) => turn.content),
      ['two', 'three', 'four'],
    );
    assert.deepEqual((await history.get('c1')).map((turn) => turn.role), ['assistant', 'user', 'assistant']);
    assert.deepEqual(await history.get('other'), []);
  });

  test(`${backend}: a stored turn is cut to the longest turn length`, async (t) => {
    const history = await historyOf(backend, t, { maxTurnLength: 5 });
    if (!history) return;
    await history.append('x', { role: 'user', content: 'abcdefgh' });
    assert.equal((await history.get('x'))[0]!.content, 'abcde');
  });

  test(`${backend}: maxTurns 0 keeps no history`, async (t) => {
    const history = await historyOf(backend, t, { maxTurns: 0 });
    if (!history) return;
    await history.append('c1', { role: 'user', content: 'hi' });
    assert.deepEqual(await history.get('c1'), []);
  });

  test(`${backend}: forgetUser removes every conversation the user chatted in, plus the ids given, and returns them`, async (t) => {
    const history = await historyOf(backend, t);
    if (!history) return;
    await history.append('a', { role: 'user', content: 'one' });
    await history.assign('a', 'ann');
    await history.append('shared', { role: 'user', content: 'two' });
    await history.assign('shared', 'bob');
    await history.assign('shared', 'ann');
    await history.append('learned', { role: 'user', content: 'three' });
    await history.append('bobs', { role: 'user', content: 'four' });
    await history.assign('bobs', 'bob');
    const result = await history.forgetUser('ann', ['learned', 'never-held']);
    assert.deepEqual([result.conversationIds.sort(), result.removed], [['a', 'learned', 'never-held', 'shared'], 3]);
    assert.deepEqual(await history.get('shared'), []);
    // Bob's index no longer points at the removed shared conversation.
    assert.deepEqual((await history.forgetUser('bob')).conversationIds, ['bobs']);
  });

  test(`${backend}: delete says whether the conversation held turns`, async (t) => {
    const history = await historyOf(backend, t);
    if (!history) return;
    await history.append('c1', { role: 'user', content: 'hi' });
    assert.equal(await history.delete('c1'), true);
    assert.equal(await history.delete('c1'), false);
  });
}

test('memory: history is bounded in conversations (least recently used dropped)', async () => {
  const history = new MemoryConversationHistory({ maxConversations: 2 });
  await history.append('a', { role: 'user', content: 'a' });
  await history.append('b', { role: 'user', content: 'b' });
  await history.append('c', { role: 'user', content: 'c' });
  assert.equal(history.size, 2);
  assert.deepEqual(await history.get('a'), [], 'least recently used conversation dropped');
});

test('memory: owners are bounded with the conversations: an evicted conversation is no longer listed for its user', async () => {
  const history = new MemoryConversationHistory({ maxConversations: 1 });
  await history.append('a', { role: 'user', content: 'one' });
  await history.assign('a', 'ann');
  await history.append('b', { role: 'user', content: 'two' });
  await history.assign('b', 'bob');
  assert.deepEqual((await history.forgetUser('ann')).conversationIds, []);
});

test('redis: every history key carries the product hash tag and a TTL, and turns are "v":1 records', async (t) => {
  const redis = await testBridgeRedis(t);
  if (!redis) return;
  const history = new RedisConversationHistory({ redis, ttlSeconds: 60 });
  await history.append('c1', { role: 'user', content: 'hi' });
  await history.assign('c1', 'ann');
  for (const key of [redis.key(['history', 'c1']), redis.key(['history-users', 'c1']), redis.key(['conversations-of', 'ann'])]) {
    assert.ok(key.startsWith(`${redis.prefix}{acme}:`));
    const ttl = await redis.client.pttl(key);
    assert.ok(ttl > 0 && ttl <= 60_000, `${key} has a TTL`);
  }
  assert.deepEqual(JSON.parse((await redis.client.lindex(redis.key(['history', 'c1']), 0))!), { v: 1, role: 'user', content: 'hi' });
});

test('redis: a turn of an unknown schema version is refused with a coded error', async (t) => {
  const redis = await testBridgeRedis(t);
  if (!redis) return;
  await redis.client.rpush(redis.key(['history', 'c1']), JSON.stringify({ v: 2, role: 'user', content: 'hi' }));
  const history = new RedisConversationHistory({ redis, ttlSeconds: 60 });
  await assert.rejects(history.get('c1'), { code: 'SL_RECORD_VERSION_UNKNOWN' });
});
