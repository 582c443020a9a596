/**
 * Maps anything thrown in a route to the coded HTTP error body `{"error": {"code", "message"}}`: catalogue
 * errors keep their status; Fastify's own body errors get connector codes; anything else is a logged 500.
 * A failed credential check is answered after the guard's delay, on a timer (docs/limits.md).
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { isSightlineError, type Clock, type SightlineError } from '@sightline/protocol';
import { createError } from '../errors.ts';
import { heldDelayOf } from './credential-door.ts';
import { redactUrl } from './redact-request-url.ts';

/** Converts a thrown value to a {@link SightlineError} of the connector catalogue. */
export function toConnectorError(error: unknown, limit: number): SightlineError {
  if (isSightlineError(error)) return error;
  const fastifyError = error as Partial<FastifyError>;
  switch (fastifyError.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return createError('SL_BODY_TOO_LARGE', { limit, stage: 'as sent' });
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return createError('SL_BODY_INVALID', { reason: fastifyError.message ?? 'unreadable body' });
    default:
      if (typeof fastifyError.statusCode === 'number' && fastifyError.statusCode >= 400 && fastifyError.statusCode < 500) {
        return createError('SL_BODY_INVALID', { reason: fastifyError.message ?? 'bad request' });
      }
      return createError('SL_INTERNAL', {}, { cause: error });
  }
}

function send(reply: FastifyReply, coded: SightlineError): void {
  const retryAfterS = coded.details.retryAfterS;
  if (coded.status === 429 && typeof retryAfterS === 'number') void reply.header('retry-after', String(retryAfterS));
  void reply.status(coded.status).type('application/json; charset=utf-8').send(coded.toJSON());
}

/**
 * Sends after `delayMs` on the clock's timer, never blocking the loop. A connection closed meanwhile cancels
 * the timer and the answer: the reply is hijacked so Fastify writes nothing to the closed socket.
 */
function sendAfter(clock: Clock, reply: FastifyReply, coded: SightlineError, delayMs: number): Promise<void> {
  return new Promise((resolve) => {
    const response = reply.raw;
    const onClose = () => {
      clock.clearTimeout(timer);
      reply.hijack();
      resolve();
    };
    const timer = clock.setTimeout(() => {
      response.off('close', onClose);
      send(reply, coded);
      resolve();
    }, delayMs);
    response.once('close', onClose);
  });
}

/** Fastify error handler: coded body, 5xx logged with the cause, 4xx logged at debug; held credential failures wait. */
export function createErrorHandler(limit: number, clock: Clock) {
  return function handleError(error: unknown, request: FastifyRequest, reply: FastifyReply): Promise<void> | void {
    const coded = toConnectorError(error, limit);
    // The route pattern, or for unrouted requests the URL without its query (it may carry a token).
    const url = request.routeOptions.url ?? redactUrl(request.url);
    if (coded.status >= 500) request.log.error({ err: error, url }, 'request-failed');
    else request.log.debug({ code: coded.code, url }, 'request-rejected');
    const delayMs = heldDelayOf(error);
    if (delayMs > 0 && !reply.raw.destroyed && request.raw.socket?.destroyed !== true) return sendAfter(clock, reply, coded, delayMs);
    send(reply, coded);
  };
}
