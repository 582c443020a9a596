/**
 * The privacy corpus: every kind of personal data Sightline must never forward, placed in every field an event can
 * carry, through both ingest doors. Each placement is one event; e2e/privacy.test.ts sends them all and looks for
 * each value in everything that leaves the connector and the bridge.
 */

/** One kind of personal data: its value as written into an event, and the forms a leak of it could take. */
export interface PersonalDatum {
  kind: string;
  value: string;
  /** Extra strings whose presence anywhere counts as a leak (the value collapsed, its digits, its core). */
  needles: string[];
}

export const USER_ID_PREFIX = 'u-84213';

/** The kinds of data, each with the value placed. `user-id` is filled in per user (the user's own id). */
export const PERSONAL_DATA: PersonalDatum[] = [
  { kind: 'card, spaces', value: '4111 1111 1111 1111', needles: ['4111111111111111'] },
  { kind: 'card, double spaces', value: '4111  1111  1111  1111', needles: ['4111 1111 1111 1111', '4111111111111111'] },
  { kind: 'card, dashes', value: '5500-0000-0000-0004', needles: ['5500000000000004'] },
  { kind: 'card, dots', value: '4012.8888.8888.1881', needles: ['4012888888881881'] },
  { kind: 'card, slashes', value: '3782/822463/10005', needles: ['378282246310005'] },
  { kind: 'phone, international', value: '+44 20 7946 0958', needles: ['7946 0958', '79460958'] },
  { kind: 'phone, US international', value: '+1-415-555-2671', needles: ['555-2671', '5552671'] },
  { kind: 'phone, US national', value: '(415) 555-2671', needles: ['555-2671', '5552671'] },
  { kind: 'phone, UK national', value: '020 7946 0958', needles: ['7946 0958', '79460958'] },
  { kind: 'phone, FR national', value: '06 12 34 56 78', needles: ['12 34 56 78', '0612345678'] },
  { kind: 'IBAN', value: 'DE89 3704 0044 0532 0130 00', needles: ['DE89370400440532013000', '0532 0130'] },
  { kind: 'SSN', value: '123-45-6789', needles: ['123456789', '45-6789'] },
  { kind: 'JWT', value: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1LTQ4MjEifQ.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U', needles: ['dozjgNryP4J3jVmNHl0w5N', 'eyJzdWIiOiJ1LTQ4MjEifQ'] },
  { kind: 'Stripe key', value: 'sk_live_51HxQ2kLmN0pQrStUvWxYz', needles: ['51HxQ2kLmN0pQrStUvWxYz'] },
  { kind: 'GitHub token', value: 'ghp_R7kQ2mX9pL4vN8tB3wZ6yC1hJ5dF0sAaE2gK', needles: ['R7kQ2mX9pL4vN8tB3wZ6yC1hJ5dF0sAaE2gK'] },
  { kind: 'AWS key id', value: 'AKIAIOSFODNN7EXAMPLE', needles: ['IOSFODNN7EXAMPLE'] },
  { kind: 'Slack token', value: 'xoxb-1234567890-abcdefghij', needles: ['1234567890-abcdefghij'] },
  { kind: 'reset token', value: 'Zq8mK2pL9xR4tV7wN3bY6cF1hJ5dG0sA', needles: [] },
  { kind: 'password', value: 'password: hunter2-Vx9', needles: ['hunter2-Vx9', 'hunter2'] },
  { kind: 'email', value: 'jane.roe@example.com', needles: ['jane.roe'] },
  { kind: 'user id', value: '', needles: [] },
];

/** Where a value goes: one event through one door. */
export interface Placement {
  field: string;
  door: 'capture' | 'webhook';
  /** The event (capture: posthog-js event; webhook: Autoplay's flat Hog payload) holding `value`. */
  event(value: string, urlValue: string): Record<string, unknown>;
}

const HOST = 'app.example.com';
const PAGE = `https://${HOST}/settings`;

function chainQuote(value: string): string {
  return value.replace(/"/g, '\\"');
}

function autocapture(chain: string, extra: Record<string, unknown> = {}, eventType = 'click', name = '$autocapture'): Record<string, unknown> {
  return { event: name, properties: { $current_url: PAGE, $host: HOST, $pathname: '/settings', $event_type: eventType, $elements_chain: chain, ...extra } };
}

/** Every field an event can carry, the structured fields' sources included. */
export const PLACEMENTS: Placement[] = [
  { field: 'element text', door: 'capture', event: (v) => autocapture(`button:text="Pay ${chainQuote(v)}"`) },
  { field: 'aria-label', door: 'capture', event: (v) => autocapture(`button:attr__aria-label="Send to ${chainQuote(v)}"`) },
  { field: 'title attribute', door: 'capture', event: (v) => autocapture(`button:attr__title="${chainQuote(v)}"`) },
  { field: 'placeholder', door: 'capture', event: (v) => autocapture(`input:attr__placeholder="${chainQuote(v)}"`, {}, 'change') },
  { field: 'name attribute', door: 'capture', event: (v) => autocapture(`button:attr__name="${chainQuote(v)}"`) },
  { field: 'id attribute', door: 'capture', event: (v) => autocapture(`button:attr__id="${chainQuote(v)}"attr_id="${chainQuote(v)}"`) },
  { field: 'href', door: 'capture', event: (_v, u) => autocapture(`a:attr__href="/people/${u}"href="/people/${u}"`) },
  { field: '$current_url path', door: 'capture', event: (_v, u) => autocapture('button:text="Save"', { $current_url: `https://${HOST}/people/${u}/edit` }) },
  { field: '$current_url query', door: 'capture', event: (_v, u) => autocapture('button:text="Save"', { $current_url: `${PAGE}?q=${u}` }) },
  { field: '$current_url fragment', door: 'capture', event: (_v, u) => autocapture('button:text="Save"', { $current_url: `${PAGE}#/people/${u}` }) },
  { field: '$current_url reset path', door: 'capture', event: (_v, u) => ({ event: '$pageview', properties: { $current_url: `https://${HOST}/reset/${u}`, title: 'Reset' } }) },
  { field: '$pathname', door: 'capture', event: (_v, u) => ({ event: '$pageview', properties: { $host: HOST, $pathname: `/people/${u}` } }) },
  { field: 'document title', door: 'capture', event: (v) => ({ event: '$pageview', properties: { $current_url: `https://${HOST}/profile`, title: `Profile of ${v} · Acme` } }) },
  { field: '$referrer', door: 'capture', event: (_v, u) => ({ event: '$pageview', properties: { $current_url: `https://${HOST}/welcome`, $referrer: `https://mail.example.org/open?to=${u}`, title: 'Welcome' } }) },
  { field: 'button text inside a span', door: 'capture', event: (v) => autocapture(`span:text="${chainQuote(v)}";button:attr__class="btn"`) },
  { field: 'form field label', door: 'capture', event: (v) => autocapture(`input:attr__id="f1";label:text="${chainQuote(v)}"`, {}, 'change') },
  { field: 'container label (dialog)', door: 'capture', event: (v) => autocapture(`button:text="OK";div:attr__role="dialog"attr__aria-label="${chainQuote(v)}"`) },
  { field: 'page heading', door: 'capture', event: (v) => autocapture(`button:text="Edit";h1:text="${chainQuote(v)}"`, { $current_url: `https://${HOST}/accounts/x` }) },
  { field: 'choice (radio label)', door: 'capture', event: (v) => autocapture(`input:attr__type="radio"attr__id="r1";label:attr__for="r1"text="${chainQuote(v)}"`) },
  { field: 'tab choice', door: 'capture', event: (v) => autocapture(`button:attr__role="tab"text="${chainQuote(v)}"`) },
  { field: '$rageclick text', door: 'capture', event: (v) => autocapture(`button:text="${chainQuote(v)}"`, {}, 'click', '$rageclick') },
  { field: '$dead_click text', door: 'capture', event: (v) => autocapture(`span:text="${chainQuote(v)}"`, {}, 'click', '$dead_click') },
  { field: 'form submit', door: 'capture', event: (v) => autocapture(`form:attr__aria-label="${chainQuote(v)}"attr__name="${chainQuote(v)}"`, {}, 'submit') },
  { field: 'input text ($el_text)', door: 'capture', event: (v) => autocapture(`input:attr__name="note"text="${chainQuote(v)}"`, { $el_text: v }) },
  { field: 'textarea text', door: 'capture', event: (v) => autocapture(`textarea:text="${chainQuote(v)}"`, {}, 'change') },
  { field: 'select text', door: 'capture', event: (v) => autocapture(`select:text="${chainQuote(v)}"`, {}, 'change') },
  { field: 'contenteditable text', door: 'capture', event: (v) => autocapture(`p:text="${chainQuote(v)}";div:attr__contenteditable="true"`) },
  { field: '$el_text without a chain', door: 'capture', event: (v) => ({ event: '$autocapture', properties: { $current_url: PAGE, $event_type: 'click', $el_text: v } }) },
  { field: 'webhook button_or_link_text', door: 'webhook', event: (v) => ({ event: '$autocapture', event_type: 'click', current_url: PAGE, button_or_link_text: v }) },
  { field: 'webhook current_url', door: 'webhook', event: (_v, u) => ({ event: '$autocapture', event_type: 'click', current_url: `https://${HOST}/people/${u}?ref=${u}`, button_or_link_text: 'Open' }) },
  { field: 'webhook link_destination', door: 'webhook', event: (_v, u) => ({ event: '$autocapture', event_type: 'click', current_url: PAGE, link_destination: `/people/${u}` }) },
  { field: 'webhook title', door: 'webhook', event: (v) => ({ event: '$pageview', event_type: '', current_url: `https://${HOST}/inbox`, title: `Inbox ${v}` }) },
  { field: 'webhook referrer', door: 'webhook', event: (_v, u) => ({ event: '$pageview', event_type: '', current_url: `https://${HOST}/start`, referrer: `https://ref.example.org/?to=${u}` }) },
  { field: 'webhook input_field_name', door: 'webhook', event: (v) => ({ event: '$autocapture', event_type: 'change', current_url: PAGE, input_field_name: v, element_id: v }) },
];
