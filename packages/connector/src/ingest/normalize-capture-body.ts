/**
 * The capture door (`POST /e/`, `/batch/`, `/capture/`, `/i/v0/e/`): posthog-js pointed straight at
 * the connector. The HTTP layer has already undone gzip, base64 and form encoding.
 */
import type { NormalizeResult } from './captured-event.ts';
import { bodyShapeError, envelopeOf, maxEventsOf, normalizeEventList, type NormalizeOptions } from './normalize-body.ts';
import { isRecord } from './normalize-event.ts';

const EXPECTED = 'a posthog-js event, an array of events, {"batch": [...]} or {"data": ...}';

// `{data: …}` (form bodies) may still hold a JSON string, or base64 of one.
function unwrapData(data: unknown): unknown {
  if (typeof data !== 'string') return data;
  const text = data.trim();
  try {
    return JSON.parse(text);
  } catch {
    // fall through to base64
  }
  if (/^[A-Za-z0-9+/_-]+={0,2}$/.test(text)) {
    try {
      return JSON.parse(Buffer.from(text, 'base64').toString('utf8'));
    } catch {
      // not base64 JSON either
    }
  }
  throw bodyShapeError(`${EXPECTED}; "data" is neither JSON nor base64 JSON`);
}

/**
 * Normalises a decoded posthog-js capture body into {@link CapturedEvent}s: a single event, an
 * array (legacy SDKs), `{api_key, batch, sent_at}` (posthog-js ≥ 1.407.3) or `{data}` (form
 * bodies; `data` may be parsed JSON, a JSON string or base64 JSON). Timestamps are corrected for
 * the browser's clock skew with `sent_at` as PostHog does; the token comes from each event's
 * `properties.token`, else the body's `api_key`.
 *
 * Invalid events are skipped and listed in `rejected` (code `SL_INGEST_EVENT_INVALID`); the valid
 * ones beside them are kept.
 *
 * @param body the decoded request body
 * @param receivedAt receipt time, epoch milliseconds (`Date.now()`); a value below 1e11 is taken as seconds
 * @throws SightlineError `SL_BODY_INVALID` (400) when the body is none of the shapes above
 *
 * @example
 * const { events } = normalizeCaptureBody({ api_key: 'phc_x', batch: [...], sent_at: '2026-11-21T22:33:27.381Z' }, Date.now());
 */
export function normalizeCaptureBody(body: unknown, receivedAt: number, options: NormalizeOptions = {}): NormalizeResult {
  return normalizeCapture(body, receivedAt, options, 0);
}

function normalizeCapture(body: unknown, receivedAt: number, options: NormalizeOptions, depth: number): NormalizeResult {
  const maxEvents = maxEventsOf(options);
  if (Array.isArray(body)) return normalizeEventList(body, envelopeOf(body, receivedAt, options), maxEvents, options.memo ?? null);
  if (isRecord(body)) {
    const envelope = envelopeOf(body, receivedAt, options);
    if (Array.isArray(body['batch'])) return normalizeEventList(body['batch'], envelope, maxEvents, options.memo ?? null);
    if ('data' in body && !('event' in body) && depth === 0) {
      // The outer body's sent_at still applies to what `data` holds.
      const inner = unwrapData(body['data']);
      const sentAt = isRecord(inner) && inner['sent_at'] !== undefined ? inner['sent_at'] : (body['sent_at'] ?? options.sentAt);
      return normalizeCapture(inner, receivedAt, { ...options, sentAt: sentAt as NormalizeOptions['sentAt'] }, depth + 1);
    }
    if ('event' in body) return normalizeEventList([body], envelope, maxEvents, options.memo ?? null);
  }
  throw bodyShapeError(EXPECTED);
}
