/**
 * `startConnector`: the event connector as one Fastify server — products and keys, the webhook and capture
 * doors, the event log with SSE fan-out, `/healthz` and `/metrics`.
 */
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { pino, type Logger } from 'pino';
import { systemClock, type Clock } from '@sightline/protocol';
import { CredentialGuard, MIN_SECRET_BITS, secretBits, type CredentialGuardOptions } from '@sightline/protocol/internal';
import { createError } from '../errors.ts';
import { applyCaptureCors } from '../http/cors.ts';
import { createErrorHandler } from '../http/send-error.ts';
import { serializeRequest } from '../http/redact-request-url.ts';
import { RedisLogTail } from '../hub/redis-log-tail.ts';
import { StreamHub } from '../hub/stream-hub.ts';
import { registerStreamRoute } from '../hub/stream-route.ts';
import { registerCaptureRoutes } from '../ingest/capture-routes.ts';
import { registerWebhookRoute } from '../ingest/webhook-route.ts';
import type { EventLog, LoggablePayload } from '../log/event-log.ts';
import { MemoryEventLog } from '../log/memory-event-log.ts';
import { RedisEventLog } from '../log/redis-event-log.ts';
import { createConnectorMetrics, type ConnectorMetrics } from '../metrics/connector-metrics.ts';
import { resolveAdminToken, type AdminTokenSource } from '../products/admin-token.ts';
import { ensureDataDir, FileProductStore } from '../products/file-product-store.ts';
import type { ProductStore } from '../products/product-store.ts';
import { RedisProductStore } from '../products/redis-product-store.ts';
import { registerProduct, registerProductRoutes, requireAdmin } from '../products/product-routes.ts';
import { registerUserRoutes } from '../products/user-routes.ts';
import type { ConnectorContext, ProductCredentials } from './connector-context.ts';
import { IngestMemo } from '../ingest/ingest-memo.ts';
import { IngestPipeline } from './ingest-pipeline.ts';

/** Options of {@link startConnector}. */
export interface ConnectorOptions {
  /** Port to listen on; 0 picks a free one. Default 8080. */
  port?: number;
  /** Address to bind. Default `127.0.0.1` (the CLI binds `0.0.0.0`). */
  host?: string;
  /**
   * Where products and the generated admin token are kept (created when missing). With `redis` the products live in
   * Redis and this dir's products are imported into it at start (only those Redis lacks).
   */
  dataDir: string;
  /**
   * Share state with other connectors through Redis (`REDIS_URL`, `--redis`): products under `<prefix>products`.
   * Default: none, everything in this process. `prefix` defaults to `sightline:`.
   */
  redis?: { url: string; prefix?: string };
  /** Admin token for `/products`. Default: `<dataDir>/admin-token`, generated on first start. */
  adminToken?: string;
  /** Base URL written into `webhook_url` / `stream_url`. Default `http://<host>:<port>`. */
  publicUrl?: string;
  /** Heartbeat period per stream, ms. Default 15000. */
  heartbeatMs?: number;
  /** Sessionizer batching window, ms; 0 sends at the end of each request. Default: the sessionizer's (250). */
  batchWindowMs?: number;
  /**
   * Whether actions name the option a user chose: the label of a radio, checkbox, option or tab, in `choice`,
   * `target.label` and the title. Default true; false for products whose options say something personal.
   */
  captureChoiceLabels?: boolean;
  /** Live payloads a subscriber may have waiting before it is cut. Default 256. */
  subscriberQueueSize?: number;
  /**
   * Event log retention per product (memory, or Redis with `redis`). Defaults: 1000 payloads, 15 minutes. On Redis,
   * `indexTtlMs` is how long a session's action index counter outlives its last batch (default a day).
   */
  logRetention?: { maxEntries?: number; maxAgeMs?: number; indexTtlMs?: number };
  /** A ready event log (e.g. Redis Streams) instead of the memory ring buffer; `logRetention` is then unused. */
  eventLog?: EventLog;
  /**
   * On Redis: how long acknowledged events may stay held without being logged before another instance takes them
   * over (their instance died), ms, and how often each instance looks. Defaults 30000, and the smaller of 5000
   * and half the grace. The grace must
   * be well above the batching window and any pause of a live instance, or a slow instance's events are sent twice.
   */
  inbox?: { graceMs?: number; sweepMs?: number };
  /** Largest request body as sent, bytes. Default 1 MiB. */
  maxBodyBytes?: number;
  /** Largest body after gzip/base64 decoding, bytes. Default 8 MiB. */
  maxDecodedBytes?: number;
  /**
   * How wrong stream keys, admin tokens and webhook secrets are slowed and refused (docs/limits.md). Defaults:
   * 5 free failures per address and kind, then 250 ms doubling to 8 s; a failed value is refused for 15 minutes.
   */
  credentialGuard?: CredentialGuardOptions;
  /**
   * Reverse proxies in front of the connector whose `X-Forwarded-For` entries are trusted: the client address is
   * the entry this many hops from the right. Default 0: the header is ignored and the socket address is used.
   */
  trustProxy?: number;
  /** A pino logger, or false for none. Default: JSON lines to stdout at `logLevel`. */
  logger?: Logger | false;
  /** Level of the default logger (pino levels). Default `info` (`sightline connector` reads `LOG_LEVEL`). */
  logLevel?: string;
  /** Time source (epoch, retention, heartbeats, batching). Default: the system clock. */
  clock?: Clock;
  /** Include Node's process metrics in `/metrics`. Default true. */
  defaultMetrics?: boolean;
  /**
   * Serve `/metrics` without the admin token. Default false: its labels name every product, and product ids must not
   * be learnable without a credential (docs/limits.md); Prometheus sends the token as `authorization: Bearer`.
   */
  publicMetrics?: boolean;
}

