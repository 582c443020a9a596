/**
 * Parsing of stream payloads (docs/reference/wire-contract.md#client-parsing-order,
 * docs/reference/wire-contract.md#actions-payload, docs/decisions/D-11-empty-identity-and-types.md). Tolerant where
 * Autoplay is tolerant ("falsy means missing" defaults), strict where Autoplay lets bad types through: a present
 * field of the wrong JSON type makes the whole payload malformed. Never throws.
 *
 * Sightline's structured action fields ({@link ActionStructure}) are optional extras, so they are read
 * more forgivingly still: a structured field of the wrong shape is dropped on its own and never costs
 * the action or the payload.
 */
import {
  ACTION_FAILURES,
  ACTION_STEPS,
  CONTAINER_KINDS,
  TARGET_ROLES,
  type ActionContainer,
  type ActionFailure,
  type ActionPage,
  type ActionStep,
  type ActionStructure,
  type ActionTarget,
  type ActionsPayload,
  type ContainerKind,
  type GapPayload,
  type GapReason,
  type PayloadOrigin,
  type SlimAction,
  type StreamPayload,
  type SummaryPayload,
  type TargetRole,
} from './types.ts';

/** Why {@link parsePayloadDetailed} returned no payload. */
export type PayloadRejectReason = 'not_object' | 'unknown_type' | 'malformed';

/** Outcome of {@link parsePayloadDetailed}: the payload, or the reason it was rejected. */
export type ParsePayloadResult =
  | {
      payload: StreamPayload;
      /** Set when an `actions` payload declared a `count` other than `actions.length` (it was reconciled). */
      countMismatch?: { declared: number; actual: number };
    }
  | { payload: null; reason: PayloadRejectReason; detail?: string };

/** Outcome of {@link parsePayloadJsonDetailed}: as {@link ParsePayloadResult}, plus `invalid_json`. */
export type ParsePayloadJsonResult =
  | Extract<ParsePayloadResult, { payload: StreamPayload }>
  | { payload: null; reason: PayloadRejectReason | 'invalid_json'; detail?: string };

/**
 * Autoplay's "falsy means missing": `null`, `undefined`, `""`, `0`, `NaN`, `false`, `[]` and `{}`
 * all count as absent. Spelled out because `??` only catches `null` and `undefined`.
 */
export function isFalsy(value: unknown): boolean {
  if (value === null || value === undefined || value === '' || value === 0 || value === false) return true;
  if (typeof value === 'number' && Number.isNaN(value)) return true;
  if (Array.isArray(value)) return value.length === 0;
  if (typeof value === 'object') return Object.keys(value).length === 0;
  return false;
}

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Own properties only, so a key such as `__proto__` or `toString` never reads the prototype. */
function field(object: JsonObject, name: string): unknown {
  return Object.hasOwn(object, name) ? object[name] : undefined;
}

/** Thrown internally to abandon a malformed payload; never escapes this module. */
class Malformed {
  constructor(readonly detail: string) {}
}

function readString(object: JsonObject, name: string, path: string): string {
  const value = field(object, name);
  if (isFalsy(value)) return '';
  if (typeof value !== 'string') throw new Malformed(`${path}${name} must be a string`);
  return value;
}

/** Identity fields: falsy (including `""`, docs/decisions/D-11-empty-identity-and-types.md) → `null`. */
function readIdentity(object: JsonObject, name: string, path: string): string | null {
  const value = readString(object, name, path);
  return value === '' ? null : value;
}

function readNumber(object: JsonObject, name: string, path: string): number {
  const value = field(object, name);
  if (isFalsy(value)) return 0;
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new Malformed(`${path}${name} must be a finite number`);
  return value;
}

function readCount(object: JsonObject, name: string, path: string): number {
  const value = readNumber(object, name, path);
  if (!Number.isSafeInteger(value) || value < 0) throw new Malformed(`${path}${name} must be a non-negative integer`);
  return value;
}

/** Longest label, title or choice kept from the wire, in UTF-16 code units. */
export const MAX_LABEL_LENGTH = 200;
/** Longest page path or window id kept from the wire. */
const MAX_PATH_LENGTH = 2048;

const STEPS: ReadonlySet<string> = new Set(ACTION_STEPS);
const FAILURES: ReadonlySet<string> = new Set(ACTION_FAILURES);
const ROLES: ReadonlySet<string> = new Set(TARGET_ROLES);
const KINDS: ReadonlySet<string> = new Set(CONTAINER_KINDS);

/** Cuts to `max` code units without leaving half of a surrogate pair at the end. */
function cap(text: string, max: number): string {
  if (text.length <= max) return text;
  const code = text.charCodeAt(max - 1);
  return text.slice(0, code >= 0xd800 && code <= 0xdbff ? max - 1 : max);
}

/** A label: a non-empty string (capped), `null` for anything else. */
function label(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? cap(value, MAX_LABEL_LENGTH) : null;
}

/** Marks a structured field whose shape is wrong: the field is dropped, nothing else. */
const DROP = Symbol('drop');

