/**
 * The one internal event shape every ingest door (PostHog webhook, posthog-js capture) produces.
 * Extraction and sessionizing read only this shape, so a new door never touches them.
 */
import type { ParsedChain } from '../extract/parsed-chain.ts';

/**
 * One PostHog event after normalisation: identity lifted out, properties kept as sent (`$`-keys
 * included) minus everything privacy forbids (input values, copied text, `$set`, `$ip`, …).
 *
 * @example
 * const event: CapturedEvent = {
 *   event: '$pageview', distinctId: 'user_42', sessionId: '01a2…', timestamp: 1795300406.5,
 *   uuid: '01a2…', token: 'phc_testtoken', properties: { $current_url: 'https://app.example.com/' },
 * };
 */
export interface CapturedEvent {
  /** PostHog event name: `$autocapture`, `$pageview`, `$rageclick`, … */
  event: string;
  /** PostHog `distinct_id` (anonymous UUIDv7 or the id given to `identify`). */
  distinctId: string | null;
  /** PostHog `$session_id`. */
  sessionId: string | null;
  /** When the event happened, epoch seconds (fractional). Receipt time when the event carried none. */
  timestamp: number;
  /** The event's uuid (posthog-js sends one); used to drop duplicates. */
  uuid: string | null;
  /** The project api key found in the event or its envelope (the capture door picks the product by it). */
  token: string | null;
  /** Properties as sent (`$`-keys kept), with privacy-sensitive ones removed and text redacted. */
  properties: Record<string, unknown>;
  /** The person's email, from the flat `email`, `properties.email`, `$set.email` or the CDP person. */
  personEmail?: string | null;
  /** The identified user id (`$user_id`, or `distinct_id` once `$is_identified`), when known. */
  identifiedId?: string | null;
  /** When the connector received the event, epoch seconds on the connector's clock (not the browser's). */
  receivedAt?: number;
  /**
   * The keyed hash of the client address that sent the event through the public capture door (the payload's
   * `origin.address`); absent for the webhook door, whose caller is PostHog, authenticated by its secret.
   */
  address?: string | null;
  /**
   * Exactly what parsing `properties.$elements_chain` gives, when the normaliser that wrote the chain has it:
   * extraction uses it instead of parsing again (and keeps its readings in it). Internal to the connector; never
   * serialised. Absent or null: extraction parses the chain itself.
   */
  parsedChain?: ParsedChain | null;
}

/** An event of a batch that was skipped, with a stable code and a reason for logs and metrics. */
export interface RejectedEvent {
  /** Position of the event in the body's event list (0 for a single-event body). */
  index: number;
  /** Error code from the connector catalogue, e.g. `SL_INGEST_EVENT_INVALID`. */
  code: string;
  /** What was wrong, in words. */
  reason: string;
}

/** What a normaliser returns: the valid events, in body order, and the skipped ones. */
export interface NormalizeResult {
  events: CapturedEvent[];
  rejected: RejectedEvent[];
}
