/** The default {@link EventLog}: one bounded ring buffer per product, in process memory. */
import { formatEventId, parseEventId, systemClock, type Clock } from '@sightline/protocol';
import { createError } from '../errors.ts';
import type { EventLog, ForgetUserResult, LoggablePayload, LoggedPayload, ReplayResult, UserMatch } from './event-log.ts';
import { selectForgotten } from './user-match.ts';

/** Options of {@link MemoryEventLog}. */
export interface MemoryEventLogOptions {
  /** Payloads kept per product; the oldest go first. Default 1000. */
  maxEntries?: number;
  /** Payloads older than this are dropped, in milliseconds. Default 900000 (15 min). */
  maxAgeMs?: number;
  /** Epoch of the ids. Default: the clock's current time in whole seconds. */
  epoch?: number;
  /** Time source for ids' epoch and age retention. Default: the system clock. */
  clock?: Clock;
}

/** A fixed-capacity FIFO over an array: O(1) push and shift, no reallocation. */
class Ring<T> {
  private readonly slots: (T | undefined)[];
  private head = 0;
  size = 0;

  constructor(readonly capacity: number) {
    this.slots = new Array<T | undefined>(capacity);
  }

  /** Appends; when full, the oldest item goes first and is returned. */
  push(item: T): T | undefined {
    const evicted = this.size === this.capacity ? this.shift() : undefined;
    this.slots[(this.head + this.size) % this.capacity] = item;
    this.size += 1;
    return evicted;
  }

  shift(): T {
    const item = this.slots[this.head] as T;
    this.slots[this.head] = undefined;
    this.head = (this.head + 1) % this.capacity;
    this.size -= 1;
    return item;
  }

  at(offset: number): T {
    return this.slots[(this.head + offset) % this.capacity] as T;
  }
}

interface ProductLog {
  ring: Ring<LoggedPayload>;
  /** The last seq handed out; survives retention so "expired" and "not yet issued" stay distinguishable. */
  lastSeq: number;
  /**
   * The highest seq that retention (count, age or `drop`) removed. A client that saw less than this missed
   * something and gets a gap notice; payloads removed by `forgetUser` do not move it, so they are simply absent.
   */
  expiredThrough: number;
}

/**
 * In-memory event log with retention by count and by age, per product. Ids are `<epoch>-<seq>`; the
 * epoch is the start time of this log, so ids from before a restart are recognised as another epoch.
 *
 * @example
 * const log = new MemoryEventLog({ maxEntries: 500, maxAgeMs: 10 * 60_000 });
 * const { id } = await log.append('acme', payload); // '1732230000-1'
 * const { gap, entries } = await log.readAfter('acme', '1732230000-0');
 */
export class MemoryEventLog implements EventLog {
  readonly epoch: number;
  private readonly maxEntries: number;
  private readonly maxAgeMs: number;
  private readonly clock: Clock;
  private readonly products = new Map<string, ProductLog>();

  constructor(options: MemoryEventLogOptions = {}) {
    this.clock = options.clock ?? systemClock;
    this.maxEntries = options.maxEntries ?? 1000;
    this.maxAgeMs = options.maxAgeMs ?? 900_000;
    this.epoch = options.epoch ?? Math.floor(this.clock.now() / 1000);
    if (!Number.isSafeInteger(this.maxEntries) || this.maxEntries < 1) {
      throw createError('SL_CONFIG_INVALID', { option: 'maxEntries', reason: 'must be a positive integer' });
    }
    if (!(this.maxAgeMs > 0)) throw createError('SL_CONFIG_INVALID', { option: 'maxAgeMs', reason: 'must be positive' });
  }

  async epochOf(_productId: string): Promise<number> {
    return this.epoch;
  }

  async append(productId: string, payload: LoggablePayload): Promise<LoggedPayload> {
    return this.appendNow(productId, payload);
  }

  /** Synchronous {@link append}, for callers that already hold the memory log. */
  appendNow(productId: string, payload: LoggablePayload): LoggedPayload {
    let log = this.products.get(productId);
    if (!log) {
      log = { ring: new Ring(this.maxEntries), lastSeq: 0, expiredThrough: 0 };
      this.products.set(productId, log);
    }
    const now = this.clock.now();
    this.expire(log, now);
    log.lastSeq += 1;
    const entry: LoggedPayload = { id: formatEventId(this.epoch, log.lastSeq), seq: log.lastSeq, payload, loggedAt: now };
    const evicted = log.ring.push(entry);
    if (evicted) log.expiredThrough = evicted.seq;
    return entry;
  }

  async readAfter(productId: string, lastEventId: string): Promise<ReplayResult> {
    return this.readAfterNow(productId, lastEventId);
  }

  /** Synchronous {@link readAfter}. */
  readAfterNow(productId: string, lastEventId: string): ReplayResult {
    const log = this.products.get(productId);
    const retained: LoggedPayload[] = [];
    if (log) {
      this.expire(log, this.clock.now());
      for (let offset = 0; offset < log.ring.size; offset += 1) retained.push(log.ring.at(offset));
    }
    const all = (reason: 'expired' | 'epoch_mismatch' | 'unknown_id'): ReplayResult => ({
      gap: { reason, resumedFrom: retained[0]?.id ?? null },
      entries: retained,
    });
    const requested = parseEventId(lastEventId);
    // A malformed id tells nothing about what the client saw: it gets everything still held, flagged.
    if (!requested) return all('unknown_id');
    // Ids of an earlier process (or another instance) cannot be placed in this sequence.
    if (requested.epoch !== this.epoch) return all('epoch_mismatch');
    const lastSeq = log?.lastSeq ?? 0;
    if (requested.seq > lastSeq) return { gap: { reason: 'unknown_id', resumedFrom: null }, entries: [] };
    // Resuming at or after the last payload retention removed loses nothing (forgotten payloads were removed on
    // purpose and leave no gap).
    if (requested.seq < (log?.expiredThrough ?? 0)) return all('expired');
    return { gap: null, entries: retained.filter((entry) => entry.seq > requested.seq) };
  }

  async drop(productId: string): Promise<void> {
    const log = this.products.get(productId);
    // Keep the sequence so a client of the dropped product sees "expired", never a reused id.
    if (log) {
      log.ring = new Ring(this.maxEntries);
      log.expiredThrough = log.lastSeq;
    }
  }

  async forgetUser(productId: string, match: UserMatch): Promise<ForgetUserResult> {
    return this.forgetUserNow(productId, match);
  }

  /** Synchronous {@link forgetUser}. */
  forgetUserNow(productId: string, match: UserMatch): ForgetUserResult {
    const log = this.products.get(productId);
    if (!log) return { payloads: 0, sessions: 0 };
    const retained: LoggedPayload[] = [];
    for (let offset = 0; offset < log.ring.size; offset += 1) retained.push(log.ring.at(offset));
    const { removed, sessions } = selectForgotten(retained, match);
    if (removed.size === 0) return { payloads: 0, sessions: 0 };
    const ring = new Ring<LoggedPayload>(this.maxEntries);
    for (const entry of retained) if (!removed.has(entry)) ring.push(entry);
    log.ring = ring;
    return { payloads: removed.size, sessions };
  }

  async close(): Promise<void> {
    this.products.clear();
  }

  /** Retained payload count for a product (for tests and metrics). */
  size(productId: string): number {
    return this.products.get(productId)?.ring.size ?? 0;
  }

  private expire(log: ProductLog, now: number): void {
    const cutoff = now - this.maxAgeMs;
    while (log.ring.size > 0 && log.ring.at(0).loggedAt < cutoff) log.expiredThrough = log.ring.shift().seq;
  }
}
