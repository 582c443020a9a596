import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { createActionsPayload, isSightlineError, type ActionsPayload } from '@sightline/protocol';
import { FakeClock } from '@sightline/protocol/testing';
import { FakeLlm } from '../testing/fake-llm.ts';
import { DEFAULT_SUMMARY_PROMPT, renderSummaryPrompt } from './default-prompt.ts';
import { foldSummary } from './fold-summary.ts';
import { SessionSummarizer, type SessionSummarizerOptions, type SessionSummary } from './session-summarizer.ts';

const PRODUCT = 'acme';

/** A batch of `count` click actions whose descriptions are `d{from}`, `d{from+1}`, … */
function batch(sessionId: string | null, count: number, from = 0, extra: { user_id?: string; product_id?: string } = {}): ActionsPayload {
  return createActionsPayload({
    product_id: extra.product_id ?? PRODUCT,
    session_id: sessionId,
    user_id: extra.user_id ?? null,
    forwarded_at: 1_700_000_000,
    actions: Array.from({ length: count }, (_, offset) => ({
      index: from + offset,
      type: 'click',
      description: `d${from + offset}`,
      canonical_url: `/p/${from + offset}`,
    })),
  });
}

function setup(options: Partial<SessionSummarizerOptions> = {}) {
  const clock = new FakeClock();
  const llm = new FakeLlm({ reply: (prompt) => `summary #${prompt.length}` });
  const errors: Array<{ stage: string; sessionId: string }> = [];
  const summarizer = new SessionSummarizer({
    llm: llm.fn,
    threshold: 3,
    clock,
    onError: (_error, context) => errors.push({ stage: context.stage, sessionId: context.sessionId }),
    ...options,
  });
  const summaries: SessionSummary[] = [];
  summarizer.onSummary((summary) => {
    summaries.push(summary);
  });
  return { clock, llm, summarizer, summaries, errors };
}

const descriptionsIn = (prompt: string) => [...prompt.matchAll(/ click: (d\d+) —/g)].map((match) => match[1]);

