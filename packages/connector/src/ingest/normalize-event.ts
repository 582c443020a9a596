/**
 * One raw event (posthog-js, raw CDP event, CDP `{event, person}` globals or the flat payload of
 * Autoplay's Hog script) → one {@link CapturedEvent}, with privacy rules applied on the way in.
 * Shared by both ingest doors; see normalize-webhook-body.ts and normalize-capture-body.ts.
 */
import type { ConnectorErrorCode } from '../errors.ts';
import { memoizeString } from '../cache/memoize-string.ts';
import { parseElementsChain, writeElementsChain, type ChainElement, type WrittenChain } from '../extract/elements-chain.ts';
import { rememberParsedChain } from '../extract/parsed-chain.ts';
import { redactText } from '../privacy/redact-text.ts';
import { redactUrl } from '../privacy/redact-url.ts';
import type { CapturedEvent, RejectedEvent } from './captured-event.ts';

/** What the body around an event says about it. */
export interface EventEnvelope {
  /** Receipt time, epoch seconds. */
  receivedAt: number;
  /** The client's send time (posthog-js `sent_at`), epoch seconds, for clock-skew correction. */
  sentAt: number | null;
  /** `api_key` of the body, when the events carry no token of their own. */
  token: string | null;
}

/** Longest accepted id (distinct id, session id, uuid, token) and event name, as PostHog caps them. */
export const MAX_ID_LENGTH = 200;

// Dropped at ingress and never stored, logged or forwarded (posthog.md §9 rule 1).
const DROPPED_PROPERTIES = new Set([
  '$input_value',
  '$selected_content',
  '$clipboard_text_length',
  '$set',
  '$set_once',
  '$unset',
  '$ip',
  '$raw_user_agent',
  '$elements',
  '$snapshot_data',
  '$cookie',
  'cookie',
]);
const DROPPED_PREFIX = '$geoip_';
// Element attributes that hold what a user typed or chose.
const DROPPED_ATTRIBUTES = new Set(['attr__value', 'attr__data-ph-capture-value']);
// Properties holding URLs: redacted as URLs (secret query parameters, emails, long numbers).
const URL_PROPERTIES = [
  '$current_url',
  '$referrer',
  '$pathname',
  '$session_entry_url',
  '$session_entry_referrer',
  '$session_entry_pathname',
  '$initial_current_url',
  '$external_click_url',
  '$prev_pageview_pathname',
  'link_destination',
];
// Properties holding free text: emails and long numbers redacted.
const TEXT_PROPERTIES = ['$el_text', 'title', 'button_or_link_text', 'element_id', 'input_field_name'];
const URL_ATTRIBUTES = new Set(['href', 'attr__href', 'attr__action', 'attr__src', 'attr__formaction']);
const POSITION_ATTRIBUTES = new Set(['nth-child', 'nth-of-type', 'attr__class']);

// Flat fields of the Hog script's payload → the posthog-js property they came from.
const FLAT_FIELD_PROPERTIES: Record<string, string> = {
  current_url: '$current_url',
  session_id: '$session_id',
  event_type: '$event_type',
  referrer: '$referrer',
  elements_chain: '$elements_chain',
};
const FLAT_FIELD_ENTRIES = Object.entries(FLAT_FIELD_PROPERTIES);
// Flat fields cut out of the chain by Autoplay's script; kept only as extraction fallbacks.
const FLAT_FALLBACK_FIELDS = ['element_id', 'input_field_name', 'link_destination', 'button_or_link_text'];

/** True for a non-null, non-array object. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A trimmed non-empty string (numbers become strings), else null. */
export function readId(value: unknown): string | null {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value !== 'string') return null;
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed;
}

/**
 * Epoch seconds from an ISO string or a number (a number above 1e11 is read as milliseconds),
 * else null.
 */
export function readTime(value: unknown): number | null {
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value <= 0) return null;
    return value > 1e11 ? value / 1000 : value;
  }
  if (typeof value !== 'string' || value.trim() === '') return null;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return readTime(Number(trimmed));
  const ms = Date.parse(trimmed);
  return Number.isFinite(ms) && ms > 0 ? ms / 1000 : null;
}

/** Receipt time in epoch seconds from epoch milliseconds (or seconds, when below 1e11). */
export function toEpochSeconds(receivedAt: number): number {
  if (!Number.isFinite(receivedAt) || receivedAt <= 0) return Date.now() / 1000;
  return receivedAt > 1e11 ? receivedAt / 1000 : receivedAt;
}

function readEmail(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const trimmed = value.trim();
  return trimmed.length > 2 && trimmed.length <= 254 && trimmed.includes('@') ? trimmed : null;
}

// The page URL (and referrer) of every event of a session is the same string; redact it once.
const redactUrlMemo = memoizeString(redactUrl, { maxEntries: 512 });

