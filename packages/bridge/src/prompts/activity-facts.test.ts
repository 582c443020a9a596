import { test } from 'node:test';
import assert from 'node:assert/strict';
import { actionLabel, currentActivity, pageNameFromUrl, pageNameOf } from './activity-facts.ts';
import { action, INVITE_FLOW } from '../responder/__fixtures__/reply-context.ts';

test('pageNameFromUrl names the last meaningful path segment', () => {
  assert.equal(pageNameFromUrl('/settings/team-members'), 'Team members');
  assert.equal(pageNameFromUrl('https://app.example.com/projects/:id'), 'Projects');
  assert.equal(pageNameFromUrl('/'), 'Home');
  assert.equal(pageNameFromUrl(''), null);
});

test('pageNameOf prefers the description, then the pageview title, then the URL', () => {
  assert.equal(pageNameOf(action(0, 'click', "Clicked 'Save'", 'User clicked Save on the Team Settings page', '/x', 1)), 'Team Settings');
  assert.equal(pageNameOf(action(0, 'pageview', 'Page Load: Dashboard', '', '/home', 1)), 'Dashboard');
  assert.equal(pageNameOf(action(0, 'pageview', 'Viewed Billing page', '', '/home', 1)), 'Billing');
  assert.equal(pageNameOf(action(0, 'click', 'CLICK Log in', '', '/login', 1)), 'Login');
});

test('actionLabel reads the element from quoted, plain and described titles', () => {
  assert.equal(actionLabel(action(0, 'click', "Clicked 'Buy Now'", '', '/', 1)), 'Buy Now');
  assert.equal(actionLabel(action(0, 'click', 'Click Export CSV button', '', '/', 1)), 'Export CSV');
  assert.equal(actionLabel(action(0, 'click', 'CLICK Log in', '', '/', 1)), 'Log in');
  assert.equal(actionLabel(action(0, 'click', '', 'User clicked Export CSV button on the dashboard page', '/', 1)), 'Export CSV');
  assert.equal(actionLabel(action(0, 'pageview', 'Page Load: Team', '', '/team', 1)), null);
});

test('currentActivity finds the page, the last interaction and what followed it', () => {
  const typed = action(4, 'type', 'Typed in Email', '', '/team', 1025);
  const facts = currentActivity([...INVITE_FLOW, typed]);
  assert.equal(facts.page, 'Team');
  assert.equal(facts.lastAction, typed);
  assert.equal(facts.lastInteraction, INVITE_FLOW[3]);
  assert.deepEqual(facts.afterInteraction, [typed]);
  assert.deepEqual(currentActivity([]), { page: null, lastAction: null, lastInteraction: null, afterInteraction: [] });
});
