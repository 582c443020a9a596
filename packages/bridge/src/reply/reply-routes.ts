/**
 * The tutorial's reply contract over HTTP: `GET /reply/:userId?query=` and
 * `POST /reply {user_id, query, session_id?, conversation_id?}` → `{reply, name, has_activity}`
 * (plus `error` when the language model failed; the status stays 200).
 */
import type { ServerResponse } from 'node:http';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { createError } from '../errors.ts';
import type { PreparedReply, ReplyService } from './reply-types.ts';

function optionalId(value: unknown, field: string): string | null {
  if (value === undefined || value === null || value === '') return null;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value !== 'string') throw createError('SL_BODY_INVALID', { reason: `"${field}" must be a string` });
  return value.trim() === '' ? null : value.trim();
}

function sendPrepared(reply: FastifyReply, prepared: PreparedReply): FastifyReply {
  // The watermark and history move only once the answer has actually gone out (wire-contract §14.6).
  reply.raw.once('finish', () => void prepared.commit());
  return reply.code(200).send(prepared.body);
}

/**
 * Adds the two `/reply` routes.
 *
 * @example
 * registerReplyRoutes(app, replies);
 * // GET /reply/u-42?query=how%20do%20I%20add%20a%20teammate → {"reply":"…","name":"Ada","has_activity":true}
 */
export function registerReplyRoutes(app: FastifyInstance, replies: ReplyService): void {
  app.get<{ Params: { userId: string }; Querystring: Record<string, unknown> }>('/reply/:userId', async (request, reply) => {
    const query = request.query;
    const prepared = await replies.prepare(
      {
        userId: request.params.userId,
        query: typeof query['query'] === 'string' ? query['query'] : '',
        sessionId: optionalId(query['session_id'], 'session_id'),
        conversationId: optionalId(query['conversation_id'], 'conversation_id'),
        language: optionalId(query['language'], 'language'),
        channel: 'http',
      },
      abortOnClose(reply.raw),
    );
    return sendPrepared(reply, prepared);
  });

  app.post('/reply', async (request, reply) => {
    const body = request.body;
    if (body === null || typeof body !== 'object' || Array.isArray(body)) {
      throw createError('SL_BODY_INVALID', { reason: 'expected a JSON object {user_id, query, session_id?, conversation_id?}' });
    }
    const fields = body as Record<string, unknown>;
    const userId = optionalId(fields['user_id'], 'user_id');
    if (userId === null) throw createError('SL_USER_ID_INVALID', { reason: '"user_id" is missing' });
    if (fields['query'] !== undefined && fields['query'] !== null && typeof fields['query'] !== 'string') {
      throw createError('SL_BODY_INVALID', { reason: '"query" must be a string' });
    }
    const prepared = await replies.prepare(
      {
        userId,
        query: typeof fields['query'] === 'string' ? fields['query'] : '',
        sessionId: optionalId(fields['session_id'], 'session_id'),
        conversationId: optionalId(fields['conversation_id'], 'conversation_id'),
        language: optionalId(fields['language'], 'language'),
        channel: 'http',
      },
      abortOnClose(reply.raw),
    );
    return sendPrepared(reply, prepared);
  });
}

/** A signal that aborts when the client goes away before the answer is ready, so a model call can stop early. */
function abortOnClose(response: ServerResponse): AbortSignal {
  const controller = new AbortController();
  // A response that closes before it finished means the connection went away (a request's own 'close'
  // fires as soon as its body is read, so it cannot tell).
  response.once('close', () => {
    if (!response.writableFinished) controller.abort(new Error('client closed the request'));
  });
  return controller.signal;
}
