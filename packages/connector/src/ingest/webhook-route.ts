/**
 * `POST /webhook/:product`: PostHog destinations (Autoplay's flat Hog payload, a raw CDP event, the
 * template's `{event, person}` body, or `{batch: [...]}`), authenticated over the raw body bytes.
 *
 * Authentication answers (docs/limits.md): no credential 401 `SL_WEBHOOK_SIGNATURE_MISSING`; a credential that
 * already failed for this product id 429 `SL_WEBHOOK_RATE_LIMITED` before any lookup; a wrong one, and any one
 * for an unknown product, the same 401 `SL_WEBHOOK_SIGNATURE_INVALID` after the guard's delay.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyBaseLogger, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { presentedWebhookCredential, verifyWebhook } from '../auth/verify-webhook.ts';
import { connectorErrors, createError, type ConnectorErrorCode } from '../errors.ts';
import { checkCredential, countMissingCredential } from '../http/credential-door.ts';
import { preciseNow } from '../hub/sse-subscriber.ts';
import type { ConnectorContext } from '../server/connector-context.ts';
import type { NormalizeResult } from './captured-event.ts';
import { inflate, parseJsonBody } from './decode-capture-body.ts';
import { normalizeWebhookBody } from './normalize-webhook-body.ts';

/**
 * Answers a batch in which no event was usable with the first rejection's code; otherwise nothing.
 * A batch with at least one valid event is accepted and its bad neighbours are only counted.
 */
export function throwIfNothingUsable(result: NormalizeResult): void {
  const first = result.rejected[0];
  if (result.events.length > 0 || !first) return;
  const code = (first.code in connectorErrors ? first.code : 'SL_INGEST_EVENT_INVALID') as ConnectorErrorCode;
  throw createError(code, { index: first.index, reason: first.reason });
}

/**
 * Answers a request whose events could not be held in Redis before the acknowledgement: 503
 * `SL_EVENT_LOG_UNAVAILABLE`, so the sender retries; nothing of the request was accepted.
 */
export function refuseUnheld(log: FastifyBaseLogger, productId: string, error: unknown): never {
  log.error({ err: error, product: productId }, 'ingest-hold-failed');
  throw createError('SL_EVENT_LOG_UNAVAILABLE');
}

/** Adds the webhook door. */
export function registerWebhookRoute(app: FastifyInstance, context: ConnectorContext): void {
  // Labelled children made once: counting then skips prom-client's per-call label hashing.
  const acceptedEvents = context.metrics.ingestEvents.labels({ door: 'webhook', result: 'accepted' });
  const invalidEvents = context.metrics.ingestEvents.labels({ door: 'webhook', result: 'invalid' });
  // An unknown product's request is verified against a secret no one holds, so it fails the same checks, in
  // about the same time, as a wrong secret for a known product.
  const unknownProductSecret = randomBytes(32).toString('base64url');
  // Synchronous on purpose (nothing here awaits): Fastify sends a returned value at once and answers a thrown
  // error through the error handler, as for an async handler, without a promise and a microtask per request.
  app.post<{ Params: { product: string } }>('/webhook/:product', { config: { door: 'webhook' } }, (request, reply) => {
    const arrivedAt = preciseNow();
    const productId = request.params.product;
    const presented = presentedWebhookCredential(request.headers);
    const credential = presented === null ? null : checkCredential(context, request, 'webhook_secret', productId, presented);
    const refusal = credential?.refusal();
    if (refusal) throw refusal;
    const product = context.store.get(productId);
    const raw = request.body instanceof Buffer ? request.body : Buffer.alloc(0);
    const auth = verifyWebhook(product?.webhook_secret ?? unknownProductSecret, raw, request.headers, {
      now: context.clock.now(),
      isSecret: product ? (candidate) => context.store.checkWebhookSecret(product, candidate) : () => false,
    });
    if (!product || !auth.ok) {
      const reason = auth.ok ? 'mismatch' : auth.reason;
      if (product) {
        context.metrics.signatureFailures.inc({ product: productId });
        // Autoplay's log line, so existing alerting keeps matching; never the header value itself.
        request.log.warn({ product: productId, reason }, `connector: invalid PostHog signature for product=${productId}`);
      } else {
        // An unknown id is whatever the client typed: neither logged nor used as a metric label.
        request.log.warn({ product: null, reason }, 'connector: invalid PostHog signature for an unknown product');
      }
      if (credential === null) {
        countMissingCredential(context, 'webhook_secret');
        throw createError('SL_WEBHOOK_SIGNATURE_MISSING', { productId });
      }
      throw credential.rejected(createError('SL_WEBHOOK_SIGNATURE_INVALID', { productId }));
    }
    credential?.accepted();
    if (raw.length === 0) throw createError('SL_BODY_INVALID', { reason: 'the body is empty' });
    // PostHog does not compress webhooks, but a proxy may; the signature was checked on the bytes as sent. A large
    // body is inflated off the event loop (decode-capture-body.ts, INFLATE_OFF_LOOP_BYTES).
    const inflated = raw[0] === 0x1f && raw[1] === 0x8b ? inflate(raw, context.maxDecodedBytes) : raw;
    return inflated instanceof Promise
      ? inflated.then((bytes) => acceptWebhookBody(request, reply, bytes, arrivedAt))
      : acceptWebhookBody(request, reply, inflated, arrivedAt);
  });

  /** The rest of a webhook request, once its body is inflated: normalise, hand on, answer. */
  function acceptWebhookBody(request: FastifyRequest<{ Params: { product: string } }>, reply: FastifyReply, bytes: Buffer, arrivedAt: number): string | Promise<string> {
    const productId = request.params.product;
    if (bytes.length > context.maxDecodedBytes) throw createError('SL_BODY_TOO_LARGE', { limit: context.maxDecodedBytes, stage: 'after decompression' });
    const result = normalizeWebhookBody(parseJsonBody(bytes), context.clock.now(), { memo: context.memo });
    acceptedEvents.inc(result.events.length);
    if (result.rejected.length > 0) {
      invalidEvents.inc(result.rejected.length);
      request.log.info({ product: productId, rejected: result.rejected.length, first: result.rejected[0]?.code }, 'ingest-events-skipped');
    }
    throwIfNothingUsable(result);
    const held = context.pipeline.accept(productId, result.events, arrivedAt);
    // Written directly (same bytes as serialising the object) for the common all-accepted case.
    void reply.type('application/json; charset=utf-8');
    const answer = result.rejected.length === 0
      ? `{"status":1,"accepted":${result.events.length},"rejected":[]}`
      : JSON.stringify({
          status: 1,
          accepted: result.events.length,
          rejected: result.rejected.map(({ index, code }) => ({ index, code })),
        });
    // On Redis the events are acknowledged only once they are held there (docs/scaling.md).
    return held === undefined ? answer : held.then(() => answer, (error: unknown) => refuseUnheld(request.log, productId, error));
  }
}