describe('SessionSummarizer threshold', () => {
  test('one payload over the threshold gives exactly one summary of all its actions', async () => {
    const { llm, summarizer, summaries } = setup();
    summarizer.add(batch('s1', 5));
    await summarizer.flush();
    assert.equal(llm.calls.length, 1);
    assert.equal(summaries.length, 1);
    assert.equal(summaries[0]!.replaces, 5);
    assert.equal(summaries[0]!.sessionId, 's1');
    assert.equal(summaries[0]!.productId, PRODUCT);
    assert.equal(summarizer.pendingCount({ productId: PRODUCT, sessionId: 's1' }), 0);
  });

  test('below the threshold nothing is called and the actions stay pending; zero-action payloads never trigger', async () => {
    const { llm, summarizer } = setup();
    summarizer.add(batch('s1', 2));
    summarizer.add(batch('s1', 0));
    await summarizer.flush();
    assert.equal(llm.calls.length, 0);
    assert.equal(summarizer.getContext({ productId: PRODUCT, sessionId: 's1' }), '1. [0] click: d0 — /p/0\n2. [1] click: d1 — /p/1');
    assert.deepEqual(summarizer.activeSessions(), [{ productId: PRODUCT, sessionId: 's1' }]);
  });

  test('add() returns before the model is called (never on the caller path)', async () => {
    const { llm, summarizer } = setup();
    assert.equal(summarizer.add(batch('s1', 3)), true);
    assert.equal(llm.calls.length, 0);
    await summarizer.flush();
    assert.equal(llm.calls.length, 1);
  });

  test('the default prompt carries the numbered action list and ends with "Summary:"', async () => {
    const { llm, summarizer } = setup();
    summarizer.add(batch('s1', 3));
    await summarizer.flush();
    const prompt = llm.calls[0]!.prompt;
    assert.equal(
      prompt,
      DEFAULT_SUMMARY_PROMPT.replace('{previous_summary}', '(none yet)').replace('{actions}', '1. [0] click: d0 — /p/0\n2. [1] click: d1 — /p/1\n3. [2] click: d2 — /p/2'),
    );
    assert.ok(prompt.includes('Actions:\n1. [0] click: d0'));
    assert.ok(prompt.endsWith('\nSummary:'));
  });

  test('a custom prompt substitutes only {actions}; other braces stay literal', async () => {
    const { llm, summarizer } = setup({ prompt: 'JSON {"a": {b}} {actions} / {actions}' });
    summarizer.add(batch('s1', 3));
    await summarizer.flush();
    const list = '1. [0] click: d0 — /p/0\n2. [1] click: d1 — /p/1\n3. [2] click: d2 — /p/2';
    assert.equal(llm.calls[0]!.prompt, `JSON {"a": {b}} ${list} / ${list}`);
  });

  test('action text with $-patterns is inserted verbatim', async () => {
    const { llm, summarizer } = setup({ threshold: 1 });
    summarizer.add(createActionsPayload({ product_id: PRODUCT, session_id: 's1', forwarded_at: 1, actions: [{ description: "cost $& $' $1" }] }));
    await summarizer.flush();
    assert.ok(llm.calls[0]!.prompt.includes("cost $& $' $1"));
  });

  test('configuration errors: threshold < 1, prompt without {actions}; an empty prompt means the default', () => {
    const llm = new FakeLlm();
    const isConfigError = (error: unknown) => isSightlineError(error, 'SL_CONFIG_INVALID');
    assert.throws(() => new SessionSummarizer({ llm: llm.fn, threshold: 0 }), isConfigError);
    assert.throws(() => new SessionSummarizer({ llm: llm.fn, threshold: 2.5 }), isConfigError);
    assert.throws(() => new SessionSummarizer({ llm: llm.fn, prompt: 'Summarise {events}' }), isConfigError);
    assert.throws(() => new SessionSummarizer({ llm: 'model' as never }), isConfigError);
    assert.doesNotThrow(() => new SessionSummarizer({ llm: llm.fn, prompt: '' }));
  });
});

describe('SessionSummarizer concurrency', () => {
  test('summaries of one session are delivered in order, each listener awaited before the next summary', async () => {
    const { llm, summarizer } = setup();
    llm.replyNext('first').replyNext('second');
    const delivered: string[] = [];
    let releaseListener!: () => void;
    const listenerGate = new Promise<void>((resolve) => (releaseListener = resolve));
    summarizer.onSummary(async (summary) => {
      if (summary.summary === 'first') await listenerGate;
      delivered.push(summary.summary);
    });
    summarizer.add(batch('s1', 3, 0));
    summarizer.add(batch('s1', 3, 3));
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(llm.calls.length, 1, 'the second call waits until the first summary is delivered');
    releaseListener();
    await summarizer.flush();
    assert.deepEqual(delivered, ['first', 'second']);
  });

  test('a second threshold crossing while a call runs waits for it', async () => {
    const { llm, summarizer, summaries } = setup();
    const release = llm.hold();
    summarizer.add(batch('s1', 3, 0));
    await new Promise((resolve) => setImmediate(resolve));
    summarizer.add(batch('s1', 3, 3));
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(llm.calls.length, 1, 'the second batch waits for the running call');
    release();
    await summarizer.flush();
    assert.equal(llm.calls.length, 2);
    assert.deepEqual(descriptionsIn(llm.calls[1]!.prompt), ['d3', 'd4', 'd5']);
    assert.deepEqual(summaries.map((summary) => summary.replaces), [3, 3]);
  });

  test('different sessions are summarised concurrently', async () => {
    const { llm, summarizer } = setup();
    const release = llm.hold();
    summarizer.add(batch('s1', 3));
    summarizer.add(batch('s2', 3));
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(llm.calls.length, 2);
    release();
    await summarizer.flush();
  });

  // docs/decisions/D-17-no-shared-anonymous-key.md
  test('anonymous payloads are keyed by distinct id, never pooled; unattributable ones are refused', async () => {
    const { summarizer } = setup({ threshold: 10 });
    summarizer.add(batch(null, 2, 0, { user_id: 'anon-a' }));
    summarizer.add(batch(null, 2, 0, { user_id: 'anon-b' }));
    assert.equal(summarizer.add(batch(null, 2)), false);
    assert.deepEqual(summarizer.activeSessions(), [
      { productId: PRODUCT, sessionId: 'anon-a' },
      { productId: PRODUCT, sessionId: 'anon-b' },
    ]);
  });

  test('anything but an actions batch is refused', () => {
    const { summarizer } = setup();
    assert.equal(summarizer.add({ type: 'summary', product_id: PRODUCT, session_id: 's1', summary: 'x', replaces: 1, forwarded_at: 1 } as never), false);
    assert.equal(summarizer.add(null as never), false);
    assert.deepEqual(summarizer.activeSessions(), []);
  });

  test('the same session id in two products is two sessions', async () => {
    const { summarizer } = setup({ threshold: 10 });
    summarizer.add(batch('s1', 2, 0, { product_id: 'a' }));
    summarizer.add(batch('s1', 2, 0, { product_id: 'b' }));
    assert.equal(summarizer.pendingCount({ productId: 'a', sessionId: 's1' }), 2);
    assert.equal(summarizer.pendingCount({ productId: 'b', sessionId: 's1' }), 2);
  });
});