function page(value: unknown): ActionPage | null | typeof DROP {
  if (value === null) return null;
  if (!isObject(value)) return DROP;
  const title = field(value, 'title');
  const path = field(value, 'path');
  if (typeof title !== 'string' || typeof path !== 'string') return DROP;
  return { title: cap(title, MAX_LABEL_LENGTH), path: cap(path, MAX_PATH_LENGTH) };
}

function target(value: unknown): ActionTarget | null | typeof DROP {
  if (value === null) return null;
  if (!isObject(value)) return DROP;
  const role = field(value, 'role');
  if (typeof role !== 'string' || !ROLES.has(role)) return DROP;
  return { role: role as TargetRole, label: label(field(value, 'label')) };
}

function container(value: unknown): ActionContainer | null | typeof DROP {
  if (value === null) return null;
  if (!isObject(value)) return DROP;
  const kind = field(value, 'kind');
  if (typeof kind !== 'string' || !KINDS.has(kind)) return DROP;
  return { kind: kind as ContainerKind, label: label(field(value, 'label')) };
}

function nullableString(value: unknown, max: number): string | null | typeof DROP {
  if (value === null) return null;
  if (typeof value !== 'string') return DROP;
  return value === '' ? null : cap(value, max);
}

function step(value: unknown): ActionStep | null | typeof DROP {
  if (value === null) return null;
  return typeof value === 'string' && STEPS.has(value) ? (value as ActionStep) : DROP;
}

function failure(value: unknown): ActionFailure | null | typeof DROP {
  if (value === null) return null;
  return typeof value === 'string' && FAILURES.has(value) ? (value as ActionFailure) : DROP;
}

function receivedAt(value: unknown): number | null | typeof DROP {
  if (value === null) return null;
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : DROP;
}

type StructureReaders = { [Name in keyof ActionStructure]-?: (value: unknown) => ActionStructure[Name] | typeof DROP };

/** One reader per structured field, in wire order. */
const STRUCTURE_READERS: StructureReaders = {
  window_id: (value) => nullableString(value, MAX_PATH_LENGTH),
  page,
  target,
  container,
  choice: (value) => nullableString(value, MAX_LABEL_LENGTH),
  step,
  failure,
  received_at: receivedAt,
};
const STRUCTURE_FIELDS = Object.keys(STRUCTURE_READERS) as Array<keyof ActionStructure>;

/**
 * Copies the structured fields present in `raw` onto `action`, in wire order. Absent stays absent,
 * `null` stays `null` (the producer said "none"), a wrong shape is left out.
 */
function readStructure(raw: JsonObject, action: SlimAction): void {
  const fields = action as unknown as Record<string, unknown>;
  for (const name of STRUCTURE_FIELDS) {
    if (!Object.hasOwn(raw, name)) continue;
    const value = STRUCTURE_READERS[name](raw[name]);
    if (value !== DROP) fields[name] = value;
  }
}

function slimAction(raw: unknown, path: string): SlimAction {
  if (!isObject(raw)) throw new Malformed(`${path || 'action'} must be an object`);
  const prefix = path ? `${path}.` : '';
  const action: SlimAction = {
    title: readString(raw, 'title', prefix),
    description: readString(raw, 'description', prefix),
    canonical_url: readString(raw, 'canonical_url', prefix),
    index: readCount(raw, 'index', prefix),
    type: readString(raw, 'type', prefix),
    timestamp_start: readNumber(raw, 'timestamp_start', prefix),
    timestamp_end: readNumber(raw, 'timestamp_end', prefix),
    raw_url: readString(raw, 'raw_url', prefix),
    session_id: readIdentity(raw, 'session_id', prefix),
    user_id: readIdentity(raw, 'user_id', prefix),
    email: readIdentity(raw, 'email', prefix),
    conversation_id: readIdentity(raw, 'conversation_id', prefix),
  };
  readStructure(raw, action);
  return action;
}

/** Longest origin hash kept from the wire (the connector writes 22 characters). */
const MAX_ORIGIN_LENGTH = 64;

/** A payload's origin: an object with string-or-null fields; anything else (or absent) is no origin. */
function origin(value: unknown): PayloadOrigin | null {
  if (!isObject(value)) return null;
  const organisation = nullableString(field(value, 'organisation'), MAX_ORIGIN_LENGTH);
  const address = nullableString(field(value, 'address'), MAX_ORIGIN_LENGTH);
  return { organisation: organisation === DROP ? null : organisation, address: address === DROP ? null : address };
}

