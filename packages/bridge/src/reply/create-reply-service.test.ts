import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { SlimAction } from '@sightline/protocol';
import { isSightlineError } from '@sightline/protocol';
import { reduceActivity, type ActivityState } from '@sightline/sdk';
import { FakeClock } from '@sightline/sdk/testing';
import { MemoryConversationHistory } from '../conversation/conversation-history.ts';
import type { KnowledgeQuestion, KnowledgeSource } from '../knowledge/knowledge-types.ts';
import type { ReplyContext, Responder, ReplySession } from '../responder/reply-context.ts';
import type { ActivitySource, UserActivity } from './activity-source.ts';
import { createReplyService, type ReplyOutcome, type ReplyWatermarks } from './create-reply-service.ts';

function action(title: string, at: number, overrides: Partial<SlimAction> = {}): SlimAction {
  return {
    title,
    description: `User did ${title} on the Team page`,
    canonical_url: 'https://app.example.com/team',
    index: 0,
    type: 'click',
    timestamp_start: at,
    timestamp_end: at,
    raw_url: 'https://app.example.com/team',
    session_id: 's1',
    user_id: 'u-42',
    email: 'ada.lovelace@example.com',
    conversation_id: null,
    ...overrides,
  };
}

function setup(options: { sessions?: ReplySession[]; email?: string | null; fail?: boolean; knowledgeSources?: KnowledgeSource[] } = {}) {
  const clock = new FakeClock({ now: 1_700_000_100_000 });
  const sessions = options.sessions ?? [{ productId: 'acme', sessionId: 's1', summary: '', actions: [action("Clicked 'Invite member'", 1_700_000_090)] }];
  // The tab's state as the pipeline's tracker reduces it from the same actions.
  let tab: ActivityState | null = null;
  for (const item of sessions.flatMap((session) => session.actions)) {
    tab = reduceActivity(tab, item, { key: { productId: 'acme', sessionId: item.session_id ?? 's1', windowId: null }, userId: 'u-42', email: null });
  }
  const activity: UserActivity = { email: options.email === undefined ? 'ada.lovelace@example.com' : options.email, sessions, tabs: tab ? [tab] : [] };
  const sinceCalls: number[] = [];
  const source: ActivitySource = {
    forUser: async () => activity,
    forSession: async (_userId, sessionId) => ({ ...activity, sessions: sessions.filter((session) => session.sessionId === sessionId) }),
    activitySince: async (_activity, cutoff) => {
      sinceCalls.push(cutoff);
      return sessions.flatMap((session) => session.actions).filter((item) => item.timestamp_start > cutoff);
    },
  };
  const contexts: ReplyContext[] = [];
  const responder: Responder = {
    kind: 'offline',
    async respond(context) {
      contexts.push(context);
      if (options.fail) return { reply: 'Sorry, the model is down.', error: { code: 'SL_LLM_TIMEOUT', message: 'timed out' } };
      return { reply: `reply ${contexts.length}` };
    },
  };
  const marks = new Map<string, number>();
  const watermarks: ReplyWatermarks = {
    getPreviousInboundAt: async (conversation) => marks.get(conversation) ?? null,
    setLastInboundAt: async (conversation, at) => void marks.set(conversation, at),
  };
  const chats: string[] = [];
  const outcomes: ReplyOutcome[] = [];
  const history = new MemoryConversationHistory({ maxTurns: 4 });
  const service = createReplyService({
    activity: source,
    responder,
    history,
    watermarks,
    onChat: (session, userId) => chats.push(`${userId}:${session.sessionId}`),
    onOutcome: (outcome) => outcomes.push(outcome),
    maxQueryLength: 50,
    clock,
    ...(options.knowledgeSources ? { knowledgeSources: options.knowledgeSources } : {}),
  });
  return { service, contexts, marks, chats, outcomes, history, clock, sinceCalls };
}

test('a reply carries the tutorial body and the context the responder needs', async () => {
  const { service, contexts, chats, outcomes } = setup();
  const prepared = await service.prepare({ userId: ' u-42 ', query: ' how do I add a teammate? ', channel: 'http' });
  assert.deepEqual(prepared.body, { reply: 'reply 1', name: 'Ada', has_activity: true });
  const context = contexts[0]!;
  assert.equal(context.userId, 'u-42');
  assert.equal(context.query, 'how do I add a teammate?');
  assert.equal(context.firstName, 'Ada');
  assert.equal(context.sessions[0]!.actions[0]!.title, "Clicked 'Invite member'");
  assert.deepEqual(context.activitySince, [], 'no previous message, no delta block');
  assert.deepEqual(chats, ['u-42:s1'], 'the session is marked as chatting');
  assert.equal(outcomes[0]!.outcome, 'ok');
});

test('knowledge sources are asked with the product, the message, its language, the current page and what is open, and their finds reach the responder', async () => {
  const questions: KnowledgeQuestion[] = [];
  const passage = { title: 'Invite a teammate', headings: [], text: "1. Click 'Invite member'.", source: 'en/team.md', language: 'en', score: 2 };
  const path = { goal: 'Send invite', steps: [{ kind: 'click' as const, label: 'Invite member', page: '/team' }], users: 4, score: 1 };
  const { service, contexts } = setup({
    knowledgeSources: [
      { find: async (question) => (questions.push(question), { passages: [passage] }) },
      { find: async () => ({ paths: [path] }) },
    ],
  });
  await service.prepare({ userId: 'u-42', query: '¿Cómo invito a un compañero?', channel: 'http' });
  assert.deepEqual(questions, [{ productId: 'acme', query: '¿Cómo invito a un compañero?', language: 'es', page: '/team', pageTitle: questions[0]!.pageTitle, openLabel: null }]);
  assert.ok(questions[0]!.pageTitle);
  assert.deepEqual(contexts[0]!.knowledge, { passages: [passage], paths: [path] });
});

