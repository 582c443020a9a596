/**
 * `GET /stream/:product`: authenticates before any byte of stream (missing or wrong key 401, another product's
 * key 403, unknown product 404, too many rejections 429), then hands the raw response to the hub, replaying from
 * `Last-Event-ID` (header, or `last_event_id` query) with one `gap` frame first when the log cannot.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { createGapPayload, encodePayloadFrame } from '@sightline/protocol';
import { createError } from '../errors.ts';
import type { LoggedPayload } from '../log/event-log.ts';
import { bearerToken } from '../products/product-routes.ts';
import type { ConnectorContext } from '../server/connector-context.ts';

// A client-sent id is echoed in the gap frame; cap what gets echoed.
const MAX_ECHOED_ID = 64;

function lastEventIdOf(request: FastifyRequest): string | null {
  const fromHeader = request.headers['last-event-id'];
  const headerValue = Array.isArray(fromHeader) ? fromHeader[0] : fromHeader;
  if (typeof headerValue === 'string' && headerValue.trim() !== '') return headerValue.trim();
  const query = (request.query as Record<string, unknown>)['last_event_id'];
  return typeof query === 'string' && query.trim() !== '' ? query.trim() : null;
}

const encodeEntry = (entry: LoggedPayload) => encodePayloadFrame(entry.payload, entry.id);

/** Adds the stream route. */
export function registerStreamRoute(app: FastifyInstance, context: ConnectorContext): void {
  app.get<{ Params: { product: string } }>('/stream/:product', async (request, reply) => {
    const productId = request.params.product;
    const address = request.ip;
    const retryAfterS = context.limiter.retryAfterS(address);
    if (retryAfterS > 0) {
      context.metrics.streamRejects.inc({ reason: 'rate_limited' });
      throw createError('SL_STREAM_RATE_LIMITED', { retryAfterS });
    }
    const reject = (reason: string, error: Error) => {
      context.limiter.record(address);
      context.metrics.streamRejects.inc({ reason });
      request.log.info({ product: productId, reason }, 'stream-connect-rejected');
      return error;
    };
    const key = bearerToken(request);
    if (!key) throw reject('missing_key', createError('SL_STREAM_KEY_MISSING'));
    if (!context.store.get(productId)) throw reject('unknown_product', createError('SL_PRODUCT_NOT_FOUND', { productId }));
    const check = context.store.checkStreamKey(productId, key);
    if (check === 'foreign') throw reject('foreign_key', createError('SL_STREAM_KEY_FOREIGN', { productId }));
    if (check !== 'valid') throw reject('invalid_key', createError('SL_STREAM_KEY_INVALID', { productId }));

    const lastEventId = lastEventIdOf(request);
    reply.hijack();
    const response = reply.raw;
    response.socket?.setNoDelay(true);
    response.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      // Proxies such as nginx must not buffer the stream.
      'x-accel-buffering': 'no',
    });
    response.flushHeaders();
    // Subscribe before reading the log, so nothing published in between is missed (duplicates are skipped by seq).
    const subscriber = context.hub.subscribe(productId, response);
    request.log.info({ product: productId, resume: lastEventId !== null }, 'stream-subscriber-connected');
    response.on('close', () => request.log.info({ product: productId }, 'stream-subscriber-disconnected'));
    try {
      if (lastEventId === null) {
        await subscriber.replay(null, [], encodeEntry);
        return;
      }
      const { gap, entries } = await context.log.readAfter(productId, lastEventId);
      const gapFrame = gap
        ? encodePayloadFrame(createGapPayload({
          product_id: productId,
          last_event_id: lastEventId.slice(0, MAX_ECHOED_ID),
          resumed_from: gap.resumedFrom,
          reason: gap.reason,
          forwarded_at: context.clock.now() / 1000,
        }))
        : null;
      await subscriber.replay(gapFrame, entries, encodeEntry);
    } catch (error) {
      request.log.error({ err: error, product: productId }, 'stream-replay-failed');
      response.destroy();
    }
  });
}
