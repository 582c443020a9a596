/**
 * The bounded queue between the stream reader and the user's callbacks (docs/decisions/D-3-per-session-queue.md). One
 * FIFO lane per session key: a lane runs its items strictly one after another, lanes run concurrently, so a slow
 * handler for one session never delays another. The reader only ever calls `offer`, which never waits: when
 * `capacity` items are already accepted and not yet finished, the new item is refused.
 *
 * A barrier item (used for `gap` frames) runs after every item accepted before it has finished and
 * before any item accepted after it starts, so a handler that resets state on a gap sees a clean cut.
 */
import type { Clock, TimerHandle } from '@sightline/protocol';

/** What a {@link SessionQueue} calls. */
export interface SessionQueueOptions<T> {
  /** Most items accepted and not yet finished (waiting or running) at once; ≥ 1. */
  capacity: number;
  /** Handles one item; a returned thenable is awaited. Items of one lane never overlap. */
  handle: (item: T) => unknown;
  /** Called when `handle` throws or rejects; the queue carries on. */
  onError: (item: T, error: unknown) => void;
}

type EntryState = 'waiting' | 'running' | 'done' | 'cancelled';

interface Entry<T> {
  item: T;
  seq: number;
  /** Resolves when the barrier this entry was accepted behind has run. */
  gate: Promise<void> | undefined;
  state: EntryState;
}

interface Lane<T> {
  key: string;
  entries: Array<Entry<T> | undefined>;
  head: number;
}

interface Barrier<T> {
  entry: Entry<T>;
  /** Items accepted before the barrier that have not finished yet. */
  remaining: number;
  done: Promise<void>;
  release: () => void;
}

/** True for a promise or any other object with a `then` method (what `await` would wait for). */
export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}

/** Per-session FIFO lanes under one global bound. Internal to the client; see the module comment. */
export class SessionQueue<T> {
  private readonly capacity: number;
  private readonly handle: (item: T) => unknown;
  private readonly onError: (item: T, error: unknown) => void;
  private readonly lanes = new Map<string, Lane<T>>();
  /** Barriers not yet finished, in acceptance order. */
  private barriers: Array<Barrier<T>> = [];
  private accepted = 0;
  private nextSeq = 0;
  private idleWaiters: Array<() => void> = [];
  private closed = false;

  constructor(options: SessionQueueOptions<T>) {
    this.capacity = options.capacity;
    this.handle = options.handle;
    this.onError = options.onError;
  }

  /** Items accepted and not yet finished (waiting or running). */
  get size(): number {
    return this.accepted;
  }

  /** True once {@link drain} has begun; every later offer is refused. */
  get isClosed(): boolean {
    return this.closed;
  }

  /** Accepts `item` into the lane `key`, or returns false when the queue is full or closed. Never waits. */
  offer(key: string, item: T): boolean {
    if (this.closed || this.accepted >= this.capacity) return false;
    const entry: Entry<T> = { item, seq: this.nextSeq++, gate: this.barriers.at(-1)?.done, state: 'waiting' };
    this.accepted++;
    const lane = this.lanes.get(key);
    if (lane) {
      lane.entries.push(entry);
    } else {
      const created: Lane<T> = { key, entries: [entry], head: 0 };
      this.lanes.set(key, created);
      void this.runLane(created);
    }
    return true;
  }

  /** Accepts a barrier item (see the module comment), or returns false when full or closed. */
  offerBarrier(item: T): boolean {
    if (this.closed || this.accepted >= this.capacity) return false;
    const entry: Entry<T> = { item, seq: this.nextSeq++, gate: undefined, state: 'waiting' };
    let release!: () => void;
    const done = new Promise<void>((resolve) => (release = resolve));
    // Everything accepted and unfinished right now was accepted before this barrier.
    const barrier: Barrier<T> = { entry, remaining: this.accepted, done, release };
    this.accepted++;
    this.barriers.push(barrier);
    if (barrier.remaining === 0) void this.runBarrier(barrier);
    return true;
  }

