/**
 * The tutorial's reply contract over HTTP: `GET /reply/:userId?query=` and
 * `POST /reply {user_id, query, session_id?, conversation_id?}` → `{reply, name, has_activity}`
 * (plus `error` when the language model failed; the status stays 200).
 *
 * Who may ask (docs/security.md): a backend with the bridge key (the user id is trusted; a `user_hash` sent along is
 * still checked), or a browser with the user id and its `user_hash` (or `user_token`). With neither a key nor an
 * identity secret configured (the embedded default on loopback) the door is open.
 */
import type { ServerResponse } from 'node:http';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { presentedCredential, type CredentialCheck } from '../auth/credential-check.ts';
import { createError } from '../errors.ts';
import { hashedUserId } from '../identity/user-hash.ts';
import type { IdentityClaim, IdentityVerifier } from '../identity/identity-verifier.ts';
import { parseReplyBody, parseReplyQuery } from './reply-body-schema.ts';
import type { PreparedReply, ReplyService } from './reply-types.ts';

/** The checks the routes make before answering. */
export interface ReplyDoors {
  /** `BRIDGE_API_KEY`. */
  apiKey: CredentialCheck;
  /** `IDENTITY_SECRET`. */
  identity: IdentityVerifier;
}

function sendPrepared(reply: FastifyReply, prepared: PreparedReply): FastifyReply {
  // The watermark and history move only once the answer has actually gone out
  // (docs/reference/wire-contract.md#chat-watermark).
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
export function registerReplyRoutes(app: FastifyInstance, replies: ReplyService, doors: ReplyDoors): void {
  /** The user id the request may ask about; throws a coded 401 when it may not ask at all. */
  async function authorize(request: FastifyRequest, claim: IdentityClaim): Promise<string | undefined> {
    const presented = presentedCredential(request);
    const hasProof = Boolean(claim.userHash || claim.userToken);
    if (doors.apiKey.isConfigured && presented !== null) {
      // Server to server: the key vouches for the id; a proof sent along is still checked.
      if ((await doors.apiKey.check(presented, request.ip)) !== 'valid') throw createError('SL_AUTH_REQUIRED');
      if (!hasProof || !doors.identity.isRequired) return claim.userId;
    } else if (!doors.apiKey.isConfigured && !doors.identity.isRequired) {
      // Nothing configured (the embedded default on loopback): the door is open.
      return claim.userId;
    } else if (!doors.identity.isRequired) {
      // A key is required and none was sent; without an identity secret there is no browser path.
      throw createError('SL_AUTH_REQUIRED');
    }
    const verdict = await doors.identity.verify(claim, request.ip);
    if (!verdict.ok) {
      const user = verdict.userId === null ? null : hashedUserId(verdict.userId);
      request.log.info({ code: 'SL_IDENTITY_UNVERIFIED', reason: verdict.reason, user, channel: 'http' }, 'identity-unverified');
      throw createError('SL_IDENTITY_UNVERIFIED', { reason: verdict.reason });
    }
    return verdict.userId;
  }

  app.get<{ Params: { userId: string }; Querystring: unknown }>('/reply/:userId', async (request, reply) => {
    // The path's user id is text by the router's hand; whether it is empty or too long is the service's limit.
    const query = parseReplyQuery(request.query);
    const userId = await authorize(request, {
      userId: request.params.userId,
      userHash: query.user_hash ?? undefined,
      userToken: query.user_token ?? undefined,
    });
    const prepared = await replies.prepare(
      {
        userId: userId ?? request.params.userId,
        query: query.query,
        sessionId: query.session_id,
        conversationId: query.conversation_id,
        language: query.language,
        channel: 'http',
      },
      abortOnClose(reply.raw),
    );
    return sendPrepared(reply, prepared);
  });

  app.post('/reply', async (request, reply) => {
    const body = parseReplyBody(request.body);
    const userId = await authorize(request, {
      userId: body.user_id ?? undefined,
      userHash: body.user_hash ?? undefined,
      userToken: body.user_token ?? undefined,
    });
    // Only a verified token names its user: with the key or an open door, a body with a token and no user_id names no one.
    if (userId === undefined) throw createError('SL_USER_ID_INVALID', { reason: '"user_id" is missing' });
    const prepared = await replies.prepare(
      {
        userId,
        query: body.query,
        sessionId: body.session_id,
        conversationId: body.conversation_id,
        language: body.language,
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
