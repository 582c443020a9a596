/**
 * Applying a payload twice stores it once (every bridge reads the stream, and a restarted one replays), on each
 * backend; on Redis across store instances.
 */
import { describe, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { createActionsPayload, createSummaryPayload, isSightlineError, type ActionsPayload } from '@sightline/protocol';
import { RedisContextBackend } from '../redis/redis-context-backend.ts';
import { scanKeys } from '../redis/redis-connection.ts';
import { RedisUserSessionIndex } from '../redis/redis-user-session-index.ts';
import { FakeClock } from '@sightline/protocol/testing';
import { redisForTests, type TestRedis } from '../testing/redis-for-tests.ts';
import { ContextStore } from './context-store.ts';
import { isReplayedEvent } from './session-record.ts';

function batch(sessionId: string, indexes: number[]): ActionsPayload {
  return createActionsPayload({
    product_id: 'acme',
    session_id: sessionId,
    user_id: 'ann',
    forwarded_at: 1_700_000_000,
    actions: indexes.map((index) => ({ index, type: 'click', description: `Did ${index}`, canonical_url: `/p/${index}` })),
  });
}

const key = { productId: 'acme', sessionId: 's1' };

function redisStore(redis: TestRedis, clock: FakeClock): ContextStore {
  const connection = { client: redis.client, prefix: redis.prefix };
  return new ContextStore({ clock, backend: new RedisContextBackend(connection), userIndex: new RedisUserSessionIndex({ ...connection, clock }) });
}

describe('isReplayedEvent', () => {
  test('an id at or before the last one of the same epoch is a replay; another epoch, a missing id or a later one is not', () => {
    assert.equal(isReplayedEvent('17-40', '17-40'), true);
    assert.equal(isReplayedEvent('17-40', '17-9'), true);
    assert.equal(isReplayedEvent('17-40', '17-41'), false);
    assert.equal(isReplayedEvent('17-40', '18-1'), false);
    assert.equal(isReplayedEvent(undefined, '17-1'), false);
    assert.equal(isReplayedEvent('17-1', null), false);
    assert.equal(isReplayedEvent('opaque', 'opaque'), true);
    assert.equal(isReplayedEvent('opaque', 'other'), false);
  });
});

const implementations: Array<{ name: string; make: (t: TestContext, clock: FakeClock) => Promise<ContextStore> }> = [
  { name: 'memory', make: async (_t, clock) => new ContextStore({ clock }) },
  {
    name: 'redis',
    make: async (t, clock) => {
      const redis = await redisForTests(t);
      return redis ? redisStore(redis, clock) : new ContextStore({ clock });
    },
  },
];

for (const { name, make } of implementations) {
  describe(`ContextStore.add with event ids (${name})`, () => {
    test('the same actions payload applied twice (same event id) is stored once and resolves false the second time', async (t) => {
      const store = await make(t, new FakeClock());
      assert.equal(await store.add(batch('s1', [0, 1]), { id: '7-1' }), true);
      assert.equal(await store.add(batch('s1', [0, 1]), { id: '7-1' }), false);
      assert.equal(await store.add(batch('s1', [2]), { id: '7-2' }), true);
      assert.equal(await store.add(batch('s1', [2]), { id: '7-2' }), false);
      assert.deepEqual((await store.getSession(key)).actions.map((action) => action.index), [0, 1, 2]);
    });

    test('a replay from an earlier position of the same epoch is skipped; a new epoch applies', async (t) => {
      const store = await make(t, new FakeClock());
      await store.add(batch('s1', [0]), { id: '7-5' });
      assert.equal(await store.add(batch('s1', [0]), { id: '7-3' }), false);
      assert.equal(await store.add(batch('s1', [0]), { id: '9-1' }), true, 'a connector whose log started again numbers anew');
      assert.equal((await store.getSession(key)).actions.length, 2);
    });

    test('a connector summary applied twice folds and covers once', async (t) => {
      const store = await make(t, new FakeClock());
      await store.add(batch('s1', [0, 1, 2]), { id: '7-1' });
      const summary = createSummaryPayload({ product_id: 'acme', session_id: 's1', summary: 'Did things.', replaces: 1, forwarded_at: 1 });
      assert.equal(await store.add(summary, { id: '7-2' }), true);
      assert.equal(await store.add(summary, { id: '7-2' }), false);
      const session = await store.getSession(key);
      assert.equal(session.summary, 'Did things.');
      assert.deepEqual(session.actions.map((action) => action.index), [1, 2]);
    });

    test('without an event id every payload is applied (Autoplay streams carry none)', async (t) => {
      const store = await make(t, new FakeClock());
      await store.add(batch('s1', [0]));
      assert.equal(await store.add(batch('s1', [0])), true);
      assert.equal((await store.getSession(key)).actions.length, 2);
    });
  });
}

describe('RedisContextBackend across store instances', () => {
  test('two stores on one Redis see each other\'s writes; the session key carries the product hash tag and a TTL', async (t) => {
    const redis = await redisForTests(t);
    if (!redis) return;
    const clock = new FakeClock();
    const first = redisStore(redis, clock);
    const second = redisStore(redis, clock);
    await first.add(batch('s1', [0]), { id: '7-1' });
    assert.deepEqual((await second.forUser('ann')).sessions.map((session) => session.sessionId), ['s1']);
    assert.equal(await second.get(key), 'Recent activity:\n1. [0] click: Did 0 \u2014 /p/0');
    const keys = await scanKeys(redis.client, `${redis.prefix}*`);
    assert.ok(keys.includes(`${redis.prefix}{acme}:s:s1`));
    for (const redisKey of keys) assert.ok((await redis.client.pttl(redisKey)) > 0, `${redisKey} has a TTL`);
  });

  test('the same payloads applied by two stores at once are stored once, and each is reported new by exactly one', async (t) => {
    const redis = await redisForTests(t);
    if (!redis) return;
    const clock = new FakeClock();
    const stores = [redisStore(redis, clock), redisStore(redis, clock)];
    const applied = await Promise.all(
      stores.map(async (store) => {
        const results: boolean[] = [];
        for (let seq = 1; seq <= 20; seq++) results.push(await store.add(batch('s1', [seq]), { id: `7-${seq}` }));
        return results;
      }),
    );
    for (let position = 0; position < 20; position++) assert.equal(Number(applied[0]![position]) + Number(applied[1]![position]), 1, `payload ${position + 1}`);
    const stored = (await stores[0]!.getSession(key, { maxActions: null })).actions.map((action) => action.index);
    assert.deepEqual(stored, Array.from({ length: 20 }, (_, at) => at + 1));
  });

  test('a record of an unknown schema version is refused with SL_STORE_RECORD_VERSION', async (t) => {
    const redis = await redisForTests(t);
    if (!redis) return;
    const store = redisStore(redis, new FakeClock());
    await redis.client.hset(`${redis.prefix}{acme}:s:s1`, 'rev', '1', 'data', JSON.stringify({ v: 2 }));
    await assert.rejects(store.get(key), (error: unknown) => isSightlineError(error, 'SL_STORE_RECORD_VERSION'));
  });
});