describe('SessionSummarizer failure handling', () => {
  test('on LLM failure the history is restored and the next add summarises everything at once', async () => {
    const { llm, summarizer, summaries, errors } = setup({ threshold: 5, retryBackoff: false });
    llm.failNext(new Error('rate limited'));
    summarizer.add(batch('s1', 5, 0));
    await summarizer.flush();
    assert.equal(summaries.length, 0);
    assert.deepEqual(errors, [{ stage: 'llm', sessionId: 's1' }]);
    assert.equal(summarizer.pendingCount({ productId: PRODUCT, sessionId: 's1' }), 5);
    assert.equal(llm.calls.length, 1, 'nothing is retried straight away');
    summarizer.add(batch('s1', 3, 5));
    await summarizer.flush();
    assert.equal(summaries.length, 1);
    assert.equal(summaries[0]!.replaces, 8);
    assert.deepEqual(descriptionsIn(llm.calls[1]!.prompt), ['d0', 'd1', 'd2', 'd3', 'd4', 'd5', 'd6', 'd7']);
  });

  test('restored history keeps older items first when actions arrived during the failed call', async () => {
    const { llm, summarizer } = setup({ threshold: 5, retryBackoff: false });
    llm.failNext();
    const release = llm.hold();
    summarizer.add(batch('s1', 5, 0));
    await new Promise((resolve) => setImmediate(resolve));
    summarizer.add(batch('s1', 2, 5));
    release();
    await summarizer.flush();
    assert.equal(summarizer.pendingCount({ productId: PRODUCT, sessionId: 's1' }), 7);
    assert.deepEqual(descriptionsIn(summarizer.getContext({ productId: PRODUCT, sessionId: 's1' })), ['d0', 'd1', 'd2', 'd3', 'd4', 'd5', 'd6']);
  });

  test('with backoff, failures retry on a timer at 1 s, 2 s, … and adds during the backoff do not call the model', async () => {
    const { clock, llm, summarizer, summaries } = setup();
    llm.failNext().failNext();
    summarizer.add(batch('s1', 3, 0));
    await summarizer.flush();
    assert.deepEqual(clock.pendingDelays().filter((delay) => delay <= 60_000), [1_000]);
    summarizer.add(batch('s1', 3, 3));
    await summarizer.flush();
    assert.equal(llm.calls.length, 1);
    await clock.advance(1_000);
    await summarizer.flush();
    assert.equal(llm.calls.length, 2);
    assert.ok(clock.pendingDelays().includes(2_000));
    await clock.advance(2_000);
    await summarizer.flush();
    assert.equal(summaries.length, 1);
    assert.equal(summaries[0]!.replaces, 6);
  });

  test('a model that returns empty text counts as a failure', async () => {
    const { llm, summarizer, summaries, errors } = setup({ retryBackoff: false });
    llm.replyNext('   ');
    summarizer.add(batch('s1', 3));
    await summarizer.flush();
    assert.equal(summaries.length, 0);
    assert.equal(errors.length, 1);
    assert.equal(summarizer.pendingCount({ productId: PRODUCT, sessionId: 's1' }), 3);
  });

  // docs/decisions/D-15-summary-failures-keep-history.md
  test('a throwing custom formatter restores the history instead of losing it', async () => {
    let calls = 0;
    const { llm, summarizer } = setup({
      retryBackoff: false,
      formatActions: () => {
        calls++;
        if (calls === 1) throw new Error('bad formatter');
        return 'ok';
      },
    });
    summarizer.add(batch('s1', 3));
    await summarizer.flush();
    assert.equal(llm.calls.length, 0);
    summarizer.add(batch('s1', 1, 3));
    await summarizer.flush();
    assert.equal(llm.calls.length, 1);
  });

  test('a listener error is reported and the other listeners still run', async () => {
    const { summarizer, summaries, errors } = setup();
    summarizer.onSummary(() => {
      throw new Error('listener broke');
    });
    const late: string[] = [];
    summarizer.onSummary((summary) => {
      late.push(summary.sessionId);
    });
    summarizer.add(batch('s1', 3));
    await summarizer.flush();
    assert.equal(summaries.length, 1);
    assert.deepEqual(late, ['s1']);
    assert.deepEqual(errors, [{ stage: 'listener', sessionId: 's1' }]);
  });

  test('onSummary returns an unsubscribe function', async () => {
    const { summarizer } = setup();
    const seen: string[] = [];
    const unsubscribe = summarizer.onSummary((summary) => {
      seen.push(summary.sessionId);
    });
    unsubscribe();
    summarizer.add(batch('s1', 3));
    await summarizer.flush();
    assert.deepEqual(seen, []);
  });
});