/** A listening connector. */
export interface RunningConnector {
  /** Base URL it listens on, e.g. `http://127.0.0.1:41234`. */
  url: string;
  port: number;
  adminToken: string;
  /** Where the admin token came from (`generated` means it was just written to the data dir). */
  adminTokenSource: AdminTokenSource;
  /**
   * Epoch of this process's event ids (server start, seconds) with the memory log. A shared log (Redis) gives each
   * product its own, kept across restarts: see {@link RunningConnector.epochOf}.
   */
  epoch: number;
  /** The epoch of a product's event ids. */
  epochOf(productId: string): Promise<number>;
  /** The Fastify instance (for `inject` in tests). */
  app: FastifyInstance;
  /** Same as `POST /products` with the admin token. */
  registerProduct(input: { productId: string; contactEmail: string; force?: boolean; allowedOrigins?: string[] }): Promise<ProductCredentials>;
  /** Logs and fans out a payload made outside the ingest doors (e.g. a server-side summary). */
  publish(productId: string, payload: LoggablePayload): Promise<void>;
  /** Emits every batch the sessionizer holds now and waits until it is streamed. */
  flush(): Promise<void>;
  /** Flushes the sessionizer, ends open streams and stops listening. */
  close(): Promise<void>;
}

/** A route's hook option with one more hook at the end (the option may hold none, one, or a list). */
function appendHook<T>(existing: T | T[] | undefined, hook: T): T[] {
  if (existing === undefined) return [hook];
  return Array.isArray(existing) ? [...existing, hook] : [existing, hook];
}

function checkNumber(option: string, value: number | undefined, minimum: number): void {
  if (value !== undefined && !(Number.isFinite(value) && value >= minimum)) {
    throw createError('SL_CONFIG_INVALID', { option, reason: `must be a number >= ${minimum}, got ${String(value)}` });
  }
}

function baseUrl(host: string, port: number): string {
  const reachable = host === '0.0.0.0' || host === '' ? '127.0.0.1' : host === '::' ? '::1' : host;
  return `http://${reachable.includes(':') ? `[${reachable}]` : reachable}:${port}`;
}

/**
 * Starts the connector and resolves once it listens.
 *
 * @example
 * const connector = await startConnector({ port: 0, dataDir: '.sightline', logger: false });
 * const credentials = await connector.registerProduct({ productId: 'acme', contactEmail: 'owner@acme.com' });
 * // posthog-js: api_host = connector.url, token = credentials.capture_token
 * await connector.close();
 */
