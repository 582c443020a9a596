import type { Clock, TimerHandle } from '../clock.ts';

interface ScheduledTimer {
  id: number;
  dueAt: number;
  callback: () => void;
}

/**
 * A {@link Clock} that only moves when told to. Timers fire in due order (then in creation order)
 * during {@link FakeClock.advance}; promise callbacks queued by a timer run before the next timer fires.
 *
 * @example
 * const clock = new FakeClock({ now: 1_700_000_000_000 });
 * const state = new SessionState({ clock });
 * await clock.advance(20_000);
 */
export class FakeClock implements Clock {
  private current: number;
  private nextId = 1;
  private readonly timers = new Map<number, ScheduledTimer>();

  /** @param options.now the starting time, epoch ms. Default 1 700 000 000 000 (14 Nov 2023). */
  constructor(options: { now?: number } = {}) {
    this.current = options.now ?? 1_700_000_000_000;
  }

  /** The fake time, epoch ms. */
  now(): number {
    return this.current;
  }

  /** Schedules `callback` for `now() + delayMs`; it fires only during {@link advance} or {@link runNext}. */
  setTimeout(callback: () => void, delayMs: number): TimerHandle {
    const id = this.nextId++;
    this.timers.set(id, { id, dueAt: this.current + Math.max(0, delayMs), callback });
    return id;
  }

  /** Cancels a timer; unknown or fired handles are ignored. */
  clearTimeout(handle: TimerHandle): void {
    this.timers.delete(handle as number);
  }

  /** Number of timers waiting to fire. */
  get pendingTimers(): number {
    return this.timers.size;
  }

  /** Delays of the waiting timers from now, soonest first (handy to assert a backoff sequence). */
  pendingDelays(): number[] {
    return [...this.timers.values()].map((timer) => timer.dueAt - this.current).sort((a, b) => a - b);
  }

  /** Sets the time without firing timers (for wall-clock jumps). */
  set(now: number): void {
    this.current = now;
  }

  /**
   * Moves time forward by `ms`, firing every timer that falls due on the way, in order. Settles
   * pending promise callbacks before and after each timer so async work triggered by a timer completes.
   */
  async advance(ms: number): Promise<void> {
    const target = this.current + ms;
    await settle();
    for (;;) {
      const next = this.nextDue(target);
      if (!next) break;
      this.timers.delete(next.id);
      this.current = next.dueAt;
      next.callback();
      await settle();
    }
    this.current = target;
    await settle();
  }

  /** Fires the next waiting timer (moving time to it), if any; resolves to whether one fired. */
  async runNext(): Promise<boolean> {
    const next = this.nextDue(Number.POSITIVE_INFINITY);
    if (!next) return false;
    await this.advance(next.dueAt - this.current);
    return true;
  }

  private nextDue(limit: number): ScheduledTimer | undefined {
    let best: ScheduledTimer | undefined;
    for (const timer of this.timers.values()) {
      if (timer.dueAt > limit) continue;
      if (!best || timer.dueAt < best.dueAt || (timer.dueAt === best.dueAt && timer.id < best.id)) best = timer;
    }
    return best;
  }
}

/** Lets queued promise callbacks (and those they queue, a few levels deep) run. */
async function settle(): Promise<void> {
  for (let round = 0; round < 10; round++) await new Promise<void>((resolve) => setImmediate(resolve));
}