describe('SessionSummarizer bounds and lifecycle', () => {
  test('maxSessions evicts the least recently active session and discards its pending actions', () => {
    const { summarizer } = setup({ threshold: 10, maxSessions: 2 });
    summarizer.add(batch('alpha', 1));
    summarizer.add(batch('beta', 1));
    summarizer.add(batch('alpha', 1));
    summarizer.add(batch('gamma', 1));
    assert.deepEqual(
      summarizer.activeSessions().map((key) => key.sessionId),
      ['alpha', 'gamma'],
    );
  });

  // docs/decisions/D-16-retry-and-cap.md
  test('maxPendingActions drops the oldest actions and counts them', async () => {
    const { llm, summarizer } = setup({ threshold: 3, maxPendingActions: 4, retryBackoff: false });
    llm.failNext();
    summarizer.add(batch('s1', 3, 0));
    await summarizer.flush();
    summarizer.add(batch('s1', 2, 3)); // 5 pending > 4: d0 goes, then 4 ≥ 3 summarises d1..d4
    await summarizer.flush();
    assert.equal(summarizer.droppedActions, 1);
    assert.deepEqual(descriptionsIn(llm.calls[1]!.prompt), ['d1', 'd2', 'd3', 'd4']);
  });

  // docs/decisions/D-14-idle-sessions-summarised.md
  test('an idle session has its pending actions summarised, then is forgotten', async () => {
    const { clock, summarizer, summaries } = setup({ threshold: 10, idleTimeoutMs: 60_000 });
    summarizer.add(batch('s1', 2, 0));
    await clock.advance(30_000);
    summarizer.add(batch('s1', 1, 2));
    await clock.advance(59_999);
    assert.equal(summaries.length, 0, 'activity restarted the idle period');
    await clock.advance(1);
    await summarizer.flush();
    assert.equal(summaries.length, 1);
    assert.equal(summaries[0]!.replaces, 3);
    assert.deepEqual(summarizer.activeSessions(), []);
    assert.equal(clock.pendingTimers, 0);
  });

  test('reset drops pending actions; a running call that then fails does not resurrect them', async () => {
    const { llm, summarizer, summaries } = setup({ threshold: 3, retryBackoff: false });
    llm.failNext();
    const release = llm.hold();
    summarizer.add(batch('s1', 3, 0));
    await new Promise((resolve) => setImmediate(resolve));
    summarizer.reset({ productId: PRODUCT, sessionId: 's1' });
    release();
    await summarizer.flush();
    assert.equal(summarizer.pendingCount({ productId: PRODUCT, sessionId: 's1' }), 0);
    summarizer.add(batch('s1', 2, 3));
    assert.deepEqual(descriptionsIn(summarizer.getContext({ productId: PRODUCT, sessionId: 's1' })), ['d3', 'd4']);
    assert.equal(summaries.length, 0);
  });

  test('close() summarises what is pending, waits, and refuses later payloads', async () => {
    const { clock, summarizer, summaries } = setup({ threshold: 10 });
    summarizer.add(batch('s1', 2));
    summarizer.add(batch('s2', 1));
    await summarizer.close();
    assert.deepEqual(summaries.map((summary) => [summary.sessionId, summary.replaces]), [
      ['s1', 2],
      ['s2', 1],
    ]);
    assert.equal(summarizer.add(batch('s1', 5)), false);
    assert.equal(clock.pendingTimers, 0);
  });

  test('reads with an invalid key raise SL_SESSION_KEY_INVALID', () => {
    const { summarizer } = setup();
    assert.throws(
      () => summarizer.getContext({ sessionId: 's1' } as never),
      (error: unknown) => isSightlineError(error, 'SL_SESSION_KEY_INVALID'),
    );
  });
});

