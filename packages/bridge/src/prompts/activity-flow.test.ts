import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createSlimAction } from '@sightline/protocol';
import { clickEffect, fieldOf, finishedFlowOf, namedLabel, openFlowOf, readActivityFlows, readableName } from './activity-flow.ts';
import {
  ADDING_PROJECT,
  CHOOSING_PLAN,
  demoActions,
  FILLING_INVITE,
  OPEN_INVITE,
  SENT_INVITE,
  type DemoStep,
} from '../responder/__fixtures__/demo-actions.ts';

describe('clickEffect', () => {
  test('reads openers, finishing buttons and closers from the label words', () => {
    assert.equal(clickEffect('Invite member'), 'opens');
    assert.equal(clickEffect('Add Project'), 'opens');
    assert.equal(clickEffect('Upgrade plan'), 'opens');
    assert.equal(clickEffect('Export…'), 'opens');
    assert.equal(clickEffect('Send invite'), 'completes');
    assert.equal(clickEffect('Confirm upgrade'), 'completes');
    assert.equal(clickEffect('Save changes'), 'completes');
    assert.equal(clickEffect('Create'), 'completes');
    assert.equal(clickEffect('Cancel'), 'cancels');
    assert.equal(clickEffect('Close dialog'), 'cancels');
    assert.equal(clickEffect('×'), 'cancels');
    assert.equal(clickEffect('Business'), 'other');
  });
});

describe('fieldOf and namedLabel', () => {
  test('read the control of field clicks and changes as the connector titles them', () => {
    const [emailClick, typed, roleClick, selected] = demoActions(FILLING_INVITE).slice(4);
    assert.deepEqual(fieldOf(emailClick!), { name: 'email', noun: 'field', use: 'clicked' });
    assert.deepEqual(fieldOf(typed!), { name: 'email', noun: 'field', use: 'typed' });
    assert.deepEqual(fieldOf(roleClick!), { name: 'role', noun: 'dropdown', use: 'clicked' });
    assert.deepEqual(fieldOf(selected!), { name: 'role', noun: 'dropdown', use: 'selected' });
    const [, , , radio, toggled] = demoActions(CHOOSING_PLAN);
    assert.deepEqual(fieldOf(radio!), { name: 'plan', noun: 'radio button', use: 'clicked' });
    assert.deepEqual(fieldOf(toggled!), { name: 'plan', noun: 'radio button', use: 'toggled' });
    assert.deepEqual(fieldOf(demoActions(ADDING_PROJECT)[3]!), { name: 'project name', noun: 'field', use: 'typed' });
    assert.deepEqual(fieldOf(createSlimAction({ type: 'type', title: 'Typed in a field' })), { name: null, noun: 'field', use: 'typed' });
    assert.equal(fieldOf(demoActions(OPEN_INVITE)[3]!), null, 'a button click is not a field');
    assert.equal(namedLabel(createSlimAction({ type: 'click', title: 'Clicked an element' })), null);
    assert.equal(namedLabel(demoActions(OPEN_INVITE)[3]!), 'Invite member');
  });

  test('readableName turns form field names into words', () => {
    assert.equal(readableName('project_name'), 'project name');
    assert.equal(readableName('invite-member-form'), 'invite member form');
    assert.equal(readableName('workspaceName'), 'workspace name');
    assert.equal(readableName('Email address'), 'Email address');
  });
});

