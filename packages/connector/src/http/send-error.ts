/**
 * Maps anything thrown in a route to the coded HTTP error body `{"error": {"code", "message"}}`: catalogue
 * errors keep their status; Fastify's own body errors get connector codes; anything else is a logged 500.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { isSightlineError, type SightlineError } from '@sightline/protocol';
import { createError } from '../errors.ts';

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

/** Fastify error handler: coded body, 5xx logged with the cause, 4xx logged at debug. */
export function createErrorHandler(limit: number) {
  return function handleError(error: unknown, request: FastifyRequest, reply: FastifyReply): void {
    const coded = toConnectorError(error, limit);
    if (coded.status >= 500) request.log.error({ err: error, url: request.routeOptions.url }, 'request-failed');
    else request.log.debug({ code: coded.code, url: request.routeOptions.url }, 'request-rejected');
    if (coded.code === 'SL_STREAM_RATE_LIMITED') void reply.header('retry-after', String(coded.details.retryAfterS ?? 60));
    void reply.status(coded.status).type('application/json; charset=utf-8').send(coded.toJSON());
  };
}
