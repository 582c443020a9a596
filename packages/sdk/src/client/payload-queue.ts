/**
 * The bounded queue between the stream reader and the user's callbacks, as the client uses it: items wait in their
 * session's lane, a refused item is a counted drop reported to `onDrop`, a handled item moves the stream position,
 * and on stop the queue drains until its deadline, the rest reported as dropped at shutdown.
 */
import type { Clock } from '@sightline/protocol';
import type { DropEvent, DropReason } from './client-callbacks.ts';
import { describeError } from './describe-error.ts';
import type { Logger } from './logger.ts';
import type { PositionTracker } from './position-tracker.ts';
import { NO_SESSION, stringOr, type QueueItem } from './route-frame.ts';
import { SessionQueue, isThenable } from './session-queue.ts';

/** What a {@link PayloadQueue} needs from its client. */
export interface PayloadQueueOptions {
  /** Most items accepted and not yet handled. */
  capacity: number;
  /** How long a drain waits for the handlers, ms. */
  drainTimeoutMs: number;
  url: string;
  clock: Clock;
  logger: Logger;
  /** The stream position, when one is kept. */
  positions: PositionTracker | undefined;
  /** Calls the handler registered for the item; its result is awaited by the lane. */
  dispatch(item: QueueItem): unknown;
  /** The `onDrop` handler registered now, if any. */
  dropHandler(): ((drop: DropEvent) => void) | undefined;
}

/** One run's queue of payloads and the count of drops across runs. */
export class PayloadQueue {
  private readonly options: PayloadQueueOptions;
  private queue: SessionQueue<QueueItem>;
  private dropped = 0;

  constructor(options: PayloadQueueOptions) {
    this.options = options;
    this.queue = this.createQueue();
  }

  /** Payloads dropped so far; never decreases. */
  get droppedCount(): number {
    return this.dropped;
  }

  /** Payloads accepted and not yet handled (waiting or running). */
  get size(): number {
    return this.queue.size;
  }

  /** A fresh queue for a new run. */
  reset(): void {
    this.queue = this.createQueue();
  }

  private createQueue(): SessionQueue<QueueItem> {
    const { logger, positions } = this.options;
    return new SessionQueue<QueueItem>({
      capacity: this.options.capacity,
      handle: (item) => {
        if (!item.mark) return this.options.dispatch(item);
        const mark = item.mark;
        let result: unknown;
        try {
          result = this.options.dispatch(item);
        } catch (error) {
          positions?.markHandled(mark);
          throw error;
        }
        if (!isThenable(result)) {
          positions?.markHandled(mark);
          return result;
        }
        return Promise.resolve(result).finally(() => positions?.markHandled(mark));
      },
      onError: (item, error) =>
        logger.error(`${item.kind} callback failed: ${describeError(error)}`, {
          event_type: item.kind === 'event' ? item.payload.type : item.kind,
          product_id: item.payload.product_id,
          session_id: stringOr((item.payload as { session_id?: unknown }).session_id, NO_SESSION),
          error,
        }),
    });
  }

  /** Offers an item to the queue (`key` null: as a barrier); a refusal is a counted, reported drop. */
  enqueue(key: string | null, item: QueueItem): void {
    const positions = this.options.positions;
    if (positions && item.meta.id) item.mark = positions.track(item.meta.id);
    const accepted = key === null ? this.queue.offerBarrier(item) : this.queue.offer(key, item);
    if (accepted) return;
    // A payload that will never be handled must not hold the position back.
    if (item.mark) positions?.markHandled(item.mark);
    const reason: DropReason = this.queue.isClosed ? 'shutdown' : 'queue_full';
    this.reportDrop(item, reason);
  }

  private reportDrop(item: QueueItem, reason: DropReason): void {
    const { logger } = this.options;
    this.dropped++;
    const fields = {
      event_type: item.kind === 'event' ? item.payload.type : item.kind,
      product_id: item.payload.product_id,
      session_id: stringOr((item.payload as { session_id?: unknown }).session_id, NO_SESSION),
      total_dropped: this.dropped,
    };
    logger.warn(reason === 'queue_full' ? 'queue full — dropping payload' : 'shutting down — payload not handled', fields);
    const handler = this.options.dropHandler();
    if (!handler) return;
    try {
      const result: unknown = handler({ payload: item.payload, reason, totalDropped: this.dropped });
      if (isThenable(result)) Promise.resolve(result).catch((error: unknown) => logger.error(`onDrop failed: ${describeError(error)}`, { error }));
    } catch (error) {
      logger.error(`onDrop failed: ${describeError(error)}`, { error });
    }
  }

  /** Lets the queued payloads be handled until the drain deadline; the rest are reported as dropped at shutdown. */
  async drain(): Promise<void> {
    const { drainTimeoutMs, clock, logger, url } = this.options;
    const leftovers = await this.queue.drain(drainTimeoutMs, clock);
    if (leftovers.length === 0) return;
    logger.warn(`drain deadline of ${drainTimeoutMs} ms passed; ${leftovers.length} payloads not handled, ${this.queue.size} callbacks abandoned`, {
      url,
    });
    for (const item of leftovers) this.reportDrop(item, 'shutdown');
  }
}
