/**
 * The connector stream as the bridge sees it, for `/healthz`, metrics and `RunningBridge.streamState()`.
 */

/** A snapshot of the stream's health. */
export interface StreamState {
  /** `stopped` before `start()` and after `stop()`, `connecting` until the first connect, `reconnecting` after a loss, `failed` after a fatal answer (bad key, unknown product). */
  status: 'connecting' | 'connected' | 'reconnecting' | 'failed' | 'stopped';
  isConnected: boolean;
  /** When the last payload arrived, epoch ms, or null. */
  lastEventAt: number | null;
  /** Seconds since then, or null. */
  lastEventAgeS: number | null;
  /** The last SSE event id seen (resume point), or null. */
  lastEventId: string | null;
  /** Payloads dropped by the client's full queue since start. */
  droppedCount: number;
  /** Malformed frames skipped since start. */
  malformedCount: number;
  /** Gap frames received (events the connector could no longer replay). */
  gapCount: number;
  /** Connections lost since start. */
  disconnectCount: number;
  /** Why the stream failed (`failed` only), else null. */
  error: string | null;
}