function actionsPayload(raw: JsonObject): { payload: ActionsPayload; countMismatch?: { declared: number; actual: number } } {
  const rawActions = field(raw, 'actions');
  let actions: SlimAction[] = [];
  if (!isFalsy(rawActions)) {
    if (!Array.isArray(rawActions)) throw new Malformed('actions must be an array');
    actions = rawActions.map((element, position) => slimAction(element, `actions[${position}]`));
  }
  const declared = readCount(raw, 'count', '');
  const payload: ActionsPayload = {
    type: 'actions',
    product_id: readString(raw, 'product_id', ''),
    session_id: readIdentity(raw, 'session_id', ''),
    user_id: readIdentity(raw, 'user_id', ''),
    email: readIdentity(raw, 'email', ''),
    actions,
    count: actions.length,
    forwarded_at: readNumber(raw, 'forwarded_at', ''),
    conversation_id: readIdentity(raw, 'conversation_id', ''),
  };
  const source = origin(field(raw, 'origin'));
  if (source !== null) payload.origin = source;
  return declared === actions.length ? { payload } : { payload, countMismatch: { declared, actual: actions.length } };
}

function summaryPayload(raw: JsonObject): SummaryPayload {
  return {
    type: 'summary',
    product_id: readString(raw, 'product_id', ''),
    session_id: readIdentity(raw, 'session_id', ''),
    summary: readString(raw, 'summary', ''),
    replaces: readCount(raw, 'replaces', ''),
    forwarded_at: readNumber(raw, 'forwarded_at', ''),
  };
}

const GAP_REASONS: ReadonlySet<string> = new Set<GapReason>(['expired', 'epoch_mismatch', 'unknown_id']);

function gapPayload(raw: JsonObject): GapPayload {
  // Sightline's own type: no Autoplay data to be tolerant of, so the reason must be a known one.
  const reason = field(raw, 'reason');
  if (typeof reason !== 'string' || !GAP_REASONS.has(reason)) throw new Malformed('reason must be one of expired, epoch_mismatch, unknown_id');
  return {
    type: 'gap',
    product_id: readString(raw, 'product_id', ''),
    last_event_id: readString(raw, 'last_event_id', ''),
    resumed_from: readIdentity(raw, 'resumed_from', ''),
    reason: reason as GapReason,
    forwarded_at: readNumber(raw, 'forwarded_at', ''),
  };
}

/**
 * Parses one decoded JSON value into a payload and says why when it cannot.
 * Unknown `type` values (including Autoplay's `usertour_trigger`) give `unknown_type`.
 *
 * @example
 * const result = parsePayloadDetailed(JSON.parse(message.data));
 * if (!result.payload) log.debug({ reason: result.reason, detail: result.detail }, 'payload skipped');
 */
export function parsePayloadDetailed(raw: unknown): ParsePayloadResult {
  if (!isObject(raw)) return { payload: null, reason: 'not_object', detail: Array.isArray(raw) ? 'array' : raw === null ? 'null' : typeof raw };
  const type = field(raw, 'type');
  try {
    switch (type) {
      case 'actions':
        return actionsPayload(raw);
      case 'summary':
        return { payload: summaryPayload(raw) };
      case 'gap':
        return { payload: gapPayload(raw) };
      default:
        return { payload: null, reason: 'unknown_type', detail: typeof type === 'string' ? type.slice(0, 100) : typeof type };
    }
  } catch (error) {
    // Anything else thrown here comes from an exotic non-JSON input (a throwing getter); still malformed.
    const detail = error instanceof Malformed ? error.detail : error instanceof Error ? error.message : String(error);
    return { payload: null, reason: 'malformed', detail: `${String(type)}: ${detail}` };
  }
}

/**
 * Parses one decoded JSON value into a {@link StreamPayload}, or `null` when it is not an object,
 * has an unknown `type`, or is malformed. Defaults: strings `""`, numbers `0`, identity fields `null`,
 * `actions` `[]`; `count` always equals `actions.length`.
 *
 * @example parsePayload({ type: 'summary', summary: 'Opened billing' })?.type // 'summary'
 */
export function parsePayload(raw: unknown): StreamPayload | null {
  return parsePayloadDetailed(raw).payload;
}

/**
 * Parses the text of one SSE `data` field: `JSON.parse` (errors give `invalid_json`), then
 * {@link parsePayloadDetailed}. Never throws.
 */
export function parsePayloadJsonDetailed(text: string): ParsePayloadJsonResult {
  if (typeof text !== 'string') return { payload: null, reason: 'invalid_json', detail: `expected a string, got ${typeof text}` };
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    return { payload: null, reason: 'invalid_json', detail: error instanceof Error ? error.message : String(error) };
  }
  return parsePayloadDetailed(raw);
}

/**
 * {@link parsePayload} for the raw text of an SSE `data` field; invalid JSON gives `null`.
 *
 * @example parsePayloadJson('{"type":"actions","actions":[]}')?.count // 0
 */
export function parsePayloadJson(text: string): StreamPayload | null {
  return parsePayloadJsonDetailed(text).payload;
}

/**
 * Parses one action element (docs/reference/wire-contract.md#action-fields): `null` when it is not an object or has a
 * wrongly typed field.
 *
 * @example parseSlimAction({ type: 'click', index: 3 })?.title // ''
 */
export function parseSlimAction(raw: unknown): SlimAction | null {
  try {
    return slimAction(raw, '');
  } catch {
    return null;
  }
}
