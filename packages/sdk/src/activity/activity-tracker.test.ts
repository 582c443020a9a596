import { describe, it, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { createActionsPayload, isSightlineError, type ActionsPayload, type SlimAction } from '@sightline/protocol';
import { FakeClock } from '@sightline/protocol/testing';
import { RedisActivityBackend } from '../redis/redis-activity-backend.ts';
import { scanKeys } from '../redis/redis-connection.ts';
import { redisForTests } from '../testing/redis-for-tests.ts';
import { ActivityTracker, type ActivityTrackerOptions } from './activity-tracker.ts';
import { MemoryActivityBackend } from './memory-activity-backend.ts';
import { TabBuilder } from './__fixtures__/action-builder.ts';

function payload(actions: SlimAction[], sessionId = 's1'): ActionsPayload {
  const base = createActionsPayload({ product_id: 'acme', session_id: sessionId, user_id: 'u1', email: 'ada@example.com', forwarded_at: 1_700_000_000 });
  return { ...base, actions, count: actions.length };
}

for (const implementation of ['memory', 'redis'] as const) {
  const memoryOnly = implementation === 'memory' ? it : it.skip;

  /** A tracker on the backend under test; without a Redis the test is marked skipped and runs on memory. */
  async function trackerFor(t: TestContext, options: ActivityTrackerOptions = {}): Promise<ActivityTracker> {
    const redis = implementation === 'redis' ? await redisForTests(t) : null;
    if (!redis) return new ActivityTracker(options);
    return new ActivityTracker({ ...options, backend: new RedisActivityBackend({ client: redis.client, prefix: redis.prefix }) });
  }

  describe(`ActivityTracker (${implementation})`, () => {
    it('keeps two tabs of one session apart and lists them, the one acted in last first', async (t) => {
      const tracker = await trackerFor(t);
      const billing = new TabBuilder({ windowId: 'w-billing' });
      const team = new TabBuilder({ windowId: 'w-team', startIndex: 2, startAt: 1_700_000_001 });
      const mixed = [billing.navigate('Billing', '/billing'), billing.click('Upgrade plan'), team.navigate('Team', '/team'), team.click('Invite member')];
      billing.skipTo(4).wait(10);
      mixed.push(billing.choose('Business', { kind: 'dialog', label: null }));
      const states = await tracker.apply(payload(mixed));
      assert.deepEqual(states.map((state) => state.key.windowId), ['w-billing', 'w-team']);

      const tabs = await tracker.tabsOf('acme', 's1');
      assert.deepEqual(tabs.map((state) => [state.key.windowId, state.page?.title]), [['w-billing', 'Billing'], ['w-team', 'Team']]);
      assert.deepEqual(tabs[0]?.open?.choices, ['Business']);
      assert.equal(tabs[0]?.open?.openedBy, 'Upgrade plan');
      assert.equal(tabs[1]?.open, null);
      assert.equal(tabs[1]?.lastAction?.label, 'Invite member');
      assert.equal(await tracker.size(), 2);
    });

    it('a stream without window ids keeps one state per session', async (t) => {
      const tracker = await trackerFor(t);
      const tab = new TabBuilder({ windowId: null });
      await tracker.apply(payload([tab.navigate('Leads', '/leads'), tab.click('Assign')]));
      const state = await tracker.get({ productId: 'acme', sessionId: 's1', windowId: null });
      assert.equal(state?.actionCount, 2);
      assert.equal(state?.userId, 'u1');
      assert.equal(state?.email, 'ada@example.com');
    });

    it('applies later payloads on top, ignoring replayed actions', async (t) => {
      const tracker = await trackerFor(t);
      const tab = new TabBuilder();
      const first = payload([tab.navigate('Leads', '/leads'), tab.click('Assign')]);
      await tracker.apply(first);
      await tracker.apply(first);
      const [state] = await tracker.apply(payload([tab.choose('Dana', { kind: 'dialog', label: 'Assign owner' })]));
      assert.equal(state?.actionCount, 3);
      assert.equal(state?.open?.openedBy, 'Assign');
    });

    it('overlapping calls for one tab are applied in call order', async (t) => {
      const tracker = await trackerFor(t);
      const tab = new TabBuilder();
      const payloads = [payload([tab.navigate('Leads', '/leads')]), payload([tab.click('Assign')]), payload([tab.choose('Dana', { kind: 'dialog', label: 'Assign owner' })])];
      await Promise.all(payloads.map((each) => tracker.apply(each)));
      const state = await tracker.get({ productId: 'acme', sessionId: 's1', windowId: 'w1' });
      assert.equal(state?.actionCount, 3);
      assert.equal(state?.open?.openedBy, 'Assign');
    });

    it('reset forgets every tab of a session and only that session', async (t) => {
      const tracker = await trackerFor(t);
      await tracker.apply(payload([new TabBuilder({ windowId: 'a' }).navigate('Leads', '/leads'), new TabBuilder({ windowId: 'b', startIndex: 1 }).navigate('Deals', '/deals')]));
      await tracker.apply(payload([new TabBuilder().navigate('Leads', '/leads')], 's2'));
      await tracker.reset('acme', 's1');
      assert.deepEqual(await tracker.tabsOf('acme', 's1'), []);
      assert.equal((await tracker.tabsOf('acme', 's2')).length, 1);
      assert.equal(await tracker.size(), 1);
    });

    it('tabs idle longer than the lookback (tracker clock) read as gone', async (t) => {
      const clock = new FakeClock();
      const tracker = await trackerFor(t, { clock, lookbackSeconds: 60 });
      const key = { productId: 'acme', sessionId: 's1', windowId: 'w1' };
      await tracker.apply(payload([new TabBuilder().navigate('Leads', '/leads')]));
      await clock.advance(60_000);
      assert.notEqual(await tracker.get(key), null);
      await clock.advance(1);
      assert.equal(await tracker.get(key), null);
      assert.deepEqual(await tracker.tabsOf('acme', 's1'), []);
      assert.equal(await tracker.size(), 0);
    });

    memoryOnly('the memory backend keeps at most maxTabs, evicting the least recently written', async () => {
      const tracker = new ActivityTracker({ backend: new MemoryActivityBackend({ maxTabs: 2 }) });
      for (const window of ['a', 'b', 'c']) await tracker.apply(payload([new TabBuilder({ windowId: window }).navigate('Leads', '/leads')]));
      assert.equal(await tracker.size(), 2);
      assert.deepEqual((await tracker.tabsOf('acme', 's1')).map((state) => state.key.windowId).sort(), ['b', 'c']);
      assert.equal(await tracker.get({ productId: 'acme', sessionId: 's1', windowId: 'a' }), null);
    });

    it('a payload that belongs to no session changes nothing', async (t) => {
      const tracker = await trackerFor(t);
      const orphan = { ...payload([]), session_id: null, user_id: null, actions: [{ ...new TabBuilder().navigate('Leads', '/leads'), session_id: null, user_id: null }] };
      assert.deepEqual(await tracker.apply(orphan), []);
      assert.equal(await tracker.size(), 0);
    });

    it('rejects out-of-range options with SL_CONFIG_INVALID', () => {
      const isConfigError = (error: unknown) => isSightlineError(error) && error.code === 'SL_CONFIG_INVALID';
      assert.throws(() => new ActivityTracker({ lookbackSeconds: 0 }), isConfigError);
      assert.throws(() => new ActivityTracker({ reduce: { maxRecentSteps: 0 } }), isConfigError);
      assert.throws(() => new ActivityTracker({ reduce: { ledToWithin: -1 } }), isConfigError);
      assert.throws(() => new MemoryActivityBackend({ maxTabs: 0 }), isConfigError);
    });
  });
}

describe('RedisActivityBackend', () => {
  it('two trackers on one Redis share tab states; every key has a TTL of the lookback', async (t) => {
    const redis = await redisForTests(t);
    if (!redis) return;
    const connection = { client: redis.client, prefix: redis.prefix, lookbackSeconds: 120 };
    const first = new ActivityTracker({ backend: new RedisActivityBackend(connection) });
    const second = new ActivityTracker({ backend: new RedisActivityBackend(connection) });
    const tab = new TabBuilder({ windowId: 'w:1' });
    await first.apply(payload([tab.navigate('Leads', '/leads')]));
    assert.equal((await second.tabsOf('acme', 's1'))[0]?.page?.title, 'Leads');
    const keys = await scanKeys(redis.client, `${redis.prefix}*`);
    assert.deepEqual(keys.sort(), [`${redis.prefix}{acme}:tab:s1:w%3A1`, `${redis.prefix}{acme}:tabs:s1`]);
    for (const key of keys) {
      const ttl = await redis.client.pttl(key);
      assert.ok(ttl > 0 && ttl <= 120_000, `${key} expires within the lookback`);
    }
  });

  it('the same payloads applied by two trackers give the steps once and never move a tab back', async (t) => {
    const redis = await redisForTests(t);
    if (!redis) return;
    const connection = { client: redis.client, prefix: redis.prefix };
    const trackers = [new ActivityTracker({ backend: new RedisActivityBackend(connection) }), new ActivityTracker({ backend: new RedisActivityBackend(connection) })];
    const tab = new TabBuilder();
    const payloads = [payload([tab.navigate('Leads', '/leads')]), payload([tab.click('Assign')]), payload([tab.choose('Dana', { kind: 'dialog', label: 'Assign owner' })])];
    await Promise.all(trackers.map(async (tracker) => {
      for (const each of payloads) await tracker.apply(each);
    }));
    const state = await trackers[0]!.get({ productId: 'acme', sessionId: 's1', windowId: 'w1' });
    assert.equal(state?.actionCount, 3);
    assert.equal(state?.lastIndex, 2);
  });
});
