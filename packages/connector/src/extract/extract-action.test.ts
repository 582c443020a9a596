import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hogFlatPayloads, posthogJsEdgeEvents, posthogJsEvents } from '../__fixtures__/index.ts';
import type { CapturedEvent } from '../ingest/captured-event.ts';
import { normalizeCaptureBody } from '../ingest/normalize-capture-body.ts';
import { normalizeWebhookBody } from '../ingest/normalize-webhook-body.ts';
import { extractAction } from './extract-action.ts';
import { createTabMemory } from './tab-memory.ts';

const RECEIVED_AT = Date.parse('2026-11-21T22:33:40.000Z');

function captured(body: unknown): CapturedEvent {
  const { events } = normalizeCaptureBody(body, RECEIVED_AT);
  assert.equal(events.length, 1);
  return events[0]!;
}

function event(properties: Record<string, unknown>, name = '$autocapture'): CapturedEvent {
  return { event: name, distinctId: 'd1', sessionId: 's1', timestamp: 1700000000, uuid: null, token: null, properties };
}

const DASHBOARD = 'https://app.example.com/dashboard';

// The recorded examples: docs/reference/posthog-capture.md#recorded-examples
describe('extractAction on the recorded posthog-js examples', () => {
  it('example 1, pageview → Page Load: Dashboard', () => {
    const action = extractAction(captured(posthogJsEvents.pageview));
    assert.deepEqual({ ...action, timestamp_start: 0 }, {
      type: 'pageview',
      title: 'Page Load: Dashboard',
      description: 'User landed on the Dashboard page',
      canonical_url: DASHBOARD,
      raw_url: 'https://app.example.com/dashboard?tab=reports#top',
      timestamp_start: 0,
      window_id: '01a2003e-3511-74aa-8210-33111cc18233',
      page: { title: 'Dashboard', path: '/dashboard' },
      target: null,
      container: null,
      choice: null,
      step: 'navigate',
      received_at: RECEIVED_AT / 1000,
    });
  });

  it("example 2, button click → Clicked 'Save changes'", () => {
    const action = extractAction(captured(posthogJsEvents.buttonClick))!;
    assert.equal(action.type, 'click');
    assert.equal(action.title, "Clicked 'Save changes'");
    assert.equal(action.description, 'User clicked Save changes on the Dashboard page');
    assert.equal(action.canonical_url, DASHBOARD);
  });

  it('example 3, a click on a span inside a link, names the link, not the span', () => {
    const action = extractAction(captured(posthogJsEvents.linkClick))!;
    assert.equal(action.title, "Clicked 'Billing settings'");
    assert.equal(action.description, 'User clicked Billing settings on the Dashboard page');
  });

  it('example 4 submit and example 5 change use the form and field names', () => {
    const submit = extractAction(captured(posthogJsEvents.formSubmit))!;
    assert.equal(submit.type, 'submit');
    assert.equal(submit.title, "Submitted the 'Login' form");
    assert.equal(submit.description, 'User submitted the Login form on the Dashboard page');
    assert.deepEqual(submit.target, { role: 'form', label: 'Login' });
    assert.equal(submit.step, 'submit');
    const change = extractAction(captured(posthogJsEvents.inputChange))!;
    assert.equal(change.type, 'type');
    assert.equal(change.title, "Typed in 'Email'");
    assert.equal(change.description, 'User typed in the Email field in the Login form on the Dashboard page');
    assert.deepEqual(change.container, { kind: 'form', label: 'Login' });
    assert.equal(change.step, 'type');
  });

  it('example 6, pageleave, is dropped', () => {
    assert.equal(extractAction(captured(posthogJsEvents.pageleave)), null);
  });

  it('gives the same titles from the Hog flat payloads as from posthog-js', () => {
    for (const name of ['pageview', 'buttonClick', 'linkClick', 'formSubmit', 'inputChange', 'pageleave'] as const) {
      const [fromHog] = normalizeWebhookBody(hogFlatPayloads[name], RECEIVED_AT).events;
      const fromJs = extractAction(captured(posthogJsEvents[name]));
      const fromWebhook = extractAction(fromHog!);
      assert.equal(fromWebhook?.title, fromJs?.title, name);
      assert.equal(fromWebhook?.description, fromJs?.description, name);
    }
  });
});

