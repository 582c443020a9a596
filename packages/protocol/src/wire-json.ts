/**
 * Canonical JSON of stream payloads, and constructors that fill every field so producers cannot
 * forget one (`email` is always present, `null` when unknown: docs/decisions/D-12-email-null.md).
 *
 * Field order (fixed, so frames can be compared byte for byte):
 * - actions: type, product_id, session_id, user_id, email, count, forwarded_at, actions, conversation_id
 * - action (docs/reference/wire-contract.md#action-fields order): title, description, canonical_url, index, type, timestamp_start, timestamp_end,
 *   raw_url, session_id, user_id, email, conversation_id; then Sightline's structured fields, each only
 *   when present (`undefined` is left out, `null` is written): window_id, page {title, path},
 *   target {role, label}, container {kind, label}, choice, step, failure, received_at
 * - summary: type, product_id, session_id, summary, replaces, forwarded_at
 * - gap: type, product_id, last_event_id, resumed_from, reason, forwarded_at
 *
 * Timestamps (`forwarded_at`, `timestamp_start`, `timestamp_end`) are floats on the wire; a whole
 * value is written with `.0` (`1700000000.0`), as Autoplay's Python connector writes it.
 */
import { createError } from './errors.ts';
import {
  ACTION_FAILURES,
  ACTION_STEPS,
  CONTAINER_KINDS,
  TARGET_ROLES,
  type ActionContainer,
  type ActionPage,
  type ActionTarget,
  type ActionsPayload,
  type GapPayload,
  type GapReason,
  type PayloadOrigin,
  type SlimAction,
  type StreamPayload,
  type SummaryPayload,
} from './types.ts';

function finite(value: number, name: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw createError('SL_PAYLOAD_INVALID', { field: name, reason: `must be a finite number, got ${String(value)}` });
  return value;
}

function integer(value: number, name: string): string {
  if (!Number.isSafeInteger(value) || value < 0) throw createError('SL_PAYLOAD_INVALID', { field: name, reason: `must be a non-negative integer, got ${String(value)}` });
  return String(value);
}

function timestamp(value: number, name: string): string {
  const text = JSON.stringify(finite(value, name));
  // Only plain integer spellings get `.0`; exponent forms (1e+21) are already valid floats.
  return /^-?\d+$/.test(text) ? `${text}.0` : text;
}

function text(value: string, name: string): string {
  if (typeof value !== 'string') throw createError('SL_PAYLOAD_INVALID', { field: name, reason: 'must be a string' });
  return JSON.stringify(value);
}

function nullableText(value: string | null | undefined, name: string): string {
  return value === null || value === undefined ? 'null' : text(value, name);
}

function oneOf(value: string, allowed: readonly string[], name: string): string {
  if (!allowed.includes(value)) throw createError('SL_PAYLOAD_INVALID', { field: name, reason: `must be one of ${allowed.join(', ')}, got ${String(value)}` });
  return JSON.stringify(value);
}

function pageJson(page: ActionPage | null, at: string): string {
  if (page === null) return 'null';
  return `{"title":${text(page.title, `${at}.title`)},"path":${text(page.path, `${at}.path`)}}`;
}

function targetJson(target: ActionTarget | null, at: string): string {
  if (target === null) return 'null';
  return `{"role":${oneOf(target.role, TARGET_ROLES, `${at}.role`)},"label":${nullableText(target.label, `${at}.label`)}}`;
}

function containerJson(container: ActionContainer | null, at: string): string {
  if (container === null) return 'null';
  return `{"kind":${oneOf(container.kind, CONTAINER_KINDS, `${at}.kind`)},"label":${nullableText(container.label, `${at}.label`)}}`;
}

/** The structured fields of an action, each only when present, in the fixed order. */
function structureJson(action: SlimAction, at: string): string {
  let json = '';
  if (action.window_id !== undefined) json += `,"window_id":${nullableText(action.window_id, `${at}.window_id`)}`;
  if (action.page !== undefined) json += `,"page":${pageJson(action.page, `${at}.page`)}`;
  if (action.target !== undefined) json += `,"target":${targetJson(action.target, `${at}.target`)}`;
  if (action.container !== undefined) json += `,"container":${containerJson(action.container, `${at}.container`)}`;
  if (action.choice !== undefined) json += `,"choice":${nullableText(action.choice, `${at}.choice`)}`;
  if (action.step !== undefined) json += `,"step":${action.step === null ? 'null' : oneOf(action.step, ACTION_STEPS, `${at}.step`)}`;
  if (action.failure !== undefined) json += `,"failure":${action.failure === null ? 'null' : oneOf(action.failure, ACTION_FAILURES, `${at}.failure`)}`;
  if (action.received_at !== undefined) json += `,"received_at":${action.received_at === null ? 'null' : timestamp(action.received_at, `${at}.received_at`)}`;
  return json;
}

