/**
 * `GET /stream/:product`: authenticates before any byte of stream, then hands the raw response to the hub,
 * replaying from `Last-Event-ID` (header, or `last_event_id` query) with one `gap` frame first when the log cannot.
 *
 * Answers before streaming (docs/limits.md): no key 401 `SL_STREAM_KEY_MISSING`; a key that already failed for
 * this product id 429 `SL_STREAM_RATE_LIMITED` before any lookup; a wrong key and an unknown product the same 401
 * `SL_STREAM_KEY_INVALID`, so the product id cannot be learnt without its key; another product's key 403
 * `SL_STREAM_KEY_FOREIGN`, which is answered for every product id but its own and so reveals nothing either.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { createGapPayload, encodePayloadFrame } from '@sightline/protocol';
import { createError } from '../errors.ts';
import { checkCredential, countMissingCredential } from '../http/credential-door.ts';
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
    const rejected = (reason: string) => {
      context.metrics.streamRejects.inc({ reason });
      // Only known product ids are logged: an unknown one is whatever the client typed.
      request.log.info({ product: context.store.get(productId) ? productId : null, reason }, 'stream-connect-rejected');
    };
    const key = bearerToken(request);
    if (!key) {
      countMissingCredential(context, 'stream_key');
      rejected('missing_key');
      throw createError('SL_STREAM_KEY_MISSING');
    }
    const credential = checkCredential(context, request, 'stream_key', productId, key);
    const refusal = credential.refusal();
    if (refusal) {
      rejected('rate_limited');
      throw refusal;
    }
    // An unknown product is 'invalid' here: the same answer as a wrong key for a known one.
    const check = context.store.checkStreamKey(productId, key);
    if (check !== 'valid') {
      rejected(check === 'foreign' ? 'foreign_key' : 'invalid_key');
      throw credential.rejected(check === 'foreign'
        ? createError('SL_STREAM_KEY_FOREIGN', { productId })
        : createError('SL_STREAM_KEY_INVALID', { productId }));
    }
    credential.accepted();

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
      // On a shared log, the tail's start is fixed before the replay is read, so the two leave no hole between them.
      if (context.logTail !== null) await context.logTail.follow(productId);
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
