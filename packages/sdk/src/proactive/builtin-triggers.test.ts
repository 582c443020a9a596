import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ActionContainer, SlimAction } from '@sightline/protocol';
import type { ActivityKey, ActivityState } from '../activity/activity-state.ts';
import { TabBuilder } from '../activity/__fixtures__/action-builder.ts';
import { reduceActivity } from '../activity/reduce-activity.ts';
import { builtinTriggers, containerIdleTrigger, pageDwellTrigger, pingPongTrigger, repeatedFailureTrigger } from './builtin-triggers.ts';
import { ProactiveTriggerRegistry } from './trigger-registry.ts';

const key: ActivityKey = { productId: 'helpdesk', sessionId: 's1', windowId: 'w1' };
const START = 1_700_000_000;

function stateOf(actions: readonly SlimAction[]): ActivityState {
  let state: ActivityState | null = null;
  for (const action of actions) state = reduceActivity(state, action, { key, userId: 'u1', email: null });
  assert.ok(state);
  return state;
}

/** Now, in epoch ms, `seconds` after the tab's last action. */
function after(state: ActivityState, seconds: number): number {
  return (state.lastAt + seconds) * 1000;
}

const dialog = (label: string): ActionContainer => ({ kind: 'dialog', label });

describe('canonical_url_ping_pong', () => {
  it('CRM: Leads → Deals → Leads → Deals fires once the second cycle is seen, naming both pages', () => {
    const tab = new TabBuilder({ startAt: START });
    tab.navigate('Leads', '/leads');
    tab.navigate('Deals', '/deals');
    tab.navigate('Leads', '/leads');
    const trigger = pingPongTrigger();
    assert.equal(trigger.evaluate({ state: stateOf(tab.actions), now: after(stateOf(tab.actions), 1) }), null, 'A → B → A is one cycle; the default needs two');
    tab.navigate('Deals', '/deals');
    const state = stateOf(tab.actions);
    const hit = trigger.evaluate({ state, now: after(state, 1) });
    assert.equal(hit?.triggerId, 'canonical_url_ping_pong');
    assert.deepEqual(hit?.facts, { kind: 'back_and_forth', pages: ['Leads', 'Deals'], cycles: 2 });
    tab.navigate('Leads', '/leads');
    const longer = stateOf(tab.actions);
    assert.equal(trigger.evaluate({ state: longer, now: after(longer, 1) })?.moment, hit?.moment, 'the same back and forth is the same moment');
  });

  it("Autoplay's single cycle (min_cycles 1) fires on A → B → A, and three different pages never fire", () => {
    const tab = new TabBuilder({ startAt: START });
    tab.navigate('Tickets', '/tickets');
    tab.navigate('Macros', '/macros');
    tab.navigate('Reports', '/reports');
    const trigger = pingPongTrigger({ minCycles: 1 });
    const plain = stateOf(tab.actions);
    assert.equal(trigger.evaluate({ state: plain, now: after(plain, 1) }), null);
    tab.navigate('Macros', '/macros');
    const state = stateOf(tab.actions);
    assert.deepEqual(trigger.evaluate({ state, now: after(state, 1) })?.facts, { kind: 'back_and_forth', pages: ['Macros', 'Reports'], cycles: 1 });
  });

  it('visits older than within_s, or before a completed flow, do not count', () => {
    const tab = new TabBuilder({ startAt: START });
    tab.navigate('Cuentas', '/cuentas');
    tab.navigate('Tarjetas', '/tarjetas');
    tab.wait(300);
    tab.navigate('Cuentas', '/cuentas');
    tab.navigate('Tarjetas', '/tarjetas');
    const state = stateOf(tab.actions);
    assert.equal(pingPongTrigger({ withinS: 120 }).evaluate({ state, now: after(state, 1) }), null);
    assert.ok(pingPongTrigger({ withinS: 600 }).evaluate({ state, now: after(state, 1) }));

    const progress = new TabBuilder({ startAt: START });
    progress.navigate('Artikel', '/artikel');
    progress.navigate('Medien', '/medien');
    progress.click('Neuer Artikel');
    progress.type('Titel', dialog('Neuer Artikel'));
    progress.click('Speichern', { container: dialog('Neuer Artikel') });
    progress.navigate('Artikel', '/artikel');
    progress.navigate('Medien', '/medien');
    const afterSave = stateOf(progress.actions);
    assert.equal(pingPongTrigger().evaluate({ state: afterSave, now: after(afterSave, 1) }), null, 'the save was progress');
  });
});