function actionJson(action: SlimAction, position: number): string {
  const at = `actions[${position}]`;
  return (
    `{"title":${text(action.title, `${at}.title`)}` +
    `,"description":${text(action.description, `${at}.description`)}` +
    `,"canonical_url":${text(action.canonical_url, `${at}.canonical_url`)}` +
    `,"index":${integer(action.index, `${at}.index`)}` +
    `,"type":${text(action.type, `${at}.type`)}` +
    `,"timestamp_start":${timestamp(action.timestamp_start, `${at}.timestamp_start`)}` +
    `,"timestamp_end":${timestamp(action.timestamp_end, `${at}.timestamp_end`)}` +
    `,"raw_url":${text(action.raw_url, `${at}.raw_url`)}` +
    `,"session_id":${nullableText(action.session_id, `${at}.session_id`)}` +
    `,"user_id":${nullableText(action.user_id, `${at}.user_id`)}` +
    `,"email":${nullableText(action.email, `${at}.email`)}` +
    `,"conversation_id":${nullableText(action.conversation_id, `${at}.conversation_id`)}` +
    `${structureJson(action, at)}}`
  );
}

/**
 * Writes a payload as compact JSON with the fixed field order above. An `actions` payload's
 * `count` is written as `actions.length`, so the wire never disagrees with itself.
 *
 * @throws SightlineError `SL_PAYLOAD_INVALID` for a non-finite number, a negative or fractional
 * index/count/replaces, or a non-string text field (JSON would turn them into `null` silently).
 * @example toWireJson(createSummaryPayload({ product_id: 'p', summary: 's', replaces: 2, forwarded_at: 1700000060 }))
 * // '{"type":"summary","product_id":"p","session_id":null,"summary":"s","replaces":2,"forwarded_at":1700000060.0}'
 */
export function toWireJson(payload: StreamPayload): string {
  switch (payload.type) {
    case 'actions':
      return (
        `{"type":"actions","product_id":${text(payload.product_id, 'product_id')}` +
        `,"session_id":${nullableText(payload.session_id, 'session_id')}` +
        `,"user_id":${nullableText(payload.user_id, 'user_id')}` +
        `,"email":${nullableText(payload.email, 'email')}` +
        `,"count":${payload.actions.length}` +
        `,"forwarded_at":${timestamp(payload.forwarded_at, 'forwarded_at')}` +
        `,"actions":[${payload.actions.map(actionJson).join(',')}]` +
        `,"conversation_id":${nullableText(payload.conversation_id, 'conversation_id')}` +
        `${payload.origin === undefined ? '' : `,"origin":{"organisation":${nullableText(payload.origin.organisation, 'origin.organisation')},"address":${nullableText(payload.origin.address, 'origin.address')}}`}}`
      );
    case 'summary':
      return (
        `{"type":"summary","product_id":${text(payload.product_id, 'product_id')}` +
        `,"session_id":${nullableText(payload.session_id, 'session_id')}` +
        `,"summary":${text(payload.summary, 'summary')}` +
        `,"replaces":${integer(payload.replaces, 'replaces')}` +
        `,"forwarded_at":${timestamp(payload.forwarded_at, 'forwarded_at')}}`
      );
    case 'gap':
      return (
        `{"type":"gap","product_id":${text(payload.product_id, 'product_id')}` +
        `,"last_event_id":${text(payload.last_event_id, 'last_event_id')}` +
        `,"resumed_from":${nullableText(payload.resumed_from, 'resumed_from')}` +
        `,"reason":${text(payload.reason, 'reason')}` +
        `,"forwarded_at":${timestamp(payload.forwarded_at, 'forwarded_at')}}`
      );
    default: {
      const unknownType: unknown = (payload as { type?: unknown }).type;
      throw createError('SL_PAYLOAD_INVALID', { field: 'type', reason: `is not a stream payload type: ${String(unknownType)}` });
    }
  }
}

/** `""` is not an identity (docs/decisions/D-11-empty-identity-and-types.md): producers write `null`. */
function identity(value: string | null | undefined): string | null {
  return value ? value : null;
}

/** Fields accepted by {@link createSlimAction}: any subset of {@link SlimAction}. */
export type SlimActionFields = Partial<SlimAction>;

/**
 * Builds a complete action. Defaults: text fields `""`, `index` 0, timestamps 0,
 * `timestamp_end` = `timestamp_start`, identity fields `null` (and `""` → `null`). The structured
 * fields (`window_id`, `page`, `target`, `container`, `choice`, `step`, `failure`, `received_at`) are copied as given, after Autoplay's; an absent one stays absent.
 *
 * @example createSlimAction({ type: 'click', description: 'Clicked Save', canonical_url: '/doc/:id', timestamp_start: 1700000000 })
 */
