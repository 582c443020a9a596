import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildReplyPrompt } from './reply-prompt.ts';
import { fillTemplate, renderSystemPrompt, SYSTEM_PROMPT_TEMPLATE } from './system-prompt.ts';
import { action, replyContext } from '../responder/__fixtures__/reply-context.ts';

test('the system prompt template carries the tutorial rules and one first-name placeholder', () => {
  assert.equal(SYSTEM_PROMPT_TEMPLATE.match(/\{first_name\}/g)?.length, 1);
  const system = renderSystemPrompt('Jane');
  assert.match(system, /User's first name: Jane\.$/);
  assert.match(system, /Never recite the activity log/);
  assert.match(system, /language of the user's message/);
  assert.match(system, /Name only buttons, links, fields and pages that appear in the activity log/);
  assert.match(renderSystemPrompt(null), /User's first name: unknown/);
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
    /\[RECENT PRODUCT ACTIVITY\]\nEarlier in session new: Opened settings\.\n\n1\. \[0\] pageview: User viewed the Billing page — \/billing\n2\. \[0\] pageview: User viewed the Team page — \/team\n\nCurrent page: Team/,
  );
});
