/**
 * What the client does with one SSE event's data: a frame that is not JSON or not a payload is counted and skipped,
 * an `actions` or `summary` payload goes to its session's lane, a `gap` is logged and goes in as a barrier, and an
 * object of any other type goes to its lane for `onEvent`. Kinds without a handler are not queued.
 */
import type { EventSourceMessage } from 'eventsource-parser';
import { parsePayloadDetailed, type ActionsPayload, type GapPayload, type SummaryPayload } from '@sightline/protocol';
import type { PayloadMeta, UnknownPayload } from './client-callbacks.ts';
import type { Logger } from './logger.ts';
import type { PositionMark } from './position-tracker.ts';

/** The session id logged and ordered by for a payload without a session or user. */
export const NO_SESSION = '_nosession';

/** A payload waiting in the queue for its handler, with its place in the stream order when a position is kept. */
export type QueueItem = (
  | { kind: 'actions'; payload: ActionsPayload; meta: PayloadMeta }
  | { kind: 'summary'; payload: SummaryPayload; meta: PayloadMeta }
  | { kind: 'gap'; payload: GapPayload; meta: PayloadMeta }
  | { kind: 'event'; payload: UnknownPayload; meta: PayloadMeta }
) & { mark?: PositionMark };

/** `value` when it is a non-empty string, else `fallback`. */
export function stringOr(value: unknown, fallback: string): string {
  return typeof value === 'string' && value !== '' ? value : fallback;
}

/** The lane a payload is ordered in: product plus session, else user, else `_nosession`. */
function sessionKey(productId: unknown, sessionId: unknown, userId: unknown): string {
  return `${stringOr(productId, '')}\u0000${stringOr(sessionId, stringOr(userId, NO_SESSION))}`;
}

/** Where {@link routeFrame} sends what it found. */
export interface FrameSink {
  url: string;
  logger: Logger;
  /** Whether a handler is registered for this kind of item. */
  hasHandler(kind: QueueItem['kind']): boolean;
  /** Offers an item to the queue (`key` null: as a barrier). */
  enqueue(key: string | null, item: QueueItem): void;
  /** A frame was skipped as malformed. */
  countMalformed(): void;
}

/** Routes the data of one SSE event that is not a heartbeat. Runs on the reader: never awaits a callback. */
export function routeFrame(message: EventSourceMessage, meta: PayloadMeta, sink: FrameSink): void {
  let raw: unknown;
  try {
    raw = JSON.parse(message.data);
  } catch {
    sink.countMalformed();
    sink.logger.warn('malformed frame skipped: data is not JSON', { url: sink.url, data: message.data.slice(0, 200), event_id: meta.id });
    return;
  }
  const result = parsePayloadDetailed(raw);
  if (result.payload === null) {
    if (result.reason === 'unknown_type') {
      const object = raw as UnknownPayload;
      if (sink.hasHandler('event')) {
        sink.enqueue(sessionKey(object.product_id, object.session_id, object.user_id), { kind: 'event', payload: object, meta });
      } else {
        sink.logger.debug(`frame of type ${result.detail ?? '?'} skipped (no onEvent handler)`, { event_type: result.detail });
      }
      return;
    }
    sink.countMalformed();
    const log = result.reason === 'not_object' ? sink.logger.debug : sink.logger.warn;
    log.call(sink.logger, `malformed frame skipped (${result.reason}): ${result.detail ?? ''}`, { url: sink.url, event_id: meta.id });
    return;
  }
  const payload = result.payload;
  switch (payload.type) {
    case 'actions':
      if (sink.hasHandler('actions')) sink.enqueue(sessionKey(payload.product_id, payload.session_id, payload.user_id), { kind: 'actions', payload, meta });
      return;
    case 'summary':
      if (sink.hasHandler('summary')) sink.enqueue(sessionKey(payload.product_id, payload.session_id, null), { kind: 'summary', payload, meta });
      return;
    case 'gap':
      sink.logger.warn(`the stream could not resume after ${payload.last_event_id} (${payload.reason}); payloads were missed`, {
        url: sink.url,
        product_id: payload.product_id,
      });
      if (sink.hasHandler('gap')) sink.enqueue(null, { kind: 'gap', payload, meta });
      return;
  }
}