describe('SessionSummarizer rolling summaries', () => {
  const key = { productId: PRODUCT, sessionId: 's1' };
  /** A model stand-in that echoes its structured input: the story so far, then the span of pages it was given. */
  const echo = () =>
    new FakeLlm({
      reply: (_prompt, input) => foldSummary(input?.previousSummary, `Visited ${input?.actions[0]?.canonical_url} to ${input?.actions.at(-1)?.canonical_url}.`),
    });

  test('89 actions at threshold 10: each prompt carries the previous summary and the final story still names the first page', async () => {
    const llm = echo();
    const summarizer = new SessionSummarizer({ llm: llm.fn, threshold: 10, clock: new FakeClock() });
    const summaries: SessionSummary[] = [];
    summarizer.onSummary((summary) => {
      summaries.push(summary);
    });
    for (let index = 0; index < 89; index++) {
      summarizer.add(batch('s1', 1, index));
      await summarizer.flush();
    }
    await summarizer.close();
    assert.equal(summaries.length, 9, 'eight at the threshold, one for the nine left at close');
    assert.equal(llm.calls[0]!.input?.previousSummary, null);
    assert.ok(llm.calls[0]!.prompt.includes('Story so far:\n(none yet)'));
    for (let call = 1; call < llm.calls.length; call++) {
      const previous = summaries[call - 1]!.summary;
      assert.equal(llm.calls[call]!.input?.previousSummary, previous);
      assert.equal(summaries[call]!.previousSummary, previous);
      assert.ok(llm.calls[call]!.prompt.includes(`Story so far:\n${previous}\n`));
    }
    const story = summarizer.story(key)!;
    assert.equal(story, summaries.at(-1)!.summary);
    assert.ok(story.includes('/p/0 '), story);
    assert.ok(story.includes('/p/88.'), story);
    assert.ok(story.length <= 600);
  });

  test('the model receives the structured actions and the session beside the prompt', async () => {
    const { llm, summarizer } = setup();
    summarizer.add(batch('s1', 3));
    await summarizer.flush();
    const input = llm.calls[0]!.input!;
    assert.deepEqual(
      input.actions.map((action) => action.description),
      ['d0', 'd1', 'd2'],
    );
    assert.equal(input.productId, PRODUCT);
    assert.equal(input.sessionId, 's1');
  });

  test('a custom template without {previous_summary} gets the story as a paragraph in front', async () => {
    const { llm, summarizer } = setup({ prompt: 'Summarise {actions}' });
    llm.replyNext('Looked at p0 to p2.');
    summarizer.add(batch('s1', 3));
    await summarizer.flush();
    summarizer.add(batch('s1', 3, 3));
    await summarizer.flush();
    assert.equal(llm.calls[0]!.prompt, 'Summarise 1. [0] click: d0 — /p/0\n2. [1] click: d1 — /p/1\n3. [2] click: d2 — /p/2');
    assert.ok(llm.calls[1]!.prompt.startsWith('Earlier in this session: Looked at p0 to p2.\n\nSummarise 1. [3] click: d3'));
    assert.equal(llm.calls[1]!.input?.previousSummary, 'Looked at p0 to p2.');
  });

  test('a custom template substitutes only {actions} and {previous_summary}, once, other braces literal', () => {
    const prompt = renderSummaryPrompt('{"x": {y}} {previous_summary} | {actions} | {actions}', 'A {previous_summary} $&', 'S {actions} $1');
    assert.equal(prompt, '{"x": {y}} S {actions} $1 | A {previous_summary} $& | A {previous_summary} $&');
  });

  test('reset forgets the story; a story outlives an idle session', async () => {
    const { clock, llm, summarizer } = setup({ threshold: 3, idleTimeoutMs: 1_000 });
    llm.replyNext('First.');
    summarizer.add(batch('s1', 3));
    await summarizer.flush();
    await clock.advance(2_000);
    assert.deepEqual(summarizer.activeSessions(), []);
    assert.equal(summarizer.story(key), 'First.');
    summarizer.add(batch('s1', 3, 3));
    await summarizer.flush();
    assert.equal(llm.calls[1]!.input?.previousSummary, 'First.');
    summarizer.reset(key);
    assert.equal(summarizer.story(key), null);
  });

  test('with readStory, two summarizers sharing a store continue each other\'s summaries', async () => {
    // The shared store holds the story; each summarizer sees only the batches it applied.
    const stories = new Map<string, string>();
    const readStory = async (at: { productId: string; sessionId: string }) => stories.get(`${at.productId}/${at.sessionId}`) ?? null;
    const first = setup({ readStory });
    const second = setup({ readStory });
    for (const { summarizer } of [first, second]) summarizer.onSummary((summary) => void stories.set(`${summary.productId}/${summary.sessionId}`, summary.summary));
    first.llm.replyNext('Story by the first.');
    first.summarizer.add(batch('s1', 3));
    await first.summarizer.flush();
    second.llm.replyNext('Story by the second.');
    second.summarizer.add(batch('s1', 3, 3));
    await second.summarizer.flush();
    assert.equal(second.llm.calls[0]!.input?.previousSummary, 'Story by the first.');
    assert.match(second.llm.calls[0]!.prompt, /Story by the first\./);
    first.summarizer.add(batch('s1', 3, 6));
    await first.summarizer.flush();
    assert.equal(first.llm.calls[1]!.input?.previousSummary, 'Story by the second.');
  });

  test('a failing readStory is reported and the actions are kept for the retry', async () => {
    const { llm, summarizer, errors } = setup({ readStory: async () => Promise.reject(new Error('store down')), retryBackoff: false });
    summarizer.add(batch('s1', 3));
    await summarizer.flush();
    assert.equal(llm.calls.length, 0);
    assert.deepEqual(errors, [{ stage: 'llm', sessionId: 's1' }]);
    assert.equal(summarizer.pendingCount(key), 3);
  });
});
