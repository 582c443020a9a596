/**
 * One gesture, one action: the events posthog-js 1.x sends in Chromium for a click on a radio card's label (recorded
 * from the demo: the label's click, the input's click, the input's change and two dead clicks), here on an invented
 * travel-booking product's fare picker, and the cases that must stay actions of their own.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ActionsPayload } from '@sightline/protocol';
import { FakeClock } from '@sightline/protocol/testing';
import type { CapturedEvent } from '../ingest/captured-event.ts';
import { Sessionizer } from './sessionizer.ts';

const AT = 1_795_300_000;
const DIALOG = 'div.dialog:attr__aria-labelledby="fare-title"attr__aria-modal="true"attr__role="dialog"nth-child="5"nth-of-type="2";body:nth-child="2"nth-of-type="1"';
const FORM = 'form:attr__id="fare-form"attr__name="fare-form"attr_id="fare-form"nth-child="1"nth-of-type="1"';
const LABEL = 'label.fare-option:attr__class="fare-option"attr__for="fare-flex"nth-child="3"nth-of-type="2"';
const FIELDSET = 'fieldset.fares:attr__class="fares"nth-child="3"nth-of-type="1"';
/** The radio as posthog-js sends it: a sensitive input keeps only its name, id, class and aria-label, not its type. */
const RADIO = 'input:attr__id="fare-flex"attr__name="fare"attr_id="fare-flex"nth-child="1"nth-of-type="1"';
const STRONG = 'strong:nth-child="1"nth-of-type="1"text="Flex";span:nth-child="2"nth-of-type="1"';

function event(name: string, type: string, chain: string, timestamp: number): CapturedEvent {
  return {
    event: name,
    distinctId: 'traveller-7',
    sessionId: 'session-fares',
    timestamp,
    uuid: null,
    token: null,
    properties: { $event_type: type, $current_url: 'https://book.example.travel/trips/checkout', $window_id: 'w1', $elements_chain: chain },
  };
}

function titlesOf(events: CapturedEvent[]): string[] {
  const batches: ActionsPayload[] = [];
  const sessionizer = new Sessionizer({ clock: new FakeClock({ now: AT * 1000 }), batchWindowMs: 0, onBatch: (payload) => batches.push(payload) });
  sessionizer.add('travel', events);
  sessionizer.flush();
  return batches.flatMap((payload) => payload.actions.map((action) => action.title));
}

const inDialog = (...elements: string[]) => [...elements, FIELDSET, FORM, DIALOG].join(';');

describe('one click on a radio card', () => {
  const gesture = [
    event('$autocapture', 'click', inDialog(STRONG, LABEL), AT),
    event('$autocapture', 'click', inDialog(RADIO, LABEL), AT + 0.001),
    event('$autocapture', 'change', inDialog(RADIO, LABEL), AT + 0.002),
    event('$dead_click', 'click', inDialog(STRONG, LABEL), AT + 3),
    event('$dead_click', 'click', inDialog(RADIO, LABEL), AT + 3.001),
  ];

  it('is one choice: no second and third "Selected", no "typed in", no click where nothing happened', () => {
    assert.deepEqual(titlesOf(gesture), ["Selected 'Flex'"]);
  });

  it('picking the same fare again a moment later (a person, not the browser) is a second action', () => {
    const again = gesture.slice(0, 3).map((each) => ({ ...each, timestamp: each.timestamp + 0.6 }));
    assert.deepEqual(titlesOf([...gesture.slice(0, 3), ...again]), ["Selected 'Flex'", "Selected 'Flex'"]);
  });
});

describe('what stays an action of its own', () => {
  it('a dead click on a button is still a click where nothing happened', () => {
    const button = 'button:attr__id="apply-voucher"attr_id="apply-voucher"nth-child="2"nth-of-type="1"text="Apply voucher"';
    assert.deepEqual(titlesOf([event('$dead_click', 'click', `${button};${FORM}`, AT)]), ["Clicked 'Apply voucher' (nothing happened)"]);
  });

  it('an untyped input in a plain label inside a fieldset is a text field, and "checkout" in its id makes no checkbox', () => {
    const label = 'label:attr__for="checkout-email"nth-child="1"nth-of-type="1"';
    const input = 'input:attr__id="checkout-email"attr__name="email"attr_id="checkout-email"nth-child="2"nth-of-type="1"';
    const titles = titlesOf([
      event('$autocapture', 'click', [input, label, FIELDSET, FORM].join(';'), AT),
      event('$autocapture', 'change', [input, label, FIELDSET, FORM].join(';'), AT + 2),
    ]);
    assert.equal(titles.length, 2);
    assert.match(titles[0]!, /^Clicked /);
    assert.match(titles[1]!, /^Typed in /);
  });
});

