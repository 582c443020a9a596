import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ProductKnowledge } from '../knowledge/knowledge-types.ts';
import { activityState, NOW_SECONDS, stateContext } from './__fixtures__/activity-state.ts';
import { knowledgeRecords } from './knowledge-records.ts';
import { buildReplyPrompt } from './reply-prompt.ts';
import { renderSystemPrompt } from './system-prompt.ts';

/** A bank's knowledge for "how do I block my card?": a path from the UI map and a help article. */
const BANK: ProductKnowledge = {
  paths: [
    {
      goal: 'Block card',
      steps: [
        { kind: 'navigate', label: 'Cards', page: '/cards' },
        { kind: 'click', label: 'Card settings', page: '/cards' },
        { kind: 'submit', label: 'Block card', page: '/cards' },
      ],
      users: 5,
      score: 2,
    },
  ],
  passages: [
    {
      title: 'Karte sperren',
      headings: ['Schritte'],
      text: "1. Öffne 'Karten'.\n2. Klicke auf 'Karte sperren'.",
      source: 'de/karten/karte-sperren.html',
      language: 'de',
      score: 3,
    },
  ],
};

function bankContext(query: string, knowledge: ProductKnowledge | undefined) {
  return stateContext(query, {
    tabs: [activityState({ key: { productId: 'bank', sessionId: 's1', windowId: null }, page: { title: 'Accounts', path: '/accounts', since: NOW_SECONDS - 60 }, lastAt: NOW_SECONDS - 60 })],
    ...(knowledge ? { knowledge } : {}),
  });
}

test('paths come before passages, each titled with its source, labels quoted as the product shows them', () => {
  assert.deepEqual(knowledgeRecords(BANK), [
    {
      title: "Path other users took to 'Block card' from where this user is (UI map, 5 users)",
      content: "- go to 'Cards'\n- click 'Card settings' (on /cards)\n- finish with 'Block card' (on /cards)",
    },
    {
      title: "Help article 'Karte sperren' › Schritte (help center, de/karten/karte-sperren.html, language de)",
      content: "1. Öffne 'Karten'.\n2. Klicke auf 'Karte sperren'.",
    },
  ]);
  assert.deepEqual(knowledgeRecords(undefined), []);
});

test('the knowledge-base section comes after what the user is doing now and before the message', () => {
  const { prompt } = buildReplyPrompt(bankContext('how do I block my card?', BANK));
  const where = prompt.indexOf('[WHERE THE USER IS NOW]');
  const knowledge = prompt.indexOf('Knowledge base excerpts:');
  const message = prompt.indexOf('[CURRENT USER MESSAGE]');
  assert.ok(where >= 0 && where < knowledge && knowledge < message, prompt);
  assert.ok(prompt.includes("--- Path other users took to 'Block card'"));
  assert.ok(prompt.indexOf('--- Path') < prompt.indexOf('--- Help article'));
});

test('without knowledge the prompt has no knowledge-base section', () => {
  assert.equal(buildReplyPrompt(bankContext('how do I block my card?', undefined)).prompt.includes('Knowledge base excerpts:'), false);
  assert.equal(buildReplyPrompt(bankContext('how do I block my card?', { paths: [], passages: [] })).prompt.includes('Knowledge base excerpts:'), false);
});

test('over budget, the least relevant records go first; the message and where the user is stay', () => {
  const many: ProductKnowledge = {
    paths: [],
    passages: Array.from({ length: 3 }, (_, index) => ({ title: `Article ${index}`, headings: [], text: 'word '.repeat(150), source: `a${index}.md`, language: 'en', score: 3 - index })),
  };
  const full = buildReplyPrompt(bankContext('how do I block my card?', many)).prompt;
  assert.ok(full.includes("'Article 2'"));
  const trimmed = buildReplyPrompt(bankContext('how do I block my card?', many), { tokenBudget: 1350 }).prompt;
  assert.ok(trimmed.includes("'Article 0'") && trimmed.includes("'Article 1'"), trimmed);
  assert.equal(trimmed.includes("'Article 2'"), false);
  assert.ok(trimmed.includes('[WHERE THE USER IS NOW]') && trimmed.includes('how do I block my card?'));
});

test('the system prompt orders the sources, asks for the source to be named and forbids labels found in none of them', () => {
  const system = renderSystemPrompt(null);
  assert.match(system, /what they are doing now; else a path other users took from where they are .*; else a help article's steps/);
  assert.match(system, /Say in a few words where the steps come from/);
  assert.match(system, /name only labels found in these sections or the excerpts/);
});
