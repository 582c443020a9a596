import { describe, it, test } from 'node:test';
import assert from 'node:assert/strict';
import { createSlimAction, type ActionContainer, type SlimAction } from '@sightline/protocol';
import type { ActivityKey, ActivityState } from './activity-state.ts';
import { reduceActivity, type ReduceActivityOptions } from './reduce-activity.ts';
import { TabBuilder } from './__fixtures__/action-builder.ts';

const key: ActivityKey = { productId: 'acme', sessionId: 's1', windowId: 'w1' };
const context = { key, userId: 'u1', email: 'ada@example.com' };

function reduceAll(actions: readonly SlimAction[], state: ActivityState | null = null, options?: ReduceActivityOptions): ActivityState {
  for (const action of actions) state = reduceActivity(state, action, context, options);
  assert.ok(state, 'at least one action');
  return state;
}

const dialog = (label: string | null): ActionContainer => ({ kind: 'dialog', label });
const form = (label: string | null): ActionContainer => ({ kind: 'form', label });

describe('reduceActivity', () => {
  it('CRM: a one-word "Assign" opens a dialog named after the fact, and its confirm button completes it', () => {
    const tab = new TabBuilder();
    tab.navigate('Leads', '/leads');
    tab.click('Assign');
    tab.choose('Dana Scully', dialog('Assign owner'), { role: 'option' });
    let state = reduceAll(tab.actions);
    assert.deepEqual(
      { kind: state.open?.kind, label: state.open?.label, openedBy: state.open?.openedBy, page: state.open?.page, choices: state.open?.choices },
      { kind: 'dialog', label: 'Assign owner', openedBy: 'Assign', page: 'Leads', choices: ['Dana Scully'] },
    );
    assert.equal(state.lastFinished, null, 'the one-word opener did not finish anything');

    state = reduceAll([tab.click('Assign', { container: dialog('Assign owner') })], state);
    assert.equal(state.open, null);
    assert.equal(state.lastFinished?.outcome, 'completed');
    assert.deepEqual(state.lastFinished?.container, { kind: 'dialog', label: 'Assign owner' });
    assert.equal(state.lastFinished?.openedBy, 'Assign');
    assert.equal(state.lastFinished?.by, 'Assign');
    assert.deepEqual(state.lastFinished?.choices, ['Dana Scully']);
  });

  it('an explicit open step names the opener even with a step between, and an unnamed dialog takes its label', () => {
    const tab = new TabBuilder();
    tab.navigate('Calendar', '/calendar');
    tab.open('Schedule');
    tab.type('Date', form(null));
    const state = reduceAll(tab.actions);
    assert.equal(state.open?.openedBy, 'Schedule');
    assert.equal(state.open?.label, 'Schedule', 'an unnamed container is called after its opener');
    assert.deepEqual(state.open?.fields, ['Date']);
  });

  it('bank: the radio card chosen in the "Open account" dialog is named, the latest choice last', () => {
    const tab = new TabBuilder();
    tab.navigate('Accounts', '/accounts');
    tab.click('Open account');
    tab.choose('Checking', dialog('Open account'));
    tab.choose('Savings', dialog('Open account'));
    tab.choose('Checking', dialog('Open account'));
    tab.choose('Savings', dialog('Open account'));
    const state = reduceAll(tab.actions);
    assert.equal(state.open?.openedBy, 'Open account');
    assert.deepEqual(state.open?.choices, ['Checking', 'Savings']);
    assert.equal(state.lastAction?.choice, 'Savings');
  });

  it('help desk: tabs are choices kept in the step, with no open container', () => {
    const tab = new TabBuilder();
    tab.navigate('Ticket', '/tickets/:id');
    tab.choose('Internal note', null, { role: 'tab' });
    tab.type('Note', { kind: 'tabpanel', label: 'Internal note' });
    const state = reduceAll(tab.actions);
    assert.equal(state.open, null, 'a tab panel is a region, not something opened');
    assert.equal(state.recentSteps[1]?.choice, 'Internal note');
    assert.deepEqual(state.lastAction?.container, { kind: 'tabpanel', label: 'Internal note' });
  });

  it('a choice made on a page with no container is kept in the step', () => {
    const tab = new TabBuilder();
    tab.navigate('Pricing', '/pricing');
    tab.choose('Yearly', null, { role: 'switch' });
    const state = reduceAll(tab.actions);
    assert.equal(state.open, null);
    assert.deepEqual({ step: state.lastAction?.step, choice: state.lastAction?.choice, role: state.lastAction?.role }, { step: 'choose', choice: 'Yearly', role: 'switch' });
  });

  it('CMS: a page form is open while typed in (opened by nothing); Save completes it and the next page is where it led', () => {
    const tab = new TabBuilder();
    tab.navigate('Edit article', '/articles/:id/edit');
    tab.type('Headline', form('Edit article'));
    tab.type('Body', form('Edit article'));
    tab.type('Headline', form('Edit article'));
    let state = reduceAll(tab.actions);
    assert.deepEqual(state.open, {
      kind: 'form',
      label: 'Edit article',
      openedBy: null,
      page: 'Edit article',
      openedAt: state.recentSteps[1]!.at,
      fields: ['Headline', 'Body'],
      choices: [],
    });
    state = reduceAll([tab.click('Save', { container: form('Edit article') }), tab.submit(form('Edit article')), tab.navigate('Articles', '/articles')], state);
    assert.equal(state.open, null);
    assert.equal(state.lastFinished?.outcome, 'completed');
    assert.equal(state.lastFinished?.by, 'Save', 'the submit after the click is merged, keeping its label');
    assert.deepEqual(state.lastFinished?.fields, ['Headline', 'Body']);
    assert.equal(state.lastFinished?.ledTo, 'Articles');
    assert.deepEqual(state.page, { title: 'Articles', path: '/articles', since: state.lastAt });
  });

  it('a navigation long after a completed flow is not where it led', () => {
    const tab = new TabBuilder();
    tab.navigate('Edit article', '/articles/:id/edit');
    tab.type('Headline', form('Edit article'));
    tab.click('Save', { container: form('Edit article') });
    for (const label of ['Bold', 'Italic', 'Preview']) tab.click(label, { role: 'element' });
    tab.navigate('Articles', '/articles');
    assert.equal(reduceAll(tab.actions).lastFinished?.ledTo, null);
  });

  it('Cancel in a dialog is a dismissed flow with what opened it', () => {
    const tab = new TabBuilder();
    tab.navigate('Team', '/settings/team');
    tab.click('Invite member');
    tab.type('Email', form('Invite member'));
    tab.dismiss('Cancel', dialog('Invite member'));
    const state = reduceAll(tab.actions);
    assert.equal(state.open, null);
    assert.deepEqual(
      { outcome: state.lastFinished?.outcome, by: state.lastFinished?.by, openedBy: state.lastFinished?.openedBy, fields: state.lastFinished?.fields },
      { outcome: 'dismissed', by: 'Cancel', openedBy: 'Invite member', fields: ['Email'] },
    );
    assert.deepEqual(state.lastFinished?.container, { kind: 'dialog', label: 'Invite member' }, 'the form seen first is refined to the dialog around it');
  });

  it('README flow: Invite member → Cancel → Billing → Upgrade plan → Business leaves the upgrade dialog open with Business chosen', () => {
    const tab = new TabBuilder();
    tab.navigate('Team', '/settings/team');
    tab.click('Invite member');
    tab.dismiss('Cancel', dialog('Invite member'));
    tab.navigate('Billing', '/settings/billing');
    tab.click('Upgrade plan');
    tab.choose('Business', dialog(null));
    const state = reduceAll(tab.actions);
    assert.deepEqual(
      { kind: state.open?.kind, label: state.open?.label, openedBy: state.open?.openedBy, choices: state.open?.choices },
      { kind: 'dialog', label: 'Upgrade plan', openedBy: 'Upgrade plan', choices: ['Business'] },
    );
    assert.equal(state.lastFinished?.outcome, 'dismissed');
    assert.equal(state.lastFinished?.ledTo, null, 'only a completed flow leads somewhere');
  });

  it('a dialog that stays open after its confirm (a validation error) is taken back as open', () => {
    const tab = new TabBuilder();
    tab.navigate('Team', '/settings/team');
    tab.dismiss('Close', dialog('Welcome'));
    tab.click('Invite member');
    tab.type('Email', dialog('Invite member'));
    tab.click('Send invite', { container: dialog('Invite member') });
    tab.type('Email', dialog('Invite member'));
    const state = reduceAll(tab.actions);
    assert.equal(state.open?.label, 'Invite member');
    assert.equal(state.open?.openedBy, 'Invite member');
    assert.deepEqual(state.open?.fields, ['Email']);
    assert.equal(state.lastFinished?.by, 'Close', 'the flow before comes back');
  });

  it('Close right after Save in the same dialog keeps the completion', () => {
    const tab = new TabBuilder();
    tab.navigate('Team', '/settings/team');
    tab.click('Edit role');
    tab.choose('Admin', dialog('Edit role'));
    tab.click('Save', { container: dialog('Edit role') });
    tab.dismiss('Close', dialog('Edit role'));
    const state = reduceAll(tab.actions);
    assert.equal(state.open, null);
    assert.equal(state.lastFinished?.outcome, 'completed');
    assert.equal(state.lastFinished?.by, 'Save');
  });

  it('wizard buttons (Next, Continue) move on without finishing', () => {
    const tab = new TabBuilder();
    tab.navigate('Projects', '/projects');
    tab.click('New project');
    tab.type('Name', dialog('New project'));
    tab.click('Next', { container: dialog('New project') });
    tab.click('Continue', { container: dialog('New project') });
    const state = reduceAll(tab.actions);
    assert.equal(state.open?.label, 'New project');
    assert.equal(state.lastFinished, null);
  });

  it('a confirming verb finishes with nothing filled in; another button needs a field or choice first', () => {
    const tab = new TabBuilder();
    tab.navigate('Projects', '/projects');
    tab.click('Archive');
    tab.click('Learn more', { container: dialog('Archive project?') });
    let state = reduceAll(tab.actions);
    assert.equal(state.open?.label, 'Archive project?');
    state = reduceAll([tab.click('Delete project', { container: dialog('Archive project?') })], state);
    assert.equal(state.lastFinished?.outcome, 'completed');
    assert.equal(state.lastFinished?.by, 'Delete project');
  });

  it('a menu opened by an ARIA opener closes when an item is picked, and the item names the dialog it opens', () => {
    const tab = new TabBuilder();
    tab.navigate('Posts', '/posts');
    tab.open('More actions');
    tab.click('Duplicate', { role: 'menuitem', container: { kind: 'menu', label: null } });
    let state = reduceAll(tab.actions.slice(0, 2));
    assert.equal(state.open, null, 'the open step alone shows nothing opened yet');
    state = reduceAll(tab.actions.slice(2), state);
    assert.equal(state.open, null, 'picking an item closes the menu');
    assert.equal(state.lastAction?.label, 'Duplicate');

    tab.open('More actions');
    tab.click('Reschedule…', { role: 'menuitem', container: { kind: 'menu', label: null } });
    tab.type('Date', dialog('Reschedule post'));
    state = reduceAll(tab.actions.slice(3), state);
    assert.deepEqual({ label: state.open?.label, openedBy: state.open?.openedBy }, { label: 'Reschedule post', openedBy: 'Reschedule…' });
  });

  it('a menu stays open while used, with its opener as its name, and closes on an action outside it', () => {
    const tab = new TabBuilder();
    tab.navigate('Posts', '/posts');
    tab.open('Filter');
    tab.choose('Drafts', { kind: 'menu', label: null }, { role: 'checkbox' });
    tab.choose('Scheduled', { kind: 'menu', label: null }, { role: 'checkbox' });
    let state = reduceAll(tab.actions);
    assert.deepEqual({ kind: state.open?.kind, label: state.open?.label }, { kind: 'menu', label: 'Filter' }, 'a checkbox menu stays open');
    state = reduceAll([tab.click('Refresh')], state);
    assert.equal(state.open, null);
  });

  it('a dialog stays open when the user acts outside it, and closes on a new page', () => {
    const tab = new TabBuilder();
    tab.navigate('Leads', '/leads');
    tab.click('Import');
    tab.type('File name', dialog('Import leads'));
    tab.click('Help', { role: 'link' });
    let state = reduceAll(tab.actions);
    assert.equal(state.open?.label, 'Import leads', 'posthog-js cannot see Escape or the backdrop');
    state = reduceAll([tab.navigate('Reports', '/reports')], state);
    assert.equal(state.open, null);
    assert.equal(state.lastFinished, null, 'closed by leaving: neither completed nor dismissed');
  });

  it('a reload or query change on the same path adds no visit and keeps the dialog', () => {
    const tab = new TabBuilder();
    tab.navigate('Leads', '/leads');
    tab.click('Import');
    tab.type('File name', dialog('Import leads'));
    tab.navigate('Leads', '/leads');
    const state = reduceAll(tab.actions);
    assert.equal(state.recentPages.length, 1);
    assert.equal(state.open?.label, 'Import leads');
  });

  it('rage and dead clicks count as signs of being lost until a flow completes', () => {
    const tab = new TabBuilder();
    tab.navigate('Billing', '/billing');
    tab.rageClick('Download invoice');
    tab.rageClick('Download invoice');
    tab.deadClick('Invoice #42', { role: 'element' });
    let state = reduceAll(tab.actions);
    assert.deepEqual({ rage: state.lost.rageClicks, dead: state.lost.deadClicks }, { rage: 2, dead: 1 });
    assert.equal(state.lastAction?.failure, 'dead');
    state = reduceAll([tab.submit(form('Billing address'))], state);
    assert.deepEqual(state.lost, { pingPong: null, rageClicks: 0, deadClicks: 0, pagesWithoutProgress: 0 });
  });

  it('going back and forth between two pages is ping-pong; a completed flow clears it', () => {
    const tab = new TabBuilder();
    tab.navigate('Domains', '/settings/domains');
    tab.navigate('DNS records', '/settings/dns');
    tab.navigate('Domains', '/settings/domains');
    let state = reduceAll(tab.actions);
    assert.equal(state.lost.pingPong, null, 'three visits are not yet back and forth');
    state = reduceAll([tab.navigate('DNS records', '/settings/dns')], state);
    assert.deepEqual(state.lost.pingPong, ['Domains', 'DNS records']);
    assert.equal(state.lost.pagesWithoutProgress, 2);
    state = reduceAll([tab.type('Record', form(null)), tab.submit(form(null))], state);
    assert.equal(state.lost.pingPong, null);
    assert.equal(state.lost.pagesWithoutProgress, 0);
    state = reduceAll([tab.wait(30).navigate('Domains', '/settings/domains'), tab.navigate('Billing', '/billing')], state);
    assert.equal(state.lost.pagesWithoutProgress, 2);
  });

  it('a click reported just after the page view it caused stays on its page: no back and forth, the tab stays', () => {
    // A single-page app: the router pushes the URL (posthog-js records the page view) inside the click handler, so
    // the link click arrives after the page view, carrying the page it was made on.
    const clicks: SlimAction[] = [];
    const lateClick = (tab: TabBuilder, label: string, from: { title: string; path: string }, after: SlimAction, delayS = 0.3): SlimAction => {
      const action: SlimAction = { ...after, index: after.index + 1, type: 'click', title: `Clicked '${label}'`, page: from, target: { role: 'link', label }, step: 'click', received_at: (after.received_at ?? 0) + delayS };
      clicks.push(action);
      tab.skipTo(after.index + 2);
      return action;
    };
    const tab = new TabBuilder();
    const pages = { leads: { title: 'Leads', path: '/leads' }, deals: { title: 'Deals', path: '/deals' }, reports: { title: 'Reports', path: '/reports' } };
    let state = reduceAll([tab.navigate('Leads', '/leads')]);
    const toDeals = tab.navigate('Deals', '/deals');
    state = reduceAll([toDeals, lateClick(tab, 'Deals', pages.leads, toDeals)], state);
    // On a loaded machine the late click may come seconds after its page view: still the first action after it.
    const toReports = tab.wait(10).navigate('Reports', '/reports');
    state = reduceAll([toReports, lateClick(tab, 'Reports', pages.deals, toReports, 6)], state);
    // Sent in a request of its own that reached the connector first: received before its page view, yet after it in
    // the session's order. Then the user goes on on the page the click led to.
    const backToDeals = tab.wait(10).navigate('Deals', '/deals');
    state = reduceAll([backToDeals, lateClick(tab, 'Deals', pages.reports, backToDeals, -0.2), tab.click('Export')], state);
    assert.deepEqual(state.recentPages.map((visit) => visit.title), ['Leads', 'Deals', 'Reports', 'Deals']);
    assert.equal(state.page?.title, 'Deals', 'the tab stays where the click led');
    assert.equal(state.lost.pingPong, null);
    assert.deepEqual(state.recentSteps.filter((step) => step.step === 'click').map((step) => `${step.label} on ${step.page}`), ['Deals on Leads', 'Reports on Deals', 'Deals on Reports', 'Export on Deals']);
    // Long after arriving, an action naming the previous page is a move back (a route change without a page view).
    const stale: SlimAction = { ...clicks[2]!, index: tab.actions.length + 5, received_at: (backToDeals.received_at ?? 0) + 30 };
    state = reduceAll([stale], state);
    assert.equal(state.page?.title, 'Reports');
  });

  it('page visits record when each was left, bounded to the most recent', () => {
    const tab = new TabBuilder();
    for (let page = 0; page < 15; page++) tab.wait(10).navigate(`Page ${page}`, `/pages/${page}`);
    const state = reduceAll(tab.actions, null, { maxRecentPages: 5 });
    assert.deepEqual(state.recentPages.map((visit) => visit.title), ['Page 10', 'Page 11', 'Page 12', 'Page 13', 'Page 14']);
    assert.equal(state.recentPages[0]!.leftAt, state.recentPages[1]!.enteredAt);
    assert.equal(state.recentPages.at(-1)!.leftAt, null);
  });

  it('a replayed action (index not above lastIndex) returns the same state, index 0 included', () => {
    const tab = new TabBuilder();
    const first = tab.navigate('Leads', '/leads');
    const once = reduceAll([first]);
    assert.equal(once.lastIndex, 0);
    assert.equal(once.actionCount, 1);
    assert.equal(reduceActivity(once, first, context), once);
    const twice = reduceAll([tab.click('Assign'), first, tab.actions[1]!], once);
    assert.equal(twice.actionCount, 2);
    assert.equal(twice.lastIndex, 1);
  });

  it('never mutates the state it is given', () => {
    const tab = new TabBuilder();
    tab.navigate('Leads', '/leads');
    tab.click('Assign');
    tab.choose('Dana', dialog('Assign owner'));
    const before = reduceAll(tab.actions);
    const frozen = JSON.parse(JSON.stringify(before)) as ActivityState;
    deepFreeze(frozen);
    const after = reduceAll([tab.choose('Fox', dialog('Assign owner')), tab.click('Assign', { container: dialog('Assign owner') }), tab.navigate('Lead', '/leads/:id')], frozen);
    assert.equal(after.lastFinished?.ledTo, 'Lead');
    assert.deepEqual(frozen, before);
  });

  it('the state survives a JSON round trip unchanged', () => {
    const tab = new TabBuilder();
    tab.navigate('Leads', '/leads');
    tab.click('Assign');
    tab.choose('Dana', dialog('Assign owner'));
    tab.click('Assign', { container: dialog('Assign owner') });
    tab.rageClick('Export');
    tab.navigate('Lead', '/leads/:id');
    tab.type('Note', form(null));
    const state = reduceAll(tab.actions);
    assert.deepEqual(JSON.parse(JSON.stringify(state)), state);
  });

  it('holds paths only: no host, query string or fragment reaches the state', () => {
    const tab = new TabBuilder();
    tab.navigate('Leads', '/leads');
    tab.click('Assign');
    tab.choose('Dana', dialog('Assign owner'));
    const prose = createSlimAction({
      index: 10,
      type: 'click',
      title: "Clicked 'Export'",
      description: 'User clicked Export on the Reports page',
      canonical_url: 'https://app.example.com/reports',
      raw_url: 'https://app.example.com/reports?token=secret#x',
    });
    const json = JSON.stringify(reduceAll([...tab.actions, prose]));
    assert.ok(!json.includes('?'), json);
    assert.ok(!json.includes('://'), json);
    assert.ok(!json.includes('token'), json);
    assert.ok(json.includes('"path":"/reports"'));
  });

  it('after 90 actions the open dialog and its opener are still known, with bounded arrays', () => {
    const tab = new TabBuilder();
    for (let round = 0; round < 20; round++) {
      tab.navigate(`Lead ${round}`, `/leads/${round}`);
      tab.click('Log call');
      tab.type('Notes', dialog('Log call'));
      tab.click('Save', { container: dialog('Log call') });
    }
    tab.navigate('Leads', '/leads');
    tab.click('Assign');
    for (let field = 0; field < 8; field++) tab.type(`Field ${field}`, dialog('Assign owner'));
    assert.equal(tab.actions.length, 90);
    const state = reduceAll(tab.actions);
    assert.equal(state.actionCount, 90);
    assert.deepEqual({ label: state.open?.label, openedBy: state.open?.openedBy, fields: state.open?.fields.length }, { label: 'Assign owner', openedBy: 'Assign', fields: 8 });
    assert.equal(state.recentSteps.length, 40);
    assert.equal(state.recentPages.length, 12);
    assert.equal(state.lastFinished?.by, 'Save');
    assert.equal(state.lastFinished?.ledTo, 'Leads');
  });

  it('takes time from received_at when present, else timestamp_start; keeps the user and email seen', () => {
    const tab = new TabBuilder({ startAt: 1_700_000_100 });
    const action = tab.navigate('Leads', '/leads');
    const state = reduceActivity(null, action, { key, userId: null, email: null });
    assert.deepEqual({ firstAt: state.firstAt, lastAt: state.lastAt, userId: state.userId }, { firstAt: 1_700_000_100, lastAt: 1_700_000_100, userId: 'u1' });
    const withoutReceipt = reduceActivity(null, { ...action, received_at: null }, context);
    assert.equal(withoutReceipt.lastAt, action.timestamp_start);
    assert.equal(withoutReceipt.email, 'ada@example.com');
  });
});

