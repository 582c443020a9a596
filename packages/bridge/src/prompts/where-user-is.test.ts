import { test } from 'node:test';
import assert from 'node:assert/strict';
import { activityState, dialog, NOW_SECONDS, step } from './__fixtures__/activity-state.ts';
import { lostSigns, otherTabLines, whereUserIsLines, whereUserIsSection, WHERE_USER_IS_HEADER } from './where-user-is.ts';

const NOW_MS = NOW_SECONDS * 1000;
const billing = { title: 'Billing', path: '/billing', since: NOW_SECONDS - 150 };

test('a tab with no page and no action gives no section', () => {
  assert.equal(whereUserIsSection([], NOW_MS), '');
  assert.equal(whereUserIsSection([activityState()], NOW_MS), '');
});

test('an open dialog is named with what opened it, the fields done ("none yet") and the choice made', () => {
  const open = { ...dialog('Upgrade plan'), openedBy: 'Upgrade plan', page: 'Billing', openedAt: NOW_SECONDS - 40, fields: [], choices: ['Business'] };
  const lastAction = step(3, 'choose', 12, { role: 'radio', label: 'Business', choice: 'Business', page: 'Billing', container: dialog('Upgrade plan') });
  assert.equal(
    whereUserIsSection([activityState({ page: billing, open, lastAction })], NOW_MS),
    [
      WHERE_USER_IS_HEADER,
      'Page: Billing (arrived 2 min ago)',
      "Open dialog: 'Upgrade plan', opened with 'Upgrade plan' 40 s ago",
      'Fields done in it: none yet',
      "Choice made in it: 'Business'",
      "Last action: chose 'Business' in 'Upgrade plan' (12 s ago)",
    ].join('\n'),
  );
});

test('an unnamed container opened on page load says so, and several choices are listed latest last', () => {
  const open = { kind: 'form' as const, label: null, openedBy: null, page: 'Billing', openedAt: NOW_SECONDS - 150, fields: ['Email', 'Role'], choices: ['Monthly', 'Annual'] };
  const lines = whereUserIsLines(activityState({ page: billing, open }), NOW_MS);
  assert.deepEqual(lines.slice(1), [
    'Open form: (no name shown), open since the page loaded 2 min ago',
    "Fields done in it: 'Email', 'Role'",
    "Choices made in it (latest last): 'Monthly', 'Annual'",
  ]);
});

test('the last finished flow says how it ended, by which button, what was done in it and where it led', () => {
  const lastFinished = {
    outcome: 'completed' as const,
    container: dialog('Invite member'),
    openedBy: 'Invite member',
    by: 'Send invite',
    page: 'Team',
    ledTo: 'Members',
    fields: ['Email'],
    choices: ['Admin'],
    at: NOW_SECONDS - 65,
  };
  const lines = whereUserIsLines(activityState({ page: { title: 'Members', path: '/members', since: NOW_SECONDS - 60 }, lastFinished }), NOW_MS);
  assert.equal(
    lines[1],
    "Last finished flow: completed the 'Invite member' dialog (opened with 'Invite member') with 'Send invite' on Team, 1 min ago; fields done: 'Email'; chosen: 'Admin'; then went to Members",
  );
});

test('the last action names its page only when it is not the current page', () => {
  const lastAction = step(5, 'click', 8, { role: 'link', label: 'Pricing', page: 'Home' });
  const lines = whereUserIsLines(activityState({ page: billing, lastAction }), NOW_MS);
  assert.equal(lines.at(-1), "Last action: clicked the link 'Pricing' on Home (8 s ago)");
});

test('signs of being lost become one line: ping-pong, rage clicks, dead clicks and pages without progress', () => {
  const lost = { pingPong: ['Billing', 'Settings'] as [string, string], rageClicks: 3, deadClicks: 2, pagesWithoutProgress: 6 };
  const lines = whereUserIsLines(activityState({ page: billing, lost }), NOW_MS);
  assert.equal(
    lines.at(-1),
    "Seems lost: went back and forth between 'Billing' and 'Settings', clicked repeatedly with no effect (3 times), 2 clicks that did nothing and visited 6 pages without finishing anything",
  );
});

test('one dead click and a few pages are not taken as signs of being lost', () => {
  assert.deepEqual(lostSigns({ pingPong: null, rageClicks: 0, deadClicks: 1, pagesWithoutProgress: 4 }), []);
  assert.ok(!whereUserIsLines(activityState({ page: billing }), NOW_MS).some((line) => line.startsWith('Seems lost')));
});

test('other tabs are one line each (page, open dialog, last active), skipping the current one, at most three', () => {
  const tab = (windowId: string, title: string, secondsAgo: number) =>
    activityState({ key: { productId: 'demo', sessionId: 's1', windowId }, page: { title, path: '/', since: NOW_SECONDS - 900 }, lastAt: NOW_SECONDS - secondsAgo });
  const withDialog = {
    ...tab('w2', 'Team', 300),
    open: { ...dialog('Invite member'), openedBy: 'Invite member', page: 'Team', openedAt: NOW_SECONDS - 320, fields: [], choices: [] },
  };
  const lines = otherTabLines([tab('w1', 'Billing', 5), withDialog, tab('w3', 'Docs', 600), tab('w4', 'Reports', 700), tab('w5', 'Home', 800)], NOW_MS);
  assert.deepEqual(lines, [
    "- Team · 'Invite member' dialog open · last active 5 min ago",
    '- Docs · last active 10 min ago',
    '- Reports · last active 11 min ago',
  ]);
});
