/**
 * A summary lease that waits for a busy session instead of giving up. The SDK's summarizer leaves a session's actions
 * to whoever holds its lease, which is right when every summarizer holds the same actions; bridges on Redis do not:
 * the idempotent store gives each payload to the one bridge that stored it first, so the other bridge's summarizer
 * holds different actions of the same session, and giving up would leave them out of the story.
 */
import type { Clock, LeaseRelease, SessionKey, SummaryLease } from '@sightline/sdk';

/** Options of {@link WaitingSummaryLease}. */
export interface WaitingSummaryLeaseOptions {
  /** The shared lease (e.g. `RedisSummaryLease`). */
  lease: SummaryLease;
  clock: Clock;
  /** Pause between attempts while another holder has the session, ms. Default 200. */
  retryMs?: number;
}

/**
 * Tries the lease again every `retryMs` until it is granted, for at most the lease's TTL (a dead holder's lease has
 * expired by then); `stop()` ends every wait with "not granted" so a closing bridge never waits.
 *
 * @example
 * const lease = new WaitingSummaryLease({ lease: new RedisSummaryLease({ client, prefix }), clock });
 * new SessionSummarizer({ llm, lease });
 */
export class WaitingSummaryLease implements SummaryLease {
  private readonly lease: SummaryLease;
  private readonly clock: Clock;
  private readonly retryMs: number;
  private readonly waits = new Set<() => void>();
  private isStopped = false;

  constructor(options: WaitingSummaryLeaseOptions) {
    this.lease = options.lease;
    this.clock = options.clock;
    this.retryMs = options.retryMs ?? 200;
  }

  async acquire(key: SessionKey, ttlMs: number): Promise<LeaseRelease | null> {
    const giveUpAt = this.clock.now() + ttlMs;
    for (;;) {
      const release = await this.lease.acquire(key, ttlMs);
      if (release !== null || this.isStopped || this.clock.now() >= giveUpAt) return release;
      await this.pause();
    }
  }

  /** Ends every wait now and makes later busy attempts give up at once. */
  stop(): void {
    this.isStopped = true;
    for (const wake of [...this.waits]) wake();
  }

  private pause(): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        this.clock.clearTimeout(timer);
        this.waits.delete(wake);
        resolve();
      };
      const timer = this.clock.setTimeout(wake, this.retryMs);
      this.waits.add(wake);
    });
  }
}
