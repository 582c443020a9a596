import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { redisForTests } from '@sightline/sdk/testing';
import { inspectRedis } from './inspect-redis.ts';

test('inspecting a Redis gives its version and whether it keeps anything on disk', async (t) => {
  const redis = await redisForTests(t);
  if (!redis) return;
  const found = await inspectRedis(redis.url);
  assert.match(found.version ?? '', /^\d+\.\d+/);
  const [, save] = (await redis.client.config('GET', 'save')) as string[];
  const [, appendOnly] = (await redis.client.config('GET', 'appendonly')) as string[];
  assert.deepEqual(
    { snapshots: found.snapshots, appendOnly: found.appendOnly, persistenceUnknown: found.persistenceUnknown },
    { snapshots: (save ?? '') !== '', appendOnly: appendOnly === 'yes', persistenceUnknown: null },
  );
});

test('an ACL user that may not run CONFIG gets the version and "could not tell" for persistence', async (t) => {
  const redis = await redisForTests(t);
  if (!redis) return;
  // A user of this test's own, removed afterwards (ACL users are server-wide; the name is unique per run).
  const user = `sightline-test-${randomBytes(6).toString('hex')}`;
  const password = randomBytes(16).toString('hex');
  await redis.client.call('ACL', 'SETUSER', user, 'on', `>${password}`, '+@all', '-config', '~*');
  const url = new URL(redis.url);
  url.username = user;
  url.password = password;
  let found;
  try {
    found = await inspectRedis(url.href);
  } finally {
    await redis.client.call('ACL', 'DELUSER', user);
  }
  assert.match(found.version ?? '', /^\d+\.\d+/);
  assert.equal(found.snapshots, null);
  assert.equal(found.appendOnly, null);
  assert.match(found.persistenceUnknown ?? '', /NOPERM/);
});

test('a Redis that does not answer is SL_REDIS_UNAVAILABLE, and the password is not in the message', async () => {
  await assert.rejects(
    inspectRedis('redis://app:hunter2@127.0.0.1:1', { timeoutMs: 2000 }),
    (error: Error & { code?: string }) => error.code === 'SL_REDIS_UNAVAILABLE' && !error.message.includes('hunter2') && error.message.includes('***@127.0.0.1:1'),
  );
});
