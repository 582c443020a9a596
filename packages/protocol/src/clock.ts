/**
 * Time for every Sightline package comes from a {@link Clock}, so tests drive it with `FakeClock` from
 * `@sightline/protocol/testing` instead of sleeping. Times are epoch milliseconds. It lives here, at the bottom of
 * the package table, so the connector and the SDK share one clock without importing each other.
 */

/** An opaque timer handle returned by {@link Clock.setTimeout}. */
export type TimerHandle = unknown;

/** Wall-clock time and timers. */
export interface Clock {
  /** Wall-clock time in epoch milliseconds. */
  now(): number;
  /** Calls `callback` once after `delayMs`. */
  setTimeout(callback: () => void, delayMs: number): TimerHandle;
  /** Cancels a timer; unknown or fired handles are ignored. */
  clearTimeout(handle: TimerHandle): void;
}

/** The real clock: `Date.now()` and the global timers. Timers do not keep a Node process alive. */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout(callback, delayMs) {
    const handle = globalThis.setTimeout(callback, delayMs);
    (handle as { unref?: () => void }).unref?.();
    return handle;
  },
  clearTimeout(handle) {
    globalThis.clearTimeout(handle as ReturnType<typeof globalThis.setTimeout>);
  },
};
