/**
 * Rasa's custom action server protocol (rasa-sdk 3.6, shared/reference/rasa.md §1), served by the
 * bridge so Rasa's `endpoints.yml` can point straight at it: `POST /webhook`, `GET /health`,
 * `GET /actions`. Errors use rasa-sdk's own body shapes, not Sightline's, because Rasa reads them.
 */
import { inflateSync } from 'node:zlib';
import type { FastifyInstance, FastifyReply, FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import { isSightlineError } from '@sightline/protocol';
import type { RasaActionCall, RasaActionResult } from './rasa-types.ts';

/** One registered action: gets the parsed call (and the HTTP exchange), answers `{events, responses}`. */
export type RasaActionHandler = (
  call: RasaActionCall,
  http: { request: FastifyRequest; reply: FastifyReply },
) => Promise<RasaActionResult>;

/** Thrown by an action to reject execution: Rasa then predicts another action (400 with `action_name`). */
export class RasaActionRejected extends Error {
  constructor(message?: string) {
    super(message);
    this.name = 'RasaActionRejected';
  }
}

/** Options of {@link registerRasaActionServer}. */
export interface RasaActionServerOptions {
  /** Actions by name. */
  actions: Record<string, RasaActionHandler>;
  /** Largest accepted body in bytes, compressed or not (default 16 MiB: trackers carry every event). */
  maxBodyBytes?: number;
  /**
   * Runs before `POST /webhook` reads its body, e.g. the bridge key check (Rasa sends `endpoints.yml`'s `token:` as
   * `?token=`). A coded error it throws is answered with its own status and `{"error": {"code", "message"}}`.
   */
  authorize?: onRequestAsyncHookHandler;
}

const INVALID_BODY = { error: 'Invalid body request' };

class InvalidBody extends Error {}

function parseBody(request: FastifyRequest, body: Buffer, maxBodyBytes: number): unknown {
  const encoding = String(request.headers['content-encoding'] ?? '').trim().toLowerCase();
  let raw = body;
  if (encoding === 'deflate') {
    try {
      // Rasa compresses with zlib.compress (zlib wrapper); the output cap guards against a zip bomb.
      raw = inflateSync(body, { maxOutputLength: maxBodyBytes });
    } catch {
      throw new InvalidBody();
    }
  } else if (encoding !== '' && encoding !== 'identity') {
    throw new InvalidBody();
  }
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    throw new InvalidBody();
  }
}

/**
 * Adds the action-server routes to a Fastify app, in their own scope (they parse any content type and
 * `Content-Encoding: deflate`, and answer errors the way rasa-sdk does).
 *
 * @example
 * await registerRasaActionServer(app, { actions: { action_hello: async () => ({ events: [], responses: [{ text: 'hi' }] }) } });
 */
export async function registerRasaActionServer(app: FastifyInstance, options: RasaActionServerOptions): Promise<void> {
  const maxBodyBytes = options.maxBodyBytes ?? 16 * 1024 * 1024;
  const names = Object.keys(options.actions).sort();
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    // Rasa sends JSON, or deflated bytes as application/octet-stream when compression is on.
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: maxBodyBytes }, (request, body, done) => {
      try {
        done(null, parseBody(request, body as Buffer, maxBodyBytes));
      } catch (error) {
        done(error as Error, undefined);
      }
    });
    scope.setErrorHandler((error, request, reply) => {
      if (isSightlineError(error) && error.status < 500) {
        const retryAfterS = error.details['retryAfterS'];
        if (typeof retryAfterS === 'number') void reply.header('retry-after', String(retryAfterS));
        return reply.code(error.status).send(error.toJSON());
      }
      const status = (error as { statusCode?: number }).statusCode;
      if (error instanceof InvalidBody || (status !== undefined && status >= 400 && status < 500)) {
        return reply.code(status === 413 ? 413 : 400).send(INVALID_BODY);
      }
      request.log.error({ err: error }, 'rasa-action-failed');
      return reply.code(500).send({ error: error instanceof Error ? error.message : String(error), request_body: request.body ?? null });
    });

    scope.get('/health', async () => ({ status: 'ok' }));
    scope.get('/actions', async () => names.map((name) => ({ name })));

    scope.post('/webhook', { ...(options.authorize ? { onRequest: options.authorize } : {}) }, async (request, reply) => {
      const call = request.body as RasaActionCall | undefined;
      if (call === null || typeof call !== 'object' || Array.isArray(call)) return reply.code(400).send(INVALID_BODY);
      const actionName = call.next_action;
      if (actionName === undefined || actionName === null || actionName === '') {
        // rasa-sdk answers a call without an action with a literal null.
        request.log.warn('rasa-action-call-without-action');
        return reply.code(200).type('application/json').send('null');
      }
      if (typeof actionName !== 'string' || !Object.hasOwn(options.actions, actionName)) {
        return reply.code(404).send({ error: `No registered action found for name '${String(actionName)}'.`, action_name: actionName });
      }
      try {
        const result = await options.actions[actionName]!(call, { request, reply });
        return reply.code(200).send({ events: result.events.filter((event) => typeof event?.event === 'string'), responses: result.responses });
      } catch (error) {
        if (error instanceof RasaActionRejected) {
          return reply
            .code(400)
            .send({ error: error.message || `Custom action '${actionName}' rejected execution.`, action_name: actionName });
        }
        request.log.error({ err: error, action: actionName }, 'rasa-action-failed');
        return reply.code(500).send({ error: error instanceof Error ? error.message : String(error), request_body: call });
      }
    });
  });
}