function deepFreeze(value: unknown): void {
  if (typeof value !== 'object' || value === null) return;
  Object.freeze(value);
  for (const child of Object.values(value)) deepFreeze(child);
}

test('a dropdown picked in a dialog counts as a field used, not as a named choice', () => {
  let state: ActivityState | null = null;
  const at = 1_700_000_000;
  const actions = [
    createSlimAction({ index: 0, type: 'pageview', title: 'Page Load: Deal', step: 'navigate', page: { title: 'Deal', path: '/deals/:id' }, timestamp_start: at }),
    createSlimAction({ index: 1, type: 'click', title: "Clicked 'Assign'", step: 'click', page: { title: 'Deal', path: '/deals/:id' }, target: { role: 'button', label: 'Assign' }, timestamp_start: at + 1 }),
    createSlimAction({
      index: 2,
      type: 'type',
      title: "Selected an option in 'Owner'",
      step: 'choose',
      page: { title: 'Deal', path: '/deals/:id' },
      target: { role: 'select', label: 'Owner' },
      container: { kind: 'dialog', label: 'Assign owner' },
      timestamp_start: at + 2,
    }),
  ];
  for (const action of actions) state = reduceActivity(state, action, { key: { productId: 'crm', sessionId: 's', windowId: null }, userId: 'u', email: null });
  assert.deepEqual(state?.open?.fields, ['Owner']);
  assert.deepEqual(state?.open?.choices, []);
  assert.equal(state?.open?.openedBy, 'Assign');
});
