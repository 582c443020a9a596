import { test, describe, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { createActionsPayload, createSummaryPayload, isSightlineError, type ActionsPayload } from '@sightline/protocol';
import { FakeClock } from '@sightline/protocol/testing';
import { FakeLlm } from '../testing/fake-llm.ts';
import { SessionSummarizer } from '../summarizer/session-summarizer.ts';
import { foldSummary } from '../summarizer/fold-summary.ts';
import { ContextStore, type ContextStoreOptions } from './context-store.ts';
import { MemoryContextBackend } from './memory-backend.ts';
import { RedisContextBackend } from '../redis/redis-context-backend.ts';
import { RedisUserSessionIndex } from '../redis/redis-user-session-index.ts';
import { redisForTests } from '../testing/redis-for-tests.ts';

const PRODUCT = 'acme';

function batch(
  sessionId: string | null,
  indexes: number[],
  extra: { user_id?: string | null; email?: string | null; product_id?: string } = {},
): ActionsPayload {
  return createActionsPayload({
    product_id: extra.product_id ?? PRODUCT,
    session_id: sessionId,
    user_id: extra.user_id ?? null,
    email: extra.email ?? null,
    forwarded_at: 1_700_000_000,
    actions: indexes.map((index) => ({ index, type: 'click', description: `Did ${index}`, canonical_url: `/p/${index}` })),
  });
}

type Implementation = 'memory' | 'redis';

/**
 * A store on the implementation under test. On Redis, the backend and the user index are Redis ones with a prefix of
 * the test's own; without a Redis the test is marked skipped (redisForTests) and runs on memory.
 */
async function storeFor(t: TestContext, implementation: Implementation, options: ContextStoreOptions): Promise<ContextStore> {
  const redis = implementation === 'redis' && !options.backend ? await redisForTests(t) : null;
  if (!redis) return new ContextStore(options);
  const connection = { client: redis.client, prefix: redis.prefix };
  const lookbackSeconds = options.lookbackSeconds === undefined ? 300 : options.lookbackSeconds;
  const userIndex = new RedisUserSessionIndex({ ...connection, lookbackSeconds: lookbackSeconds ?? 300, ...(options.clock ? { clock: options.clock } : {}) });
  return new ContextStore({ ...options, backend: new RedisContextBackend(connection), userIndex });
}

const key = (sessionId: string, productId = PRODUCT) => ({ productId, sessionId });

for (const implementation of ['memory', 'redis'] as const) {
  /** The bounds only the memory backend applies (on Redis, TTLs bound memory instead). */
  const memoryOnly = implementation === 'memory' ? test : test.skip;

  async function setup(t: TestContext, options: ContextStoreOptions = {}) {
    const clock = new FakeClock();
    const store = await storeFor(t, implementation, { clock, ...options });
    return { clock, store };
  }

  describe(`ContextStore output format (${implementation})`, () => {
    test('summary and recent activity, trimmed to maxActions with a split batch and original indexes', async (t) => {
      const { store } = await setup(t, { maxActions: 3 });
      await store.add(createSummaryPayload({ product_id: PRODUCT, session_id: 's1', summary: 'Summary text.', replaces: 0, forwarded_at: 1 }));
      await store.add(batch('s1', [0, 1]));
      await store.add(batch('s1', [0, 1]));
      assert.equal(
        await store.get(key('s1')),
        'Summary: Summary text.\n\nRecent activity:\n1. [1] click: Did 1 — /p/1\n2. [0] click: Did 0 — /p/0\n3. [1] click: Did 1 — /p/1',
      );
    });

    test('only actions: no summary part; only summary: no activity part; nothing: ""', async (t) => {
      const { store } = await setup(t);
      await store.add(batch('s1', [0]));
      assert.equal(await store.get(key('s1')), 'Recent activity:\n1. [0] click: Did 0 — /p/0');
      await store.add(createSummaryPayload({ product_id: PRODUCT, session_id: 's2', summary: 'Only this.', replaces: 0, forwarded_at: 1 }));
      assert.equal(await store.get(key('s2')), 'Summary: Only this.');
      assert.equal(await store.get(key('missing')), '');
    });

    test('includeSummary and includeActions switch parts off, per store and per call', async (t) => {
      const { store } = await setup(t, { includeSummary: false });
      await store.add(createSummaryPayload({ product_id: PRODUCT, session_id: 's1', summary: 'S.', replaces: 0, forwarded_at: 1 }));
      await store.add(batch('s1', [0]));
      assert.equal(await store.get(key('s1')), 'Recent activity:\n1. [0] click: Did 0 — /p/0');
      assert.equal(await store.get(key('s1'), { includeSummary: true, includeActions: false }), 'Summary: S.');
    });

    test('enrich puts the context before the query, and returns the query alone when there is none', async (t) => {
      const { store } = await setup(t);
      assert.equal(await store.enrich(key('s1'), 'How do I export?'), 'How do I export?');
      await store.add(batch('s1', [0]));
      assert.equal(
        await store.enrich(key('s1'), 'How do I export?'),
        '[Session context]\nRecent activity:\n1. [0] click: Did 0 — /p/0\n\n[Query]\nHow do I export?',
      );
    });

    // docs/decisions/D-23-product-id-required.md
    test('a read without a product id is rejected with SL_SESSION_KEY_INVALID', async (t) => {
      const { store } = await setup(t);
      await assert.rejects(store.get({ sessionId: 's1' } as never), (error: unknown) => isSightlineError(error, 'SL_SESSION_KEY_INVALID'));
      await assert.rejects(store.get({ productId: PRODUCT, sessionId: '' }), (error: unknown) => isSightlineError(error, 'SL_SESSION_KEY_INVALID'));
    });

    test('invalid options are configuration errors', () => {
      const isConfigError = (error: unknown) => isSightlineError(error, 'SL_CONFIG_INVALID');
      assert.throws(() => new ContextStore({ lookbackSeconds: 0 }), isConfigError);
      assert.throws(() => new ContextStore({ maxActions: 0 }), isConfigError);
      assert.throws(() => new ContextStore({ maxSessions: 0 }), isConfigError);
    });
  });

  describe(`ContextStore trimming and LRU (${implementation})`, () => {
    test('maxActions keeps the most recent N actions across batches on write', async (t) => {
      const { store } = await setup(t, { maxActions: 3 });
      await store.add(batch('s1', [0, 1, 2]));
      await store.add(batch('s1', [3, 4]));
      const session = await store.getSession(key('s1'), { maxActions: null });
      assert.deepEqual(session.actions.map((action) => action.index), [2, 3, 4]);
    });

    test('a per-call maxActions narrows the read and splits a batch', async (t) => {
      const { store } = await setup(t, { maxActions: null });
      await store.add(batch('s1', [0, 1, 2]));
      await store.add(batch('s1', [3]));
      assert.equal(await store.get(key('s1'), { maxActions: 2 }), 'Recent activity:\n1. [2] click: Did 2 — /p/2\n2. [3] click: Did 3 — /p/3');
      assert.equal((await store.getSession(key('s1'))).actions.length, 4);
    });

    test('lookback hides old batches on read (by local receipt time) and drops them on the next write', async (t) => {
      const { clock, store } = await setup(t, { lookbackSeconds: 300 });
      await store.add(batch('s1', [0]));
      await clock.advance(300_000);
      assert.equal(await store.get(key('s1')), 'Recent activity:\n1. [0] click: Did 0 — /p/0', 'exactly at the limit it is kept');
      await clock.advance(1);
      assert.equal(await store.get(key('s1')), '');
      assert.equal(await store.get(key('s1'), { lookbackSeconds: null }), 'Recent activity:\n1. [0] click: Did 0 — /p/0', 'still stored');
      await store.add(batch('s1', [1]));
      assert.equal(await store.get(key('s1'), { lookbackSeconds: null }), 'Recent activity:\n1. [1] click: Did 1 — /p/1', 'evicted on add');
    });

    // docs/decisions/D-13-local-receipt-time.md
    test('a payload with an ancient or missing forwarded_at still counts as recent', async (t) => {
      const { store } = await setup(t);
      await store.add({ ...batch('s1', [0]), forwarded_at: 0 });
      assert.notEqual(await store.get(key('s1')), '');
    });

    memoryOnly('maxSessions evicts the least recently written session, its summary with it', async (t) => {
      const { store } = await setup(t, { maxSessions: 2 });
      await store.add(batch('a', [0]));
      await store.add(createSummaryPayload({ product_id: PRODUCT, session_id: 'a', summary: 'A.', replaces: 0, forwarded_at: 1 }));
      await store.add(batch('b', [0]));
      await store.add(batch('a', [1]));
      await store.add(batch('c', [0]));
      assert.deepEqual(await store.activeSessions(), [key('a'), key('c')]);
      assert.equal(await store.get(key('b')), '');
      await store.add(batch('d', [0]));
      // One key for actions and summary: docs/decisions/D-20-one-session-key.md
      assert.equal(await store.get(key('a')), '', 'summary evicted together with the actions (one key)');
    });

    memoryOnly('the memory backend retires fully expired sessions without a summary as it writes', async (t) => {
      const backend = new MemoryContextBackend();
      const { clock, store } = await setup(t, { backend, lookbackSeconds: 60 });
      await store.add(batch('old-1', [0]));
      await store.add(batch('old-2', [0]));
      await store.add(createSummaryPayload({ product_id: PRODUCT, session_id: 'kept', summary: 'K.', replaces: 0, forwarded_at: 1 }));
      await clock.advance(61_000);
      await store.add(batch('new', [0]));
      assert.deepEqual(await store.activeSessions(), [key('kept'), key('new')]);
      assert.equal(backend.size, 2);
    });

    test('summaries and actions share the (product, session) key', async (t) => {
      const { store } = await setup(t);
      await store.add(batch('s1', [0], { product_id: 'a' }));
      await store.add(createSummaryPayload({ product_id: 'b', session_id: 's1', summary: 'B only.', replaces: 0, forwarded_at: 1 }));
      assert.equal(await store.get(key('s1', 'a')), 'Recent activity:\n1. [0] click: Did 0 — /p/0');
      assert.equal(await store.get(key('s1', 'b')), 'Summary: B only.');
      await store.reset(key('s1', 'b'));
      assert.equal(await store.get(key('s1', 'b')), '');
      assert.notEqual(await store.get(key('s1', 'a')), '', 'reset touches one product only');
    });

    test('anonymous batches are keyed by distinct id and never pooled; unattributable ones are refused', async (t) => {
      const { store } = await setup(t);
      await store.add(batch(null, [0], { user_id: 'anon-1' }));
      await store.add(batch(null, [1], { user_id: 'anon-2' }));
      assert.equal(await store.add(batch(null, [2])), false);
      assert.equal(await store.get(key('anon-1')), 'Recent activity:\n1. [0] click: Did 0 — /p/0');
      assert.equal(await store.get(key('anon-2')), 'Recent activity:\n1. [1] click: Did 1 — /p/1');
    });

    test('malformed or foreign payloads are refused without touching stored data', async (t) => {
      const { store } = await setup(t);
      await store.add(batch('s1', [0]));
      const bad: unknown[] = [
        null,
        'actions',
        { type: 'actions', product_id: PRODUCT, session_id: 's1', actions: 'x' },
        { type: 'summary', product_id: PRODUCT, session_id: 's1', summary: 42 },
        { type: 'gap', product_id: PRODUCT, last_event_id: '1-1', resumed_from: null, reason: 'expired', forwarded_at: 1 },
      ];
      for (const payload of bad) assert.equal(await store.add(payload as never), false);
      assert.equal(await store.get(key('s1')), 'Recent activity:\n1. [0] click: Did 0 — /p/0');
    });

    test("a connector summary covers the 'replaces' oldest actions: the text leaves them out, recentActions keep them", async (t) => {
      const { store } = await setup(t);
      await store.add(batch('s1', [0, 1]));
      await store.add(batch('s1', [2]));
      await store.add(createSummaryPayload({ product_id: PRODUCT, session_id: 's1', summary: 'First two.', replaces: 2, forwarded_at: 1 }));
      assert.equal(await store.get(key('s1')), 'Summary: First two.\n\nRecent activity:\n1. [2] click: Did 2 — /p/2');
      const session = await store.getSession(key('s1'));
      assert.deepEqual(session.actions.map((action) => action.index), [2]);
      assert.deepEqual(session.recentActions.map((action) => action.index), [0, 1, 2]);
    });

    test('a summary frame followed by another keeps both in the story, and the second covers the next oldest actions', async (t) => {
      const { store } = await setup(t);
      await store.add(batch('s1', [0, 1, 2, 3]));
      await store.add(createSummaryPayload({ product_id: PRODUCT, session_id: 's1', summary: 'Visited Team.', replaces: 2, forwarded_at: 1 }));
      await store.add(createSummaryPayload({ product_id: PRODUCT, session_id: 's1', summary: 'Opened Billing.', replaces: 1, forwarded_at: 2 }));
      assert.equal(await store.get(key('s1')), 'Summary: Visited Team. Opened Billing.\n\nRecent activity:\n1. [3] click: Did 3 — /p/3');
      assert.equal((await store.getSession(key('s1'))).recentActions.length, 4);
    });

    test('folded summary frames stay bounded and keep the earliest and the newest', async (t) => {
      const { store } = await setup(t);
      for (let frame = 0; frame < 40; frame++) {
        await store.add(createSummaryPayload({ product_id: PRODUCT, session_id: 's1', summary: `Frame ${frame} visited page ${frame}.`, replaces: 0, forwarded_at: 1 }));
      }
      const story = (await store.getSession(key('s1'))).summary!;
      assert.ok(story.length <= 600, `${story.length}`);
      assert.ok(story.startsWith('Frame 0 visited page 0.'), story);
      assert.ok(story.endsWith('Frame 39 visited page 39.'), story);
    });
  });

  describe(`ContextStore with a summarizer (${implementation})`, () => {
    test('a summary leaves exactly the actions it covers out of the text and keeps them as recent actions', async (t) => {
      const clock = new FakeClock();
      const llm = new FakeLlm({ reply: 'Opened p0 to p3.' });
      const summarizer = new SessionSummarizer({ llm: llm.fn, threshold: 3, clock });
      const store = await storeFor(t, implementation, { summarizer, clock });
      await store.add(batch('s1', [0, 1]));
      await store.add(batch('s1', [2, 3]));
      await summarizer.flush();
      assert.equal(await store.get(key('s1')), 'Summary: Opened p0 to p3.');
      await store.add(batch('s1', [4]));
      assert.equal(await store.get(key('s1')), 'Summary: Opened p0 to p3.\n\nRecent activity:\n1. [4] click: Did 4 — /p/4');
      const session = await store.getSession(key('s1'));
      assert.deepEqual(session.actions.map((action) => action.index), [4]);
      assert.deepEqual(session.recentActions.map((action) => action.index), [0, 1, 2, 3, 4]);
    });

    test("summarizer summaries become the story as the model wrote it (it already continues the previous one)", async (t) => {
      const clock = new FakeClock();
      const llm = new FakeLlm({ reply: (_prompt, input) => `${input?.previousSummary ?? ''}[${input?.actions.map((action) => action.index).join(',')}]` });
      const summarizer = new SessionSummarizer({ llm: llm.fn, threshold: 2, clock });
      const store = await storeFor(t, implementation, { summarizer, clock });
      await store.add(batch('s1', [0, 1]));
      await summarizer.flush();
      await store.add(batch('s1', [2, 3]));
      await summarizer.flush();
      assert.equal((await store.getSession(key('s1'))).summary, '[0,1][2,3]');
    });

    test('89 actions through a threshold-10 summarizer: the stored story still names the first page, the last raw actions stay', async (t) => {
      const clock = new FakeClock();
      const llm = new FakeLlm({
        reply: (_prompt, input) => foldSummary(input?.previousSummary, `Visited ${input?.actions[0]?.canonical_url} to ${input?.actions.at(-1)?.canonical_url}.`),
      });
      const summarizer = new SessionSummarizer({ llm: llm.fn, threshold: 10, clock });
      const store = await storeFor(t, implementation, { summarizer, clock, maxActions: 30 });
      for (let index = 0; index < 89; index++) {
        await store.add(batch('s1', [index]));
        await summarizer.flush();
      }
      const session = await store.getSession(key('s1'));
      assert.ok(session.summary!.startsWith('Visited /p/0 to /p/9.'), session.summary!);
      assert.ok(session.summary!.includes('/p/79.'), session.summary!);
      assert.deepEqual(session.actions.map((action) => action.index), [80, 81, 82, 83, 84, 85, 86, 87, 88]);
      assert.deepEqual(session.recentActions.map((action) => action.index), Array.from({ length: 30 }, (_, offset) => 59 + offset));
    });

    test('actions that arrive while the model runs stay in recent activity', async (t) => {
      const clock = new FakeClock();
      const llm = new FakeLlm({ reply: 'S.' });
      const summarizer = new SessionSummarizer({ llm: llm.fn, threshold: 2, clock });
      const store = await storeFor(t, implementation, { summarizer, clock });
      const release = llm.hold();
      await store.add(batch('s1', [0, 1]));
      await store.add(batch('s1', [2]));
      release();
      await summarizer.flush();
      assert.equal(await store.get(key('s1')), 'Summary: S.\n\nRecent activity:\n1. [2] click: Did 2 — /p/2');
    });

    test('feedSummarizer: false leaves feeding to someone else', async (t) => {
      const llm = new FakeLlm();
      const summarizer = new SessionSummarizer({ llm: llm.fn, threshold: 1 });
      const store = await storeFor(t, implementation, { summarizer, feedSummarizer: false });
      await store.add(batch('s1', [0, 1]));
      await summarizer.flush();
      assert.equal(llm.calls.length, 0);
      summarizer.add(batch('s1', [0, 1]));
      await summarizer.flush();
      assert.equal(await store.get(key('s1')), 'Summary: fake summary');
      await store.close();
      await summarizer.close();
    });
  });

  describe(`ContextStore per user and since a cutoff (${implementation})`, () => {
    test('forUser returns the newest sessions with context, their actions, email and joined text', async (t) => {
      const { clock, store } = await setup(t);
      await store.add(batch('s1', [0], { user_id: 'u1', email: 'u1@example.com' }));
      await clock.advance(1_000);
      await store.add(batch('s2', [0, 1], { user_id: 'u1' }));
      await clock.advance(1_000);
      await store.add(batch('s3', [5], { user_id: 'u1', product_id: 'other' }));
      await store.add(batch('x', [9], { user_id: 'u2' }));

      const all = await store.forUser('u1', { sessions: 2 });
      assert.equal(all.email, 'u1@example.com');
      assert.equal(all.hasActivity, true);
      assert.deepEqual(all.sessions.map((session) => [session.productId, session.sessionId]), [
        ['other', 's3'],
        [PRODUCT, 's2'],
      ]);
      assert.equal(
        all.text,
        'Session s3 (other):\nRecent activity:\n1. [5] click: Did 5 — /p/5\n\nSession s2 (acme):\nRecent activity:\n1. [0] click: Did 0 — /p/0\n2. [1] click: Did 1 — /p/1',
      );
      assert.deepEqual(all.sessions[1]!.actions.map((action) => action.canonical_url), ['/p/0', '/p/1']);
      assert.equal(all.sessions[1]!.lastSeenAt, clock.now() - 1_000);

      const scoped = await store.forUser('u1', { productId: PRODUCT });
      assert.deepEqual(scoped.sessions.map((session) => session.sessionId), ['s2', 's1']);

      const nobody = await store.forUser('nobody');
      assert.deepEqual(nobody, { userId: 'nobody', email: null, sessions: [], text: '', hasActivity: false });
    });

    test('forUser skips sessions past the lookback', async (t) => {
      const { clock, store } = await setup(t, { lookbackSeconds: 60 });
      await store.add(batch('s1', [0], { user_id: 'u1' }));
      await clock.advance(61_000);
      assert.equal((await store.forUser('u1')).hasActivity, false);
    });

    test('actionsReceivedSince returns all 6 of 6 actions after the cutoff even when a summary covered some', async (t) => {
      const clock = new FakeClock();
      const llm = new FakeLlm({ reply: 'Did three things.' });
      const summarizer = new SessionSummarizer({ llm: llm.fn, threshold: 3, clock });
      const store = await storeFor(t, implementation, { summarizer, clock });
      await store.add(batch('s1', [0]));
      await clock.advance(5_000);
      const cutoffMs = clock.now();
      await store.add(batch('s1', [1, 2]));
      await store.add(batch('s2', [0]));
      await clock.advance(1_000);
      await store.add(batch('s1', [3, 4]));
      await store.add(batch('s2', [1]));
      await summarizer.flush();
      assert.equal((await store.getSession(key('s1'))).summary, 'Did three things.');
      assert.deepEqual((await store.getSession(key('s1'))).actions.map((action) => action.index), [3, 4], 'the text shows only the uncovered');
      const since = await store.actionsReceivedSince([key('s1'), key('s2'), key('s1'), key('none')], cutoffMs);
      assert.deepEqual(
        since.map((action) => `${action.session_id}:${action.index}`),
        ['s1:1', 's1:2', 's2:0', 's1:3', 's1:4', 's2:1'],
      );
      assert.deepEqual((await store.actionsReceivedSince([key('s1'), key('s2')], cutoffMs, { maxActions: 2 })).map((action) => action.index), [4, 1]);
      assert.deepEqual(await store.actionsReceivedSince([key('s1')], clock.now() + 1), []);
      assert.deepEqual((await store.actionsSince(key('s1'), cutoffMs / 1000)).map((action) => action.index), [1, 2, 3, 4]);
    });

    test('activitySince lists only batches received at or after the cutoff', async (t) => {
      const { clock, store } = await setup(t);
      await store.add(batch('s1', [0]));
      await clock.advance(5_000);
      const cutoffS = clock.now() / 1000;
      await store.add(batch('s1', [1, 2]));
      assert.equal(await store.activitySince(key('s1'), cutoffS), '1. [1] click: Did 1 — /p/1\n2. [2] click: Did 2 — /p/2');
      assert.equal(await store.activitySince(key('s1'), cutoffS, { maxActions: 1 }), '1. [2] click: Did 2 — /p/2');
      assert.equal(await store.activitySince(key('s1'), cutoffS + 1), '');
      assert.equal(await store.activitySince(key('none'), 0), '');
      assert.deepEqual((await store.actionsSince(key('s1'), cutoffS)).map((action) => action.index), [1, 2]);
      assert.deepEqual(await store.actionsSince(key('none'), 0), []);
    });
  });
}
