/**
 * One raw event (posthog-js, raw CDP event, CDP `{event, person}` globals or the flat payload of
 * Autoplay's Hog script) → one {@link CapturedEvent}, with privacy rules applied on the way in.
 * Shared by both ingest doors; see normalize-webhook-body.ts and normalize-capture-body.ts.
 */
import { redactText, redactUrl } from '@sightline/protocol/internal';
import type { ConnectorErrorCode } from '../errors.ts';
import { writeElementsChain, type ChainElement } from '../extract/elements-chain.ts';
import { parsedChainOf } from '../extract/parsed-chain.ts';
import type { CapturedEvent, RejectedEvent } from './captured-event.ts';
import type { IngestMemo } from './ingest-memo.ts';
import { sanitizeChain, sanitizeElement } from './sanitize-chain.ts';

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

// Dropped at ingress and never stored, logged or forwarded (docs/reference/posthog-capture.md#privacy).
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

// Flat fields of the Hog script's payload (see sanitizeProperties): `groups` stands for `$groups`; `current_url`,
// `session_id`, `window_id`,
// `event_type`, `referrer` and `elements_chain` stand for the posthog-js properties of the same name with a `$`
// (`title` keeps its name, as in posthog-js); `element_id`,
// `input_field_name`, `link_destination` and `button_or_link_text`, cut out of the chain by Autoplay's script,
// are kept under their own names as extraction fallbacks.

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
  if (typeof value !== 'string') return null;
  const iso = readIsoUtc(value);
  if (iso !== null) return iso > 0 ? iso / 1000 : null;
  const trimmed = value.trim();
  if (trimmed === '') return null;
  if (/^\d+(\.\d+)?$/.test(trimmed)) return readTime(Number(trimmed));
  const ms = Date.parse(trimmed);
  return Number.isFinite(ms) && ms > 0 ? ms / 1000 : null;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function digitsAt(text: string, start: number, count: number): number {
  let value = 0;
  for (let i = start; i < start + count; i++) {
    const code = text.charCodeAt(i) - 48;
    if (code < 0 || code > 9) return -1;
    value = value * 10 + code;
  }
  return value;
}

/**
 * @internal Epoch ms of exactly `YYYY-MM-DDTHH:MM:SS.sssZ` (what posthog-js and PostHog's CDP send, via
 * `Date.prototype.toISOString`), or null for any other text, which then goes through `Date.parse`. Same value
 * as `Date.parse` for every string it accepts; avoids the general date parser on every event.
 */
