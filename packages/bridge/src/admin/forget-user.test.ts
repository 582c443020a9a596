import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pino } from 'pino';
import { createActionsPayload } from '@sightline/protocol';
import { FakeClock } from '@sightline/sdk/testing';
import { BRIDGE_DEFAULTS } from '../config/bridge-config.ts';
import { MemoryConversationHistory } from '../conversation/conversation-history.ts';
import { MemorySenderDirectory } from '../identity/sender-directory.ts';
import { createBridgePipeline } from '../pipeline/bridge-pipeline.ts';
import { forgetUser } from './forget-user.ts';

function setup() {
  const clock = new FakeClock({ now: 1_700_000_000_000 });
  const pipeline = createBridgePipeline({
    config: { ...BRIDGE_DEFAULTS, streamUrl: 'http://127.0.0.1:9/stream/acme', streamKey: 'k' },
    clock,
    logger: pino({ level: 'silent' }),
    summaryLlm: async () => 'The user opened billing.',
  });
  return { clock, pipeline, history: new MemoryConversationHistory(), senders: new MemorySenderDirectory() };
}

function batch(sessionId: string, userId: string, windowId: string, at: number) {
  return createActionsPayload({
    product_id: 'acme',
    session_id: sessionId,
    user_id: userId,
    email: `${userId}@example.com`,
    forwarded_at: at,
    actions: [{ type: 'click', title: "Clicked 'Billing'", description: 'User clicked Billing', canonical_url: '/billing', timestamp_start: at, window_id: windowId }],
  });
}

test('forgetUser empties every store of the user, reports the counts, and leaves other users alone', async () => {
  const { clock, pipeline, history, senders } = setup();
  const at = clock.now() / 1000;
  await pipeline.ingest(batch('s1', 'ann', 'w1', at));
  await pipeline.ingest(batch('s1', 'ann', 'w2', at));
  await pipeline.ingest(batch('s2', 'ann', 'w1', at));
  await pipeline.ingest(batch('s3', 'bob', 'w1', at));
  await history.append('user:ann', { role: 'user', content: 'hi, I am Ann' });
  await history.assign('user:ann', 'ann');
  await history.append('custom-thread', { role: 'user', content: 'billing?' });
  await history.assign('custom-thread', 'ann');
  await history.append('rasa-sender-1', { role: 'user', content: 'from Rasa' });
  await history.append('user:bob', { role: 'user', content: 'hi, I am Bob' });
  await history.assign('user:bob', 'bob');
  await senders.learnRasaSender('ann', 'rasa-sender-1', clock.now());
  await pipeline.watermarks.setLastInboundAt('custom-thread', at);
  await pipeline.watermarks.setLastInboundAt('user:bob', at);
  let unbound = '';
  const socket = { forgetUser: async (userId: string) => ((unbound = userId), 2) };

  const forgottenInMap: string[] = [];
  const uiMap = { forgetUser: async (userId: string) => (forgottenInMap.push(userId), 7) };

  const report = await forgetUser({ pipeline, history, senders, socket, uiMap }, 'ann');
  assert.deepEqual(report, {
    user_id: 'ann',
    removed: { sessions: 2, tabs: 3, session_states: 2, session_products: 2, conversations: 3, watermarks: 1, senders: 1, socket_bindings: 2, ui_map_entries: 7 },
  });
  assert.equal(unbound, 'ann');
  assert.deepEqual(forgottenInMap, ['ann']);
  const activity = await pipeline.activity.forUser('ann', { sessions: 3 });
  assert.deepEqual([activity.email, activity.sessions.length, activity.tabs.length], [null, 0, 0]);
  assert.deepEqual(await history.get('custom-thread'), []);
  assert.equal(await pipeline.watermarks.getPreviousInboundAt('custom-thread'), null);
  assert.equal(await senders.get('ann'), undefined);
  // Bob keeps everything.
  assert.equal((await pipeline.activity.forUser('bob', { sessions: 3 })).sessions.length, 1);
  assert.equal((await history.get('user:bob')).length, 1);
  assert.equal(await pipeline.watermarks.getPreviousInboundAt('user:bob'), at);
  // A second call finds nothing left.
  const again = await forgetUser({ pipeline, history, senders }, 'ann');
  assert.ok(Object.values(again.removed).every((count) => count === 0), JSON.stringify(again));
});
