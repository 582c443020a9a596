import { describe, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import type { ActionContainer } from '@sightline/protocol';
import { redisForTests, type FakeClock } from '@sightline/sdk/testing';
import { bridgeRedis } from '../../redis/bridge-redis.ts';
import type { JourneyStep } from './journey-payload.ts';
import { mapFixture, type MapFixture } from './__fixtures__/ui-map-fixture.ts';
import { RedisUiMapStore } from './redis-ui-map-store.ts';
import { hashId, type UiMapStoreLimits } from './ui-map-store.ts';
import { createUiMapSource } from './ui-map-source.ts';

const DAY_MS = 24 * 3600 * 1000;
const TRANSFER: ActionContainer = { kind: 'dialog', label: 'New transfer' };
const SEND_TRANSFER: JourneyStep[] = [
  { go: 'Accounts', path: '/accounts' },
  { click: 'Payments', role: 'link' },
  { go: 'Payments', path: '/payments' },
  { open: 'New transfer' },
  { type: 'Amount', container: TRANSFER },
  { click: 'Send transfer', container: TRANSFER },
  { click: 'History', role: 'tab' },
];

/** A map of product `bank` on the test's Redis; null when no Redis answers (the test is skipped). */
async function redisMap(t: TestContext, options: { limits?: Partial<UiMapStoreLimits>; minUsers?: number } = {}): Promise<(MapFixture & { prefix: string }) | null> {
  const redis = await redisForTests(t);
  if (!redis) return null;
  const fixture = mapFixture({
    productId: 'bank',
    ...(options.minUsers ? { minUsers: options.minUsers } : {}),
    store: (clock) => new RedisUiMapStore({ redis: bridgeRedis(redis.client, redis.prefix, 'bank'), clock, ...(options.limits ? { limits: options.limits } : {}) }),
  });
  return { ...fixture, prefix: redis.prefix };
}

describe('RedisUiMapStore', () => {
  test('builds the same map as memory: flows past the threshold, with their steps and user counts', async (t) => {
    const fixture = await redisMap(t);
    if (!fixture) return;
    await fixture.walk('u1', SEND_TRANSFER);
    await fixture.walk('u2', SEND_TRANSFER);
    assert.deepEqual((await fixture.map.known('bank')).flows, []);
    await fixture.walk('u3', SEND_TRANSFER);
    const known = await fixture.map.known('bank');
    assert.equal(known.flows.length, 1);
    assert.equal(known.flows[0]!.users, 3);
    assert.deepEqual(
      known.flows[0]!.steps.map((step) => `${step.kind} ${step.label}`),
      ['open New transfer', 'submit Send transfer'],
    );
    assert.ok(known.transitions.some((transition) => transition.label === 'Payments' && transition.toPage === '/payments'));
    const { paths = [] } = await createUiMapSource(fixture.map).find({ productId: 'bank', query: '¿Cómo hago una transferencia?', language: 'es', page: '/accounts', pageTitle: null });
    assert.deepEqual(paths[0]!.steps.map((step) => step.label), ['Payments', 'New transfer', 'Send transfer']);
  });

  test("keys carry the product's hash tag and the prefix, users are stored hashed, and every key expires", async (t) => {
    const redis = await redisForTests(t);
    if (!redis) return;
    const fixture = mapFixture({ productId: 'bank', store: (clock) => new RedisUiMapStore({ redis: bridgeRedis(redis.client, redis.prefix, 'bank'), clock }) });
    await fixture.walk('alice@example.com', SEND_TRANSFER);
    const keys = await redis.client.keys(`${redis.prefix}*`);
    assert.ok(keys.length > 5);
    for (const key of keys) {
      if (key === `${redis.prefix}uimap:products`) continue;
      assert.ok(key.startsWith(`${redis.prefix}{bank}:uimap:`), key);
      const ttl = await redis.client.pttl(key);
      assert.ok(ttl > 29 * DAY_MS && ttl <= 30 * DAY_MS, `${key} ${ttl}`);
    }
    const dump = (await Promise.all(keys.map((key) => redis.client.type(key).then((type) => (type === 'zset' ? redis.client.zrange(key, 0, -1) : [])))))
      .flat()
      .join(' ');
    assert.ok(!dump.includes('alice') && !keys.join(' ').includes('alice'));
    assert.ok(dump.includes(hashId('user', 'alice@example.com')));
  });

  test('the tenant rule, the per-address cap and the per-user cap hold on Redis', async (t) => {
    const fixture = await redisMap(t, { limits: { maxEntriesPerUser: 20 } });
    if (!fixture) return;
    for (const user of ['a1', 'a2', 'a3']) await fixture.walk(user, SEND_TRANSFER.slice(2), { organisation: 'org-a' });
    assert.deepEqual((await fixture.map.known('bank')).flows, []);
    await fixture.walk('b1', SEND_TRANSFER.slice(2), { organisation: 'org-b' });
    assert.equal((await fixture.map.known('bank')).flows.length, 1);

    const results = [];
    for (let forged = 0; forged < 6; forged++) results.push(await fixture.walk(`forged-${forged}`, [{ go: 'Cards', path: '/cards' }, { click: 'Freeze' }], { address: '203.0.113.9' }));
    assert.deepEqual(
      results.map((result) => result.accepted > 0),
      [true, true, false, false, false, false],
    );
    const flood = await fixture.walk('flooder', [{ go: 'Junk', path: '/junk' }, ...'abcdefghijklmnopqrstuvwxyz'.split('').map((letter) => ({ click: `Junk ${letter}` }))]);
    assert.equal(flood.accepted, 20);
    assert.ok(flood.refused > 0);
  });

  test('decay by the injected clock, and forgetting a user on Redis', async (t) => {
    const fixture = await redisMap(t, { limits: { windowMs: 10 * DAY_MS } });
    if (!fixture) return;
    for (const user of ['u1', 'u2', 'u3', 'u4']) await fixture.walk(user, SEND_TRANSFER);
    assert.equal((await fixture.map.known('bank')).flows[0]?.users, 4);
    assert.ok((await fixture.map.forgetUser('u4')) >= 4);
    assert.equal((await fixture.map.known('bank')).flows[0]?.users, 3);
    await fixture.map.forgetUser('u3');
    assert.deepEqual((await fixture.map.known('bank')).flows, []);
    await fixture.walk('u3', SEND_TRANSFER);
    assert.equal((await fixture.map.known('bank')).flows[0]?.users, 3);
    await fixture.clock.advance(11 * DAY_MS);
    const aged = await fixture.map.known('bank');
    assert.deepEqual([aged.pages, aged.labels, aged.flows], [[], [], []]);
  });

  test('verified users are shared: with verification on, a user verified by any bridge counts', async (t) => {
    const redis = await redisForTests(t);
    if (!redis) return;
    const store = (clock: FakeClock) => new RedisUiMapStore({ redis: bridgeRedis(redis.client, redis.prefix, 'bank'), clock });
    const fixture = mapFixture({ productId: 'bank', requireVerified: true, store });
    for (const user of ['u1', 'u2', 'u3']) await fixture.walk(user, SEND_TRANSFER);
    assert.deepEqual((await fixture.map.known('bank')).flows, []);
    const other = mapFixture({ productId: 'bank', requireVerified: true, store });
    for (const user of ['u1', 'u2', 'u3']) await other.map.markVerified('bank', user);
    assert.equal((await fixture.map.known('bank')).flows.length, 1);
  });

  test('past maxEntries the least recently seen entries go, with their users', async (t) => {
    const fixture = await redisMap(t, { limits: { maxEntries: 5 }, minUsers: 1 });
    if (!fixture) return;
    await fixture.walk('u1', [{ go: 'One', path: '/one' }, { click: 'Old a' }, { click: 'Old b' }]);
    await fixture.clock.advance(1000);
    await fixture.walk('u2', [{ go: 'Two', path: '/two' }, { click: 'New a' }, { click: 'New b' }, { click: 'New c' }]);
    const known = await fixture.map.known('bank');
    const labels = known.labels.map((label) => label.label);
    assert.ok(labels.includes('New c') && !labels.includes('Old a'), labels.join(','));
  });
});