describe('extractAction edge cases', () => {
  it('keeps an escaped quote in the label', () => {
    assert.equal(extractAction(captured(posthogJsEdgeEvents.quoteButtonClick))!.title, `Clicked 'Say "hi"; then: go'`);
  });

  it('keeps rage clicks as clicks with a note', () => {
    const action = extractAction(captured(posthogJsEdgeEvents.rageClick))!;
    assert.equal(action.type, 'click');
    assert.equal(action.note, 'rage_click');
    assert.equal(action.title, "Rage-clicked 'Save changes'");
    assert.match(action.description, /repeatedly on the Dashboard page \(rage click\)$/);
  });

  it('keeps dead clicks as clicks with a note', () => {
    const action = extractAction(event({ $current_url: DASHBOARD, $event_type: 'click', $elements_chain: 'button:text="Export"' }, '$dead_click'))!;
    assert.equal(action.type, 'click');
    assert.equal(action.note, 'dead_click');
    assert.equal(action.title, "Clicked 'Export' (nothing happened)");
  });

  it('names a checkbox by its name made readable and never shows its value', () => {
    const action = extractAction(captured(posthogJsEdgeEvents.checkboxClick))!;
    assert.equal(action.title, "Toggled 'Agree'");
    assert.deepEqual(action.target, { role: 'checkbox', label: 'Agree' });
    assert.equal(action.step, 'choose');
    assert.doesNotMatch(JSON.stringify(action), /yes/);
  });

  it('never shows a captured input value', () => {
    const action = extractAction(captured(posthogJsEdgeEvents.capturedValueChange))!;
    assert.equal(action.title, "Typed in 'Plan'");
    assert.doesNotMatch(JSON.stringify(action), /Pro plan/);
  });

  it('prefers text, then aria-label, then the name made readable; a link without a label names where it leads', () => {
    const chain = (attributes: string) => `button:${attributes}nth-child="1"nth-of-type="1"`;
    const title = (chainText: string, tag = 'button') =>
      extractAction(event({ $current_url: DASHBOARD, $event_type: 'click', $elements_chain: chainText.replace(/^button/, tag) }))!.title;
    assert.equal(title(chain('attr__aria-label="Close"attr__name="x"') + 'text="Done"'), "Clicked 'Done'");
    assert.equal(title(chain('attr__aria-label="Close"attr__name="x"')), "Clicked 'Close'");
    assert.equal(title('a:attr__href="/team/42/members?x=1"attr__name="nav"href="/team/42/members?x=1"nth-child="1"nth-of-type="1"', 'a'), 'Clicked a link to the Members page');
    assert.equal(title(chain('attr__name="invite_member"')), "Clicked 'Invite member'");
    assert.equal(title(chain('attr__name="btn_7f3a"')), 'Clicked a button');
    assert.equal(title(chain('')), 'Clicked a button');
  });

  it('says nothing of an element marked ph-sensitive', () => {
    const action = extractAction(event({ $current_url: DASHBOARD, $event_type: 'click', $elements_chain: 'button.ph-sensitive:attr__aria-label="Reveal 1234"text="Secret"' }))!;
    assert.equal(action.title, 'Clicked a button');
  });

  it('redacts emails and long numbers in labels and URLs', () => {
    const action = extractAction(
      event({ $current_url: 'https://app.example.com/users/9876543?email=jane@example.com&token=t', $event_type: 'click', $elements_chain: 'button:text="Email jane@example.com"' }),
    )!;
    assert.equal(action.title, "Clicked 'Email [email]'");
    assert.equal(action.canonical_url, 'https://app.example.com/users/:id');
    assert.equal(action.raw_url, 'https://app.example.com/users/[number]?email=[redacted]&token=[redacted]');
    assert.equal(action.description, 'User clicked Email [email] on the Users page');
  });

  it('describes select and checkbox changes', () => {
    const select = extractAction(event({ $current_url: DASHBOARD, $event_type: 'change', $elements_chain: 'select:attr__name="plan"' }))!;
    assert.equal(select.title, "Selected an option in 'Plan'");
    assert.equal(select.step, 'choose');
    assert.equal(select.choice, null);
    const toggle = extractAction(event({ $current_url: DASHBOARD, $event_type: 'change', $elements_chain: 'input:attr__name="terms"attr__type="checkbox"' }))!;
    assert.equal(toggle.title, "Toggled 'Terms'");
    assert.equal(toggle.choice, 'Terms');
  });

  it('falls back to the Hog fields when the chain is empty', () => {
    const action = extractAction(event({ $current_url: DASHBOARD, $event_type: 'click', button_or_link_text: 'Invite member' }))!;
    assert.equal(action.title, "Clicked 'Invite member'");
  });

  it('drops system, custom and copy events', () => {
    for (const name of ['$pageleave', '$identify', '$set', '$groupidentify', '$feature_flag_called', '$web_vitals', '$exception', 'signed_up', '$copy_autocapture']) {
      assert.equal(extractAction(event({ $current_url: DASHBOARD }, name)), null, name);
    }
    assert.equal(extractAction(event({ $current_url: DASHBOARD, $event_type: 'copy' })), null);
  });

  it('maps keydown to type and uses host and path when there is no $current_url', () => {
    const action = extractAction(event({ $host: 'app.example.com', $pathname: '/team', $event_type: 'keydown', $elements_chain: 'textarea:attr__name="bio"' }))!;
    assert.equal(action.type, 'type');
    assert.equal(action.canonical_url, 'https://app.example.com/team');
    assert.equal(action.description, 'User typed in the Bio field on the Team page');
  });
});

