/**
 * Wire types of the Sightline stream, field names exactly as on the wire (snake_case).
 * Autoplay-compatible; `gap` is Sightline's addition. See shared/reference/wire-contract.md §3.
 */

/** One UI action inside an `actions` payload (Autoplay's SlimAction). Timestamps are epoch seconds. */
export interface SlimAction {
  title: string;
  description: string;
  canonical_url: string;
  /** 0-based position in the session's sequence (not renumbered by reads). */
  index: number;
  /** Lower case: `pageview`, `click`, `submit`, `type`, `focus`, `blur`. */
  type: string;
  timestamp_start: number;
  timestamp_end: number;
  raw_url: string;
  session_id: string | null;
  user_id: string | null;
  email: string | null;
  conversation_id: string | null;
}

/** A batch of UI actions for one session. */
export interface ActionsPayload {
  type: 'actions';
  product_id: string;
  session_id: string | null;
  user_id: string | null;
  email: string | null;
  actions: SlimAction[];
  /** Always equal to `actions.length` after parsing. */
  count: number;
  /** When the connector sent the batch, epoch seconds. */
  forwarded_at: number;
  conversation_id: string | null;
}

/** An LLM summary standing in for `replaces` raw actions of one session. */
export interface SummaryPayload {
  type: 'summary';
  product_id: string;
  session_id: string | null;
  summary: string;
  replaces: number;
  forwarded_at: number;
}

/** Why a replay could not start at the requested id. */
export type GapReason = 'expired' | 'epoch_mismatch' | 'unknown_id';

/**
 * Sightline only: sent once per connection, before the replay, when `Last-Event-ID` can no longer be served.
 * Payloads between `last_event_id` and `resumed_from` (exclusive) were not delivered.
 */
export interface GapPayload {
  type: 'gap';
  product_id: string;
  /** The id the client asked to resume after. */
  last_event_id: string;
  /** The id of the first payload replayed after this frame, or null when the log holds nothing newer. */
  resumed_from: string | null;
  reason: GapReason;
  /** Server time of the frame, epoch seconds. */
  forwarded_at: number;
}

/** Every payload a Sightline stream can carry that clients parse. */
export type StreamPayload = ActionsPayload | SummaryPayload | GapPayload;

/** The `type` values of {@link StreamPayload}. */
export type StreamPayloadType = StreamPayload['type'];
