import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hogFlatPayloads, posthogJsEdgeEvents, posthogJsEvents } from '../__fixtures__/index.ts';
import type { CapturedEvent } from '../ingest/captured-event.ts';
import { normalizeCaptureBody } from '../ingest/normalize-capture-body.ts';
import { normalizeWebhookBody } from '../ingest/normalize-webhook-body.ts';
import { extractAction } from './extract-action.ts';

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

describe('extractAction on the posthog.md §10 examples', () => {
  it('§10.1 pageview → Page Load: Dashboard', () => {
    const action = extractAction(captured(posthogJsEvents.pageview));
    assert.deepEqual({ ...action, timestamp_start: 0 }, {
      type: 'pageview',
      title: 'Page Load: Dashboard',
      description: 'User landed on the Dashboard page',
      canonical_url: DASHBOARD,
      raw_url: 'https://app.example.com/dashboard?tab=reports#top',
      timestamp_start: 0,
    });
  });

  it("§10.2 button click → Clicked 'Save changes'", () => {
    const action = extractAction(captured(posthogJsEvents.buttonClick))!;
    assert.equal(action.type, 'click');
    assert.equal(action.title, "Clicked 'Save changes'");
    assert.equal(action.description, 'User clicked Save changes on the Dashboard page');
    assert.equal(action.canonical_url, DASHBOARD);
  });

  it('§10.3 click on a span inside a link names the link, not the span', () => {
    const action = extractAction(captured(posthogJsEvents.linkClick))!;
    assert.equal(action.title, "Clicked 'Billing settings'");
    assert.equal(action.description, 'User clicked Billing settings on the Dashboard page');
  });

  it('§10.4 submit and §10.5 change use the form and field names', () => {
    const submit = extractAction(captured(posthogJsEvents.formSubmit))!;
    assert.equal(submit.type, 'submit');
    assert.equal(submit.title, "Submitted 'login'");
    assert.equal(submit.description, 'User submitted the login form on the Dashboard page');
    const change = extractAction(captured(posthogJsEvents.inputChange))!;
    assert.equal(change.type, 'type');
    assert.equal(change.title, "Typed in 'email'");
    assert.equal(change.description, 'User typed in the email field on the Dashboard page');
  });

  it('§10.6 pageleave is dropped', () => {
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
  it('keeps an escaped quote in the label (§10.7)', () => {
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

  it('names a checkbox by its name and never shows its value', () => {
    const action = extractAction(captured(posthogJsEdgeEvents.checkboxClick))!;
    assert.equal(action.title, "Clicked 'agree' checkbox");
    assert.doesNotMatch(JSON.stringify(action), /yes/);
  });

  it('never shows a captured input value', () => {
    const action = extractAction(captured(posthogJsEdgeEvents.capturedValueChange))!;
    assert.equal(action.title, "Typed in 'plan'");
    assert.doesNotMatch(JSON.stringify(action), /Pro plan/);
  });

  it('prefers text, then aria-label, then the link destination, then the name', () => {
    const chain = (attributes: string) => `button:${attributes}nth-child="1"nth-of-type="1"`;
    const title = (chainText: string, tag = 'button') =>
      extractAction(event({ $current_url: DASHBOARD, $event_type: 'click', $elements_chain: chainText.replace(/^button/, tag) }))!.title;
    assert.equal(title(chain('attr__aria-label="Close"attr__name="x"') + 'text="Done"'), "Clicked 'Done'");
    assert.equal(title(chain('attr__aria-label="Close"attr__name="x"')), "Clicked 'Close'");
    assert.equal(title('a:attr__href="/team/42/members?x=1"attr__name="nav"href="/team/42/members?x=1"nth-child="1"nth-of-type="1"', 'a'), 'Clicked link to /team/:id/members');
    assert.equal(title(chain('attr__name="invite"')), "Clicked 'invite' button");
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
    assert.equal(select.title, "Selected an option in 'plan'");
    const toggle = extractAction(event({ $current_url: DASHBOARD, $event_type: 'change', $elements_chain: 'input:attr__name="terms"attr__type="checkbox"' }))!;
    assert.equal(toggle.title, "Toggled 'terms'");
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
    assert.equal(action.description, 'User typed in the bio field on the Team page');
  });
});
