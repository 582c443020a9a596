import { test, describe, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { createActionsPayload, isSightlineError, type ActionsPayload } from '@sightline/protocol';
import { scanKeys } from '../redis/redis-connection.ts';
import { RedisUserSessionIndex } from '../redis/redis-user-session-index.ts';
import { FakeClock } from '@sightline/protocol/testing';
import { redisForTests } from '../testing/redis-for-tests.ts';
import { UserSessionIndex, type UserIndex } from './user-session-index.ts';

function payload(fields: { user_id?: string | null; session_id?: string | null; product_id?: string; email?: string | null }): ActionsPayload {
  return createActionsPayload({
    product_id: fields.product_id ?? 'acme',
    session_id: fields.session_id === undefined ? 's1' : fields.session_id,
    user_id: fields.user_id === undefined ? 'u1' : fields.user_id,
    email: fields.email ?? null,
    forwarded_at: 0,
    actions: [{ type: 'click' }],
  });
}

interface IndexOptions {
  lookbackSeconds?: number;
  maxSessionsPerUser?: number;
}

/** The same behaviours, for each implementation; a Redis one is null (skipped) when no Redis answers. */
const implementations: Array<{ name: string; make: (t: TestContext, clock: FakeClock, options: IndexOptions) => Promise<UserIndex | null> }> = [
  { name: 'memory', make: async (_t, clock, options) => new UserSessionIndex({ ...options, clock }) },
  {
    name: 'redis',
    make: async (t, clock, options) => {
      const redis = await redisForTests(t);
      return redis && new RedisUserSessionIndex({ client: redis.client, prefix: redis.prefix, ...options, clock });
    },
  },
];

const ids = (refs: Array<{ sessionId: string }>) => refs.map((ref) => ref.sessionId);

for (const { name, make } of implementations) {
  describe(`UserIndex (${name})`, () => {
    async function setup(t: TestContext, options: IndexOptions = {}) {
      const clock = new FakeClock();
      const index = await make(t, clock, options);
      return { clock, index };
    }

    test('lists a user sessions newest first, a revisited session moving to the front', async (t) => {
      const { clock, index } = await setup(t);
      if (!index) return;
      await index.add(payload({ session_id: 's1' }));
      await clock.advance(1_000);
      await index.add(payload({ session_id: 's2' }));
      assert.deepEqual(ids(await index.getRecentSessions('u1')), ['s2', 's1']);
      await clock.advance(1_000);
      await index.add(payload({ session_id: 's1' }));
      const refs = await index.getRecentSessions('u1');
      assert.deepEqual(ids(refs), ['s1', 's2']);
      assert.deepEqual(refs[0], { productId: 'acme', sessionId: 's1', lastSeenAt: clock.now() });
    });

    test('sessions older than the lookback (local clock, elapsed > lookback) are not listed', async (t) => {
      const { clock, index } = await setup(t, { lookbackSeconds: 60 });
      if (!index) return;
      await index.add(payload({ session_id: 's1' }));
      await clock.advance(60_000);
      assert.deepEqual(ids(await index.getRecentSessions('u1')), ['s1']);
      await clock.advance(1);
      assert.deepEqual(await index.getRecentSessions('u1'), []);
    });

    test('payloads without a user id or any session are ignored', async (t) => {
      const { index } = await setup(t);
      if (!index) return;
      assert.equal(await index.add(payload({ user_id: null })), false);
      assert.equal(await index.add(payload({ user_id: '  ' })), false);
      assert.equal(await index.add(payload({ session_id: null, user_id: 'anon-7' })), true, 'anonymous: the distinct id is the session');
      assert.deepEqual(ids(await index.getRecentSessions('anon-7')), ['anon-7']);
    });

    test('keeps at most maxSessionsPerUser, newest first', async (t) => {
      const { clock, index } = await setup(t, { maxSessionsPerUser: 2 });
      if (!index) return;
      for (const session of ['s1', 's2', 's3']) {
        await index.add(payload({ session_id: session }));
        await clock.advance(10);
      }
      assert.deepEqual(ids(await index.getRecentSessions('u1')), ['s3', 's2']);
    });

    test('users are scoped by product; a lookup without a product merges them newest first', async (t) => {
      const { clock, index } = await setup(t);
      if (!index) return;
      await index.add(payload({ product_id: 'a', session_id: 'sa', email: 'a@example.com' }));
      await clock.advance(10);
      await index.add(payload({ product_id: 'b', session_id: 'sb', email: 'b@example.com' }));
      assert.deepEqual(ids(await index.getRecentSessions('u1', { productId: 'a' })), ['sa']);
      assert.deepEqual(ids(await index.getRecentSessions('u1')), ['sb', 'sa']);
      assert.equal(await index.getEmail('u1', { productId: 'a' }), 'a@example.com');
      assert.equal(await index.getEmail('u1'), 'b@example.com', 'the latest email across products');
      await index.resetUser('u1', { productId: 'b' });
      assert.deepEqual(ids(await index.getRecentSessions('u1')), ['sa']);
      await index.resetUser('u1');
      assert.deepEqual(await index.getRecentSessions('u1'), []);
      assert.equal(await index.getEmail('u1'), null);
    });

    test('an email is remembered until a newer one arrives; payloads without one keep it', async (t) => {
      const { clock, index } = await setup(t);
      if (!index) return;
      await index.add(payload({ email: 'first@example.com' }));
      await clock.advance(1);
      await index.add(payload({ email: null }));
      assert.equal(await index.getEmail('u1'), 'first@example.com');
      await clock.advance(1);
      await index.add(payload({ email: 'second@example.com' }));
      assert.equal(await index.getEmail('u1'), 'second@example.com');
    });

    test('forgetUser returns every session held for the user, expired ones included, in every product', async (t) => {
      const { clock, index } = await setup(t, { lookbackSeconds: 60 });
      if (!index) return;
      await index.add(payload({ session_id: 's1', user_id: 'ann' }));
      clock.set(clock.now() + 120_000);
      await index.add(payload({ product_id: 'other', session_id: 's2', user_id: 'ann' }));
      assert.deepEqual((await index.forgetUser('ann')).map((ref) => `${ref.productId}/${ref.sessionId}`).sort(), ['acme/s1', 'other/s2']);
      assert.deepEqual(await index.forgetUser('ann'), []);
    });
  });
}

describe('UserSessionIndex (memory only)', () => {
  test('the number of users is LRU-bounded', async () => {
    const index = new UserSessionIndex({ maxUsers: 2, clock: new FakeClock() });
    await index.add(payload({ user_id: 'u1' }));
    await index.add(payload({ user_id: 'u2' }));
    await index.add(payload({ user_id: 'u1' }));
    await index.add(payload({ user_id: 'u3' }));
    assert.equal(index.size, 2);
    assert.deepEqual(await index.getRecentSessions('u2'), []);
    assert.equal((await index.getRecentSessions('u1')).length, 1);
  });

  test('invalid options are configuration errors', () => {
    const isConfigError = (error: unknown) => isSightlineError(error, 'SL_CONFIG_INVALID');
    assert.throws(() => new UserSessionIndex({ lookbackSeconds: 0 }), isConfigError);
    assert.throws(() => new UserSessionIndex({ maxSessionsPerUser: 0 }), isConfigError);
  });
});

describe('RedisUserSessionIndex', () => {
  test('two indexes on one Redis see each other\'s writes, and every key has a TTL', async (t) => {
    const redis = await redisForTests(t);
    if (!redis) return;
    const clock = new FakeClock();
    const first = new RedisUserSessionIndex({ client: redis.client, prefix: redis.prefix, clock });
    const second = new RedisUserSessionIndex({ url: redis.url, prefix: redis.prefix, clock });
    t.after(() => second.close());
    await first.add(payload({ session_id: 's1', email: 'ann@example.com' }));
    assert.deepEqual(ids(await second.getRecentSessions('u1')), ['s1']);
    assert.equal(await second.getEmail('u1'), 'ann@example.com');
    const keys = await scanKeys(redis.client, `${redis.prefix}*`);
    assert.deepEqual(keys.sort(), [`${redis.prefix}user-products:u1`, `${redis.prefix}{acme}:u:email:u1`, `${redis.prefix}{acme}:u:sessions:u1`].sort());
    for (const key of keys) assert.ok((await redis.client.pttl(key)) > 0, `${key} has a TTL`);
  });

  test('a stored email of an unknown schema version is refused with SL_STORE_RECORD_VERSION', async (t) => {
    const redis = await redisForTests(t);
    if (!redis) return;
    const index = new RedisUserSessionIndex({ client: redis.client, prefix: redis.prefix });
    await index.add(payload({ email: 'ann@example.com' }));
    await redis.client.set(`${redis.prefix}{acme}:u:email:u1`, JSON.stringify({ v: 2, email: 'x' }));
    await assert.rejects(index.getEmail('u1'), (error: unknown) => isSightlineError(error, 'SL_STORE_RECORD_VERSION'));
  });
});
