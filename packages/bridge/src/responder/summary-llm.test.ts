import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSummaryLlm, extractiveSummary } from './summary-llm.ts';
import type { ChatRequest } from '../llm/chat-model.ts';

const PROMPT = [
  'Summarise this session.',
  'Actions:',
  "1. [0] pageview: User viewed the Dashboard page — https://app.example.com/dashboard",
  '2. [1] click: User clicked Team on the Dashboard page — https://app.example.com/dashboard',
  '3. [2] pageview: User viewed the Team page — https://app.example.com/team',
  '4. [3] click: User clicked Invite member on the Team page — https://app.example.com/team',
  '5. [4] submit: User submitted the Invite form on the Team page — https://app.example.com/team',
  'Summary:',
].join('\n');

test('extractiveSummary names the pages, the elements used and the last action', () => {
  assert.equal(
    extractiveSummary(PROMPT),
    'The user visited the Dashboard and Team pages. They clicked Team and Invite member and submitted Invite. ' +
      'Most recently: User submitted the Invite form on the Team page.',
  );
});

test('extractiveSummary falls back to URL page names and tolerates an empty type', () => {
  const summary = extractiveSummary('Actions:\n1. [0] : d0 — /projects/:id/settings\n2. [1] click: d1 — /billing\nSummary:');
  assert.match(summary, /Settings and Billing pages/);
  assert.match(summary, /Most recently: d1\./);
});

test('extractiveSummary answers something sensible when the prompt has no action lines', () => {
  assert.match(extractiveSummary('Actions:\n\nSummary:'), /No user actions/);
});

test('createSummaryLlm without a model is extractive; with one it forwards the prompt', async () => {
  assert.equal(await createSummaryLlm(null)(PROMPT), extractiveSummary(PROMPT));
  const seen: ChatRequest[] = [];
  const llm = createSummaryLlm((request) => {
    seen.push(request);
    return Promise.resolve('model summary');
  });
  assert.equal(await llm(PROMPT), 'model summary');
  assert.equal(seen[0]!.prompt, PROMPT);
  assert.ok(seen[0]!.maxOutputTokens! > 0);
});

test('createSummaryLlm lets model failures reject so the summarizer can retry later', async () => {
  const llm = createSummaryLlm(() => Promise.reject(new Error('down')));
  await assert.rejects(llm(PROMPT), /down/);
});
