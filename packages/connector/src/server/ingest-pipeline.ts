/**
 * The path every accepted event takes: sessionizer (batching window) → event log (id) → hub (fan-out). With a
 * shared log (Redis) the hub is fed by the log's tail instead, on every instance alike (hub/redis-log-tail.ts).
 * Keeps per-product order through the asynchronous log and remembers when each session's pending events
 * arrived, for the ingest-to-socket latency histogram.
 */
import type { FastifyBaseLogger } from 'fastify';
import type { ActionsPayload } from '@sightline/protocol';
import type { ConnectorClock } from '../clock.ts';
import type { CompiledPrivacy } from '../extract/privacy-rules.ts';
import type { CapturedEvent } from '../ingest/captured-event.ts';
import type { IngestMemo } from '../ingest/ingest-memo.ts';
import type { EventLog, ForgetUserResult, LoggablePayload, UserMatch } from '../log/event-log.ts';
import type { StreamHub } from '../hub/stream-hub.ts';
import { preciseNow } from '../hub/sse-subscriber.ts';
import type { ConnectorMetrics } from '../metrics/connector-metrics.ts';
import { Sessionizer, type SessionizerForgetResult } from '../sessionize/sessionizer.ts';

/** Options of {@link IngestPipeline}. */
export interface IngestPipelineOptions {
  log: EventLog;
  hub: StreamHub;
  metrics: ConnectorMetrics;
  clock: ConnectorClock;
  logger: FastifyBaseLogger;
  /** The connector's memo of pure string work, handed to extraction. */
  memo?: IngestMemo;
  /** Batching window of the sessionizer, ms. */
  batchWindowMs?: number;
  /** Whether actions name the option a user chose; see the sessionizer's option. Default true. */
  captureChoiceLabels?: boolean;
  /** The product's privacy list for extraction (the product store's), or null for none. */
  privacyOf?: (productId: string) => CompiledPrivacy | null;
  /**
   * Whether the hub is fed from the log (a shared log: every instance tails it), so appending does not publish
   * directly, which would deliver twice on this instance. Default false: append, then publish.
   */
  isFannedOutFromLog?: boolean;
}

/** What {@link IngestPipeline.forgetUser} removed, per stage. */
export interface PipelineForgetResult {
  sessionizer: SessionizerForgetResult;
  log: ForgetUserResult;
}

// Arrival times older than this are forgotten (their events produced no payload, e.g. only $pageleave).
const PENDING_ARRIVAL_TTL_MS = 120_000;

export class IngestPipeline {
  private readonly sessionizer: Sessionizer;
  private readonly chains = new Map<string, Promise<void>>();
  /** `product\0session` → high-resolution arrival time of its oldest event not yet streamed. */
  private readonly pendingArrivals = new Map<string, number>();

  constructor(private readonly options: IngestPipelineOptions) {
    this.sessionizer = new Sessionizer({
      clock: options.clock,
      ...(options.batchWindowMs === undefined ? {} : { batchWindowMs: options.batchWindowMs }),
      ...(options.captureChoiceLabels === undefined ? {} : { captureChoiceLabels: options.captureChoiceLabels }),
      ...(options.privacyOf === undefined ? {} : { privacyOf: options.privacyOf }),
      ...(options.memo === undefined ? {} : { memo: options.memo }),
      onBatch: (payload: ActionsPayload) => this.publish(payload.product_id, payload),
      onError: (error: unknown, payload: ActionsPayload) => {
        options.logger.error({ err: error, product: payload.product_id }, 'action-batch-failed');
      },
    });
  }

  /** Hands accepted events of one product to the sessionizer. */
  accept(productId: string, events: CapturedEvent[], arrivedAt: number = preciseNow()): void {
    if (events.length === 0) return;
    // A body's events mostly share one session (one browser's batch): its key is built and looked up once.
    let previous: string | null = null;
    for (const event of events) {
      const session = event.sessionId ?? event.distinctId ?? '';
      if (session === previous) continue;
      previous = session;
      const key = `${productId}\0${session}`;
      if (!this.pendingArrivals.has(key)) this.pendingArrivals.set(key, arrivedAt);
    }
    this.forgetStaleArrivals(arrivedAt);
    this.sessionizer.add(productId, events);
  }

  /**
   * Appends a payload to the log and fans it out, after every earlier payload of the same product.
   * Also the way in for payloads made elsewhere (server summaries, tests). With a log-fed hub it resolves once the
   * payload is logged; the tail delivers it shortly after.
   */
  publish(productId: string, payload: LoggablePayload): Promise<void> {
    const key = `${productId}\0${payload.session_id ?? ''}`;
    const arrivedAt = this.pendingArrivals.get(key) ?? null;
    this.pendingArrivals.delete(key);
    const previous = this.chains.get(productId) ?? Promise.resolve();
    const isFannedOutFromLog = this.options.isFannedOutFromLog === true;
    const next = previous
      .then(() => isFannedOutFromLog ? this.options.log.append(productId, payload, arrivedAt) : this.options.log.append(productId, payload))
      .then((entry) => {
        this.options.metrics.payloadsPublished.inc({ type: payload.type });
        if (!isFannedOutFromLog) this.options.hub.publish(productId, entry, arrivedAt);
      })
      .catch((error: unknown) => {
        this.options.logger.error({ err: error, product: productId }, 'payload-publish-failed');
      });
    this.chains.set(productId, next);
    void next.then(() => {
      if (this.chains.get(productId) === next) this.chains.delete(productId);
    });
    return next;
  }

  /**
   * Forgets one person in a product (docs/forget-a-user.md): their sessions' unsent batches and memory in the
   * sessionizer, then, once every payload already on its way is logged, their payloads in the event log.
   */
  async forgetUser(productId: string, match: UserMatch): Promise<PipelineForgetResult> {
    const sessionizer = this.sessionizer.forgetUser(productId, match);
    // A batch emitted just before is still being appended: wait, so the log purge sees it.
    await this.chains.get(productId);
    const log = await this.options.log.forgetUser(productId, match);
    return { sessionizer, log };
  }

  /** Emits every pending batch now and waits until each is logged and fanned out. */
  async flush(): Promise<void> {
    this.sessionizer.flush();
    await Promise.all([...this.chains.values()]);
  }

  /** Flushes, then stops the sessionizer's timers. */
  async close(): Promise<void> {
    await this.flush();
    this.sessionizer.close();
  }

  private forgetStaleArrivals(now: number): void {
    // Insertion order is arrival order, so stale entries sit at the front.
    for (const [key, arrivedAt] of this.pendingArrivals) {
      if (now - arrivedAt < PENDING_ARRIVAL_TTL_MS) break;
      this.pendingArrivals.delete(key);
    }
  }
}
