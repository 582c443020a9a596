/**
 * The reconnect schedule (docs/reference/wire-contract.md#reconnecting): waits of 1, 2, 4, 8, 16, 30, 30 … s with the
 * defaults, each plus an added (never subtracted) jitter of 0–10 % so many clients cut off together do not reconnect
 * in lockstep.
 */
import { backoffDelay } from '@sightline/protocol';

/** Largest share of a backoff step added as jitter. */
export const JITTER_RATIO = 0.1;

/**
 * The wait before the next attempt: `backoffMs + random() × 10 % × backoffMs`, rounded to whole
 * milliseconds. `random` is clamped to [0, 1] so a bad source cannot shorten or explode the wait.
 *
 * @example jitteredDelay(1000, () => 0.5) // 1050
 */
export function jitteredDelay(backoffMs: number, random: () => number): number {
  const draw = random();
  const share = Number.isFinite(draw) ? Math.min(1, Math.max(0, draw)) : 0;
  return Math.round(backoffMs + share * JITTER_RATIO * backoffMs);
}

/**
 * The backoff step after `backoffMs`: doubled, capped at `maxBackoffMs`.
 *
 * @example nextBackoff(16_000, 30_000) // 30000
 */
export function nextBackoff(backoffMs: number, maxBackoffMs: number): number {
  // The step after a wait is the policy's second step from it.
  return backoffDelay(2, { initialMs: backoffMs, maxMs: maxBackoffMs });
}
