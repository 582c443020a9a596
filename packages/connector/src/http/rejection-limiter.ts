/**
 * Cheap refusal of clients that keep failing authentication: Autoplay's Python client reconnects about once a
 * second forever after a 401 (wire-contract.md §6), so after `max` rejections in `windowMs` an address gets
 * 429 without any key lookup until its window ends.
 */
import type { ConnectorClock } from '../clock.ts';

/** Options of {@link RejectionLimiter}. */
export interface RejectionLimiterOptions {
  /** Rejections allowed per address and window. Default 30. */
  max?: number;
  /** Window length, ms. Default 60000. */
  windowMs?: number;
  /** Most addresses tracked; the oldest windows are forgotten first. Default 10000. */
  maxAddresses?: number;
}

interface Window {
  startedAt: number;
  count: number;
}

export class RejectionLimiter {
  private readonly windows = new Map<string, Window>();
  private readonly max: number;
  private readonly windowMs: number;
  private readonly maxAddresses: number;

  constructor(
    private readonly clock: ConnectorClock,
    options: RejectionLimiterOptions = {},
  ) {
    this.max = options.max ?? 30;
    this.windowMs = options.windowMs ?? 60_000;
    this.maxAddresses = options.maxAddresses ?? 10_000;
  }

  /** Seconds the address must wait, or 0 when it may try. */
  retryAfterS(address: string): number {
    const window = this.windows.get(address);
    if (!window) return 0;
    const elapsed = this.clock.now() - window.startedAt;
    if (elapsed >= this.windowMs) {
      this.windows.delete(address);
      return 0;
    }
    return window.count >= this.max ? Math.ceil((this.windowMs - elapsed) / 1000) : 0;
  }

  /** Counts one rejection for the address. */
  record(address: string): void {
    const now = this.clock.now();
    const window = this.windows.get(address);
    if (window && now - window.startedAt < this.windowMs) {
      window.count += 1;
      return;
    }
    this.windows.delete(address);
    this.windows.set(address, { startedAt: now, count: 1 });
    // Map order is insertion order, so the first key is the oldest window.
    while (this.windows.size > this.maxAddresses) this.windows.delete(this.windows.keys().next().value as string);
  }
}