export async function startConnector(options: ConnectorOptions): Promise<RunningConnector> {
  if (typeof options.dataDir !== 'string' || options.dataDir.trim() === '') {
    throw createError('SL_CONFIG_INVALID', { option: 'dataDir', reason: 'is required' });
  }
  for (const name of ['heartbeatMs', 'subscriberQueueSize', 'maxBodyBytes', 'maxDecodedBytes'] as const) checkNumber(name, options[name], 1);
  // 0 is valid: one batch per session at the end of each request.
  checkNumber('batchWindowMs', options.batchWindowMs, 0);
  checkNumber('inbox.graceMs', options.inbox?.graceMs, 1);
  checkNumber('inbox.sweepMs', options.inbox?.sweepMs, 1);
  const trustProxy = options.trustProxy ?? 0;
  if (!Number.isInteger(trustProxy) || trustProxy < 0) {
    throw createError('SL_CONFIG_INVALID', { option: 'trustProxy', reason: `must be a whole number of proxy hops (0 = none), got ${String(options.trustProxy)}` });
  }
  const port = options.port ?? 8080;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw createError('SL_CONFIG_INVALID', { option: 'port', reason: `must be 0-65535, got ${String(port)}` });
  const host = options.host ?? '127.0.0.1';
  const clock = options.clock ?? systemClock;
  const maxBodyBytes = options.maxBodyBytes ?? 1 << 20;
  const maxDecodedBytes = options.maxDecodedBytes ?? 8 << 20;

  // A given token must be as strong as a generated one (docs/security.md); a short one is refused at start.
  if (options.adminToken !== undefined && options.adminToken.trim() !== '' && secretBits(options.adminToken.trim()) < MIN_SECRET_BITS) {
    throw createError('SL_CONFIG_INVALID', {
      option: 'adminToken',
      reason: `is shorter than ${MIN_SECRET_BITS} bits; leave it unset to generate one, or use \`openssl rand -base64 32\``,
    });
  }
  if (options.redis !== undefined && (typeof options.redis.url !== 'string' || options.redis.url.trim() === '')) {
    throw createError('SL_CONFIG_INVALID', { option: 'redis.url', reason: 'is required with redis, e.g. redis://127.0.0.1:6379' });
  }
  const serializers = { req: serializeRequest };
  // A given logger gets the same request serializer, so no logged URL carries a query string.
  const logger = options.logger === undefined
    ? pino({ name: 'sightline-connector', level: options.logLevel ?? 'info', serializers })
    : options.logger && options.logger.child({}, { serializers });
  await ensureDataDir(options.dataDir);
  const admin = await resolveAdminToken(options.dataDir, options.adminToken);
  const store: ProductStore = options.redis === undefined
    ? await FileProductStore.open(options.dataDir, { now: () => clock.now() })
    : await RedisProductStore.open({
      url: options.redis.url,
      ...(options.redis.prefix === undefined ? {} : { prefix: options.redis.prefix }),
      importFrom: options.dataDir,
      clock,
      ...(logger ? { logger } : {}),
    });
  let guard: CredentialGuard;
  try {
    guard = new CredentialGuard(clock, options.credentialGuard);
  } catch (error) {
    await store.close();
    throw createError('SL_CONFIG_INVALID', { option: 'credentialGuard', reason: (error as Error).message }, { cause: error });
  }

  const app = Fastify({
    ...(logger ? { loggerInstance: logger as FastifyBaseLogger } : { logger: false }),
    bodyLimit: maxBodyBytes,
    // Per-request info lines would dominate at ingest rates; routes log what matters themselves.
    logController: new LogController({ disableRequestLogging: true }),
    // Trust the socket peer and the X-Forwarded-For entries up to `trustProxy` hops in (what proxy-addr does with
    // a number); the client address is the next one. 0: the header is ignored.
    trustProxy: trustProxy === 0 ? false : (_address: string, hop: number) => hop < trustProxy,
    forceCloseConnections: true,
    return503OnClosing: true,
    // HEAD would run the stream handler and hijack the socket; nothing here needs HEAD.
    exposeHeadRoutes: false,
  });
  const metrics = createConnectorMetrics({ defaultMetrics: options.defaultMetrics ?? true });
  // With `redis`, the event log is Redis Streams shared by every instance (docs/scaling.md), and each instance feeds
  // its own hub from it; the memory path below is exactly the one-process default.
  const redisLog = options.redis === undefined || options.eventLog !== undefined ? null : new RedisEventLog({
    redis: options.redis.url,
    ...(options.redis.prefix === undefined ? {} : { prefix: options.redis.prefix }),
    clock,
    ...options.logRetention,
  });
  if (redisLog !== null) {
    try {
      await redisLog.connect();
    } catch (error) {
      await redisLog.close();
      await store.close();
      throw createError('SL_EVENT_LOG_UNAVAILABLE', {}, { cause: error });
    }
  }
  const { indexTtlMs: _indexTtlMs, ...memoryRetention } = options.logRetention ?? {};
  const log = options.eventLog ?? redisLog ?? new MemoryEventLog({ clock, ...memoryRetention });
  // Ids of the memory log share one epoch; a shared log's carry one per product (`epochOf`).
  const epoch = log instanceof MemoryEventLog ? log.epoch : Math.floor(clock.now() / 1000);
  const hub = new StreamHub({
    clock,
    ...(options.subscriberQueueSize === undefined ? {} : { queueSize: options.subscriberQueueSize }),
    ...(options.heartbeatMs === undefined ? {} : { heartbeatMs: options.heartbeatMs }),
    onDelivered: (seconds) => metrics.deliveryLatency.observe(seconds),
    onCut: (productId) => {
      metrics.subscribersCut.inc({ product: productId });
      app.log.warn({ product: productId }, 'stream-subscriber-cut');
    },
    onCount: (productId, count) => {
      metrics.subscribers.set({ product: productId }, count);
      if (count === 0) logTail?.unfollow(productId);
    },
  });
  const logTail = redisLog === null ? null : new RedisLogTail({ log: redisLog, hub, clock, logger: app.log });
  // One memo of the ingest path's pure string work for this connector, shared by both doors and extraction.
  const memo = new IngestMemo();
  const pipeline = new IngestPipeline({
    log, hub, metrics, clock, logger: app.log, memo,
    isFannedOutFromLog: logTail !== null,
    inbox: redisLog,
    ...(options.batchWindowMs === undefined ? {} : { batchWindowMs: options.batchWindowMs }),
    ...(options.captureChoiceLabels === undefined ? {} : { captureChoiceLabels: options.captureChoiceLabels }),
    privacyOf: (productId) => store.privacyOf(productId),
    organisationHash: (productId, organisation) => store.originHash(productId, 'organisation', organisation),
  });
  let publicUrl = options.publicUrl?.replace(/\/+$/, '') ?? '';
  const context: ConnectorContext = {
    store, log, hub, logTail, pipeline, metrics, clock, memo,
    guard,
    adminToken: admin.token,
    publicUrl: () => publicUrl,
    maxBodyBytes,
    maxDecodedBytes,
  };

  // Every body arrives as a Buffer: signatures need the raw bytes and the capture door sniffs encodings itself.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
  app.setErrorHandler(createErrorHandler(maxBodyBytes, clock));
  app.setNotFoundHandler((request) => {
    throw createError('SL_ROUTE_NOT_FOUND', { method: request.method, path: request.url.split('?')[0] });
  });
  // CORS and the per-door request counter are attached to the routes that need them, when each route is
  // added, rather than as global hooks that look at every request's route config (Fastify builds a new
  // `routeOptions` object on each read). Callback-style: no promise per request on the hot path.
  app.addHook('onRoute', (route) => {
    const config = (route.config ?? {}) as { cors?: boolean; door?: string };
    if (config.cors) {
      route.onRequest = appendHook(route.onRequest, (request: FastifyRequest, reply: FastifyReply, done: () => void) => {
        applyCaptureCors(request, reply);
        done();
      });
    }
    const door = config.door;
    if (door && redisLog !== null) {
      // Events are acknowledged before their batch is logged: while Redis is away the doors refuse them (503, the
      // sender retries) rather than accept what may not be logged.
      route.onRequest = appendHook(route.onRequest, (_request: FastifyRequest, _reply: FastifyReply, done: (error?: Error) => void) => {
        done(redisLog.isAvailable ? undefined : createError('SL_EVENT_LOG_UNAVAILABLE'));
      });
    }
    if (door) {
      // One labelled child per status seen, so counting skips prom-client's label hashing.
      const byStatus = new Map<number, { inc(): void }>();
      route.onResponse = appendHook(route.onResponse, (_request: FastifyRequest, reply: FastifyReply, done: () => void) => {
        let counter = byStatus.get(reply.statusCode);
        if (counter === undefined) {
          counter = metrics.ingestRequests.labels({ door, status: String(reply.statusCode) });
          byStatus.set(reply.statusCode, counter);
        }
        counter.inc();
        done();
      });
    }
  });

  registerProductRoutes(app, context);
  registerUserRoutes(app, context);
  registerWebhookRoute(app, context);
  registerCaptureRoutes(app, context);
  registerStreamRoute(app, context);
  // A product rotated or removed on another connector must not keep streams open here under its old key.
  store.onChange((change) => {
    if (change.kind === 'rotated' || change.kind === 'removed') context.hub.disconnect(change.productId);
    app.log.info({ product: change.productId, change: change.kind }, 'product-changed-elsewhere');
  });
  // On Redis, lookups keep working from the in-process copy while Redis is away, so the instance says `degraded`
  // (still 200: every instance shares the one Redis, and taking them all out of a load balancer helps nobody).
  // The memory log's ids share the process's epoch, so it is shown; on Redis each product keeps its own epoch across
  // instances and restarts, and this instance's start time would mean nothing, so the body names the log instead.
  const logHealth = redisLog === null ? { epoch } : { event_log: 'redis' as const };
  app.get('/healthz', async () => {
    const storeStatus = store.status();
    if (storeStatus.backend !== 'redis') return { status: 'ok', epoch, products: store.list().length };
    return {
      status: storeStatus.connected ? 'ok' : 'degraded',
      ...logHealth,
      products: store.list().length,
      redis: { connected: storeStatus.connected, products_synced_at: storeStatus.synced_at },
    };
  });
  app.get('/health', async () => ({ status: 'ok' }));
  app.get('/metrics', async (request, reply) => {
    if (options.publicMetrics !== true) requireAdmin(context, request);
    return reply.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });

  try {
    await app.listen({ port, host });
  } catch (error) {
    await store.close();
    throw error;
  }
  const address = app.server.address();
  const boundPort = typeof address === 'object' && address ? address.port : port;
  const url = baseUrl(host, boundPort);
  if (publicUrl === '') publicUrl = url;
  app.log.info({ url, publicUrl, epoch, products: store.list().length }, 'connector-started');
  const stopSweeping = redisLog === null ? () => undefined : sweepStaleHolds(options.inbox ?? {}, { pipeline, store, metrics, clock, logger: app.log });

  let closing: Promise<void> | null = null;
  return {
    url,
    port: boundPort,
    adminToken: admin.token,
    adminTokenSource: admin.source,
    epoch,
    epochOf: (productId) => log.epochOf(productId),
    app,
    registerProduct: (input) => registerProduct(context, input),
    publish: (productId, payload) => pipeline.publish(productId, payload),
    flush: () => pipeline.flush(),
    close() {
      closing ??= (async () => {
        stopSweeping();
        // Batches still in their window go out to the subscribers before the streams end.
        await pipeline.close();
        await logTail?.close();
        hub.close();
        await app.close();
        await log.close();
        await store.close();
        metrics.registry.clear();
      })();
      return closing;
    },
  };
}

