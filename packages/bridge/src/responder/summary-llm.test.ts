import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSlimAction, type SlimAction, type SlimActionFields } from '@sightline/protocol';
import type { SummaryInput } from '@sightline/sdk';
import { STORY_MAX_CHARS } from '@sightline/sdk/internal';
import { createSummaryLlm, extractiveSummary } from './summary-llm.ts';
import type { ChatRequest } from '../llm/chat-model.ts';
import { CHOOSING_PLAN, SENT_INVITE, demoActions } from './__fixtures__/demo-actions.ts';

const input = (actions: SlimAction[], previousSummary: string | null = null): SummaryInput => ({ previousSummary, actions, productId: 'acme', sessionId: 's1' });

const page = (title: string, path: string): SlimActionFields => ({ page: { title, path } });

/** Team → Invite member (dialog) → Cancel → Billing → Upgrade plan (dialog) → Business, as structured actions. */
const UPGRADE_STEPS: SlimActionFields[] = [
  { ...page('Team', '/team'), type: 'pageview', step: 'navigate', title: 'Team' },
  { ...page('Team', '/team'), type: 'click', step: 'open', target: { role: 'button', label: 'Invite member' } },
  { ...page('Team', '/team'), type: 'click', step: 'click', target: { role: 'field', label: 'Email' }, container: { kind: 'dialog', label: 'Invite a teammate' } },
  { ...page('Team', '/team'), type: 'click', step: 'dismiss', target: { role: 'button', label: 'Cancel' }, container: { kind: 'dialog', label: 'Invite a teammate' } },
  { ...page('Billing', '/billing'), type: 'pageview', step: 'navigate' },
  { ...page('Billing', '/billing'), type: 'click', step: 'open', target: { role: 'button', label: 'Upgrade plan' } },
  { ...page('Billing', '/billing'), type: 'click', step: 'choose', target: { role: 'radio', label: 'Business' }, choice: 'Business', container: { kind: 'dialog', label: 'Upgrade plan' } },
];
const UPGRADE_FLOW: SlimAction[] = UPGRADE_STEPS.map((fields, index) => createSlimAction({ index, ...fields }));

test('extractiveSummary on structured actions names pages, dialogs, what was closed and the choice, in order', () => {
  assert.equal(
    extractiveSummary(input(UPGRADE_FLOW)),
    "Visited Team; opened 'Invite a teammate'; closed 'Invite a teammate' without finishing; visited Billing; opened 'Upgrade plan'; chose 'Business'.",
  );
});

test('extractiveSummary names a finished flow and a dialog by its opener when the chain carries no dialog name', () => {
  const steps: SlimActionFields[] = [
    { ...page('Posts', '/posts'), step: 'open', target: { role: 'button', label: 'Schedule' } },
    { ...page('Posts', '/posts'), step: 'submit', target: { role: 'button', label: 'Save' }, container: { kind: 'form', label: 'Schedule post' } },
    { ...page('Posts', '/posts'), step: 'open', target: { role: 'button', label: 'Assign' } },
  ];
  const actions = steps.map((fields) => createSlimAction(fields));
  assert.equal(extractiveSummary(input(actions)), "Visited Posts; opened 'Schedule'; finished 'Schedule post'; opened 'Assign'.");
});

test('extractiveSummary names plain clicks only when nothing else happened', () => {
  const actions = ['Export', 'Filter', 'Export'].map((label) => createSlimAction({ step: 'click', target: { role: 'button', label } }));
  assert.equal(extractiveSummary(input(actions)), "Clicked 'Export' and 'Filter'.");
});

test("extractiveSummary on Autoplay's prose actions reads them through structureOf and shows no field names or form ids", () => {
  const summary = extractiveSummary(input([...demoActions(SENT_INVITE), ...demoActions(CHOOSING_PLAN)]));
  assert.equal(summary, 'Visited Dashboard and Team; submitted a form; visited Billing.');
  for (const internal of ['Page Load', 'invite-member-form', "'plan'", "'role'"]) assert.ok(!summary.includes(internal), internal);
});

test('extractiveSummary folds the story so far: the earliest work stays, the newest is added, within the bound', () => {
  let story: string | null = null;
  for (let chunk = 0; chunk < 30; chunk++) {
    const actions = [createSlimAction({ step: 'navigate', page: { title: `Page ${chunk}`, path: `/p/${chunk}` } })];
    story = extractiveSummary(input(actions, story));
  }
  assert.ok(story!.length <= STORY_MAX_CHARS, `${story!.length}`);
  assert.ok(story!.startsWith('Visited Page 0.'), story!);
  assert.ok(story!.endsWith('Visited Page 29.'), story!);
  assert.equal(extractiveSummary(input(UPGRADE_FLOW, 'Visited Dashboard.')).split('. ')[0], 'Visited Dashboard');
});

test('extractiveSummary with nothing to tell keeps the story, or says nothing was recorded', () => {
  assert.equal(extractiveSummary(input([], 'Visited Team.')), 'Visited Team.');
  assert.match(extractiveSummary(input([])), /No user actions/);
});

test('createSummaryLlm without a model is extractive from the structured input; with one it forwards the prompt', async () => {
  const offline = createSummaryLlm(null);
  assert.equal(await offline('any prompt text', input(UPGRADE_FLOW)), extractiveSummary(input(UPGRADE_FLOW)));
  await assert.rejects(offline('Actions:\n1. [0] click: d0 — /a\nSummary:'), /structured input/);
  const seen: ChatRequest[] = [];
  const llm = createSummaryLlm((request) => {
    seen.push(request);
    return Promise.resolve('model summary');
  });
  assert.equal(await llm('the prompt', input(UPGRADE_FLOW)), 'model summary');
  assert.equal(seen[0]!.prompt, 'the prompt');
  assert.ok(seen[0]!.maxOutputTokens! > 0);
});

test('createSummaryLlm lets model failures reject so the summarizer can retry later', async () => {
  const llm = createSummaryLlm(() => Promise.reject(new Error('down')));
  await assert.rejects(llm('the prompt'), /down/);
});