  /** Resolves once nothing is waiting or running. */
  whenIdle(): Promise<void> {
    if (this.accepted === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /**
   * Closes the queue and waits up to `timeoutMs` (on `clock`) for everything accepted to finish.
   * Items that have not started by then are cancelled and returned in acceptance order; handlers
   * still running are abandoned (they cannot be interrupted) and stay counted in {@link size}.
   */
  async drain(timeoutMs: number, clock: Clock): Promise<T[]> {
    this.closed = true;
    if (this.accepted === 0) return [];
    let timer: TimerHandle | undefined;
    const deadline = new Promise<'timeout'>((resolve) => {
      timer = clock.setTimeout(() => resolve('timeout'), timeoutMs);
    });
    const outcome = await Promise.race([this.whenIdle().then(() => 'idle' as const), deadline]);
    clock.clearTimeout(timer);
    return outcome === 'idle' ? [] : this.cancelWaiting();
  }

  private cancelWaiting(): T[] {
    const cancelled: Array<Entry<T>> = [];
    for (const lane of this.lanes.values()) {
      for (let index = lane.head; index < lane.entries.length; index++) {
        const entry = lane.entries[index];
        if (entry?.state === 'waiting') cancelled.push(entry);
      }
    }
    for (const barrier of this.barriers) if (barrier.entry.state === 'waiting') cancelled.push(barrier.entry);
    for (const entry of cancelled) entry.state = 'cancelled';
    this.accepted -= cancelled.length;
    // Wake lanes parked behind a barrier so they see their entries cancelled and end.
    for (const barrier of this.barriers) barrier.release();
    this.barriers = [];
    if (this.accepted === 0) this.notifyIdle();
    return cancelled.sort((a, b) => a.seq - b.seq).map((entry) => entry.item);
  }

  private async runLane(lane: Lane<T>): Promise<void> {
    // Start on a later microtask: callbacks never run on the reader's stack.
    await undefined;
    while (lane.head < lane.entries.length) {
      const entry = lane.entries[lane.head]!;
      if (entry.gate && entry.state === 'waiting') await entry.gate;
      lane.entries[lane.head] = undefined;
      lane.head++;
      if (entry.state === 'waiting') {
        const running = this.runEntry(entry);
        if (running) await running;
      }
      if (lane.head >= 1024 && lane.head * 2 >= lane.entries.length) {
        lane.entries = lane.entries.slice(lane.head);
        lane.head = 0;
      }
    }
    this.lanes.delete(lane.key);
  }

  private async runBarrier(barrier: Barrier<T>): Promise<void> {
    await undefined;
    if (barrier.entry.state === 'waiting') await this.runEntry(barrier.entry);
    this.barriers = this.barriers.filter((candidate) => candidate !== barrier);
    barrier.release();
  }

  /** Runs one entry; returns a promise only when the handler did, so a lane of sync handlers never yields per item. */
  private runEntry(entry: Entry<T>): Promise<void> | undefined {
    entry.state = 'running';
    let result: unknown;
    try {
      result = this.handle(entry.item);
    } catch (error) {
      this.reportError(entry.item, error);
    }
    if (!isThenable(result)) {
      this.finish(entry);
      return undefined;
    }
    return Promise.resolve(result).then(
      () => this.finish(entry),
      (error: unknown) => {
        this.reportError(entry.item, error);
        this.finish(entry);
      },
    );
  }

  private reportError(item: T, error: unknown): void {
    try {
      this.onError(item, error);
    } catch {
      // An error reporter that throws must not stop the lane.
    }
  }

  private finish(entry: Entry<T>): void {
    entry.state = 'done';
    this.accepted--;
    for (const barrier of this.barriers) {
      if (barrier.entry.seq > entry.seq && barrier.entry.state === 'waiting' && --barrier.remaining === 0) {
        void this.runBarrier(barrier);
      }
    }
    if (this.accepted === 0) this.notifyIdle();
  }

  private notifyIdle(): void {
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}