// Returns the element itself when nothing in it needs removing or redacting (most elements of a chain), and
// otherwise a copy; attribute objects are only copied once something in them changes.
function sanitizeElement(element: ChainElement): ChainElement {
  const source = element.attributes;
  const keys = Object.keys(source);
  let attributes: Record<string, string> | null = null;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    const value = source[key]!;
    const isDropped = DROPPED_ATTRIBUTES.has(key);
    const clean = isDropped || POSITION_ATTRIBUTES.has(key) ? value : URL_ATTRIBUTES.has(key) ? redactUrl(value) : redactText(value);
    if (attributes === null && (isDropped || clean !== value)) {
      attributes = {};
      for (let j = 0; j < i; j++) attributes[keys[j]!] = source[keys[j]!]!;
    }
    if (attributes !== null && !isDropped) attributes[key] = clean;
  }
  const text = element.text === null ? null : redactText(element.text);
  const href = element.href === null ? null : redactUrl(element.href);
  const id = element.id === null ? null : redactText(element.id);
  if (attributes === null && text === element.text && href === element.href && id === element.id) return element;
  return { ...element, text, href, id, attributes: attributes ?? source };
}

function sanitizeChain(chain: string): WrittenChain {
  const written = writeElementsChain(parseElementsChain(chain).map(sanitizeElement), true);
  if (written.elements !== null && written.chain !== '') rememberParsedChain(written.chain, written.elements);
  return written;
}

// The same element is clicked again and again (by one user, and by every user of a page), and sanitising is a
// pure function of the chain text, so recent chains are remembered. Bounded: 256 chains of at most 4 KiB each
// (longer ones are sanitised every time). The remembered elements are shared and never mutated.
const sanitizeChainMemo = memoizeString(sanitizeChain, { maxEntries: 256, maxKeyLength: 4096 });

/** Re-parses a chain, drops value attributes, redacts text and URLs, and writes it back. */
export function sanitizeElementsChain(chain: string): string {
  return sanitizeChainMemo(chain).chain;
}

// posthog-js without `elementsChainAsString` sends `$elements` objects instead of the chain.
function elementsFromObjects(objects: unknown[]): ChainElement[] {
  const elements: ChainElement[] = [];
  for (const object of objects.slice(0, 1000)) {
    if (!isRecord(object)) continue;
    const attributes: Record<string, string> = {};
    for (const [key, value] of Object.entries(object)) {
      if (key.startsWith('attr__') && (typeof value === 'string' || typeof value === 'number')) attributes[key] = String(value);
    }
    const position = (value: unknown) => (typeof value === 'number' && value > 0 ? value : null);
    elements.push({
      order: elements.length,
      tagName: typeof object['tag_name'] === 'string' ? object['tag_name'].toLowerCase() : null,
      classes: Array.isArray(object['classes']) ? object['classes'].filter((name): name is string => typeof name === 'string') : [],
      text: typeof object['$el_text'] === 'string' ? object['$el_text'] : null,
      href: readId(object['attr__href']) ?? readId(object['href']),
      id: readId(object['attr__id']) ?? readId(object['attr_id']),
      nthChild: position(object['nth_child']),
      nthOfType: position(object['nth_of_type']),
      attributes,
    });
  }
  return elements;
}

function sanitizeProperties(source: Record<string, unknown>): Record<string, unknown> {
  const properties: Record<string, unknown> = {};
  for (const key of Object.keys(source)) {
    if (DROPPED_PROPERTIES.has(key) || key.startsWith(DROPPED_PREFIX)) continue;
    properties[key] = source[key];
  }
  for (const key of URL_PROPERTIES) if (typeof properties[key] === 'string') properties[key] = redactUrlMemo(properties[key]);
  for (const key of TEXT_PROPERTIES) if (typeof properties[key] === 'string') properties[key] = redactText(properties[key]);
  return properties;
}

const EVENT_INVALID: ConnectorErrorCode = 'SL_INGEST_EVENT_INVALID';

function reject(index: number, reason: string): RejectedEvent {
  return { index, code: EVENT_INVALID, reason };
}

/**
 * Normalises one raw event. Returns the event, or a {@link RejectedEvent} saying why it was skipped.
 * Never throws and never mutates `raw`.
 */