/** What the sweep of stale holds uses. */
interface SweepParts {
  pipeline: IngestPipeline;
  store: ProductStore;
  metrics: ConnectorMetrics;
  clock: Clock;
  logger: FastifyBaseLogger;
}

/** Holds taken over per product and sweep, so one sweep stays short. */
const CLAIM_LIMIT = 200;

/**
 * Looks, at start and then every `sweepMs`, for events that an instance acknowledged and never logged (it died
 * within its batching window) and takes them over (docs/scaling.md, "Nothing acknowledged is lost"). Returns the stop.
 */
function sweepStaleHolds(settings: { graceMs?: number; sweepMs?: number }, parts: SweepParts): () => void {
  const graceMs = settings.graceMs ?? 30_000;
  const sweepMs = settings.sweepMs ?? Math.min(5_000, Math.max(1, Math.floor(graceMs / 2)));
  let isStopped = false;
  let running: Promise<void> | null = null;
  const sweep = async () => {
    for (const product of parts.store.list()) {
      if (isStopped) return;
      try {
        const recovered = await parts.pipeline.recoverStale(product.product_id, parts.clock.now() - graceMs, CLAIM_LIMIT);
        if (recovered > 0) {
          parts.metrics.eventsRecovered.inc({ product: product.product_id }, recovered);
          parts.logger.warn({ product: product.product_id, events: recovered }, 'ingest-events-recovered');
        }
      } catch (error) {
        parts.logger.error({ err: error, product: product.product_id }, 'ingest-recovery-failed');
      }
    }
  };
  const tick = () => {
    running ??= sweep().finally(() => {
      running = null;
    });
  };
  tick();
  const timer = setInterval(tick, sweepMs);
  timer.unref();
  return () => {
    isStopped = true;
    clearInterval(timer);
  };
}