describe('readActivityFlows', () => {
  test('the invite dialog stays open across clicks into its fields, typing and picking a role', () => {
    for (let length = OPEN_INVITE.length; length <= FILLING_INVITE.length; length += 1) {
      const actions = demoActions(FILLING_INVITE.slice(0, length));
      const open = openFlowOf(readActivityFlows(actions));
      assert.ok(open, `open after ${length} steps`);
      assert.equal(open.label, 'Invite member');
      assert.equal(open.page, 'Team');
    }
    const open = openFlowOf(readActivityFlows(demoActions(FILLING_INVITE)))!;
    assert.deepEqual(open.fields, [
      { name: 'email', noun: 'field', use: 'typed' },
      { name: 'role', noun: 'dropdown', use: 'selected' },
    ]);
    assert.equal(open.steps.length, 4);
  });

  test("'Send invite' and its submit finish the dialog; the submit is attached, not a new form", () => {
    const actions = demoActions(SENT_INVITE);
    const flows = readActivityFlows(actions);
    assert.equal(flows.length, 1);
    assert.equal(openFlowOf(flows), null);
    const finished = finishedFlowOf(flows, actions)!;
    assert.equal(finished.end?.outcome, 'completed');
    assert.equal(finished.end?.label, 'Send invite');
    assert.equal(finished.submit, actions.at(-1));
  });

  test("'Cancel' closes without finishing, a page change leaves, and a later click makes it no longer just finished", () => {
    const cancelled = demoActions([...FILLING_INVITE, { kind: 'click', page: 'Team', label: 'Cancel' }]);
    assert.equal(finishedFlowOf(readActivityFlows(cancelled), cancelled)?.end?.outcome, 'cancelled');
    const left = demoActions([...FILLING_INVITE, { kind: 'pageview', page: 'Billing' }]);
    const leftFlows = readActivityFlows(left);
    assert.equal(leftFlows[0]!.end?.outcome, 'left');
    assert.equal(openFlowOf(leftFlows), null);
    assert.equal(finishedFlowOf(leftFlows, left), null);
    const later = demoActions([...SENT_INVITE, { kind: 'click', page: 'Team', label: 'Alex Rivera' }]);
    assert.equal(finishedFlowOf(readActivityFlows(later), later), null);
  });

  test('a confirm button inside a dialog finishes it even when its verb usually opens things', () => {
    const steps: DemoStep[] = [...ADDING_PROJECT, { kind: 'click', page: 'Projects', label: 'Create project' }];
    const flows = readActivityFlows(demoActions(steps));
    assert.equal(flows.length, 1);
    assert.equal(flows[0]!.end?.label, 'Create project');
    assert.equal(flows[0]!.end?.outcome, 'completed');
  });

  test('an opener with an unknown verb is found from the fields used right after it', () => {
    const steps: DemoStep[] = [
      { kind: 'pageview', page: 'Billing' },
      { kind: 'click', page: 'Billing', label: 'Change seats' },
      { kind: 'field-click', page: 'Billing', name: 'seats', noun: 'field' },
    ];
    // "Change seats" opens by its verb; "Pick seats" does not, and is still found by looking back.
    const picked = steps.map((step) => (step.kind === 'click' ? { ...step, label: 'Pick seats' } : step));
    assert.equal(openFlowOf(readActivityFlows(demoActions(steps)))?.label, 'Change seats');
    assert.equal(openFlowOf(readActivityFlows(demoActions(picked)))?.label, 'Pick seats');
  });

  test('a form that is part of the page has no opener, and a finishing click ends it', () => {
    const steps: DemoStep[] = [
      { kind: 'pageview', page: 'Settings' },
      { kind: 'field-click', page: 'Settings', name: 'workspace_name', noun: 'field' },
      { kind: 'typed', page: 'Settings', name: 'workspace_name' },
    ];
    const open = openFlowOf(readActivityFlows(demoActions(steps)))!;
    assert.equal(open.opener, null);
    assert.equal(open.page, 'Settings');
    const saved = demoActions([...steps, { kind: 'click', page: 'Settings', label: 'Save changes' }, { kind: 'submit', page: 'Settings', form: 'workspace-settings' }]);
    assert.equal(finishedFlowOf(readActivityFlows(saved), saved)?.end?.label, 'Save changes');
  });

  test('no actions, no flows; plain navigation clicks are no flow', () => {
    assert.deepEqual(readActivityFlows([]), []);
    const browsing = demoActions([{ kind: 'pageview', page: 'Dashboard' }, { kind: 'click', page: 'Dashboard', label: 'Team' }, { kind: 'pageview', page: 'Team' }]);
    assert.deepEqual(readActivityFlows(browsing), []);
  });
});
