import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildReplyPrompt } from './reply-prompt.ts';
import { fillTemplate, renderSystemPrompt, SYSTEM_PROMPT_TEMPLATE } from './system-prompt.ts';
import { WHERE_USER_IS_HEADER } from './where-user-is.ts';
import { action, replyContext } from '../responder/__fixtures__/reply-context.ts';
import {
  CHOOSING_PLAN,
  demoActions,
  demoContext,
  FILLING_INVITE,
  OPEN_INVITE,
  SENT_INVITE,
} from '../responder/__fixtures__/demo-actions.ts';

test('the system prompt template carries the tutorial rules and one first-name placeholder', () => {
  assert.equal(SYSTEM_PROMPT_TEMPLATE.match(/\{first_name\}/g)?.length, 1);
  const system = renderSystemPrompt('Jane');
  assert.match(system, /User's first name: Jane\.$/);
  assert.match(system, /Never recite the activity log/);
  assert.match(system, /language of the user's message/);
  assert.match(system, /Name only buttons, links, fields and pages that appear in the activity log/);
  assert.match(renderSystemPrompt(null), /User's first name: unknown/);
});

test('the system prompt makes the where-the-user-is section the authoritative current state', () => {
  const system = renderSystemPrompt('Jane');
  assert.ok(system.includes(`The ${WHERE_USER_IS_HEADER} section, when present, is the authoritative current state`));
  assert.match(system, /Continue from exactly where that section puts them/);
  assert.match(system, /Never tell them to click something they have just clicked/);
  assert.match(system, /appear in the activity log or in that section/);
});

test('fillTemplate fills known names, keeps unknown ones and unescapes doubled braces', () => {
  assert.equal(fillTemplate('{a} {b} {{a}}', { a: 'x' }), 'x {b} {a}');
});

test('with no activity and no history the user block is the no-activity note and the message', () => {
  const { prompt } = buildReplyPrompt(replyContext('  hello  ', { sessions: [] }));
  assert.equal(prompt, '[RECENT PRODUCT ACTIVITY]\n(no activity recorded for this user yet)\n\n[CURRENT USER MESSAGE]\nhello');
});

test('action lines are bounded to the most recent ones, with a note of how many were left out', () => {
  const many = Array.from({ length: 50 }, (_, index) =>
    action(index, 'click', `Clicked 'Item ${index}'`, `User clicked Item ${index} on the List page`, '/list', 1000 + index),
  );
  const { prompt } = buildReplyPrompt(replyContext('q', { sessions: [{ productId: 'p', sessionId: 's', summary: '', actions: many }] }), {
    maxActionLines: 5,
  });
  assert.match(prompt, /\(45 earlier actions omitted\)\n1\. \[45\] click: User clicked Item 45/);
  assert.doesNotMatch(prompt, /Item 44\b/);
});

test('history is bounded to the last turns, skips empty ones and clips long ones', () => {
  const history = Array.from({ length: 14 }, (_, index) => ({
    role: index % 2 === 0 ? ('user' as const) : ('assistant' as const),
    content: index === 13 ? 'x'.repeat(50) : index === 12 ? '   ' : `turn ${index}`,
  }));
  const { prompt } = buildReplyPrompt(replyContext('q', { sessions: [], history }), { maxHistoryTurns: 4, maxTurnChars: 10 });
  assert.match(prompt, /Prior conversation:\nuser: turn 10\nassistant: turn 11\nassistant: x{9}…\n\n\[CURRENT USER MESSAGE\]/);
  assert.doesNotMatch(prompt, /turn 9/);
});

test('sessions are ordered by time and their summaries come before the action lines', () => {
  const older = [action(0, 'pageview', 'Page Load: Billing', 'User viewed the Billing page', '/billing', 10)];
  const newer = [action(0, 'pageview', 'Page Load: Team', 'User viewed the Team page', '/team', 20)];
  const { prompt } = buildReplyPrompt(
    replyContext('q', {
      sessions: [
        { productId: 'p', sessionId: 'new', summary: 'Opened settings.', actions: newer },
        { productId: 'p', sessionId: 'old', summary: '', actions: older },
      ],
    }),
  );
  assert.match(
    prompt,
    /\[RECENT PRODUCT ACTIVITY\]\nEarlier in session new: Opened settings\.\n\n1\. \[0\] pageview: User viewed the Billing page — \/billing\n2\. \[0\] pageview: User viewed the Team page — \/team\n\n\[CURRENT USER MESSAGE\]/,
  );
  // The current page comes from the newer session, in the state section in front.
  assert.match(prompt, /^\[WHERE THE USER IS NOW\]\nPage: Team\nLast action: Page Load: Team\n\n\[RECENT PRODUCT ACTIVITY\]/);
});

/** The section headers of a user block, in the order they appear. */
function headers(prompt: string): string[] {
  return [...prompt.matchAll(/^(\[[A-Z ]+\]|Prior conversation:)$/gm)].map((match) => match[1]!);
}

/** The where-the-user-is section of a prompt, header included; `null` when absent. */
function stateSection(prompt: string): string | null {
  return prompt.startsWith(WHERE_USER_IS_HEADER) ? prompt.slice(0, prompt.indexOf('\n\n')) : null;
}

test('Team → Invite member: the state says the invite dialog is open with nothing filled in, before every other section', () => {
  const actions = demoActions(OPEN_INVITE);
  const { prompt } = buildReplyPrompt(
    demoContext('how do I add a teammate?', OPEN_INVITE, {
      activitySince: actions.slice(2),
      history: [
        { role: 'user', content: 'hi' },
        { role: 'assistant', content: 'Hello Jane!' },
      ],
    }),
  );
  assert.equal(
    stateSection(prompt),
    "[WHERE THE USER IS NOW]\nPage: Team\nOpen dialog: opened with 'Invite member'; no fields used yet\nLast action: Clicked 'Invite member'",
  );
  assert.deepEqual(headers(prompt), [
    '[WHERE THE USER IS NOW]',
    '[ACTIVITY SINCE YOUR LAST CHAT MESSAGE]',
    '[RECENT PRODUCT ACTIVITY]',
    'Prior conversation:',
    '[CURRENT USER MESSAGE]',
  ]);
  assert.match(prompt, /\[CURRENT USER MESSAGE\]\nhow do I add a teammate\?$/);
});

test('Team → Invite member → email field: the state lists the fields used so far in the open dialog', () => {
  const { prompt } = buildReplyPrompt(demoContext('what next?', FILLING_INVITE.slice(0, 6)));
  assert.equal(
    stateSection(prompt),
    "[WHERE THE USER IS NOW]\nPage: Team\nOpen dialog: opened with 'Invite member'; fields used so far: email field (typed in)\nLast action: Typed in 'email'",
  );
  const filled = stateSection(buildReplyPrompt(demoContext('what next?', FILLING_INVITE)).prompt);
  assert.match(filled!, /fields used so far: email field \(typed in\), role dropdown \(option picked\)\nLast action: Selected an option in 'role'$/);
});

test('Billing → Upgrade plan: the state names the plan dialog and the option clicked inside it', () => {
  const { prompt } = buildReplyPrompt(demoContext('how do I pay?', CHOOSING_PLAN));
  assert.equal(
    stateSection(prompt),
    "[WHERE THE USER IS NOW]\nPage: Billing\nOpen dialog: opened with 'Upgrade plan'; fields used so far: plan radio button (option picked); also clicked inside: 'Business'\nLast action: Toggled 'plan'",
  );
  assert.deepEqual(headers(prompt), ['[WHERE THE USER IS NOW]', '[RECENT PRODUCT ACTIVITY]', '[CURRENT USER MESSAGE]']);
});

test("after 'Send invite' the state gives the completed step and no open dialog", () => {
  const { prompt } = buildReplyPrompt(demoContext('did it work?', SENT_INVITE));
  assert.equal(
    stateSection(prompt),
    "[WHERE THE USER IS NOW]\nPage: Team\nLast completed step: 'Send invite', which finished the dialog opened with 'Invite member' (fields used: email field (typed in), role dropdown (option picked))\nLast action: Submitted 'invite-member-form'",
  );
  assert.doesNotMatch(prompt, /Open dialog/);
});

test('with no activity the state section is left out, even when a session has only a summary', () => {
  for (const sessions of [[], [{ productId: 'demo', sessionId: 's1', summary: 'Looked around.', actions: [] }]]) {
    const { prompt } = buildReplyPrompt(demoContext('hi', [], { sessions }));
    assert.equal(stateSection(prompt), null);
    assert.doesNotMatch(prompt, /WHERE THE USER IS NOW/);
  }
});

test('the state is read from the activity since the last message when the sessions hold no actions', () => {
  const { prompt } = buildReplyPrompt(demoContext('q', [], { sessions: [], activitySince: demoActions(OPEN_INVITE) }));
  assert.match(stateSection(prompt)!, /^\[WHERE THE USER IS NOW\]\nPage: Team\nOpen dialog: opened with 'Invite member'/);
  assert.deepEqual(headers(prompt), [
    '[WHERE THE USER IS NOW]',
    '[ACTIVITY SINCE YOUR LAST CHAT MESSAGE]',
    '[RECENT PRODUCT ACTIVITY]',
    '[CURRENT USER MESSAGE]',
  ]);
});

test('every label quoted in the state section appears in the activity records', () => {
  for (const steps of [OPEN_INVITE, FILLING_INVITE, SENT_INVITE, CHOOSING_PLAN]) {
    const titles = demoActions(steps).map((entry) => entry.title).join('\n');
    const section = stateSection(buildReplyPrompt(demoContext('q', steps)).prompt)!;
    const quotedLabels = [...section.matchAll(/'([^']+)'/g)].map((match) => match[1]!);
    assert.ok(quotedLabels.length > 0);
    for (const label of quotedLabels) assert.ok(titles.includes(`'${label}'`), `${label} is not in the log`);
  }
});
