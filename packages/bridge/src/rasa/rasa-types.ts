/**
 * The parts of Rasa's action-server call the bridge reads (docs/reference/rasa-protocols.md#action-call). Everything
 * else in the body is accepted and ignored, since Rasa adds keys between releases.
 */

/** `tracker.latest_message` (parse data). */
export interface RasaLatestMessage {
  text?: string | null;
  intent?: { name?: string | null; confidence?: number | null } | null;
  metadata?: Record<string, unknown> | null;
  [key: string]: unknown;
}

/** The tracker state Rasa sends with each call. */
export interface RasaTracker {
  sender_id?: string;
  slots?: Record<string, unknown> | null;
  latest_message?: RasaLatestMessage | null;
  events?: unknown[];
  [key: string]: unknown;
}

/** The body of `POST /webhook`. */
export interface RasaActionCall {
  next_action?: string | null;
  sender_id?: string;
  version?: string;
  tracker?: RasaTracker;
  domain?: Record<string, unknown>;
  [key: string]: unknown;
}

/** One bot message in an action's answer; Rasa keeps only truthy keys, so `{text}` is complete. */
export interface RasaBotResponse {
  text?: string;
  buttons?: Array<{ title: string; payload: string }>;
  image?: string;
  attachment?: unknown;
  custom?: Record<string, unknown>;
  [key: string]: unknown;
}

/** An event returned to Rasa; every event has an `event` type. */
export interface RasaEvent {
  event: string;
  [key: string]: unknown;
}

/** The `200` answer of `POST /webhook`. */
export interface RasaActionResult {
  events: RasaEvent[];
  responses: RasaBotResponse[];
}
