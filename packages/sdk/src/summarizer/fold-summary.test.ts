import { test } from 'node:test';
import assert from 'node:assert/strict';
import { STORY_MAX_CHARS, foldSummary } from './fold-summary.ts';

test('foldSummary joins the story and the new summary whole when both fit', () => {
  assert.equal(foldSummary('Visited Team. Invited a member.', 'Visited Billing.'), 'Visited Team. Invited a member. Visited Billing.');
});

test('foldSummary without a story gives the new summary; blank parts are ignored', () => {
  assert.equal(foldSummary(null, ' Visited Billing. '), 'Visited Billing.');
  assert.equal(foldSummary('  ', 'Visited Billing.'), 'Visited Billing.');
  assert.equal(foldSummary('Visited Team.', ' '), 'Visited Team.');
});

test('foldSummary folded many times stays bounded and keeps the first and the newest sentences', () => {
  let story: string | null = null;
  for (let step = 0; step < 50; step++) story = foldSummary(story, `Step ${step} visited the page number ${step}.`);
  assert.ok(story!.length <= STORY_MAX_CHARS, `${story!.length}`);
  assert.ok(story!.startsWith('Step 0 visited the page number 0.'), story!);
  assert.ok(story!.endsWith('Step 49 visited the page number 49.'), story!);
  assert.ok(!story!.includes('Step 20 '), 'the middle gives way first');
});

test('foldSummary clips a single overlong sentence at a word boundary with an ellipsis', () => {
  const long = `Visited ${'many pages '.repeat(30)}today.`;
  const folded = foldSummary('Started on Team.', long, { maxChars: 100 });
  assert.ok(folded.length <= 100, `${folded.length}`);
  assert.ok(folded.startsWith('Started on Team. Visited many'), folded);
  assert.ok(folded.endsWith('…'), folded);
});
