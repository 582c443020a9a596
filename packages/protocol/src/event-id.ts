/**
 * Stream event ids: `<epoch>-<seq>`, both non-negative decimal integers. The epoch changes when a
 * product's event log restarts from scratch; the sequence counts payloads within one epoch.
 */
import { createError } from './errors.ts';

/** The two parts of an event id. */
export interface EventId {
  epoch: number;
  seq: number;
}

// Canonical decimal only: no sign, no leading zeros, at most 16 digits (MAX_SAFE_INTEGER has 16).
// One spelling per id keeps ids comparable as strings in logs and in Redis keys.
const EVENT_ID_PATTERN = /^(0|[1-9]\d{0,15})-(0|[1-9]\d{0,15})$/;

function assertPart(part: 'epoch' | 'seq', value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) throw createError('SL_EVENT_ID_INVALID', { part, value: String(value) });
}

/**
 * Formats an event id.
 *
 * @throws SightlineError `SL_EVENT_ID_INVALID` when either part is not a non-negative safe integer.
 * @example formatEventId(1732230000, 42) // '1732230000-42'
 */
export function formatEventId(epoch: number, seq: number): string {
  assertPart('epoch', epoch);
  assertPart('seq', seq);
  return `${epoch}-${seq}`;
}

/**
 * Parses an event id strictly: canonical decimal parts (no sign, spaces or leading zeros), each at
 * most `Number.MAX_SAFE_INTEGER`. Anything else gives `null`, so a client-sent `Last-Event-ID`
 * can be checked without try/catch.
 *
 * @example parseEventId('1732230000-42') // { epoch: 1732230000, seq: 42 }
 * @example parseEventId('-1-2') // null
 */
export function parseEventId(text: string): EventId | null {
  if (typeof text !== 'string') return null;
  const match = EVENT_ID_PATTERN.exec(text);
  if (!match) return null;
  const epoch = Number(match[1]);
  const seq = Number(match[2]);
  if (!Number.isSafeInteger(epoch) || !Number.isSafeInteger(seq)) return null;
  return { epoch, seq };
}

/**
 * Orders two event ids: by epoch, then by sequence. Negative when `a` comes first, 0 when equal.
 *
 * @example compareEventIds({ epoch: 1, seq: 9 }, { epoch: 2, seq: 0 }) < 0 // true
 */
export function compareEventIds(a: EventId, b: EventId): number {
  return a.epoch !== b.epoch ? a.epoch - b.epoch : a.seq - b.seq;
}
