/**
 * Error answers of the bridge's own routes: every failure is `{"error": {"code", "message"}}` with a
 * stable code, and a bug never leaks internals beyond a coded 500.
 */
import type { FastifyError, FastifyInstance } from 'fastify';
import { isSightlineError } from '@sightline/protocol';
import { createError } from '../errors.ts';

/** Installs the error and not-found handlers on the app's root scope. */
export function installErrorHandlers(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (isSightlineError(error)) {
      if (error.status >= 500) request.log.error({ err: error }, 'request-failed');
      const retryAfterS = error.details['retryAfterS'];
      if (typeof retryAfterS === 'number') void reply.header('retry-after', String(retryAfterS));
      return reply.code(error.status).send(error.toJSON());
    }
    const status = error.statusCode;
    if (status !== undefined && status >= 400 && status < 500) {
      // Fastify's own rejections: malformed JSON, unsupported media type, body too large…
      const coded = createError('SL_BODY_INVALID', { reason: error.message });
      return reply.code(status === 413 || status === 415 ? status : 400).send(coded.toJSON());
    }
    request.log.error({ err: error }, 'request-failed');
    return reply.code(500).send(createError('SL_INTERNAL', { reason: 'unexpected error; see the bridge log' }).toJSON());
  });
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0];
    return reply.code(404).send(createError('SL_ROUTE_NOT_FOUND', { method: request.method, url: path }).toJSON());
  });
}
