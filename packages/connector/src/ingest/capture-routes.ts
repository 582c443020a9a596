/**
 * The capture door, for posthog-js pointed straight at the connector (`api_host`), per
 * docs/reference/posthog-capture.md#minimal-server: `POST /e/` and its aliases, `GET /e/?data=`, `OPTIONS`
 * preflights, `GET /array/:token/config(.js)` that turns autocapture on, and minimal `/flags` and `/decide` answers
 * so the SDK logs no errors.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { createError } from '../errors.ts';
import { isPublicAddress } from '../http/public-address.ts';
import { preciseNow } from '../hub/sse-subscriber.ts';
import type { ConnectorContext } from '../server/connector-context.ts';
import type { CapturedEvent } from './captured-event.ts';
import { inflate, parseJsonBody, unwrapCaptureBody } from './decode-capture-body.ts';
import { normalizeCaptureBody } from './normalize-capture-body.ts';
import { refuseUnheld, throwIfNothingUsable } from './webhook-route.ts';

/** Paths posthog-js and PostHog's server SDKs post events to; each also without the trailing slash. */
export const CAPTURE_PATHS = ['/e/', '/i/v0/e/', '/batch/', '/capture/', '/track/'];

/**
 * The remote config that keeps autocapture on and everything the connector does not serve off
 * (docs/reference/posthog-capture.md#remote-config-and-the-autocapture-gate). `autocapture_opt_out` must be a real
 * `false`, or posthog-js never autocaptures.
 */
export const REMOTE_CONFIG = Object.freeze({
  supportedCompression: ['gzip-js', 'base64'],
  autocapture_opt_out: false,
  elementsChainAsString: true,
  hasFeatureFlags: false,
  sessionRecording: false,
  surveys: false,
  heatmaps: false,
  capturePerformance: false,
  autocaptureExceptions: false,
  captureDeadClicks: false,
  siteApps: [],
  toolbarParams: {},
  isAuthenticated: false,
  defaultIdentifiedOnly: true,
});

const FLAGS_ANSWER = { flags: {}, featureFlags: {}, featureFlagPayloads: {}, errorsWhileComputingFlags: false };

