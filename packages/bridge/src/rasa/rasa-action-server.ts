/**
 * Rasa's custom action server protocol (rasa-sdk 3.6, docs/rasa-actions.md), served by the
 * bridge so Rasa's `endpoints.yml` can point straight at it: `POST /webhook`, `GET /health`,
 * `GET /actions`. Errors use rasa-sdk's own body shapes, not Sightline's, because Rasa reads them.
 * With a team action server behind it, the calls for actions the bridge does not serve go there.
 */
import { promisify } from 'node:util';
import { gunzip, inflate } from 'node:zlib';
import type { FastifyInstance, FastifyReply, FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import { isSightlineError } from '@sightline/protocol';
import type { ActionForwarder } from './action-forwarder.ts';
import type { RasaActionCall, RasaActionResult } from './rasa-types.ts';

const inflateAsync = promisify(inflate);
const gunzipAsync = promisify(gunzip);

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
  /**
   * The team's own action server: calls for actions not in `actions` are forwarded there byte for byte, and
   * `GET /actions` lists its actions too. Without it such calls answer 404.
   */
  forward?: ActionForwarder;
  /**
   * Whether a request may see the forward target in `GET /health` and the team's names in `GET /actions` (the bridge
   * passes its key check; default: everyone). Anyone else gets rasa-sdk's plain answers.
   */
  canSeeDetails?: (request: FastifyRequest) => Promise<boolean>;
}

const INVALID_BODY = { error: 'Invalid body request' };

class InvalidBody extends Error {}

/**
 * The action call in a body, decompressed when it says so. Rasa deflates (zlib wrapper) with
 * `COMPRESS_ACTION_SERVER_REQUEST`; gzip is read too. zlib runs on the thread pool, off the event loop, and the output
 * cap guards against a zip bomb.
 */
async function decodeCall(encodingHeader: string | undefined, body: Buffer, maxBodyBytes: number): Promise<unknown> {
  const encoding = String(encodingHeader ?? '').trim().toLowerCase();
  let raw = body;
  try {
    if (encoding === 'deflate') raw = await inflateAsync(body, { maxOutputLength: maxBodyBytes });
    else if (encoding === 'gzip' || encoding === 'x-gzip') raw = await gunzipAsync(body, { maxOutputLength: maxBodyBytes });
    else if (encoding !== '' && encoding !== 'identity') throw new InvalidBody();
  } catch {
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
  const forward = options.forward;
  const canSeeDetails = options.canSeeDetails ?? (async () => true);
  // The parsed call of a request, for the 500 answer's request_body (bodies are kept as bytes, to forward them as is).
  const calls = new WeakMap<FastifyRequest, unknown>();
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    // Rasa sends JSON, or deflated bytes as application/octet-stream when compression is on. The bytes are kept: a
    // call for the team's server goes on exactly as it came.
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: maxBodyBytes }, (_request, body, done) => done(null, body));
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
      return reply.code(500).send({ error: error instanceof Error ? error.message : String(error), request_body: calls.get(request) ?? null });
    });

    scope.get('/health', async (request) => {
      if (forward && (await canSeeDetails(request))) return { status: 'ok', action_server: forward.status() };
      return { status: 'ok' };
    });
    scope.get('/actions', async (request) => {
      if (!forward || !(await canSeeDetails(request))) return names.map((name) => ({ name }));
      const listed = await forward.listActions();
      if (!listed.ok) {
        request.log.warn({ code: listed.error.code, url: forward.url, reason: listed.error.message }, 'rasa-action-server-unreachable');
        return names.map((name) => ({ name }));
      }
      forward.noteShadowed(names, listed.names, request.log);
      return [...new Set([...names, ...listed.names])].sort().map((name) => ({ name }));
    });

    scope.post('/webhook', { ...(options.authorize ? { onRequest: options.authorize } : {}) }, async (request, reply) => {
      const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      let call: RasaActionCall;
      try {
        call = (await decodeCall(request.headers['content-encoding'], body, maxBodyBytes)) as RasaActionCall;
      } catch {
        return reply.code(400).send(INVALID_BODY);
      }
      if (call === null || typeof call !== 'object' || Array.isArray(call)) return reply.code(400).send(INVALID_BODY);
      calls.set(request, call);
      const actionName = call.next_action;
      if (actionName === undefined || actionName === null || actionName === '') {
        // rasa-sdk answers a call without an action with a literal null.
        request.log.warn('rasa-action-call-without-action');
        return reply.code(200).type('application/json').send('null');
      }
      if (typeof actionName === 'string' && !Object.hasOwn(options.actions, actionName) && forward) {
        const answer = await forward.forward({ body, headers: request.headers, url: request.url });
        if (answer.ok) return reply.code(answer.status).headers(answer.headers).send(answer.body);
        // Rasa treats any answer but 200 and 400 as a failed action: it drops the action's events and carries on.
        request.log.warn({ code: answer.error.code, action: actionName, url: forward.url, reason: answer.error.message }, 'rasa-action-forward-failed');
        return reply.code(502).send({ error: answer.error.message, action_name: actionName });
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