export function readIsoUtc(text: string): number | null {
  if (
    text.length !== 24 || text.charCodeAt(4) !== 45 /* - */ || text.charCodeAt(7) !== 45 || text.charCodeAt(10) !== 84 /* T */ ||
    text.charCodeAt(13) !== 58 /* : */ || text.charCodeAt(16) !== 58 || text.charCodeAt(19) !== 46 /* . */ || text.charCodeAt(23) !== 90 /* Z */
  ) return null;
  const year = digitsAt(text, 0, 4);
  const month = digitsAt(text, 5, 2);
  const day = digitsAt(text, 8, 2);
  const hour = digitsAt(text, 11, 2);
  const minute = digitsAt(text, 14, 2);
  const second = digitsAt(text, 17, 2);
  const ms = digitsAt(text, 20, 3);
  // Years below 1970 (Date.UTC maps 0-99 to 19xx), hour 24 and out-of-range fields are left to Date.parse.
  if (year < 1970 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59 || ms < 0) return null;
  const isLeap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  if (day > (month === 2 && isLeap ? 29 : DAYS_IN_MONTH[month - 1]!)) return null;
  return Date.UTC(year, month - 1, day, hour, minute, second, ms);
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

/** Re-parses a chain, drops value attributes, redacts text and URLs, and writes it back. */
export function sanitizeElementsChain(chain: string): string {
  return sanitizeChain(chain).chain;
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

const NO_PROPERTIES: Readonly<Record<string, unknown>> = Object.freeze({});

// What happens to a property by its name, in one lookup per key: left out (privacy, or the chain, which the
// caller stores sanitised), redacted as a URL, or redacted as text. Names not listed are kept as sent.
const SKIP = 0;
const AS_URL = 1;
const AS_TEXT = 2;
const PROPERTY_RULES = new Map<string, number>([
  ...[...DROPPED_PROPERTIES, '$elements_chain'].map((key): [string, number] => [key, SKIP]),
  ...URL_PROPERTIES.map((key): [string, number] => [key, AS_URL]),
  ...TEXT_PROPERTIES.map((key): [string, number] => [key, AS_TEXT]),
]);

function isFilled(value: unknown): value is string {
  return typeof value === 'string' && value !== '';
}

function cleanProperty(rule: number | undefined, value: unknown, cleanUrl: (url: string) => string): unknown {
  if (rule === undefined || typeof value !== 'string') return value;
  return rule === AS_URL ? cleanUrl(value) : redactText(value);
}

/**
 * The event's properties with the flat fields beside them merged in (a property as sent wins), minus what
 * privacy drops, URLs and text redacted, and without `$elements_chain` (the caller stores it sanitised, last).
 * One copy, no intermediate merged object; the chain is skipped rather than deleted afterwards, which would
 * turn the object into a slow dictionary for the rest of its life.
 */
function sanitizeProperties(source: Record<string, unknown>, event: Record<string, unknown>, cleanUrl: (url: string) => string): Record<string, unknown> {
  const properties: Record<string, unknown> = {};
  for (const key of Object.keys(source)) {
    const rule = PROPERTY_RULES.get(key);
    if (rule === SKIP || key.startsWith(DROPPED_PREFIX)) continue;
    properties[key] = cleanProperty(rule, source[key], cleanUrl);
  }
  // Flat Hog payload and raw CDP events carry some fields beside the properties (none of them dropped; the chain
  // is the caller's). Written out with literal names: a loop over the names made every access a keyed
  // (megamorphic) one, which showed in ingest profiles.
  let value = event['current_url'];
  if (source['$current_url'] === undefined && isFilled(value)) properties['$current_url'] = cleanUrl(value);
  value = event['session_id'];
  if (source['$session_id'] === undefined && isFilled(value)) properties['$session_id'] = value;
  value = event['window_id'];
  if (source['$window_id'] === undefined && isFilled(value)) properties['$window_id'] = value;
  value = event['title'];
  if (source['title'] === undefined && isFilled(value)) properties['title'] = redactText(value);
  value = event['groups'];
  if (source['$groups'] === undefined && value !== null && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length > 0) {
    properties['$groups'] = value;
  }
  value = event['event_type'];
  if (source['$event_type'] === undefined && isFilled(value)) properties['$event_type'] = value;
  value = event['referrer'];
  if (source['$referrer'] === undefined && isFilled(value)) properties['$referrer'] = cleanUrl(value);
  value = event['element_id'];
  if (source['element_id'] === undefined && isFilled(value)) properties['element_id'] = redactText(value);
  value = event['input_field_name'];
  if (source['input_field_name'] === undefined && isFilled(value)) properties['input_field_name'] = redactText(value);
  value = event['link_destination'];
  if (source['link_destination'] === undefined && isFilled(value)) properties['link_destination'] = cleanUrl(value);
  value = event['button_or_link_text'];
  if (source['button_or_link_text'] === undefined && isFilled(value)) properties['button_or_link_text'] = redactText(value);
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
export function normalizeEvent(raw: unknown, index: number, envelope: EventEnvelope, memo: IngestMemo | null = null): CapturedEvent | RejectedEvent {
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
  // What the event's properties say, as sent; `properties` adds the flat fields (where `source` has no value)
  // and drops and redacts. `$session_id` is read from it (merged, never redacted), everything else from `source`,
  // as none of those keys is a flat field.
  const source: Record<string, unknown> = rawProperties ?? NO_PROPERTIES;
  const properties = sanitizeProperties(source, event, memo?.redactUrl ?? redactUrl);

  const distinctId = readId(event['distinct_id']) ?? readId(source['distinct_id']) ?? readId(source['$distinct_id']);
  const sessionId = readId(properties['$session_id']) ?? readId(event['$session_id']);
  if (distinctId === null && sessionId === null) return reject(index, 'the event has neither a distinct_id nor a $session_id');
  if ((distinctId?.length ?? 0) > MAX_ID_LENGTH || (sessionId?.length ?? 0) > MAX_ID_LENGTH) {
    return reject(index, `distinct_id and $session_id must be at most ${MAX_ID_LENGTH} characters`);
  }
  const uuid = readId(event['uuid']);

  const personProperties = isRecord(person) && isRecord(person['properties']) ? person['properties'] : {};
  const set = isRecord(source['$set']) ? source['$set'] : isRecord(event['$set']) ? event['$set'] : {};
  const personEmail =
    readEmail(source['email']) ?? readEmail(event['email']) ?? readEmail(set['email']) ?? readEmail(personProperties['email']);

  const userId = readId(source['$user_id']);
  const isIdentified = source['$is_identified'] === true || name === '$identify';
  const identifiedId = (userId !== null && userId.length <= MAX_ID_LENGTH ? userId : null) ?? (isIdentified ? distinctId : null);

  // Chain: properties (posthog-js), else the event's column (CDP, flat Hog), else `$elements`.
  const sourceChain = source['$elements_chain'];
  const eventChain = event['elements_chain'];
  const chain: string | null = typeof sourceChain === 'string' ? sourceChain : typeof eventChain === 'string' ? eventChain : null;
  // Parsed once here; the parse of the stored chain travels with the event to extraction (extract/parsed-chain.ts).
  let parsedChain: CapturedEvent['parsedChain'] = null;
  if (chain !== null && chain !== '') {
    const sanitized = memo === null ? sanitizeChain(chain) : memo.sanitizeChain(chain);
    properties['$elements_chain'] = sanitized.chain;
    if (sanitized.chain !== '') parsedChain = sanitized.parsed;
  } else if (Array.isArray(source['$elements'])) {
    const built = writeElementsChain(elementsFromObjects(source['$elements']).map(sanitizeElement), true);
    if (built.chain !== '') {
      properties['$elements_chain'] = built.chain;
      if (built.elements !== null) parsedChain = parsedChainOf(built.elements);
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
  timestamp ??= readTime(source['$time']) ?? envelope.receivedAt;
  if (!Number.isFinite(timestamp) || timestamp <= 0) timestamp = envelope.receivedAt;
  // Millisecond precision, as sent; the skew arithmetic must not leave float noise on the wire.
  timestamp = Math.round(timestamp * 1000) / 1000;

  const token = readId(source['token']) ?? readId(event['api_key']) ?? readId(event['token']) ?? envelope.token;

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
    receivedAt: envelope.receivedAt,
    parsedChain,
  };
}

/** Type guard telling a {@link RejectedEvent} from a {@link CapturedEvent}. */
export function isRejected(result: CapturedEvent | RejectedEvent): result is RejectedEvent {
  return 'code' in result && 'reason' in result;
}
