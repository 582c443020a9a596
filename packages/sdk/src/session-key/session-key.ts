/**
 * The one key every SDK component uses for a session's state: product and session together
 * (docs/decisions/D-20-one-session-key.md). A read without a product id is a type error
 * (docs/decisions/D-23-product-id-required.md), and anonymous sessions are never pooled under a shared "unknown" id
 * (docs/decisions/D-17-no-shared-anonymous-key.md).
 */
import type { ActionsPayload, SummaryPayload } from '@sightline/protocol';
import { createError } from '../errors.ts';

/** Identifies one session of one product. Both parts are required. */
export interface SessionKey {
  readonly productId: string;
  readonly sessionId: string;
}

/**
 * The key a payload belongs to: its `product_id` with its `session_id`, or, when the batch has no session id, the
 * first action's `session_id`, then the batch's `user_id` (the PostHog distinct id) and the first action's `user_id`.
 * Returns `null` when none is present: such a payload cannot be attributed to a session, and pooling it with other
 * anonymous payloads would mix users (docs/decisions/D-17-no-shared-anonymous-key.md).
 *
 * @example sessionKeyOf(payload) // { productId: 'acme', sessionId: 'ps_123' }
 */
export function sessionKeyOf(payload: ActionsPayload | SummaryPayload): SessionKey | null {
  if (!isStorablePayload(payload)) return null;
  const productId = payload.product_id ?? '';
  let sessionId = payload.session_id || null;
  if (!sessionId && payload.type === 'actions') {
    const first = payload.actions[0];
    sessionId = first?.session_id || payload.user_id || first?.user_id || null;
  }
  return sessionId ? { productId, sessionId } : null;
}

/**
 * True for the payloads the pipeline stores: an `actions` batch with an actions array, or a
 * `summary` with summary text. Guards JavaScript callers and unexpected stream types (`gap`).
 */
export function isStorablePayload(payload: unknown): payload is ActionsPayload | SummaryPayload {
  if (typeof payload !== 'object' || payload === null) return false;
  const candidate = payload as { type?: unknown; actions?: unknown; summary?: unknown };
  if (candidate.type === 'actions') return Array.isArray(candidate.actions);
  return candidate.type === 'summary' && typeof candidate.summary === 'string';
}

/** The unit separator keeps composite keys unambiguous: it does not occur in ids. */
const SEPARATOR = '\u001f';

/** A string form of a key for maps: `productId + "\x1f" + sessionId`. */
export function sessionKeyId(key: SessionKey): string {
  return `${key.productId}${SEPARATOR}${key.sessionId}`;
}

/** The key back from {@link sessionKeyId}. */
export function parseSessionKeyId(id: string): SessionKey {
  const at = id.indexOf(SEPARATOR);
  return { productId: id.slice(0, at), sessionId: id.slice(at + 1) };
}

/**
 * Checks a key passed by a caller (JavaScript callers bypass the types): `productId` must be a string
 * (it may be `""` for payloads without a product) and `sessionId` a non-empty string.
 *
 * @throws SightlineError `SL_SESSION_KEY_INVALID`
 */
export function assertSessionKey(key: unknown): asserts key is SessionKey {
  if (typeof key !== 'object' || key === null) throw createError('SL_SESSION_KEY_INVALID', { reason: 'expected an object' });
  const { productId, sessionId } = key as Record<string, unknown>;
  if (typeof productId !== 'string') throw createError('SL_SESSION_KEY_INVALID', { reason: 'productId is missing' });
  if (typeof sessionId !== 'string' || sessionId === '') {
    throw createError('SL_SESSION_KEY_INVALID', { reason: 'sessionId is missing or empty' });
  }
}
