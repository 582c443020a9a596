/**
 * Sightline's one backoff policy: every wait that grows after repeated failures (stream reconnects, summary retries,
 * context writes, credential guessing, a dismissed proactive offer) doubles from a first wait up to a cap.
 */

/**
 * The wait before attempt `failures + 1`, ms: `initialMs · 2^(failures − 1)`, capped at `maxMs`; `0` when nothing has
 * failed yet. Doubling past the float range (Infinity) still gives the cap, and a zero first wait stays zero.
 *
 * @example backoffDelay(1, { initialMs: 1_000, maxMs: 30_000 }) // 1000
 * @example backoffDelay(6, { initialMs: 1_000, maxMs: 30_000 }) // 30000
 */
export function backoffDelay(failures: number, policy: { initialMs: number; maxMs: number }): number {
  if (failures <= 0 || policy.initialMs <= 0) return 0;
  return Math.min(policy.maxMs, policy.initialMs * 2 ** (failures - 1));
}
