/** Forgetting a user across the SDK's stores: the context store (with its index and summarizer), the activity tracker and the chat watermarks. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createActionsPayload, createSummaryPayload, type ActionsPayload, type SlimAction } from '@sightline/protocol';
import { ActivityTracker } from '../activity/activity-tracker.ts';
import { TabBuilder } from '../activity/__fixtures__/action-builder.ts';
import { MemoryChatWatermarkStore } from '../prompt/watermark-store.ts';
import { SessionSummarizer } from '../summarizer/session-summarizer.ts';
import { FakeClock } from '@sightline/protocol/testing';
import { FakeLlm } from '../testing/fake-llm.ts';
import { UserSessionIndex } from '../user-index/user-session-index.ts';
import { ContextStore } from './context-store.ts';

function batch(sessionId: string, userId: string | null, indexes: number[] = [0]): ActionsPayload {
  return createActionsPayload({
    product_id: 'acme',
    session_id: sessionId,
    user_id: userId,
    email: userId === null ? null : `${userId}@example.com`,
    forwarded_at: 1_700_000_000,
    actions: indexes.map((index) => ({ index, type: 'click', description: `Did ${index}`, canonical_url: `/p/${index}`, user_id: userId })),
  });
}

describe('ContextStore.forgetUser', () => {
  it('removes the user\'s sessions, stories and index entry, and leaves other users\' alone', async () => {
    const clock = new FakeClock();
    const summarizer = new SessionSummarizer({ llm: new FakeLlm().fn, threshold: 100, clock });
    const store = new ContextStore({ clock, summarizer });
    await store.add(batch('s1', 'ann'));
    await store.add(createSummaryPayload({ product_id: 'acme', session_id: 's1', summary: 'Ann opened billing.', replaces: 1, forwarded_at: 1 }));
    await store.add(batch('s2', 'ann'));
    await store.add(batch('s3', 'bob'));
    assert.equal(summarizer.pendingCount({ productId: 'acme', sessionId: 's2' }), 1);
    const result = await store.forgetUser('ann');
    assert.deepEqual(result.sessions.map((key) => key.sessionId).sort(), ['s1', 's2']);
    assert.equal(result.removed, 2);
    assert.equal(await store.get({ productId: 'acme', sessionId: 's1' }), '');
    assert.equal(summarizer.pendingCount({ productId: 'acme', sessionId: 's2' }), 0);
    assert.deepEqual(await store.userIndex.getRecentSessions('ann'), []);
    assert.equal(await store.userIndex.getEmail('ann'), null);
    assert.equal((await store.forUser('bob')).sessions.length, 1);
  });

  it('finds sessions the index no longer lists (past the lookback) by the user ids in their batches', async () => {
    const clock = new FakeClock();
    const store = new ContextStore({ clock, lookbackSeconds: 60 });
    await store.add(batch('s1', 'ann'));
    await store.add(createSummaryPayload({ product_id: 'acme', session_id: 's1', summary: 'Ann opened billing.', replaces: 1, forwarded_at: 1 }));
    clock.set(clock.now() + 3_600_000);
    assert.deepEqual(await store.userIndex.getRecentSessions('ann'), []);
    assert.equal((await store.activeSessions()).length, 1);
    const result = await store.forgetUser('ann');
    assert.deepEqual([result.sessions, result.removed], [[{ productId: 'acme', sessionId: 's1' }], 1]);
    assert.deepEqual(await store.activeSessions(), []);
  });
});

describe('UserSessionIndex.forgetUser', () => {
  it('returns every session held for the user, expired ones included, in every product', async () => {
    const clock = new FakeClock();
    const index = new UserSessionIndex({ lookbackSeconds: 60, clock });
    await index.add(batch('s1', 'ann'));
    clock.set(clock.now() + 120_000);
    await index.add({ ...batch('s2', 'ann'), product_id: 'other' });
    assert.deepEqual((await index.forgetUser('ann')).map((ref) => `${ref.productId}/${ref.sessionId}`).sort(), ['acme/s1', 'other/s2']);
    assert.equal(index.size, 0);
    assert.deepEqual(await index.forgetUser('ann'), []);
  });
});

describe('ActivityTracker.forgetUser', () => {
  it('removes the tabs of the given sessions and any other tab that names the user', async () => {
    const tracker = new ActivityTracker();
    const withUser = (actions: SlimAction[], sessionId: string, userId: string | null): ActionsPayload => ({
      ...batch(sessionId, userId, []),
      actions: actions.map((action) => ({ ...action, user_id: userId })),
      count: actions.length,
    });
    const ann = new TabBuilder({ windowId: 'w1' });
    const annOther = new TabBuilder({ windowId: 'w2' });
    const anonymous = new TabBuilder({ windowId: 'w3' });
    const bob = new TabBuilder({ windowId: 'w4' });
    await tracker.apply(withUser([ann.navigate('Billing', '/billing')], 's1', 'ann'));
    await tracker.apply(withUser([anonymous.navigate('Home', '/')], 's1', null));
    await tracker.apply(withUser([annOther.navigate('Team', '/team')], 's9', 'ann'));
    await tracker.apply(withUser([bob.navigate('Team', '/team')], 's2', 'bob'));
    assert.equal(await tracker.forgetUser('ann', [{ productId: 'acme', sessionId: 's1' }]), 3);
    assert.equal(await tracker.size(), 1);
    assert.equal((await tracker.tabsOf('acme', 's2')).length, 1);
  });
});

describe('MemoryChatWatermarkStore.delete', () => {
  it('forgets one conversation\'s watermark and says whether it had one', async () => {
    const watermarks = new MemoryChatWatermarkStore();
    await watermarks.setLastInboundAt({ productId: 'acme', conversationId: 'c1' }, 10);
    await watermarks.setLastInboundAt({ productId: 'acme', conversationId: 'c2' }, 20);
    assert.equal(await watermarks.delete({ productId: 'acme', conversationId: 'c1' }), true);
    assert.equal(await watermarks.delete({ productId: 'acme', conversationId: 'c1' }), false);
    assert.equal(await watermarks.getPreviousInboundAt({ productId: 'acme', conversationId: 'c1' }), null);
    assert.equal(await watermarks.getPreviousInboundAt({ productId: 'acme', conversationId: 'c2' }), 20);
  });
});
