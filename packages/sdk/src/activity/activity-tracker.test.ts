import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createActionsPayload, isSightlineError, type ActionsPayload, type SlimAction } from '@sightline/protocol';
import { FakeClock } from '../testing/fake-clock.ts';
import { ActivityTracker } from './activity-tracker.ts';
import { MemoryActivityBackend } from './memory-activity-backend.ts';
import { TabBuilder } from './__fixtures__/action-builder.ts';

function payload(actions: SlimAction[], sessionId = 's1'): ActionsPayload {
  const base = createActionsPayload({ product_id: 'acme', session_id: sessionId, user_id: 'u1', email: 'ada@example.com', forwarded_at: 1_700_000_000 });
  return { ...base, actions, count: actions.length };
}

describe('ActivityTracker', () => {
  it('keeps two tabs of one session apart and lists them, the one acted in last first', async () => {
    const tracker = new ActivityTracker();
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

  it('a stream without window ids keeps one state per session', async () => {
    const tracker = new ActivityTracker();
    const tab = new TabBuilder({ windowId: null });
    await tracker.apply(payload([tab.navigate('Leads', '/leads'), tab.click('Assign')]));
    const state = await tracker.get({ productId: 'acme', sessionId: 's1', windowId: null });
    assert.equal(state?.actionCount, 2);
    assert.equal(state?.userId, 'u1');
    assert.equal(state?.email, 'ada@example.com');
  });

  it('applies later payloads on top, ignoring replayed actions', async () => {
    const tracker = new ActivityTracker();
    const tab = new TabBuilder();
    const first = payload([tab.navigate('Leads', '/leads'), tab.click('Assign')]);
    await tracker.apply(first);
    await tracker.apply(first);
    const [state] = await tracker.apply(payload([tab.choose('Dana', { kind: 'dialog', label: 'Assign owner' })]));
    assert.equal(state?.actionCount, 3);
    assert.equal(state?.open?.openedBy, 'Assign');
  });

  it('overlapping calls for one tab are applied in call order', async () => {
    const tracker = new ActivityTracker();
    const tab = new TabBuilder();
    const payloads = [payload([tab.navigate('Leads', '/leads')]), payload([tab.click('Assign')]), payload([tab.choose('Dana', { kind: 'dialog', label: 'Assign owner' })])];
    await Promise.all(payloads.map((each) => tracker.apply(each)));
    const state = await tracker.get({ productId: 'acme', sessionId: 's1', windowId: 'w1' });
    assert.equal(state?.actionCount, 3);
    assert.equal(state?.open?.openedBy, 'Assign');
  });

  it('reset forgets every tab of a session and only that session', async () => {
    const tracker = new ActivityTracker();
    await tracker.apply(payload([new TabBuilder({ windowId: 'a' }).navigate('Leads', '/leads'), new TabBuilder({ windowId: 'b', startIndex: 1 }).navigate('Deals', '/deals')]));
    await tracker.apply(payload([new TabBuilder().navigate('Leads', '/leads')], 's2'));
    await tracker.reset('acme', 's1');
    assert.deepEqual(await tracker.tabsOf('acme', 's1'), []);
    assert.equal((await tracker.tabsOf('acme', 's2')).length, 1);
    assert.equal(await tracker.size(), 1);
  });

  it('tabs idle longer than the lookback (tracker clock) read as gone', async () => {
    const clock = new FakeClock();
    const tracker = new ActivityTracker({ clock, lookbackSeconds: 60 });
    const key = { productId: 'acme', sessionId: 's1', windowId: 'w1' };
    await tracker.apply(payload([new TabBuilder().navigate('Leads', '/leads')]));
    await clock.advance(60_000);
    assert.notEqual(await tracker.get(key), null);
    await clock.advance(1);
    assert.equal(await tracker.get(key), null);
    assert.deepEqual(await tracker.tabsOf('acme', 's1'), []);
    assert.equal(await tracker.size(), 0);
  });

  it('the memory backend keeps at most maxTabs, evicting the least recently written', async () => {
    const tracker = new ActivityTracker({ backend: new MemoryActivityBackend({ maxTabs: 2 }) });
    for (const window of ['a', 'b', 'c']) await tracker.apply(payload([new TabBuilder({ windowId: window }).navigate('Leads', '/leads')]));
    assert.equal(await tracker.size(), 2);
    assert.deepEqual((await tracker.tabsOf('acme', 's1')).map((state) => state.key.windowId).sort(), ['b', 'c']);
    assert.equal(await tracker.get({ productId: 'acme', sessionId: 's1', windowId: 'a' }), null);
  });

  it('a payload that belongs to no session changes nothing', async () => {
    const tracker = new ActivityTracker();
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
