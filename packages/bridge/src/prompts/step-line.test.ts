import { test } from 'node:test';
import assert from 'node:assert/strict';
import { activityStepOf } from '@sightline/sdk';
import { dialog, NOW_SECONDS, step, structuredAction } from './__fixtures__/activity-state.ts';
import { relativeTime } from './prompt-text.ts';
import { itemOfAction, markOpened, stepLines, stepPhrase } from './step-line.ts';

const NOW_MS = NOW_SECONDS * 1000;

test('relative times read in seconds, minutes, hours and days, and a time after now is "just now"', () => {
  assert.equal(relativeTime(NOW_SECONDS - 2, NOW_MS), 'just now');
  assert.equal(relativeTime(NOW_SECONDS + 30, NOW_MS), 'just now');
  assert.equal(relativeTime(NOW_SECONDS - 12, NOW_MS), '12 s ago');
  assert.equal(relativeTime(NOW_SECONDS - 200, NOW_MS), '3 min ago');
  assert.equal(relativeTime(NOW_SECONDS - 7300, NOW_MS), '2 h ago');
  assert.equal(relativeTime(NOW_SECONDS - 3 * 86_400, NOW_MS), '3 d ago');
});

test('each kind of step reads as a short phrase with the labels quoted as the product shows them', () => {
  const upgrade = dialog('Upgrade plan');
  const cases: Array<[ReturnType<typeof step>, string]> = [
    [step(0, 'navigate', 0, { page: 'Billing' }), "went to 'Billing'"],
    [step(1, 'navigate', 0, { role: 'link', label: 'Docs' }), "followed the link 'Docs'"],
    [step(2, 'open', 0, { role: 'button', label: 'Upgrade plan' }), "opened 'Upgrade plan'"],
    [step(3, 'choose', 0, { role: 'radio', label: 'Business', choice: 'Business', container: upgrade }), "chose 'Business' in 'Upgrade plan'"],
    [step(4, 'type', 0, { role: 'field', label: 'Seats', container: upgrade }), "filled in 'Seats' in 'Upgrade plan'"],
    [step(5, 'submit', 0, { role: 'button', label: 'Send invite', container: dialog('Invite member') }), "submitted the 'Invite member' dialog with 'Send invite'"],
    [step(6, 'submit', 0, {}), 'submitted a form'],
    [step(7, 'dismiss', 0, { role: 'button', label: 'Cancel', container: dialog('Invite member') }), "closed the 'Invite member' dialog with 'Cancel'"],
    [step(8, 'failed', 0, { role: 'button', label: 'Pay', failure: 'rage' }), "clicked 'Pay' repeatedly with no effect"],
    [step(9, 'failed', 0, { role: 'element', failure: 'dead' }), 'clicked an unlabelled element and nothing happened'],
    [step(10, 'click', 0, { role: 'tab', label: 'Usage' }), "switched to the tab 'Usage'"],
    [step(11, 'click', 0, { role: 'checkbox', label: 'Weekly summary' }), "toggled 'Weekly summary'"],
    [step(12, 'click', 0, { role: 'button', label: 'Say "hi" & bye' }), `clicked 'Say "hi" & bye'`],
  ];
  for (const [given, phrase] of cases) assert.equal(stepPhrase(given), phrase);
});

test('an open step names the kind of region its next step sits in', () => {
  const items = markOpened([
    { step: step(0, 'open', 60, { role: 'button', label: 'Upgrade plan', page: 'Billing' }) },
    { step: step(1, 'choose', 60, { role: 'radio', label: 'Business', choice: 'Business', page: 'Billing', container: dialog('Upgrade plan') }) },
  ]);
  assert.deepEqual(stepLines(items, NOW_MS), ["- 1 min ago · Billing · opened 'Upgrade plan' (dialog)", "- chose 'Business' in 'Upgrade plan'"]);
});

test('the time and the page are written only when they change from the line before', () => {
  const lines = stepLines(
    [
      { step: step(0, 'navigate', 200, { page: 'Team' }) },
      { step: step(1, 'click', 190, { role: 'button', label: 'Export', page: 'Team' }) },
      { step: step(2, 'click', 20, { role: 'button', label: 'Save', page: 'Team' }) },
      { step: step(3, 'click', 15, { role: 'link', label: 'Help', page: 'Settings' }), isOtherTab: true },
    ],
    NOW_MS,
  );
  assert.deepEqual(lines, [
    "- 3 min ago · went to 'Team'",
    "- clicked 'Export'",
    "- 20 s ago · clicked 'Save'",
    "- 15 s ago · Settings · clicked the link 'Help' (other tab)",
  ]);
});

/** An action as Autoplay's connector sends it: prose, no structured fields. */
function autoplayAction(index: number, type: string, title: string, description: string, secondsAgo: number) {
  const at = NOW_SECONDS - secondsAgo;
  return { ...structuredAction(index, 'click', secondsAgo), type, title, description, canonical_url: '/dashboard', timestamp_start: at, timestamp_end: at };
}
const UNSTRUCTURED = { window_id: undefined, page: undefined, target: undefined, container: undefined, choice: undefined, step: undefined, received_at: undefined };

test("an action without structured fields is read through the SDK's adapter, so its prose title never shows", () => {
  const pageLoad = { ...autoplayAction(0, 'pageview', 'Page Load: Dashboard', 'User viewed the Dashboard page', 40), ...UNSTRUCTURED };
  const click = { ...autoplayAction(1, 'click', "Clicked 'Export'", 'User clicked Export on the Dashboard page', 30), ...UNSTRUCTURED };
  assert.deepEqual(stepLines([itemOfAction(pageLoad), itemOfAction(click)], NOW_MS), ["- 40 s ago · went to 'Dashboard'", "- 30 s ago · clicked 'Export'"]);
});

test('an action that is no step of its own falls back to its title, on one line', () => {
  const focus = { ...autoplayAction(2, 'focus', 'Focused\nthe search box', '', 30), ...UNSTRUCTURED };
  assert.equal(activityStepOf(focus), null);
  assert.deepEqual(stepLines([itemOfAction(focus)], NOW_MS), ['- 30 s ago · Focused the search box']);
});

test("a wire action's time is the connector's receipt time, not the browser's", () => {
  const action = structuredAction(0, 'click', 12, { role: 'button', label: 'Save' });
  assert.equal(activityStepOf(action)!.at, NOW_SECONDS - 12);
  assert.equal(activityStepOf({ ...action, received_at: null })!.at, NOW_SECONDS - 72);
});