/** One chain element: a tag, its attributes (written as posthog-js writes them, `attr__<name>`) and its text. */
interface Element {
  tag: string;
  attributes?: Record<string, string>;
  text?: string;
}

/** A chain as posthog-js writes it: target first, `"` escaped, keys sorted. */
function chainOf(...elements: Element[]): string {
  const escape = (value: string) => value.replace(/"/g, '\\"');
  return [...elements, { tag: 'body' }]
    .map(({ tag, attributes = {}, text }) => {
      const classes = attributes['class'] ? `.${attributes['class'].split(' ').join('.')}` : '';
      const pairs = Object.entries(attributes).map(([key, value]) => `attr__${key}="${escape(value)}"`);
      if (text !== undefined) pairs.push(`text="${escape(text)}"`);
      return `${tag}${classes}:${pairs.sort().join('')}`;
    })
    .join(';');
}

function uiEvent(url: string, chain: string, options: { name?: string; domEvent?: string; windowId?: string; properties?: Record<string, unknown> } = {}): CapturedEvent {
  return {
    event: options.name ?? '$autocapture',
    distinctId: 'd1',
    sessionId: 's1',
    timestamp: 1700000000,
    uuid: null,
    token: null,
    receivedAt: 1700000000.25,
    properties: { $current_url: url, $event_type: options.domEvent ?? 'click', $elements_chain: chain, $window_id: options.windowId ?? 'w1', ...options.properties },
  };
}

function pageview(url: string, title: string | null, windowId = 'w1'): CapturedEvent {
  return { ...uiEvent(url, '', { name: '$pageview', windowId }), properties: { $current_url: url, $window_id: windowId, ...(title === null ? {} : { title }) } };
}

const CRM = 'https://crm.example.com/deals/9f8e7d6c5b4a39281706';

describe('structured extraction in products unlike the demo', () => {
  it('CRM: a one-word button that says it opens a dialog is an open step', () => {
    const action = extractAction(uiEvent(CRM, chainOf({ tag: 'button', attributes: { 'aria-haspopup': 'dialog' }, text: 'Assign' }, { tag: 'main' })))!;
    assert.equal(action.step, 'open');
    assert.deepEqual(action.target, { role: 'button', label: 'Assign' });
    assert.equal(action.title, "Clicked 'Assign'");
    assert.equal(action.description, 'User clicked Assign on the Deals page, which opens a dialog');
  });

  it('CRM: a plain one-word button is a click; the reducer decides later whether it opened something', () => {
    const action = extractAction(uiEvent(CRM, chainOf({ tag: 'button', text: 'Assign' }, { tag: 'main' })))!;
    assert.equal(action.step, 'click');
    assert.equal(action.container, null);
  });

  it('CRM: an option chosen in a labelled dialog names the dialog and the choice', () => {
    const dialog: Element = { tag: 'div', attributes: { role: 'dialog', 'aria-label': 'Assign owner', 'aria-modal': 'true' } };
    const action = extractAction(
      uiEvent(CRM, chainOf({ tag: 'span', text: 'Dana Lee' }, { tag: 'li', attributes: { role: 'option', 'aria-selected': 'false' } }, { tag: 'ul', attributes: { role: 'listbox' } }, dialog)),
    )!;
    assert.equal(action.step, 'choose');
    assert.deepEqual(action.target, { role: 'option', label: 'Dana Lee' });
    assert.deepEqual(action.container, { kind: 'dialog', label: 'Assign owner' });
    assert.equal(action.choice, 'Dana Lee');
    assert.equal(action.title, "Selected 'Dana Lee'");
    assert.equal(action.description, 'User selected Dana Lee in the Assign owner dialog on the Deals page');
  });

  it('help desk: a tab is a choice named by its label, and typing in its panel names the panel', () => {
    const ticket = 'https://desk.example.com/tickets/4521';
    const tab = extractAction(
      uiEvent(ticket, chainOf({ tag: 'button', attributes: { role: 'tab', 'aria-controls': 'panel-internal-note', 'aria-selected': 'false', id: 'tab-internal-note' }, text: 'Internal note' }, { tag: 'div', attributes: { role: 'tablist' } })),
    )!;
    assert.equal(tab.step, 'choose', 'a tab controls its panel, but choosing it is no open step');
    assert.deepEqual(tab.target, { role: 'tab', label: 'Internal note' });
    assert.equal(tab.choice, 'Internal note');
    assert.equal(tab.description, 'User selected the Internal note tab on the Tickets page');
    const typed = extractAction(
      uiEvent(ticket, chainOf({ tag: 'textarea', attributes: { name: 'note_body', 'aria-label': 'Note' } }, { tag: 'div', attributes: { role: 'tabpanel', 'aria-labelledby': 'tab-internal-note' } }), { domEvent: 'change' }),
    )!;
    assert.equal(typed.step, 'type');
    assert.deepEqual(typed.container, { kind: 'tabpanel', label: 'Internal note' });
    assert.equal(typed.description, 'User typed in the Note field in the Internal note tab on the Tickets page');
  });

  it('bank: a click on a radio card label names the option, and the input click after it borrows the label', () => {
    const tab = createTabMemory();
    const url = 'https://bank.example.com/accounts/open';
    const card: Element[] = [
      { tag: 'label', attributes: { class: 'account-card', for: 'acct-savings' } },
      { tag: 'fieldset', attributes: { class: 'account-types' } },
      { tag: 'form', attributes: { id: 'open-account-form', name: 'open_account' } },
    ];
    const label = extractAction(uiEvent(url, chainOf({ tag: 'strong', text: 'Savings' }, { tag: 'span' }, ...card)), { tab })!;
    assert.deepEqual(label.target, { role: 'radio', label: 'Savings' });
    assert.equal(label.step, 'choose');
    assert.equal(label.choice, 'Savings');
    assert.deepEqual(label.container, { kind: 'form', label: 'Open account' });
    const input = extractAction(uiEvent(url, chainOf({ tag: 'input', attributes: { id: 'acct-savings', name: 'account_type', type: 'radio' } }, ...card)), { tab })!;
    assert.deepEqual(input.target, { role: 'radio', label: 'Savings' });
    assert.equal(input.choice, 'Savings');
    assert.equal(input.title, "Selected 'Savings'");
  });

  it('bank: a radio with no label anywhere is an unnamed choice in its group, never named by its group', () => {
    const action = extractAction(uiEvent('https://bank.example.com/transfers', chainOf({ tag: 'input', attributes: { name: 'frequency', type: 'radio' } }, { tag: 'form' })))!;
    assert.deepEqual(action.target, { role: 'radio', label: null });
    assert.equal(action.choice, null);
    assert.equal(action.title, "Selected an option in 'Frequency'");
  });

  it('bank: a label with double quotes and an ampersand survives whole', () => {
    const action = extractAction(uiEvent('https://bank.example.com/messages', chainOf({ tag: 'button', text: 'Say "hi" & bye' }, { tag: 'main' })))!;
    assert.equal(action.target?.label, 'Say "hi" & bye');
    assert.equal(action.title, `Clicked 'Say "hi" & bye'`);
    assert.equal(action.description, 'User clicked Say "hi" & bye on the Messages page');
  });

  it('CMS: an edit page without a title is named from the resource and the verb, and a dialog from its aria-labelledby id', () => {
    const url = 'https://cms.example.com/posts/8812/edit';
    const action = extractAction(
      uiEvent(url, chainOf({ tag: 'button', attributes: { type: 'submit' }, text: 'Schedule' }, { tag: 'form', attributes: { id: 'schedule-form' } }, { tag: 'dialog', attributes: { 'aria-labelledby': 'schedule-post-title', open: '' } })),
    )!;
    assert.deepEqual(action.page, { title: 'Edit post', path: '/posts/:id/edit' });
    assert.deepEqual(action.container, { kind: 'dialog', label: 'Schedule post' }, 'the dialog wins over the form inside it');
    assert.equal(action.description, 'User clicked Schedule in the Schedule post dialog on the Edit post page');
    const loaded = extractAction(pageview(url, null))!;
    assert.equal(loaded.title, 'Page Load: Edit post');
  });

  it('CMS: a submitted form is named by its container, never by its id', () => {
    const inDialog = extractAction(
      uiEvent('https://cms.example.com/team', chainOf({ tag: 'form', attributes: { id: 'invite-form-7f2a' } }, { tag: 'div', attributes: { role: 'dialog', 'aria-label': 'Invite member' } }), { domEvent: 'submit' }),
    )!;
    assert.equal(inDialog.title, "Submitted the 'Invite member' form");
    assert.equal(inDialog.description, 'User submitted the Invite member form on the Team page');
    const byId = extractAction(uiEvent('https://cms.example.com/team', chainOf({ tag: 'form', attributes: { id: 'invite-member-form' } }, { tag: 'main' }), { domEvent: 'submit' }))!;
    assert.equal(byId.title, "Submitted the 'Invite member' form");
    const unnamed = extractAction(uiEvent('https://cms.example.com/team', chainOf({ tag: 'form', attributes: { id: 'f_91ac' } }), { domEvent: 'submit' }))!;
    assert.equal(unnamed.title, 'Submitted a form');
    for (const action of [inDialog, byId, unnamed]) assert.doesNotMatch(JSON.stringify(action), /invite-form|invite-member-form|f_91ac/);
  });

  it('a menu item sits in its labelled menu', () => {
    const action = extractAction(
      uiEvent('https://cms.example.com/posts', chainOf({ tag: 'a', attributes: { role: 'menuitem', href: '#' }, text: 'Archive' }, { tag: 'li' }, { tag: 'ul', attributes: { role: 'menu', 'aria-label': 'Post actions' } })),
    )!;
    assert.deepEqual(action.target, { role: 'menuitem', label: 'Archive' });
    assert.deepEqual(action.container, { kind: 'menu', label: 'Post actions' });
    assert.equal(action.step, 'click');
    assert.equal(action.description, 'User clicked Archive in the Post actions menu on the Posts page');
  });

  it('a dialog with a drawer class, or an aside named like one, is a drawer', () => {
    const inDialog = extractAction(uiEvent(CRM, chainOf({ tag: 'button', text: 'Apply' }, { tag: 'div', attributes: { class: 'drawer drawer-right', role: 'dialog', 'aria-label': 'Filters' } })))!;
    assert.deepEqual(inDialog.container, { kind: 'drawer', label: 'Filters' });
    const aside = extractAction(uiEvent(CRM, chainOf({ tag: 'button', text: 'Apply' }, { tag: 'aside', attributes: { class: 'offcanvas', id: 'filters-panel' } })))!;
    assert.deepEqual(aside.container, { kind: 'drawer', label: 'Filters' });
    const plainAside = extractAction(uiEvent(CRM, chainOf({ tag: 'button', text: 'Apply' }, { tag: 'aside', attributes: { class: 'sidebar' } })))!;
    assert.equal(plainAside.container, null, 'an aside alone is no drawer');
  });

  it('Cancel, Close, × and their translations in a dialog dismiss it', () => {
    const dialog: Element = { tag: 'div', attributes: { role: 'dialog', 'aria-label': 'Assign owner' } };
    for (const button of [
      { tag: 'button', text: 'Cancel' },
      { tag: 'button', text: 'Not now' },
      { tag: 'button', text: 'Cancelar' },
      { tag: 'button', text: 'Fermer' },
      { tag: 'button', text: 'Schließen' },
      { tag: 'button', text: '×' },
      { tag: 'button', attributes: { 'aria-label': 'Close dialog' } },
    ]) {
      const action = extractAction(uiEvent(CRM, chainOf(button, dialog)))!;
      assert.equal(action.step, 'dismiss', JSON.stringify(button));
    }
    const cancel = extractAction(uiEvent(CRM, chainOf({ tag: 'button', text: 'Cancel' }, dialog)))!;
    assert.equal(cancel.title, "Clicked 'Cancel'");
    assert.equal(cancel.description, 'User clicked Cancel to close the Assign owner dialog on the Deals page');
  });

  it('a closing word outside any dialog or form, or a destructive "Close account", is a plain click', () => {
    assert.equal(extractAction(uiEvent(CRM, chainOf({ tag: 'button', text: 'Cancel' }, { tag: 'main' })))!.step, 'click');
    assert.equal(extractAction(uiEvent(CRM, chainOf({ tag: 'button', text: 'Close account' }, { tag: 'div', attributes: { role: 'dialog' } })))!.step, 'click');
  });

  it('aria-haspopup, aria-expanded="false" and aria-controls open; aria-expanded="true" does not', () => {
    const step = (attributes: Record<string, string>) => extractAction(uiEvent(CRM, chainOf({ tag: 'button', attributes, text: 'More' })))!.step;
    assert.equal(step({ 'aria-haspopup': 'menu' }), 'open');
    assert.equal(step({ 'aria-haspopup': 'true' }), 'open');
    assert.equal(step({ 'aria-expanded': 'false' }), 'open');
    assert.equal(step({ 'aria-controls': 'more-options' }), 'open');
    assert.equal(step({ 'aria-expanded': 'true', 'aria-controls': 'more-options' }), 'click');
    assert.equal(step({ 'aria-haspopup': 'false' }), 'click');
    assert.equal(step({ 'data-open-dialog': 'more-dialog' }), 'click', "one app's own attribute is no web convention");
  });

  it('rage and dead clicks are failed steps that keep their target', () => {
    const rage = extractAction(uiEvent(CRM, chainOf({ tag: 'button', text: 'Save deal' }), { name: '$rageclick' }))!;
    assert.equal(rage.step, 'failed');
    assert.equal(rage.title, "Rage-clicked 'Save deal'");
    const dead = extractAction(uiEvent(CRM, chainOf({ tag: 'button', text: 'Export' }), { name: '$dead_click' }))!;
    assert.equal(dead.step, 'failed');
    assert.deepEqual(dead.target, { role: 'button', label: 'Export' });
    assert.equal(dead.title, "Clicked 'Export' (nothing happened)");
  });

  it('carries the tab ($window_id) and the time the connector received the event', () => {
    const action = extractAction(uiEvent(CRM, chainOf({ tag: 'button', text: 'Save' }), { windowId: 'tab-2' }))!;
    assert.equal(action.window_id, 'tab-2');
    assert.equal(action.received_at, 1700000000.25);
    const withoutWindow = extractAction({ ...uiEvent(CRM, chainOf({ tag: 'button', text: 'Save' })), properties: { $current_url: CRM, $event_type: 'click', $elements_chain: 'button:text="Save"' } })!;
    assert.equal(withoutWindow.window_id, null);
  });

  it('a pageview title loses the product suffix, and later clicks on the page in the same tab keep it', () => {
    const tab = createTabMemory();
    const loaded = extractAction(pageview(CRM, 'Acme Corp renewal · Pipewise'), { tab })!;
    assert.deepEqual(loaded.page, { title: 'Acme Corp renewal', path: '/deals/:id' });
    assert.equal(loaded.title, 'Page Load: Acme Corp renewal');
    const clicked = extractAction(uiEvent(CRM, chainOf({ tag: 'button', text: 'Assign' })), { tab })!;
    assert.deepEqual(clicked.page, { title: 'Acme Corp renewal', path: '/deals/:id' });
    assert.equal(clicked.description, 'User clicked Assign on the Acme Corp renewal page');
    const elsewhere = extractAction(uiEvent('https://crm.example.com/contacts', chainOf({ tag: 'button', text: 'Add' })), { tab })!;
    assert.equal(elsewhere.page?.title, 'Contacts', 'another path does not borrow the title');
    const otherTab = extractAction(uiEvent(CRM, chainOf({ tag: 'button', text: 'Assign' })), { tab: createTabMemory() })!;
    assert.equal(otherTab.page?.title, 'Deals');
  });

  it('a title that stays the same while the path changes names the product, not the page: the path names it', () => {
    const tab = createTabMemory();
    assert.equal(extractAction(pageview('https://app.example.com/inbox', 'Mailer'), { tab })!.page?.title, 'Mailer');
    assert.equal(extractAction(pageview('https://app.example.com/settings/filters', 'Mailer'), { tab })!.page?.title, 'Filters');
  });

  it('an <h1> around the target names the page when no pageview did', () => {
    const action = extractAction(uiEvent('https://desk.example.com/t/77', chainOf({ tag: 'a', attributes: { href: '#' }, text: 'edit' }, { tag: 'h1', text: 'Refund request' })))!;
    assert.equal(action.page?.title, 'Refund request');
  });

  it('redacts an email in a page title and in a label', () => {
    const tab = createTabMemory();
    const loaded = extractAction(pageview('https://crm.example.com/contacts/118', 'jane.doe@example.com · Pipewise'), { tab })!;
    assert.equal(loaded.page?.title, '[email]');
    const clicked = extractAction(uiEvent('https://crm.example.com/contacts/118', chainOf({ tag: 'button', attributes: { 'aria-label': 'Email jane.doe@example.com' } })), { tab })!;
    assert.equal(clicked.target?.label, 'Email [email]');
    assert.doesNotMatch(JSON.stringify([loaded, clicked]), /jane\.doe/);
  });

  it('never uses the text of an input, a textarea or an editable element as a label', () => {
    const fields: Element[] = [
      { tag: 'textarea', attributes: { name: 'note' }, text: 'my secret plan' },
      { tag: 'input', attributes: { name: 'q', type: 'text' }, text: 'my secret plan' },
      { tag: 'div', attributes: { contenteditable: 'true', 'aria-label': 'Reply' }, text: 'my secret plan' },
    ];
    for (const field of fields) {
      const action = extractAction(uiEvent(CRM, chainOf(field, { tag: 'form' }), { domEvent: 'change' }))!;
      assert.doesNotMatch(JSON.stringify(action), /secret/, field.tag);
      assert.equal(action.target?.role, 'field');
    }
  });

  it('takes a field label from a wrapping <label>, then the placeholder, and a name only as a last resort', () => {
    const label = (...elements: Element[]) => extractAction(uiEvent(CRM, chainOf(...elements), { domEvent: 'change' }))!.target?.label;
    assert.equal(label({ tag: 'input', attributes: { name: 'fn', type: 'text' } }, { tag: 'label', text: 'First name' }), 'First name');
    assert.equal(label({ tag: 'input', attributes: { name: 'first_name', placeholder: 'Jane', type: 'text' } }), 'Jane');
    assert.equal(label({ tag: 'input', attributes: { name: 'first_name', type: 'text' } }), 'First name');
    assert.equal(label({ tag: 'input', attributes: { name: 'first_name', title: 'Given name', type: 'text' } }), 'Given name');
  });

  it('a select change is a choice whose option stays unnamed', () => {
    const action = extractAction(uiEvent(CRM, chainOf({ tag: 'select', attributes: { name: 'stage', 'aria-label': 'Deal stage' } }, { tag: 'form' }), { domEvent: 'change' }))!;
    assert.equal(action.step, 'choose');
    assert.deepEqual(action.target, { role: 'select', label: 'Deal stage' });
    assert.equal(action.choice, null);
  });

  it('with captureChoiceLabels off, a choice is never named', () => {
    const chain = chainOf({ tag: 'div', attributes: { role: 'radio', 'aria-checked': 'false' }, text: 'Divorced' }, { tag: 'div', attributes: { role: 'radiogroup' } });
    const action = extractAction(uiEvent('https://health.example.com/profile', chain), { captureChoiceLabels: false })!;
    assert.equal(action.step, 'choose');
    assert.equal(action.choice, null);
    assert.deepEqual(action.target, { role: 'radio', label: null });
    assert.doesNotMatch(JSON.stringify(action), /Divorced/);
    assert.equal(extractAction(uiEvent('https://health.example.com/profile', chain))!.choice, 'Divorced');
  });

  it('names nothing inside an element marked ph-sensitive, but still names the dialog around it', () => {
    const action = extractAction(
      uiEvent(CRM, chainOf({ tag: 'span', text: 'Jane Doe' }, { tag: 'button', attributes: { class: 'ph-sensitive' } }, { tag: 'div', attributes: { role: 'dialog', 'aria-label': 'Merge contacts' } })),
    )!;
    assert.deepEqual(action.target, { role: 'button', label: null });
    assert.deepEqual(action.container, { kind: 'dialog', label: 'Merge contacts' });
    assert.doesNotMatch(JSON.stringify(action), /Jane/);
  });
});
