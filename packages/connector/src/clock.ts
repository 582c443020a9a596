/**
 * Time for the connector comes from a {@link ConnectorClock}, so tests drive heartbeats, retention and
 * batching windows without sleeping. Same shape as the SDK's `Clock`, so either can be passed; the
 * connector does not import the SDK (DESIGN.md: arrows point down only).
 */

/** Wall-clock time in epoch milliseconds, and one-shot timers. */
export interface ConnectorClock {
  /** Wall-clock time in epoch milliseconds. */
  now(): number;
  /** Calls `callback` once after `delayMs`; returns a handle for {@link ConnectorClock.clearTimeout}. */
  setTimeout(callback: () => void, delayMs: number): unknown;
  /** Cancels a timer; unknown or fired handles are ignored. */
  clearTimeout(handle: unknown): void;
}

/** The real clock: `Date.now()` and global timers that do not keep the process alive. */
export const systemClock: ConnectorClock = {
  now: () => Date.now(),
  setTimeout(callback, delayMs) {
    const handle = globalThis.setTimeout(callback, delayMs);
    handle.unref();
    return handle;
  },
  clearTimeout(handle) {
    globalThis.clearTimeout(handle as ReturnType<typeof globalThis.setTimeout>);
  },
};