export function normalizeEvent(raw: unknown, index: number, envelope: EventEnvelope): CapturedEvent | RejectedEvent {
  if (!isRecord(raw)) return reject(index, 'an event must be a JSON object');
  // CDP globals (`{event: {...}, person: {...}}`, the webhook template's default body).
  let event: Record<string, unknown> = raw;
  let person: unknown = undefined;
  if (isRecord(raw['event'])) {
    event = raw['event'];
    person = raw['person'];
  }
  const name = event['event'];
  if (typeof name !== 'string' || name.trim() === '') return reject(index, 'the event has no "event" name');
  if (name.length > MAX_ID_LENGTH) return reject(index, `the event name is longer than ${MAX_ID_LENGTH} characters`);
  const rawProperties = event['properties'];
  if (rawProperties !== undefined && rawProperties !== null && !isRecord(rawProperties)) {
    return reject(index, '"properties" must be an object');
  }
  const merged: Record<string, unknown> = { ...(rawProperties ?? {}) };
  // Flat Hog payload and raw CDP events carry some fields beside the properties.
  for (const [field, property] of FLAT_FIELD_ENTRIES) {
    const value = event[field];
    if (merged[property] === undefined && typeof value === 'string' && value !== '') merged[property] = value;
  }
  for (const field of FLAT_FALLBACK_FIELDS) {
    const value = event[field];
    if (merged[field] === undefined && typeof value === 'string' && value !== '') merged[field] = value;
  }

  const distinctId = readId(event['distinct_id']) ?? readId(merged['distinct_id']) ?? readId(merged['$distinct_id']);
  const sessionId = readId(merged['$session_id']) ?? readId(event['$session_id']);
  if (distinctId === null && sessionId === null) return reject(index, 'the event has neither a distinct_id nor a $session_id');
  if ((distinctId?.length ?? 0) > MAX_ID_LENGTH || (sessionId?.length ?? 0) > MAX_ID_LENGTH) {
    return reject(index, `distinct_id and $session_id must be at most ${MAX_ID_LENGTH} characters`);
  }
  const uuid = readId(event['uuid']);

  const personProperties = isRecord(person) && isRecord(person['properties']) ? person['properties'] : {};
  const set = isRecord(merged['$set']) ? merged['$set'] : isRecord(event['$set']) ? event['$set'] : {};
  const personEmail =
    readEmail(merged['email']) ?? readEmail(event['email']) ?? readEmail(set['email']) ?? readEmail(personProperties['email']);

  const userId = readId(merged['$user_id']);
  const isIdentified = merged['$is_identified'] === true || name === '$identify';
  const identifiedId = (userId !== null && userId.length <= MAX_ID_LENGTH ? userId : null) ?? (isIdentified ? distinctId : null);

  // Chain: properties (posthog-js), else the event's column (CDP, flat Hog), else `$elements`.
  let chain: string | null = typeof merged['$elements_chain'] === 'string' ? merged['$elements_chain'] : null;
  if (chain === null && typeof event['elements_chain'] === 'string') chain = event['elements_chain'];
  const properties = sanitizeProperties(merged);
  delete properties['$elements_chain'];
  // Parsed once here; what a parse of the stored chain gives is left for extraction (extract/parsed-chain.ts).
  if (chain !== null && chain !== '') properties['$elements_chain'] = sanitizeChainMemo(chain).chain;
  else if (Array.isArray(merged['$elements'])) {
    const built = writeElementsChain(elementsFromObjects(merged['$elements']).map(sanitizeElement), true);
    if (built.chain !== '') {
      properties['$elements_chain'] = built.chain;
      if (built.elements !== null) rememberParsedChain(built.chain, built.elements);
    }
  }

  let timestamp = readTime(event['timestamp']);
  if (timestamp !== null && envelope.sentAt !== null) {
    // posthog-js's clock may be off; keep its relative timing but anchor it to our receipt time.
    timestamp = envelope.receivedAt + (timestamp - envelope.sentAt);
  }
  if (timestamp === null && typeof event['offset'] === 'number' && Number.isFinite(event['offset'])) {
    timestamp = envelope.receivedAt - event['offset'] / 1000;
  }
  timestamp ??= readTime(merged['$time']) ?? envelope.receivedAt;
  if (!Number.isFinite(timestamp) || timestamp <= 0) timestamp = envelope.receivedAt;
  // Millisecond precision, as sent; the skew arithmetic must not leave float noise on the wire.
  timestamp = Math.round(timestamp * 1000) / 1000;

  const token = readId(merged['token']) ?? readId(event['api_key']) ?? readId(event['token']) ?? envelope.token;

  return {
    event: name.trim(),
    distinctId,
    sessionId,
    timestamp,
    uuid: uuid !== null && uuid.length <= MAX_ID_LENGTH ? uuid : null,
    token: token !== null && token.length <= MAX_ID_LENGTH ? token : null,
    properties,
    personEmail,
    identifiedId,
  };
}

/** Type guard telling a {@link RejectedEvent} from a {@link CapturedEvent}. */
export function isRejected(result: CapturedEvent | RejectedEvent): result is RejectedEvent {
  return 'code' in result && 'reason' in result;
}