describe('a label in a fieldset: a radio card, or a text field\'s label', () => {
  // An invented help desk's new-ticket form: both labels sit in a fieldset and name their input with `for`; neither
  // label nor input says "radio" or "option", and posthog-js sends neither input's type.
  const fieldset = 'fieldset:nth-child="3"nth-of-type="1"';
  const form = 'form:attr__id="ticket-form"attr_id="ticket-form"nth-child="1"nth-of-type="1"';
  const emailLabel = `label:attr__for="cc-email"nth-child="1"nth-of-type="1"text="Email for the tickets";${fieldset};${form}`;
  const emailInput = `input:attr__id="cc-email"attr__name="cc"attr_id="cc-email"nth-child="2"nth-of-type="1";${fieldset};${form}`;
  const urgentLabel = `label:attr__for="priority-urgent"nth-child="1"nth-of-type="1"text="Urgent";${fieldset};${form}`;
  const urgentInput = `input:attr__id="priority-urgent"attr__name="priority"attr_id="priority-urgent"nth-child="2"nth-of-type="1";${fieldset};${form}`;

  it('a click on a text field\'s label is a click into the field (the browser\'s click on it follows; no change comes)', () => {
    const titles = titlesOf([
      event('$autocapture', 'click', emailLabel, AT),
      event('$autocapture', 'click', emailInput, AT + 0.001),
      event('$autocapture', 'change', emailInput, AT + 4),
    ]);
    assert.deepEqual(titles.length, 2);
    assert.match(titles[0]!, /^Clicked .*Email for the tickets/);
    assert.match(titles[1]!, /^Typed in .*Email for the tickets/);
  });

  it('a click on a radio card\'s label is one choice (its input\'s change comes at once)', () => {
    const titles = titlesOf([
      event('$autocapture', 'click', urgentLabel, AT),
      event('$autocapture', 'click', urgentInput, AT + 0.001),
      event('$autocapture', 'change', urgentInput, AT + 0.002),
    ]);
    assert.deepEqual(titles, ["Selected 'Urgent'"]);
  });

  it('when the label\'s action went out before the input\'s events came, each still says what it can', () => {
    const batches: ActionsPayload[] = [];
    const sessionizer = new Sessionizer({ clock: new FakeClock({ now: AT * 1000 }), batchWindowMs: 0, onBatch: (payload) => batches.push(payload) });
    sessionizer.add('desk', [event('$autocapture', 'click', urgentLabel, AT)]);
    sessionizer.add('desk', [event('$autocapture', 'click', urgentInput, AT + 0.001)]);
    sessionizer.add('desk', [event('$autocapture', 'change', urgentInput, AT + 0.002)]);
    const titles = batches.flatMap((payload) => payload.actions.map((action) => action.title));
    assert.equal(titles[0], "Selected 'Urgent'");
    assert.equal(titles.length, 2, titles.join(' / '));
    assert.match(titles[1]!, /^Clicked .*Urgent/);
  });

  it('when the click into the field went out before the change came, the choice follows it', () => {
    const batches: ActionsPayload[] = [];
    const sessionizer = new Sessionizer({ clock: new FakeClock({ now: AT * 1000 }), batchWindowMs: 0, onBatch: (payload) => batches.push(payload) });
    sessionizer.add('desk', [event('$autocapture', 'click', urgentLabel, AT), event('$autocapture', 'click', urgentInput, AT + 0.001)]);
    sessionizer.add('desk', [event('$autocapture', 'change', urgentInput, AT + 0.002)]);
    const titles = batches.flatMap((payload) => payload.actions.map((action) => action.title));
    assert.equal(titles.length, 2, titles.join(' / '));
    assert.match(titles[0]!, /^Clicked .*Urgent/);
    assert.equal(titles[1], "Selected 'Urgent'");
  });
});
