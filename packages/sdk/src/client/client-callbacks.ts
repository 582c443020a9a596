/** What the connector client's callbacks receive: payloads with their frame's facts, drops and disconnects. */
import type { SightlineError, StreamPayload } from '@sightline/protocol';

/** Facts about the frame a payload came in, passed to every payload callback as the second argument. */
export interface PayloadMeta {
  /** The frame's SSE `id` (`<epoch>-<seq>` on Sightline streams), or null when it had none (Autoplay). */
  id: string | null;
  /** When the client read the frame, epoch ms on the client's clock (use it for lookback windows, docs/decisions/D-13-local-receipt-time.md). */
  receivedAt: number;
}

/** A JSON object from the stream whose `type` the client does not parse (e.g. `usertour_trigger`). */
export type UnknownPayload = Record<string, unknown>;

/**
 * A payload callback; may be async (a returned promise is awaited before the session's next payload;
 * any other return value is ignored, so `(payload) => store.add(payload)` fits). Errors are logged
 * and the stream goes on.
 */
export type PayloadHandler<P> = (payload: P, meta: PayloadMeta) => unknown;

/** Why a payload never reached its callback. */
export type DropReason = 'queue_full' | 'shutdown';

/** What `onDrop` receives (docs/decisions/D-31-one-drop-callback.md). */
export interface DropEvent {
  /** The payload that was dropped, as parsed (or the raw object for an `onEvent` type). */
  payload: StreamPayload | UnknownPayload;
  /** `queue_full`: the queue held `maxQueueSize` payloads; `shutdown`: `stop()` hit its drain deadline. */
  reason: DropReason;
  /** {@link ConnectorClient.droppedCount} after this drop. */
  totalDropped: number;
}

/** What `onDisconnect` receives. */
export interface DisconnectInfo {
  /** What went wrong, with a stable code: `SL_STREAM_HTTP_STATUS`, `SL_STREAM_CONTENT_TYPE`, `SL_STREAM_NETWORK`, `SL_STREAM_CONNECT_TIMEOUT`, `SL_STREAM_IDLE_TIMEOUT`, `SL_STREAM_ENDED`, `SL_STREAM_FRAME_TOO_LARGE`. */
  error: SightlineError;
  /** Failed attempts in a row so far, this one included (0 after a healthy stream ended). */
  retryCount: number;
  /** Whether this attempt had got as far as a checked `text/event-stream` response. */
  wasConnected: boolean;
}

/** A lifecycle hook; a returned promise is awaited (until stop is requested), any other value ignored. */
export type LifecycleHook<A extends unknown[]> = (...args: A) => unknown;
