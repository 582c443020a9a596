/**
 * When the client reconnects after an attempt failed or a stream ended: a healthy stream reconnects at once with
 * the backoff reset; otherwise the wait is the backoff plus jitter and the backoff doubles up to its cap. A connect
 * resets the retry count, while a stream that died young keeps backing off.
 */
import { jitteredDelay, nextBackoff } from './backoff.ts';

/** The reconnect settings of the client's options. */
export interface ReconnectOptions {
  initialBackoffMs: number;
  maxBackoffMs: number;
  maxRetries: number | undefined;
  healthyStreamMs: number;
}

/** Where the schedule stands: the current backoff step and the failed attempts in a row. */
export interface ReconnectState {
  backoff: number;
  retryCount: number;
}

/** What to do after one lost attempt. */
export interface ReconnectPlan {
  /** The stream had stayed up for `healthyStreamMs` or more. */
  healthy: boolean;
  /** Failed attempts in a row, this one included (0 after a healthy stream). */
  retryCount: number;
  /** How long to wait before the next attempt, ms. */
  delay: number;
  /** No retries are left: give up. */
  exhausted: boolean;
  /** The backoff step for the attempt after the next. */
  nextBackoff: number;
}

/**
 * Plans the next attempt from the attempt that was lost: `connectedForMs` is how long it was connected (null when it
 * never was), `backoffBeforeConnect` the backoff step it was started with.
 *
 * @example planReconnect({ backoff: 1000, retryCount: 0 }, { connectedForMs: null, backoffBeforeConnect: 1000 }, options, () => 0)
 * // { healthy: false, retryCount: 1, delay: 1000, exhausted: false, nextBackoff: 2000 }
 */
export function planReconnect(
  state: ReconnectState,
  lost: { connectedForMs: number | null; backoffBeforeConnect: number },
  options: ReconnectOptions,
  random: () => number,
): ReconnectPlan {
  const { initialBackoffMs, maxBackoffMs, maxRetries, healthyStreamMs } = options;
  let { backoff, retryCount } = state;
  const { connectedForMs } = lost;
  const healthy = connectedForMs !== null && connectedForMs >= healthyStreamMs;
  if (connectedForMs !== null) {
    // The connect reset both counters; a stream that died young keeps backing off
    // (docs/decisions/D-2-end-of-stream.md).
    retryCount = 0;
    backoff = healthy ? initialBackoffMs : lost.backoffBeforeConnect;
  }
  if (!healthy) retryCount++;
  const delay = healthy ? 0 : jitteredDelay(backoff, random);
  const exhausted = maxRetries !== undefined && retryCount > maxRetries;
  return { healthy, retryCount, delay, exhausted, nextBackoff: healthy ? backoff : nextBackoff(backoff, maxBackoffMs) };
}
