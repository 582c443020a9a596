import { describe, it, test } from 'node:test';
import assert from 'node:assert/strict';
import { createSlimAction, type SlimAction, type SlimActionFields } from '@sightline/protocol';
import type { ActivityKey, ActivityState } from './activity-state.ts';
import { reduceActivity } from './reduce-activity.ts';
import { structureOf } from './structure-of.ts';

/** An action as Autoplay's connector sends it: prose only, no structured fields. */
function prose(fields: SlimActionFields): SlimAction {
  return createSlimAction({ timestamp_start: 1_700_000_000, ...fields });
}

describe('structureOf', () => {
  it('uses the structured fields as they are when the action has a step', () => {
    const action: SlimAction = {
      ...prose({ type: 'click', title: "Clicked 'Assign'", description: 'User clicked Assign on the Leads page', canonical_url: 'https://crm.example/leads' }),
      window_id: 'w7',
      page: { title: 'Leads', path: '/leads' },
      target: { role: 'button', label: 'Assign' },
      container: null,
      step: 'click',
      received_at: 1_700_000_003,
    };
    assert.deepEqual(structureOf(action), {
      step: 'click',
      page: { title: 'Leads', path: '/leads' },
      target: { role: 'button', label: 'Assign' },
      container: null,
      choice: null,
      windowId: 'w7',
      failure: null,
      at: 1_700_000_003,
    });
  });

  it('tells a rage click from a dead click on structured failed steps', () => {
    const base = { ...prose({ type: 'click' }), step: 'failed' as const, page: { title: 'Billing', path: '/billing' } };
    assert.equal(structureOf({ ...base, title: "Rage-clicked 'Pay'" }).failure, 'rage');
    assert.equal(structureOf({ ...base, title: "Clicked 'Pay' (nothing happened)" }).failure, 'dead');
  });

  it('derives a missing structured page from the canonical URL, path only', () => {
    const action: SlimAction = { ...prose({ type: 'click', canonical_url: 'https://crm.example/leads/:id?x=1' }), step: 'click' };
    assert.deepEqual(structureOf(action).page, { title: 'Leads', path: '/leads/:id' });
  });

  describe("the adapter for Autoplay's prose", () => {
    const cases: Array<[string, SlimActionFields, Partial<ReturnType<typeof structureOf>>]> = [
      [
        'Page Load: X → navigate on page X',
        { type: 'pageview', title: 'Page Load: Edit article', description: 'User landed on the Edit article page', canonical_url: 'https://cms.example/articles/:id/edit' },
        { step: 'navigate', page: { title: 'Edit article', path: '/articles/:id/edit' }, target: null, container: null },
      ],
      [
        "Clicked 'X' → click with label X and the page from the description",
        { type: 'click', title: "Clicked 'Assign'", description: 'User clicked Assign on the Leads page', canonical_url: 'https://crm.example/leads' },
        { step: 'click', page: { title: 'Leads', path: '/leads' }, target: { role: 'element', label: 'Assign' } },
      ],
      [
        'a label with quotes runs from the first quote to the last',
        { type: 'click', title: `Clicked 'Say "hi" & don't stop'`, description: `User clicked Say "hi" & don't stop on the Posts page`, canonical_url: '/posts' },
        { step: 'click', target: { role: 'element', label: `Say "hi" & don't stop` }, page: { title: 'Posts', path: '/posts' } },
      ],
      [
        'a label holding " on the " still yields the page',
        { type: 'click', title: "Clicked 'Log on the go'", description: 'User clicked Log on the go on the Mobile setup page', canonical_url: '/setup/mobile' },
        { target: { role: 'element', label: 'Log on the go' }, page: { title: 'Mobile setup', path: '/setup/mobile' } },
      ],
      [
        'Submitted … → submit in a form',
        { type: 'submit', title: "Submitted 'invite-member-form'", description: 'User submitted the invite-member-form form on the Team page', canonical_url: '/team' },
        { step: 'submit', container: { kind: 'form', label: null } },
      ],
      [
        "Typed in 'X' → type in field X",
        { type: 'type', title: "Typed in 'Email'", description: 'User typed in the Email field on the Team page', canonical_url: '/team' },
        { step: 'type', target: { role: 'field', label: 'Email' }, container: { kind: 'form', label: null } },
      ],
      [
        "Toggled 'X' → choose X",
        { type: 'type', title: "Toggled 'Business'", description: 'User toggled the Business radio button on the Billing page', canonical_url: '/billing' },
        { step: 'choose', target: { role: 'radio', label: 'Business' }, choice: 'Business' },
      ],
      [
        "Selected an option in 'X' → choose, the choice unknown",
        { type: 'type', title: "Selected an option in 'Country'", description: 'User selected an option in the Country dropdown on the Billing page', canonical_url: '/billing' },
        { step: 'choose', target: { role: 'select', label: 'Country' }, choice: null },
      ],
      [
        'Rage-clicked → failed, rage',
        { type: 'click', title: "Rage-clicked 'Pay'", description: 'User clicked Pay repeatedly on the Billing page (rage click)', canonical_url: '/billing' },
        { step: 'failed', failure: 'rage', target: { role: 'element', label: 'Pay' }, page: { title: 'Billing', path: '/billing' } },
      ],
      [
        '(nothing happened) → failed, dead',
        { type: 'click', title: "Clicked 'Invoice' (nothing happened)", description: 'User clicked Invoice on the Billing page, but nothing happened (dead click)', canonical_url: '/billing' },
        { step: 'failed', failure: 'dead', target: { role: 'element', label: 'Invoice' }, page: { title: 'Billing', path: '/billing' } },
      ],
      [
        "Clicked 'Cancel' → dismiss",
        { type: 'click', title: "Clicked 'Cancel'", description: 'User clicked Cancel on the Team page', canonical_url: '/team' },
        { step: 'dismiss', target: { role: 'button', label: 'Cancel' } },
      ],
      [
        'no page in the description → a name from the path',
        { type: 'click', title: 'Clicked a link', description: 'User clicked a link', canonical_url: 'https://x.example/settings/billing-details/:id' },
        { step: 'click', target: { role: 'element', label: null }, page: { title: 'Billing details', path: '/settings/billing-details/:id' } },
      ],
      ['focus is not a step', { type: 'focus', title: "Focused 'Email'", canonical_url: '/team' }, { step: null }],
      ['no URL → no page', { type: 'click', title: "Clicked 'Go'" }, { page: null, windowId: null }],
    ];
    for (const [name, fields, expected] of cases) {
      it(name, () => {
        const structure = structureOf(prose(fields));
        assert.deepEqual(Object.fromEntries(Object.keys(expected).map((field) => [field, structure[field as keyof typeof structure]])), expected);
      });
    }
  });

  it("an Autoplay prose stream reduces to a page, an open form with its opener and a finished flow", () => {
    const key: ActivityKey = { productId: 'acme', sessionId: 's1', windowId: null };
    const stream = [
      { type: 'pageview', title: 'Page Load: Team', description: 'User landed on the Team page', canonical_url: 'https://app.example/settings/team' },
      { type: 'click', title: "Clicked 'Invite member'", description: 'User clicked Invite member on the Team page', canonical_url: 'https://app.example/settings/team' },
      { type: 'type', title: "Typed in 'email'", description: 'User typed in the email field on the Team page', canonical_url: 'https://app.example/settings/team' },
      { type: 'type', title: "Toggled 'Admin'", description: 'User toggled the Admin radio button on the Team page', canonical_url: 'https://app.example/settings/team' },
    ].map((fields, index) => prose({ ...fields, index, timestamp_start: 1_700_000_000 + index }));
    let state: ActivityState | null = null;
    for (const action of stream) state = reduceActivity(state, action, { key, userId: null, email: null });
    assert.deepEqual(state?.page, { title: 'Team', path: '/settings/team', since: 1_700_000_000 });
    assert.deepEqual(
      { kind: state?.open?.kind, openedBy: state?.open?.openedBy, fields: state?.open?.fields, choices: state?.open?.choices },
      { kind: 'form', openedBy: 'Invite member', fields: ['email'], choices: ['Admin'] },
    );
    const submit = prose({ index: 4, type: 'submit', title: 'Submitted a form', description: 'User submitted a form on the Team page', canonical_url: 'https://app.example/settings/team' });
    const done = reduceActivity(state, submit, { key, userId: null, email: null });
    assert.equal(done.open, null);
    assert.deepEqual(
      { outcome: done.lastFinished?.outcome, openedBy: done.lastFinished?.openedBy, by: done.lastFinished?.by, page: done.lastFinished?.page },
      { outcome: 'completed', openedBy: 'Invite member', by: null, page: 'Team' },
    );
  });

  it('an Autoplay prose Cancel after a click is a dismissed flow opened by that click', () => {
    const key: ActivityKey = { productId: 'acme', sessionId: 's1', windowId: null };
    const stream = [
      { type: 'pageview', title: 'Page Load: Team', description: 'User landed on the Team page' },
      { type: 'click', title: "Clicked 'Invite member'", description: 'User clicked Invite member on the Team page' },
      { type: 'click', title: "Clicked 'Cancel'", description: 'User clicked Cancel on the Team page' },
    ].map((fields, index) => prose({ ...fields, index, canonical_url: 'https://app.example/team' }));
    let state: ActivityState | null = null;
    for (const action of stream) state = reduceActivity(state, action, { key, userId: null, email: null });
    assert.deepEqual(
      { outcome: state?.lastFinished?.outcome, openedBy: state?.lastFinished?.openedBy, by: state?.lastFinished?.by, page: state?.lastFinished?.page },
      { outcome: 'dismissed', openedBy: 'Invite member', by: 'Cancel', page: 'Team' },
    );
  });
});

test('a change event on a radio is the choice its click made, not typing', () => {
  const structure = structureOf(
    createSlimAction({ type: 'type', title: "Toggled 'Business'", step: 'type', target: { role: 'radio', label: 'Business' }, page: { title: 'Billing', path: '/billing' } }),
  );
  assert.equal(structure.step, 'choose');
  assert.equal(structure.choice, 'Business');
});

test('a failed step says rage or dead through its failure field, whatever its title', () => {
  const failed = { type: 'click', step: 'failed' as const, title: "Clicked 'Pay' (nothing happened)" };
  assert.equal(structureOf(createSlimAction({ ...failed, failure: 'rage' })).failure, 'rage');
  assert.equal(structureOf(createSlimAction({ ...failed, failure: 'dead' })).failure, 'dead');
  assert.equal(structureOf(createSlimAction({ ...failed, title: "Rage-clicked 'Pay'" })).failure, 'rage', 'an older connector: the title tells');
});