describe('user_page_dwell', () => {
  it('bank: a minute on Transfers with two actions fires; before the threshold it does not', () => {
    const tab = new TabBuilder({ startAt: START });
    tab.navigate('Transfers', '/transfers');
    tab.click('Show limits', { role: 'link' });
    const state = stateOf(tab.actions);
    const trigger = pageDwellTrigger();
    const since = state.page!.since;
    assert.equal(trigger.evaluate({ state, now: (since + 59) * 1000 }), null);
    const hit = trigger.evaluate({ state, now: (since + 60) * 1000 });
    assert.deepEqual(hit?.facts, { kind: 'page_dwell', page: 'Transfers', seconds: 60 });
    assert.equal(hit?.moment, `/transfers@${since}`);
  });

  it('more actions than max_actions on the page is exploring, and an open dialog is left to container_idle', () => {
    const tab = new TabBuilder({ startAt: START });
    tab.navigate('Pages', '/pages');
    for (let i = 0; i < 6; i++) tab.click(`Row ${i}`, { role: 'link' });
    const busy = stateOf(tab.actions);
    assert.equal(pageDwellTrigger().evaluate({ state: busy, now: after(busy, 120) }), null);

    const withDialog = new TabBuilder({ startAt: START });
    withDialog.navigate('Pages', '/pages');
    withDialog.click('New page');
    withDialog.type('Title', dialog('New page'));
    const open = stateOf(withDialog.actions);
    assert.equal(pageDwellTrigger().evaluate({ state: open, now: after(open, 120) }), null);
  });
});

describe('container_idle', () => {
  it('help desk: the "Merge tickets" dialog left alone for 30 s fires once per opening', () => {
    const tab = new TabBuilder({ startAt: START });
    tab.navigate('Tickets', '/tickets');
    tab.click('Merge');
    tab.choose('#4411', dialog('Merge tickets'), { role: 'option' });
    const state = stateOf(tab.actions);
    const trigger = containerIdleTrigger();
    assert.equal(trigger.evaluate({ state, now: after(state, 29) }), null, 'the last action inside resets the idle time');
    const hit = trigger.evaluate({ state, now: after(state, 30) });
    assert.deepEqual(hit?.facts, { kind: 'container_idle', container: { kind: 'dialog', label: 'Merge tickets' }, page: 'Tickets', seconds: 30 });
    tab.wait(40);
    tab.choose('#4412', dialog('Merge tickets'), { role: 'option' });
    const later = stateOf(tab.actions);
    assert.equal(trigger.evaluate({ state: later, now: after(later, 31) })?.moment, hit?.moment, 'the same opening is the same moment');
  });

  it('a confirmed dialog is not idle', () => {
    const tab = new TabBuilder({ startAt: START });
    tab.navigate('Billing', '/billing');
    tab.click('Change plan');
    tab.choose('Annual', dialog('Change plan'));
    tab.click('Confirm', { container: dialog('Change plan') });
    const state = stateOf(tab.actions);
    assert.equal(containerIdleTrigger().evaluate({ state, now: after(state, 300) }), null);
  });
});

