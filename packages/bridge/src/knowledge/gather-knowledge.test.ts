import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FakeClock } from '@sightline/sdk/testing';
import { gatherKnowledge } from './gather-knowledge.ts';
import type { HelpPassage, KnowledgeQuestion, KnowledgeSource, UiPath } from './knowledge-types.ts';

const QUESTION: KnowledgeQuestion = { productId: 'bank', query: 'how do I block my card?', language: 'en', page: '/accounts', pageTitle: 'Accounts' };

function passage(title: string, source = `en/${title}.md`): HelpPassage {
  return { title, headings: [], text: `About ${title}`, source, language: 'en', score: 1 };
}

function path(goal: string): UiPath {
  return { goal, steps: [{ kind: 'click', label: goal, page: '/cards' }], users: 3, score: 1 };
}

test('every source is asked the same question; lists are merged in source order, duplicates once, cut to the limits', async () => {
  const asked: KnowledgeQuestion[] = [];
  const sources: KnowledgeSource[] = [
    { find: async (question) => (asked.push(question), { passages: [passage('Block a card'), passage('Order a card')] }) },
    { find: async (question) => (asked.push(question), { paths: [path('Block card'), path('Block card')], passages: [passage('Block a card')] }) },
  ];
  const found = await gatherKnowledge(sources, QUESTION, { maxPassages: 5 });
  assert.deepEqual(asked, [QUESTION, QUESTION]);
  assert.deepEqual(found.passages.map((item) => item.title), ['Block a card', 'Order a card']);
  assert.deepEqual(found.paths.map((item) => item.goal), ['Block card']);
  const limited = await gatherKnowledge(sources, QUESTION, { maxPassages: 1 });
  assert.equal(limited.passages.length, 1);
});

test('a source that rejects or answers malformed data adds nothing and takes nothing away', async () => {
  const sources: KnowledgeSource[] = [
    { find: () => Promise.reject(new Error('index away')) },
    { find: async () => ({ passages: [{ title: 3 } as unknown as HelpPassage, null as unknown as HelpPassage], paths: 'x' as unknown as UiPath[] }) },
    { find: async () => ({ passages: [passage('Block a card')] }) },
  ];
  const found = await gatherKnowledge(sources, QUESTION);
  assert.deepEqual(found, { passages: [passage('Block a card')], paths: [] });
});

test('a source still working when the time limit passes is cancelled and left out; the others are kept', async () => {
  const clock = new FakeClock({ now: 0 });
  let aborted = false;
  const slow: KnowledgeSource = {
    find: (_question, signal) =>
      new Promise(() => {
        signal?.addEventListener('abort', () => (aborted = true));
      }),
  };
  const quick: KnowledgeSource = { find: async () => ({ paths: [path('Block card')] }) };
  const pending = gatherKnowledge([slow, quick], QUESTION, { clock, timeoutMs: 250 });
  await clock.advance(249);
  assert.equal(aborted, false);
  await clock.advance(1);
  const found = await pending;
  assert.equal(aborted, true);
  assert.deepEqual(found.paths.map((item) => item.goal), ['Block card']);
  assert.equal(clock.pendingTimers, 0);
});

test('no sources: nothing, at once', async () => {
  assert.deepEqual(await gatherKnowledge([], QUESTION), { passages: [], paths: [] });
});
