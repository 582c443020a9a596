import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ActionsPayload } from '@sightline/protocol';
import { redisForTests } from '@sightline/sdk/testing';
import { FakeClock } from '@sightline/protocol/testing';
import { recordCommands } from '../testing/record-commands.ts';
import { describeEventLog } from './__fixtures__/event-log-behaviour.ts';
import { RedisEventLog } from './redis-event-log.ts';

describeEventLog('redis log', async (t, options) => {
  const redis = await redisForTests(t);
  if (!redis) return null;
  const log = new RedisEventLog({ redis: redis.url, prefix: redis.prefix, ...options });
  await log.connect();
  return log;
});

function actions(sessionId: string | null, count: number): ActionsPayload {
  const list = Array.from({ length: count }, (_, position) => ({ title: `step ${position}`, index: position }) as ActionsPayload['actions'][number]);
  return {
    type: 'actions', product_id: 'acme', session_id: sessionId, user_id: null, email: null, actions: list, count,
    forwarded_at: 1, conversation_id: null,
  };
}

test('keys carry the prefix and the product\'s hash tag; entries carry schema version 1', async (t) => {
  const redis = await redisForTests(t);
  if (!redis) return;
  const log = new RedisEventLog({ redis: redis.client, prefix: redis.prefix });
  const entry = await log.append('acme', actions('s1', 2));
  const [, scanned] = await redis.client.scan('0', 'MATCH', `${redis.prefix}*`, 'COUNT', 1000);
  assert.deepEqual(scanned.sort(), [`${redis.prefix}{acme}:idx:s1`, `${redis.prefix}{acme}:log`, `${redis.prefix}{acme}:meta`]);
  const [id, fields] = (await redis.client.xrange(`${redis.prefix}{acme}:log`, '-', '+'))[0]!;
  assert.equal(id, entry.id);
  assert.equal(fields[0], 'v');
  assert.equal(fields[1], '1');
  assert.ok((await redis.client.pttl(`${redis.prefix}{acme}:idx:s1`)) > 0);
  // A client given by the caller stays open.
  await log.close();
  assert.equal(await redis.client.ping(), 'PONG');
});

test('two logs on one Redis share ids and a session\'s action indexes, strictly increasing in stream order', async (t) => {
  const redis = await redisForTests(t);
  if (!redis) return;
  const first = new RedisEventLog({ redis: redis.url, prefix: redis.prefix });
  const second = new RedisEventLog({ redis: redis.url, prefix: redis.prefix });
  t.after(async () => {
    await first.close();
    await second.close();
  });
  const appended = await Promise.all([0, 1, 2, 3, 4, 5].map((round) => (round % 2 === 0 ? first : second).append('acme', actions('s1', 3))));
  const epoch = await first.epochOf('acme');
  assert.equal(await second.epochOf('acme'), epoch);
  assert.deepEqual(appended.map((entry) => entry.id).sort(), [1, 2, 3, 4, 5, 6].map((seq) => `${epoch}-${seq}`).sort());
  const { gap, entries } = await second.readAfter('acme', `${epoch}-0`);
  assert.equal(gap, null);
  const indexes = entries.flatMap((entry) => (entry.payload as ActionsPayload).actions.map((action) => action.index));
  assert.deepEqual(indexes, Array.from({ length: 18 }, (_, index) => index));
  // A batch without a session keeps the sessionizer's own indexes.
  const loose = await first.append('acme', actions(null, 2));
  assert.deepEqual((loose.payload as ActionsPayload).actions.map((action) => action.index), [0, 1]);
});

test('a log started again keeps the epoch and the sequence: old ids resume with no gap', async (t) => {
  const redis = await redisForTests(t);
  if (!redis) return;
  const clock = new FakeClock({ now: 1_700_000_000_000 });
  const before = new RedisEventLog({ redis: redis.url, prefix: redis.prefix, clock });
  const first = await before.append('acme', actions('s1', 1));
  await before.close();
  await clock.advance(60_000);
  const after = new RedisEventLog({ redis: redis.url, prefix: redis.prefix, clock });
  t.after(() => after.close());
  const second = await after.append('acme', actions('s1', 1));
  assert.equal(second.id, '1700000000-2');
  assert.deepEqual((await after.readAfter('acme', first.id)).gap, null);
  assert.deepEqual((second.payload as ActionsPayload).actions[0]!.index, 1);
});