describe('repeated_failure', () => {
  it('a rage click fires with its label and page; dead clicks need three', () => {
    const rage = new TabBuilder({ startAt: START });
    rage.navigate('Contacts', '/contacts');
    rage.rageClick('Export CSV');
    const rageState = stateOf(rage.actions);
    assert.deepEqual(repeatedFailureTrigger().evaluate({ state: rageState, now: after(rageState, 0) })?.facts, {
      kind: 'repeated_failure',
      failure: 'rage',
      label: 'Export CSV',
      page: 'Contacts',
      count: 1,
    });

    const dead = new TabBuilder({ startAt: START });
    dead.navigate('Rapports', '/rapports');
    dead.deadClick('Télécharger');
    dead.deadClick('Télécharger');
    const two = stateOf(dead.actions);
    assert.equal(repeatedFailureTrigger().evaluate({ state: two, now: after(two, 0) }), null);
    dead.deadClick('Télécharger');
    const three = stateOf(dead.actions);
    assert.equal(repeatedFailureTrigger().evaluate({ state: three, now: after(three, 0) })?.facts.kind, 'repeated_failure');
  });

  it('CMS: a submit that lands back on the same form twice fires, naming the form', () => {
    const tab = new TabBuilder({ startAt: START });
    tab.navigate('Posts', '/posts');
    tab.click('New post');
    tab.type('Slug', dialog('New post'));
    tab.submit(dialog('New post'));
    tab.type('Slug', dialog('New post'));
    const once = stateOf(tab.actions);
    assert.equal(once.open?.label, 'New post', 'the form was taken back after the first submit');
    assert.equal(repeatedFailureTrigger().evaluate({ state: once, now: after(once, 0) }), null);
    tab.submit(dialog('New post'));
    tab.type('Slug', dialog('New post'));
    const twice = stateOf(tab.actions);
    const hit = repeatedFailureTrigger().evaluate({ state: twice, now: after(twice, 0) });
    assert.equal(hit?.facts.kind, 'repeated_failure');
    assert.deepEqual(hit?.facts, { kind: 'repeated_failure', failure: 'submit', label: 'New post', page: 'Posts', count: 2 });
  });
});

describe('ProactiveTriggerRegistry', () => {
  it('evaluateFirst returns the first hit in order, evaluateAll every hit', () => {
    const tab = new TabBuilder({ startAt: START });
    tab.navigate('Tickets', '/tickets');
    tab.navigate('Macros', '/macros');
    tab.navigate('Tickets', '/tickets');
    tab.navigate('Macros', '/macros');
    tab.rageClick('Apply macro');
    const state = stateOf(tab.actions);
    const registry = new ProactiveTriggerRegistry(builtinTriggers());
    assert.deepEqual(registry.ids, ['repeated_failure', 'container_idle', 'canonical_url_ping_pong', 'user_page_dwell']);
    assert.equal(registry.evaluateFirst({ state, now: after(state, 1) })?.triggerId, 'repeated_failure');
    assert.deepEqual(
      registry.evaluateAll({ state, now: after(state, 1) }).map((hit) => hit.triggerId),
      ['repeated_failure', 'canonical_url_ping_pong'],
    );
  });

  it('a trigger that throws is reported and skipped; a duplicate id is refused', () => {
    const errors: string[] = [];
    const registry = new ProactiveTriggerRegistry(
      [
        { id: 'broken', evaluate: () => { throw new Error('boom'); } },
        { id: 'always', evaluate: () => ({ triggerId: 'always', moment: 'm', cooldownS: 1, facts: { kind: 'page_dwell', page: 'X', seconds: 0 } }) },
      ],
      { onError: (_error, id) => errors.push(id) },
    );
    const tab = new TabBuilder({ startAt: START });
    tab.navigate('X', '/x');
    const state = stateOf(tab.actions);
    assert.equal(registry.evaluateFirst({ state, now: after(state, 0) })?.triggerId, 'always');
    assert.deepEqual(errors, ['broken']);
    assert.throws(() => registry.register({ id: 'always', evaluate: () => null }), { code: 'SL_CONFIG_INVALID' });
  });

  it('thresholds are checked: a minCycles of 0 is a configuration error', () => {
    assert.throws(() => pingPongTrigger({ minCycles: 0 }), { code: 'SL_CONFIG_INVALID' });
    assert.throws(() => pageDwellTrigger({ afterS: -1 }), { code: 'SL_CONFIG_INVALID' });
  });
});