export function createSlimAction(fields: SlimActionFields = {}): SlimAction {
  const timestampStart = fields.timestamp_start ?? 0;
  const action: SlimAction = {
    title: fields.title ?? '',
    description: fields.description ?? '',
    canonical_url: fields.canonical_url ?? '',
    index: fields.index ?? 0,
    type: fields.type ?? '',
    timestamp_start: timestampStart,
    timestamp_end: fields.timestamp_end ?? timestampStart,
    raw_url: fields.raw_url ?? '',
    session_id: identity(fields.session_id),
    user_id: identity(fields.user_id),
    email: identity(fields.email),
    conversation_id: identity(fields.conversation_id),
  };
  if (fields.window_id !== undefined) action.window_id = fields.window_id;
  if (fields.page !== undefined) action.page = fields.page;
  if (fields.target !== undefined) action.target = fields.target;
  if (fields.container !== undefined) action.container = fields.container;
  if (fields.choice !== undefined) action.choice = fields.choice;
  if (fields.step !== undefined) action.step = fields.step;
  if (fields.failure !== undefined) action.failure = fields.failure;
  if (fields.received_at !== undefined) action.received_at = fields.received_at;
  return action;
}

/** Fields accepted by {@link createActionsPayload}; `product_id` and `forwarded_at` are required. */
export interface ActionsPayloadFields {
  product_id: string;
  forwarded_at: number;
  session_id?: string | null;
  user_id?: string | null;
  email?: string | null;
  conversation_id?: string | null;
  actions?: readonly SlimActionFields[];
  /** Where the events came from (Sightline only); left out of the payload when absent. */
  origin?: PayloadOrigin;
}

/**
 * Builds a complete `actions` payload. Each action goes through {@link createSlimAction}; an action
 * without an `index` gets its position in the list, and its missing identity fields
 * (`session_id`, `user_id`, `email`, `conversation_id`) are taken from the batch, as the connector
 * sends them. `count` is `actions.length`.
 *
 * @example createActionsPayload({ product_id: 'acme', session_id: 's1', forwarded_at: 1700000000, actions: [{ type: 'pageview' }] })
 */
export function createActionsPayload(fields: ActionsPayloadFields): ActionsPayload {
  const batch = {
    session_id: identity(fields.session_id),
    user_id: identity(fields.user_id),
    email: identity(fields.email),
    conversation_id: identity(fields.conversation_id),
  };
  const actions = (fields.actions ?? []).map((action, position) =>
    createSlimAction({
      ...action,
      index: action.index ?? position,
      session_id: action.session_id === undefined ? batch.session_id : action.session_id,
      user_id: action.user_id === undefined ? batch.user_id : action.user_id,
      email: action.email === undefined ? batch.email : action.email,
      conversation_id: action.conversation_id === undefined ? batch.conversation_id : action.conversation_id,
    }),
  );
  return {
    type: 'actions',
    product_id: fields.product_id,
    session_id: batch.session_id,
    user_id: batch.user_id,
    email: batch.email,
    actions,
    count: actions.length,
    forwarded_at: fields.forwarded_at,
    conversation_id: batch.conversation_id,
    ...(fields.origin === undefined ? {} : { origin: { organisation: fields.origin.organisation, address: fields.origin.address } }),
  };
}

/** Fields accepted by {@link createSummaryPayload}. */
export interface SummaryPayloadFields {
  product_id: string;
  forwarded_at: number;
  summary: string;
  replaces: number;
  session_id?: string | null;
}

/**
 * Builds a complete `summary` payload (`session_id` defaults to `null`).
 *
 * @example createSummaryPayload({ product_id: 'acme', session_id: 's1', summary: 'Exported a CSV.', replaces: 10, forwarded_at: 1700000060 })
 */
export function createSummaryPayload(fields: SummaryPayloadFields): SummaryPayload {
  return {
    type: 'summary',
    product_id: fields.product_id,
    session_id: identity(fields.session_id),
    summary: fields.summary,
    replaces: fields.replaces,
    forwarded_at: fields.forwarded_at,
  };
}

/** Fields accepted by {@link createGapPayload}. */
export interface GapPayloadFields {
  product_id: string;
  last_event_id: string;
  resumed_from: string | null;
  reason: GapReason;
  forwarded_at: number;
}

/**
 * Builds a complete `gap` payload.
 *
 * @example createGapPayload({ product_id: 'acme', last_event_id: '1-5', resumed_from: '2-0', reason: 'epoch_mismatch', forwarded_at: 1732230000 })
 */
export function createGapPayload(fields: GapPayloadFields): GapPayload {
  return {
    type: 'gap',
    product_id: fields.product_id,
    last_event_id: fields.last_event_id,
    resumed_from: identity(fields.resumed_from),
    reason: fields.reason,
    forwarded_at: fields.forwarded_at,
  };
}