test('after Redis lost a product\'s keys the epoch is new and later: old ids get a gap, never a reused id', async (t) => {
  const redis = await redisForTests(t);
  if (!redis) return;
  const clock = new FakeClock({ now: 1_700_000_000_000 });
  const log = new RedisEventLog({ redis: redis.url, prefix: redis.prefix, clock });
  t.after(() => log.close());
  await log.append('acme', actions('s1', 1));
  const old = await log.append('acme', actions('s1', 1));
  // Lost data within the same second: the new epoch must still differ.
  await redis.client.del(`${redis.prefix}{acme}:log`, `${redis.prefix}{acme}:meta`, `${redis.prefix}{acme}:idx:s1`);
  const fresh = await log.append('acme', actions('s1', 1));
  assert.notEqual(fresh.id, old.id);
  assert.equal(fresh.id, '1700000001-1');
  assert.deepEqual((await log.readAfter('acme', old.id)).gap, { reason: 'epoch_mismatch', resumedFrom: fresh.id });
  // Another instance that never saw the old epoch also answers with a gap.
  const other = new RedisEventLog({ redis: redis.url, prefix: redis.prefix, clock });
  t.after(() => other.close());
  assert.equal((await other.readAfter('acme', old.id)).gap?.reason, 'epoch_mismatch');
});

test('no epoch yet (nothing logged, or the data lost) answers an id with epoch_mismatch and nothing to replay', async (t) => {
  const redis = await redisForTests(t);
  if (!redis) return;
  const log = new RedisEventLog({ redis: redis.client, prefix: redis.prefix });
  assert.deepEqual(await log.readAfter('acme', '1700000000-5'), { gap: { reason: 'epoch_mismatch', resumedFrom: null }, entries: [] });
  assert.deepEqual(await log.readAfter('acme', 'junk'), { gap: { reason: 'unknown_id', resumedFrom: null }, entries: [] });
});

test('a record of an unknown schema version is refused with a code', async (t) => {
  const redis = await redisForTests(t);
  if (!redis) return;
  const log = new RedisEventLog({ redis: redis.client, prefix: redis.prefix });
  const entry = await log.append('acme', actions('s1', 1));
  const epoch = await log.epochOf('acme');
  await redis.client.xadd(`${redis.prefix}{acme}:log`, `${epoch}-9`, 'v', '2', 'p', '{}');
  await assert.rejects(log.readAfter('acme', entry.id), { code: 'SL_EVENT_LOG_RECORD_UNSUPPORTED' });
});

test('invalid options are rejected with a code', () => {
  assert.throws(() => new RedisEventLog({ redis: 'redis://127.0.0.1:1', maxEntries: 0 }), { code: 'SL_CONFIG_INVALID' });
  assert.throws(() => new RedisEventLog({ redis: 'redis://127.0.0.1:1', prefix: 'a{b}:' }), { code: 'SL_CONFIG_INVALID' });
});

test('an append is one Redis command (one round trip): id, session indexes, write and retention in one script', async (t) => {
  const redis = await redisForTests(t);
  if (!redis) return;
  const log = new RedisEventLog({ redis: redis.url, prefix: redis.prefix, maxEntries: 5 });
  t.after(() => log.close());
  await log.append('acme', actions('s1', 2));
  const sent = recordCommands(log.redis);
  for (let round = 0; round < 10; round++) await log.append('acme', actions('s1', 2));
  assert.deepEqual(sent, Array.from({ length: 10 }, () => 'evalsha'));
});

test('appends issued before the previous one resolved take effect in call order (the pipeline does not wait)', async (t) => {
  const redis = await redisForTests(t);
  if (!redis) return;
  const log = new RedisEventLog({ redis: redis.url, prefix: redis.prefix });
  await log.connect();
  t.after(() => log.close());
  const payloads = Array.from({ length: 50 }, (_, round) => {
    const payload = actions('s1', 2);
    payload.actions.forEach((action, position) => (action.title = `round ${round} step ${position}`));
    return payload;
  });
  const entries = await Promise.all(payloads.map((payload) => log.append('acme', payload)));
  const seqs = entries.map((entry) => entry.seq);
  assert.deepEqual(seqs, [...seqs].sort((a, b) => a - b));
  const epoch = await log.epochOf('acme');
  const { entries: stored } = await log.readAfter('acme', `${epoch}-0`);
  const titles = stored.flatMap((entry) => (entry.payload as ActionsPayload).actions.map((action) => `${action.index} ${action.title}`));
  assert.deepEqual(titles, payloads.flatMap((payload, round) => payload.actions.map((action, position) => `${round * 2 + position} ${action.title}`)));
});
