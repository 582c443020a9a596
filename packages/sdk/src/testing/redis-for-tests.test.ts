import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Redis } from 'ioredis';
import { deleteKeysWithPrefix, redisForTests } from './redis-for-tests.ts';

test('a test gets a prefix of its own, and only its keys are deleted afterwards', async (t) => {
  const redis = await redisForTests(t);
  if (!redis) return;
  const other = `${redis.prefix.slice(0, -1)}-other:`;
  await redis.client.set(`${redis.prefix}a`, '1');
  await redis.client.set(`${redis.prefix}{acme}:b`, '2');
  await redis.client.set(`${other}c`, '3');
  assert.equal(await deleteKeysWithPrefix(redis.client, redis.prefix), 2);
  assert.equal(await redis.client.get(`${other}c`), '3', 'a neighbour’s keys stay');
  const check = new Redis(redis.url);
  t.after(() => check.disconnect());
  assert.equal(await deleteKeysWithPrefix(check, other), 1);
});

test('the keys are deleted after the test’s own after-hooks, so a server closing late leaves nothing', async (t) => {
  const redis = await redisForTests(t);
  if (!redis) return;
  const late = `${redis.prefix}written-while-closing`;
  const check = new Redis(redis.url);
  t.after(async () => {
    // What a server closing in an after-hook does: one last write.
    await redis.client.set(late, '1');
    t.after(async () => {
      assert.equal(await check.exists(late), 0, 'deleted after the closing hook');
      check.disconnect();
    });
  });
});
