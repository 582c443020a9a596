/**
 * The path every accepted event takes: sessionizer (batching window) → event log (id) → hub (fan-out). With a
 * shared log (Redis) the hub is fed by the log's tail instead, on every instance alike (hub/redis-log-tail.ts).
 * Keeps per-product order through the asynchronous log and remembers when each session's pending events
 * arrived, for the ingest-to-socket latency histogram. With an inbox (Redis), accepted events are held durably
 * before the door answers and released when the batch that carries them is logged (docs/scaling.md).
 */
import type { FastifyBaseLogger } from 'fastify';
import type { ActionsPayload, Clock } from '@sightline/protocol';
import type { CompiledPrivacy } from '../extract/privacy-rules.ts';
import type { CapturedEvent } from '../ingest/captured-event.ts';
import type { IngestMemo } from '../ingest/ingest-memo.ts';
import type { EventLog, ForgetUserResult, IngestInbox, LoggablePayload, UserMatch } from '../log/event-log.ts';
import type { StreamHub } from '../hub/stream-hub.ts';
import { preciseNow } from '../hub/sse-subscriber.ts';
import type { ConnectorMetrics } from '../metrics/connector-metrics.ts';
import { Sessionizer, type SessionizerForgetResult } from '../sessionize/sessionizer.ts';

/** Options of {@link IngestPipeline}. */
export interface IngestPipelineOptions {
  log: EventLog;
  hub: StreamHub;
  metrics: ConnectorMetrics;
  clock: Clock;
  logger: FastifyBaseLogger;
  /** The connector's memo of pure string work, handed to extraction. */
  memo?: IngestMemo;
  /** Batching window of the sessionizer, ms. */
  batchWindowMs?: number;
  /** Whether actions name the option a user chose; see the sessionizer's option. Default true. */
  captureChoiceLabels?: boolean;
  /** The product's privacy list for extraction (the product store's), or null for none. */
  privacyOf?: (productId: string) => CompiledPrivacy | null;
  /** The product's keyed hash of an organisation id, for payload origins (the product store's). */
  organisationHash?: (productId: string, organisation: string) => string | null;
  /**
   * Whether the hub is fed from the log (a shared log: every instance tails it), so appending does not publish
   * directly, which would deliver twice on this instance. Default false: append, then publish.
   */
  isFannedOutFromLog?: boolean;
  /**
   * Where accepted events are held until logged (the Redis log); `accept` then resolves once they are held, and the
   * door answers after it. Default none: events live in this process until their batch is logged.
   */
  inbox?: IngestInbox | null;
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
      ...(options.organisationHash === undefined ? {} : { organisationHash: options.organisationHash }),
      onBatch: (payload: ActionsPayload, completedReceipts: readonly string[]) => this.publish(payload.product_id, payload, completedReceipts),
      onError: (error: unknown, payload: ActionsPayload) => {
        options.logger.error({ err: error, product: payload.product_id }, 'action-batch-failed');
      },
    });
  }

  /**
   * Hands accepted events of one product to the sessionizer. With an inbox, the events are held first and the
   * returned promise resolves once they are (the door answers after it; it rejects when they could not be held, and
   * then nothing was accepted); without one, it returns undefined and the events are in the sessionizer.
   */
  accept(productId: string, events: CapturedEvent[], arrivedAt: number = preciseNow()): Promise<void> | undefined {
    if (events.length === 0) return undefined;
    const inbox = this.options.inbox ?? null;
    if (inbox === null) {
      this.admit(productId, events, arrivedAt, null);
      return undefined;
    }
    return inbox.hold(productId, events).then((receipt) => this.admit(productId, events, arrivedAt, receipt));
  }

  /**
   * Takes over events other instances held and never logged (they died after acknowledging them): those held
   * before `olderThan` (epoch ms), at most `limit` holds. Returns how many events were taken over.
   */
  async recoverStale(productId: string, olderThan: number, limit: number): Promise<number> {
    const inbox = this.options.inbox ?? null;
    if (inbox === null) return 0;
    let recovered = 0;
    for (const held of await inbox.claimStale(productId, olderThan, limit)) {
      this.admit(productId, held.events, preciseNow(), held.receipt);
      recovered += held.events.length;
    }
    return recovered;
  }

  private admit(productId: string, events: CapturedEvent[], arrivedAt: number, receipt: string | null): void {
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
    const added = this.sessionizer.add(productId, events, receipt);
    // No batch will carry these events (none became an action, or all were sent already): release after the
    // product's appends under way, so the hold outlives every batch that carried part of it.
    if (receipt !== null && added.isReceiptDone === true) this.release(productId, [receipt]);
  }

  /**
   * Appends a payload to the log and fans it out, after every earlier payload of the same product.
   * Also the way in for payloads made elsewhere (server summaries, tests). With a log-fed hub it resolves once the
   * payload is logged; the tail delivers it shortly after.
   */
  publish(productId: string, payload: LoggablePayload, receipts: readonly string[] = []): Promise<void> {
    const key = `${productId}\0${payload.session_id ?? ''}`;
    const arrivedAt = this.pendingArrivals.get(key) ?? null;
    this.pendingArrivals.delete(key);
    const isFannedOutFromLog = this.options.isFannedOutFromLog === true;
    // Sent now, not after the previous append resolved: the log keeps call order (one Redis connection runs its
    // commands in the order sent), and waiting for each reply would cap appends at one per round trip.
    const appended = this.options.log.append(productId, payload, isFannedOutFromLog ? arrivedAt : null, receipts);
    // Its failure is handled in the chain below, possibly after it happened: mark it handled now.
    appended.catch(() => undefined);
    return this.afterPrevious(productId, 'payload-publish-failed', async () => {
      const entry = await appended;
      this.options.metrics.payloadsPublished.inc({ type: payload.type });
      if (!isFannedOutFromLog) this.options.hub.publish(productId, entry, arrivedAt);
    });
  }

  /**
   * Forgets one person in a product (docs/forget-a-user.md): their sessions' unsent batches and memory in the
   * sessionizer, then, once every payload already on its way is logged, their payloads in the event log.
   */
  async forgetUser(productId: string, match: UserMatch): Promise<PipelineForgetResult> {
    const sessionizer = this.sessionizer.forgetUser(productId, match);
    if (sessionizer.completedReceipts !== undefined) this.release(productId, sessionizer.completedReceipts);
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

  /** Releases holds after every append of the product already under way. */
  private release(productId: string, receipts: readonly string[]): void {
    const inbox = this.options.inbox;
    if (inbox) void this.afterPrevious(productId, 'ingest-release-failed', () => inbox.release(productId, receipts));
  }

  /**
   * Runs `work` once everything already chained for the product has finished, so the product's steps finish in call
   * order; a failure is logged under `failure` and ends nothing else. The chain is forgotten once it is idle.
   */
  private afterPrevious(productId: string, failure: string, work: () => Promise<unknown>): Promise<void> {
    const next = (this.chains.get(productId) ?? Promise.resolve())
      .then(work)
      .then(
        () => undefined,
        (error: unknown) => {
          this.options.logger.error({ err: error, product: productId }, failure);
        },
      );
    this.chains.set(productId, next);
    void next.then(() => {
      if (this.chains.get(productId) === next) this.chains.delete(productId);
    });
    return next;
  }

  private forgetStaleArrivals(now: number): void {
    // Insertion order is arrival order, so stale entries sit at the front.
    for (const [key, arrivedAt] of this.pendingArrivals) {
      if (now - arrivedAt < PENDING_ARRIVAL_TTL_MS) break;
      this.pendingArrivals.delete(key);
    }
  }
}
