import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pino } from 'pino';
import { createActionsPayload, createSummaryPayload } from '@sightline/protocol';
import { FakeClock } from '@sightline/sdk/testing';
import { BRIDGE_DEFAULTS } from '../config/bridge-config.ts';
import { createBridgePipeline } from './bridge-pipeline.ts';

function setup(overrides: { summaryThreshold?: number } = {}) {
  const clock = new FakeClock({ now: 1_700_000_000_000 });
  const summaries: string[] = [];
  const pipeline = createBridgePipeline({
    config: { ...BRIDGE_DEFAULTS, streamUrl: 'http://127.0.0.1:9/stream/acme', streamKey: 'k', ...overrides },
    clock,
    logger: pino({ level: 'silent' }),
    summaryLlm: async (prompt) => {
      summaries.push(prompt);
      return 'The user invited a teammate.';
    },
  });
  return { pipeline, clock, summaries };
}

function batch(sessionId: string, titles: string[], clock: FakeClock, userId: string | null = 'u-1') {
  const at = clock.now() / 1000;
  return createActionsPayload({
    product_id: 'acme',
    session_id: sessionId,
    user_id: userId,
    email: 'grace.hopper@example.com',
    forwarded_at: at,
    actions: titles.map((title) => ({ type: 'click', title, description: `User clicked ${title}`, canonical_url: 'https://app.example.com/team', timestamp_start: at })),
  });
}

test('payloads reach the store, the user index and the state table', async () => {
  const { pipeline, clock } = setup();
  await pipeline.ingest(batch('s1', ['A', 'B'], clock));
  const activity = await pipeline.activity.forUser('u-1', { sessions: 3 });
  assert.equal(activity.email, 'grace.hopper@example.com');
  assert.deepEqual(
    activity.sessions.map((session) => [session.productId, session.sessionId, session.actions.map((action) => action.title)]),
    [['acme', 's1', ['A', 'B']]],
  );
  assert.equal(pipeline.usersTracked(), 1);
  assert.equal(pipeline.sessionsTracked(), 1);
  assert.equal((await pipeline.states.get({ productId: 'acme', sessionId: 's1' }))?.state, 'thinking');
});

test('activity since a watermark counts by local receipt time', async () => {
  const { pipeline, clock } = setup();
  await pipeline.ingest(batch('s1', ['Before'], clock));
  await clock.advance(10_000);
  const cutoff = clock.now() / 1000;
  await clock.advance(1_000);
  await pipeline.ingest(batch('s1', ['After'], clock));
  const activity = await pipeline.activity.forUser('u-1', { sessions: 3 });
  const since = await pipeline.activity.activitySince(activity, cutoff);
  assert.deepEqual(
    since.map((action) => action.title),
    ['After'],
  );
});

test('a session named directly is found without the user index when no one else is named in it, and its summary is kept', async () => {
  const { pipeline, clock } = setup();
  await pipeline.ingest(batch('s9', ['Export'], clock, null));
  await pipeline.ingest(createSummaryPayload({ product_id: 'acme', session_id: 's9', summary: 'Exported a report.', replaces: 0, forwarded_at: clock.now() / 1000 }));
  const activity = await pipeline.activity.forSession('u-1', 's9');
  assert.equal(activity.sessions.length, 1);
  assert.equal(activity.sessions[0]!.summary, 'Exported a report.');
  assert.deepEqual((await pipeline.activity.forSession('u-1', 'unknown')).sessions, []);
});

test("another user's session id reads nothing of theirs", async () => {
  const { pipeline, clock } = setup();
  await pipeline.ingest(batch('s8', ['Export payroll'], clock, 'someone-else'));
  const activity = await pipeline.activity.forSession('u-1', 's8');
  assert.deepEqual(activity.sessions, []);
  assert.deepEqual(activity.tabs, []);
  assert.equal((await pipeline.activity.forSession('someone-else', 's8')).sessions.length, 1, 'the owner still reads it');
});

test('a summary becomes the story while the last raw actions and the tab state stay beside it', async () => {
  const { pipeline, clock, summaries } = setup({ summaryThreshold: 3 });
  await pipeline.ingest(batch('s1', ['A', 'B', 'C'], clock));
  await pipeline.summarizer.flush();
  assert.equal(summaries.length, 1);
  const activity = await pipeline.activity.forUser('u-1', { sessions: 3 });
  const [session] = activity.sessions;
  assert.equal(session?.summary, 'The user invited a teammate.');
  assert.equal(session?.actions.length, 3, 'the raw actions a summary covers stay as recent actions');
  assert.equal(activity.tabs.length, 1, 'the summary leaves the tab state alone');
  assert.equal(activity.tabs[0]!.actionCount, 3);
});

test('activity since the last message includes actions a summary covered', async () => {
  const { pipeline, clock } = setup({ summaryThreshold: 3 });
  const cutoffS = clock.now() / 1000;
  await clock.advance(1000);
  await pipeline.ingest(batch('s1', ['A', 'B', 'C', 'D'], clock));
  await pipeline.summarizer.flush();
  const activity = await pipeline.activity.forUser('u-1', { sessions: 3 });
  assert.equal((await pipeline.activity.activitySince(activity, cutoffS)).length, 4);
});

test('a tab whose actions name another user never reaches this user', async () => {
  const { pipeline, clock } = setup();
  await pipeline.ingest(batch('s1', ['A'], clock));
  const foreign = batch('s1', ['B'], clock);
  await pipeline.ingest({ ...foreign, user_id: 'u-2', actions: foreign.actions.map((action) => ({ ...action, user_id: 'u-2', window_id: 'w-other', index: 5 })) });
  const activity = await pipeline.activity.forSession('u-1', 's1');
  assert.ok(activity.tabs.every((tab) => tab.userId === 'u-1'));
});

test('resetUser forgets the user, their sessions and their states', async () => {
  const { pipeline, clock } = setup();
  await pipeline.ingest(batch('s1', ['A'], clock));
  await pipeline.resetUser('u-1');
  assert.deepEqual((await pipeline.activity.forUser('u-1', { sessions: 3 })).sessions, []);
  assert.equal(pipeline.sessionsTracked(), 0);
  assert.equal(await pipeline.states.get({ productId: 'acme', sessionId: 's1' }), undefined);
});
