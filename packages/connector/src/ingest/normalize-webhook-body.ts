/**
 * The webhook door (`POST /webhook/:product`): what PostHog destinations send.
 */
import type { NormalizeResult } from './captured-event.ts';
import { bodyShapeError, envelopeOf, maxEventsOf, normalizeEventList, type NormalizeOptions } from './normalize-body.ts';
import { isRecord } from './normalize-event.ts';

/**
 * Normalises a parsed webhook body into {@link CapturedEvent}s. Accepts the flat payload of
 * Autoplay's Hog script (`{event, session_id, current_url, elements_chain, …}`), a raw CDP event
 * (`{event, distinct_id, properties, elements_chain, timestamp}`), the webhook template's default
 * `{event: {...}, person: {...}}`, a `{batch: [...]}` of any of these, or a bare array.
 *
 * Invalid events are skipped and listed in `rejected` (code `SL_INGEST_EVENT_INVALID`); the valid
 * ones beside them are kept. Privacy rules apply on the way in (see `CapturedEvent.properties`).
 *
 * @param body the JSON-parsed request body
 * @param receivedAt receipt time, epoch milliseconds (`Date.now()`); a value below 1e11 is taken as seconds
 * @throws SightlineError `SL_BODY_INVALID` (400) when the body is none of the shapes above
 *
 * @example
 * const { events, rejected } = normalizeWebhookBody(JSON.parse(rawBody), Date.now());
 */
export function normalizeWebhookBody(body: unknown, receivedAt: number, options: NormalizeOptions = {}): NormalizeResult {
  const envelope = envelopeOf(body, receivedAt, options);
  const maxEvents = maxEventsOf(options);
  if (Array.isArray(body)) return normalizeEventList(body, envelope, maxEvents, options.memo ?? null);
  if (isRecord(body)) {
    if (Array.isArray(body['batch'])) return normalizeEventList(body['batch'], envelope, maxEvents, options.memo ?? null);
    if ('event' in body) return normalizeEventList([body], envelope, maxEvents, options.memo ?? null);
  }
  throw bodyShapeError('a JSON object with "event" (flat Hog payload or CDP event), {"batch": [...]} or an array of events');
}
