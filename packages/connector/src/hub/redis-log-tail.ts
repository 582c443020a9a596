/**
 * Fan-out from the shared Redis log: each instance reads the streams of the products its own subscribers watch
 * (one blocking XREAD over all of them, on a connection of its own) and publishes what it reads to its hub. Every
 * payload reaches every subscriber on every instance once and in log order, whichever instance appended it.
 */
import type { Redis } from 'ioredis';
import type { FastifyBaseLogger } from 'fastify';
import { parseEventId, type Clock } from '@sightline/protocol';
import { decodeStreamEntry, type RedisEventLog, type StreamEntryReply } from '../log/redis-event-log.ts';
import type { StreamHub } from './stream-hub.ts';

/** Options of {@link RedisLogTail}. */
export interface RedisLogTailOptions {
  log: RedisEventLog;
  hub: StreamHub;
  clock: Clock;
  logger: FastifyBaseLogger;
  /** Longest a blocking read waits before it starts again with the current product list, ms. Default 5000. */
  blockMs?: number;
  /** Entries read per stream per round trip. Default 1000. */
  batchSize?: number;
}

interface Followed {
  /** Last stream id read (the next read starts after it). */
  lastId: string;
  /** Epoch of the ids delivered so far: a new one (Redis lost its data) ends the product's streams. */
  epoch: number;
}

// A failed read (Redis down) is retried after this long, so the loop never spins.
const RETRY_MS = 500;

type XReadReply = [key: string, entries: StreamEntryReply[]][] | null;

export class RedisLogTail {
  private readonly followed = new Map<string, Followed>();
  private readonly starting = new Map<string, Promise<void>>();
  private readonly blocking: Redis;
  private readonly blockMs: number;
  private readonly batchSize: number;
  /** CLIENT ID of the blocking connection (null until known and after each reconnect). */
  private blockingId: number | null = null;
  private isReading = false;
  private wake: (() => void) | null = null;
  private isClosed = false;
  private readonly loop: Promise<void>;

  constructor(private readonly options: RedisLogTailOptions) {
    this.blockMs = options.blockMs ?? 5000;
    this.batchSize = options.batchSize ?? 1000;
    // A blocking read holds its connection: appends and replays must not queue behind it.
    this.blocking = options.log.redis.duplicate({ enableAutoPipelining: false, maxRetriesPerRequest: null });
    this.blocking.on('ready', () => {
      this.blockingId = null;
    });
    // Errors surface on the read, which logs them; an unhandled 'error' event would crash the process.
    this.blocking.on('error', () => {});
    this.loop = this.run();
  }

  /**
   * Starts reading a product's stream (no-op when it is read already), from the last id handed out now. Resolves once
   * that start is fixed: a subscriber that registered before and replays from the log after misses nothing.
   */
  follow(productId: string): Promise<void> {
    if (this.followed.has(productId) || this.isClosed) return Promise.resolve();
    let pending = this.starting.get(productId);
    if (pending === undefined) {
      pending = this.options.log.positionOf(productId).then(({ epoch, lastId }) => {
        // The last subscriber may have left meanwhile; a later one follows again from its own start.
        if (!this.followed.has(productId) && this.options.hub.count(productId) > 0) {
          this.followed.set(productId, { epoch, lastId });
          this.interrupt();
        }
      }).finally(() => this.starting.delete(productId));
      this.starting.set(productId, pending);
    }
    return pending;
  }

  /** Stops reading a product's stream (its last subscriber left). */
  unfollow(productId: string): void {
    this.followed.delete(productId);
  }

  /** Products whose streams are read. */
  get products(): string[] {
    return [...this.followed.keys()];
  }

  /** Stops reading and closes the blocking connection. */
  async close(): Promise<void> {
    if (this.isClosed) return;
    this.isClosed = true;
    this.followed.clear();
    this.wake?.();
    this.blocking.disconnect();
    await this.loop;
  }

  /** Ends the blocking read now, so the next one includes a newly followed product. */
  private interrupt(): void {
    if (this.wake) {
      this.wake();
      return;
    }
    if (this.isReading && this.blockingId !== null) {
      this.options.log.redis.call('CLIENT', 'UNBLOCK', this.blockingId).catch(() => {
        // The read ends by itself within blockMs.
      });
    }
  }

  private async run(): Promise<void> {
    while (!this.isClosed) {
      if (this.followed.size === 0) {
        await new Promise<void>((resolve) => {
          this.wake = resolve;
        });
        this.wake = null;
        continue;
      }
      const products = [...this.followed.keys()];
      const keys = products.map((productId) => this.options.log.streamKey(productId));
      const ids = products.map((productId) => this.followed.get(productId)!.lastId);
      let reply: XReadReply;
      try {
        this.blockingId ??= (await this.blocking.call('CLIENT', 'ID')) as number;
        this.isReading = true;
        reply = (await this.blocking.call('XREAD', 'COUNT', this.batchSize, 'BLOCK', this.blockMs, 'STREAMS', ...keys, ...ids)) as XReadReply;
      } catch (error) {
        if (this.isClosed) break;
        this.options.logger.error({ err: error }, 'stream-tail-read-failed');
        await new Promise<void>((resolve) => this.options.clock.setTimeout(resolve, RETRY_MS));
        continue;
      } finally {
        this.isReading = false;
      }
      if (reply === null) continue;
      for (const [key, entries] of reply) this.deliver(products[keys.indexOf(key)]!, entries);
    }
  }

  private deliver(productId: string, entries: StreamEntryReply[]): void {
    for (const raw of entries) {
      const state = this.followed.get(productId);
      // Unfollowed while the read was out: nobody here listens any more.
      if (state === undefined) return;
      const id = parseEventId(raw[0]);
      if (id === null) continue;
      let entry;
      try {
        entry = decodeStreamEntry(raw);
      } catch (error) {
        this.options.logger.error({ err: error, product: productId, id: raw[0] }, 'stream-tail-entry-unreadable');
        state.lastId = raw[0];
        continue;
      }
      if (id.epoch !== state.epoch) {
        // Redis lost the product's data and a new epoch began: the subscribers' sequence numbers mean nothing now.
        // They reconnect with their last id and get an epoch_mismatch gap, then the new epoch's payloads.
        state.epoch = id.epoch;
        this.options.hub.disconnect(productId);
      }
      state.lastId = raw[0];
      this.options.hub.publish(productId, entry, entry.ingestedAt ?? null);
    }
  }
}
