/**
 * Test-only clock for the connector's own tests (not exported): time moves only through `advance`,
 * which fires due timers in order. Structurally a {@link ConnectorClock}.
 */
import type { ConnectorClock } from '../clock.ts';

interface Timer {
  at: number;
  order: number;
  callback: () => void;
}

export class ManualClock implements ConnectorClock {
  private time: number;
  private order = 0;
  private readonly timers = new Set<Timer>();

  constructor(start = 1_732_230_000_000) {
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  setTimeout(callback: () => void, delayMs: number): unknown {
    const timer: Timer = { at: this.time + Math.max(0, delayMs), order: this.order++, callback };
    this.timers.add(timer);
    return timer;
  }

  clearTimeout(handle: unknown): void {
    this.timers.delete(handle as Timer);
  }

  /** Moves time forward by `ms`, firing every timer that falls due, earliest first. */
  advance(ms: number): void {
    const end = this.time + ms;
    for (;;) {
      const due = [...this.timers].filter((timer) => timer.at <= end).sort((a, b) => a.at - b.at || a.order - b.order)[0];
      if (!due) break;
      this.timers.delete(due);
      this.time = due.at;
      due.callback();
    }
    this.time = end;
  }
}
