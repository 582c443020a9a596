/**
 * The shared walk over a decoded ingest body: find the event list in whichever envelope the sender
 * used, normalise each event, keep the good ones and count the bad ones.
 */
import { createError } from '../errors.ts';
import type { NormalizeResult } from './captured-event.ts';
import type { IngestMemo } from './ingest-memo.ts';
import { isRecord, isRejected, normalizeEvent, readId, readTime, toEpochSeconds, type EventEnvelope } from './normalize-event.ts';

/** Options both normalisers take. */
export interface NormalizeOptions {
  /**
   * The client's send time when it came outside the body (posthog-js ≥ 1.407.1 puts a numeric
   * `sent_at` in the query string), epoch ms or s, or ISO. A `sent_at` in the body wins.
   */
  sentAt?: number | string | null;
  /** Most events read from one body; later ones are rejected. Default 10,000. */
  maxEvents?: number;
  /** The connector's memo of pure string work (see ingest-memo.ts); without one, everything is computed afresh. */
  memo?: IngestMemo | null;
}

/** @internal Normalises a list of raw events sharing one envelope. */
export function normalizeEventList(list: readonly unknown[], envelope: EventEnvelope, maxEvents: number, memo: IngestMemo | null = null): NormalizeResult {
  const result: NormalizeResult = { events: [], rejected: [] };
  list.forEach((raw, index) => {
    if (index >= maxEvents) {
      result.rejected.push({ index, code: 'SL_INGEST_EVENT_INVALID', reason: `a body may hold at most ${maxEvents} events` });
      return;
    }
    const normalized = normalizeEvent(raw, index, envelope, memo);
    if (isRejected(normalized)) result.rejected.push(normalized);
    else result.events.push(normalized);
  });
  return result;
}

/** @internal Builds the envelope from a body object (its `api_key`, `sent_at`) and the options. */
export function envelopeOf(body: unknown, receivedAt: number, options: NormalizeOptions): EventEnvelope {
  const record = isRecord(body) ? body : {};
  return {
    receivedAt: toEpochSeconds(receivedAt),
    sentAt: readTime(record['sent_at']) ?? readTime(options.sentAt ?? null),
    token: readId(record['api_key']) ?? readId(record['token']),
  };
}

/** @internal The `SL_BODY_INVALID` error both doors throw for a body of no known shape. */
export function bodyShapeError(expected: string) {
  return createError('SL_BODY_INVALID', { reason: `expected ${expected}` });
}

/** @internal Clamps the `maxEvents` option. */
export function maxEventsOf(options: NormalizeOptions): number {
  const value = options.maxEvents ?? 10_000;
  return Number.isFinite(value) && value >= 1 ? Math.floor(value) : 10_000;
}