test('without knowledge sources the context carries no knowledge', async () => {
  const { service, contexts } = setup();
  await service.prepare({ userId: 'u-42', query: 'how do I add a teammate?', channel: 'http' });
  assert.equal('knowledge' in contexts[0]!, false);
});

test('has_activity is false and name null when nothing is known about the user', async () => {
  const { service } = setup({ sessions: [], email: null });
  const prepared = await service.prepare({ userId: 'u-1', query: 'hello', channel: 'http' });
  assert.equal(prepared.body.has_activity, false);
  assert.equal(prepared.body.name, null);
});

test('missing, blank or too long queries and bad user ids are coded errors', async () => {
  const { service, outcomes } = setup();
  const codeOf = async (request: { userId: string; query: string }) => {
    try {
      await service.prepare({ ...request, channel: 'http' });
    } catch (error) {
      assert.ok(isSightlineError(error));
      return [error.code, error.status];
    }
    return ['none'];
  };
  assert.deepEqual(await codeOf({ userId: 'u', query: '   ' }), ['SL_QUERY_MISSING', 400]);
  assert.deepEqual(await codeOf({ userId: 'u', query: 'x'.repeat(51) }), ['SL_QUERY_TOO_LONG', 400]);
  assert.deepEqual(await codeOf({ userId: '', query: 'hi' }), ['SL_USER_ID_INVALID', 400]);
  assert.deepEqual(await codeOf({ userId: 'u'.repeat(257), query: 'hi' }), ['SL_USER_ID_INVALID', 400]);
  assert.deepEqual(
    outcomes.map((outcome) => outcome.outcome),
    ['SL_QUERY_MISSING', 'SL_QUERY_TOO_LONG', 'SL_USER_ID_INVALID', 'SL_USER_ID_INVALID'],
  );
});

test('the watermark moves only on commit, to the time the message came in, and feeds the next delta', async () => {
  const { service, contexts, marks, clock, sinceCalls } = setup();
  const first = await service.prepare({ userId: 'u-42', query: 'hi', conversationId: 'c1', channel: 'socket' });
  assert.equal(marks.size, 0, 'nothing stored before delivery');
  await clock.advance(5_000);
  await first.commit();
  await first.commit();
  assert.equal(marks.get('c1'), 1_700_000_100, 'the inbound time of the first message, epoch seconds');
  await service.prepare({ userId: 'u-42', query: 'and now?', conversationId: 'c1', channel: 'socket' });
  assert.deepEqual(sinceCalls, [1_700_000_100]);
  assert.deepEqual(contexts[1]!.history, [
    { role: 'user', content: 'hi' },
    { role: 'assistant', content: 'reply 1' },
  ]);
});

test('an uncommitted reply leaves history and watermark alone', async () => {
  const { service, contexts, marks } = setup();
  await service.prepare({ userId: 'u-42', query: 'hi', channel: 'http' });
  await service.prepare({ userId: 'u-42', query: 'again', channel: 'http' });
  assert.equal(marks.size, 0);
  assert.deepEqual(contexts[1]!.history, []);
});

test('a model failure answers an apology with an error field and stays out of history', async () => {
  const { service, history, outcomes } = setup({ fail: true });
  const prepared = await service.prepare({ userId: 'u-42', query: 'hi', channel: 'http' });
  assert.equal(prepared.body.error?.code, 'SL_LLM_TIMEOUT');
  assert.equal(prepared.body.reply, 'Sorry, the model is down.');
  await prepared.commit();
  assert.deepEqual(await history.get('user:u-42'), []);
  assert.equal(outcomes[0]!.outcome, 'llm_error');
});

test('a session id given directly is read instead of the newest sessions', async () => {
  const sessions: ReplySession[] = [
    { productId: 'acme', sessionId: 's1', summary: '', actions: [action('A', 1)] },
    { productId: 'acme', sessionId: 's2', summary: 'Earlier the user set up billing.', actions: [] },
  ];
  const { service, contexts } = setup({ sessions });
  const prepared = await service.prepare({ userId: 'u-42', query: 'hi', sessionId: 's2', channel: 'http' });
  assert.deepEqual(
    contexts[0]!.sessions.map((session) => session.sessionId),
    ['s2'],
  );
  assert.equal(prepared.body.has_activity, true, 'a summary alone counts as activity');
});

test('greet names the user and the page they are on', async () => {
  const { service } = setup();
  assert.match(await service.greet('u-42'), /^Hi Ada! I can see you're on the Team page\./);
  const anonymous = setup({ sessions: [], email: null });
  assert.match(await anonymous.service.greet('u-9'), /^Hi there! Ask me anything/);
});

test('the responder gets the user tabs, the widget language and the time', async () => {
  const { service, contexts } = setup();
  await service.prepare({ userId: 'u-42', query: '¿y ahora?', language: 'es', channel: 'socket' });
  const context = contexts[0]!;
  assert.equal(context.languageHint, 'es');
  assert.equal(context.now, 1_700_000_100_000);
  assert.equal(context.tabs.length, 1);
  assert.equal(context.tabs[0]!.page?.title, 'Team');
});