function queryOf(request: FastifyRequest): Record<string, string | undefined> {
  const query = request.query as Record<string, unknown>;
  const pick = (name: string) => (typeof query[name] === 'string' ? (query[name] as string) : undefined);
  return { compression: pick('compression'), sent_at: pick('sent_at'), _: pick('_'), data: pick('data') };
}

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Adds the capture door routes. */
export function registerCaptureRoutes(app: FastifyInstance, context: ConnectorContext): void {
  async function capture(request: FastifyRequest, reply: FastifyReply) {
    const arrivedAt = preciseNow();
    const query = queryOf(request);
    const body = request.method === 'GET'
      ? Buffer.from(query.data ?? '', 'utf8')
      : request.body instanceof Buffer ? request.body : Buffer.alloc(0);
    const unwrapped = unwrapCaptureBody(
      {
        body,
        contentType: request.method === 'GET' ? undefined : header(request, 'content-type'),
        contentEncoding: header(request, 'content-encoding'),
        compression: query.compression,
      },
      { maxDecodedBytes: context.maxDecodedBytes },
    );
    // A large gzip body is inflated off the event loop (decode-capture-body.ts, INFLATE_OFF_LOOP_BYTES).
    const value = parseJsonBody(unwrapped.isGzip ? await inflate(unwrapped.bytes, context.maxDecodedBytes) : unwrapped.bytes);
    const sentAt = query.sent_at ?? query._;
    const result = normalizeCaptureBody(value, context.clock.now(), sentAt === undefined ? { memo: context.memo } : { sentAt, memo: context.memo });
    if (result.rejected.length > 0) context.metrics.ingestEvents.inc({ door: 'capture', result: 'invalid' }, result.rejected.length);
    throwIfNothingUsable(result);

    // The token picks the product; one body normally carries one token, but each event is routed by its own.
    const byProduct = new Map<string, CapturedEvent[]>();
    let unknown = 0;
    let missing = 0;
    let refusedOrigin: { origin: string; productId: string } | null = null;
    const origin = header(request, 'origin');
    for (const event of result.events) {
      if (!event.token) {
        missing += 1;
        continue;
      }
      const product = context.store.findByCaptureToken(event.token);
      if (!product) {
        unknown += 1;
        continue;
      }
      if (origin && product.allowed_origins.length > 0 && !product.allowed_origins.includes(origin)) {
        refusedOrigin = { origin, productId: product.product_id };
        continue;
      }
      const list = byProduct.get(product.product_id);
      if (list) list.push(event);
      else byProduct.set(product.product_id, [event]);
    }
    if (unknown + missing > 0) context.metrics.ingestEvents.inc({ door: 'capture', result: 'unknown_token' }, unknown + missing);
    if (byProduct.size === 0 && result.events.length > 0) {
      if (refusedOrigin) {
        context.metrics.ingestEvents.inc({ door: 'capture', result: 'origin_refused' }, result.events.length - unknown - missing);
        throw createError('SL_ORIGIN_NOT_ALLOWED', refusedOrigin);
      }
      throw createError(unknown > 0 ? 'SL_CAPTURE_TOKEN_UNKNOWN' : 'SL_CAPTURE_TOKEN_MISSING');
    }
    const holds: Promise<void>[] = [];
    for (const [productId, events] of byProduct) {
      context.metrics.ingestEvents.inc({ door: 'capture', result: 'accepted' }, events.length);
      // Which client sent them, as the product's keyed hash: the UI map caps what one address may contribute. A
      // private or loopback address is a proxy's (or an intranet's), shared by everyone behind it: not named.
      const address = isPublicAddress(request.ip) ? context.store.originHash(productId, 'address', request.ip) : null;
      for (const event of events) event.address = address;
      const held = context.pipeline.accept(productId, events, arrivedAt);
      if (held !== undefined) holds.push(held.catch((error: unknown) => refuseUnheld(request.log, productId, error)));
    }
    // On Redis the events are acknowledged only once they are held there (docs/scaling.md).
    if (holds.length > 0) await Promise.all(holds);
    // posthog-js reads only 200 bodies, and only `quota_limited`; PostHog answers {"status":1}.
    return reply.status(200).send({ status: 1 });
  }

  const captureConfig = { config: { door: 'capture', cors: true } };
  for (const path of CAPTURE_PATHS) {
    for (const variant of [path, path.slice(0, -1)]) {
      app.post(variant, captureConfig, capture);
      app.get(variant, captureConfig, capture);
    }
  }

  const corsOnly = { config: { cors: true } };
  app.options('*', corsOnly, async (_request, reply) => reply.status(204).send());

  app.get<{ Params: { token: string } }>('/array/:token/config', corsOnly, async (request) => {
    if (!context.store.findByCaptureToken(request.params.token)) throw createError('SL_CAPTURE_TOKEN_UNKNOWN');
    return REMOTE_CONFIG;
  });

  app.get<{ Params: { token: string } }>('/array/:token/config.js', corsOnly, async (request, reply) => {
    if (!context.store.findByCaptureToken(request.params.token)) throw createError('SL_CAPTURE_TOKEN_UNKNOWN');
    // The same object posthog-js would fetch as JSON, published where its script loader looks for it.
    const script = `(function(){var w=window;w._POSTHOG_REMOTE_CONFIG=w._POSTHOG_REMOTE_CONFIG||{};`
      + `w._POSTHOG_REMOTE_CONFIG[${JSON.stringify(request.params.token)}]={config:${JSON.stringify(REMOTE_CONFIG)},siteApps:[]};})();`;
    return reply.type('application/javascript; charset=utf-8').send(script);
  });

  for (const path of ['/flags', '/flags/', '/decide', '/decide/']) {
    app.post(path, corsOnly, async () => FLAGS_ANSWER);
    app.get(path, corsOnly, async () => FLAGS_ANSWER);
  }
}
