/**
 * Wire types of the Sightline stream, field names exactly as on the wire (snake_case).
 * Autoplay-compatible; `gap` is Sightline's addition. See docs/reference/wire-contract.md#actions-payload.
 */

/**
 * One UI action inside an `actions` payload (Autoplay's SlimAction, plus Sightline's optional
 * {@link ActionStructure} fields). Timestamps are epoch seconds.
 */
export interface SlimAction extends ActionStructure {
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
  /**
   * Sightline only, absent when the connector knows neither: where the batch's events came from, as keyed hashes that
   * compare equal and reveal nothing (see {@link PayloadOrigin}).
   */
  origin?: PayloadOrigin;
}

/**
 * Where a batch's events came from, for rules that count distinct sources (the bridge's UI map counts a label only
 * when several organisations and addresses show it). Each value is a keyed hash made by the connector per product
 * (HMAC-SHA256, 22 base64url characters): equal inputs give equal values within a product, and the value tells
 * nothing of the organisation id or the address.
 */
export interface PayloadOrigin {
  /** The organisation of the session's person (PostHog's `$groups`), or null when the events carry no group. */
  organisation: string | null;
  /** The client address of the capture request (the public door), or null for the webhook door. */
  address: string | null;
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

/**
 * What kind of step an action is, decided by the connector from the event and the element's ARIA.
 * `open` only when the element says it opens something (`aria-haspopup`, `aria-expanded`, `aria-controls`);
 * `failed` for rage and dead clicks.
 */
export type ActionStep = 'navigate' | 'open' | 'choose' | 'type' | 'submit' | 'dismiss' | 'click' | 'failed';

/** Why a step failed: repeated quick clicks (`rage`) or a click after which nothing changed (`dead`). */
export type ActionFailure = 'rage' | 'dead';

/** Every {@link ActionFailure}, in a fixed order. */
export const ACTION_FAILURES: readonly ActionFailure[] = ['rage', 'dead'];

/** Every {@link ActionStep}, in a fixed order. */
export const ACTION_STEPS: readonly ActionStep[] = ['navigate', 'open', 'choose', 'type', 'submit', 'dismiss', 'click', 'failed'];

/** The role of the element an action was aimed at (ARIA role names where one exists). */
export type TargetRole =
  | 'button'
  | 'link'
  | 'field'
  | 'checkbox'
  | 'radio'
  | 'switch'
  | 'option'
  | 'select'
  | 'tab'
  | 'menuitem'
  | 'form'
  | 'image'
  | 'item'
  | 'element';

/** Every {@link TargetRole}, in a fixed order. */
export const TARGET_ROLES: readonly TargetRole[] = ['button', 'link', 'field', 'checkbox', 'radio', 'switch', 'option', 'select', 'tab', 'menuitem', 'form', 'image', 'item', 'element'];

/** The kind of region an element sits in, innermost that matters first. */
export type ContainerKind = 'dialog' | 'drawer' | 'menu' | 'form' | 'tabpanel' | 'section';

/** Every {@link ContainerKind}, in a fixed order. */
export const CONTAINER_KINDS: readonly ContainerKind[] = ['dialog', 'drawer', 'menu', 'form', 'tabpanel', 'section'];

/** The page an action happened on. */
export interface ActionPage {
  /** A name for people: the document title without the product suffix, else a heading, else made from the path. */
  title: string;
  /** The canonical path (`/projects/:id`), no host, query or fragment. */
  path: string;
}

/** The element an action was aimed at. */
export interface ActionTarget {
  role: TargetRole;
  /** Its accessible label as the product shows it (text, `aria-label`, `title`, a label, a placeholder), or null. */
  label: string | null;
}

/** The region the target sits in. */
export interface ActionContainer {
  kind: ContainerKind;
  /** Its accessible name when the element chain carries one (`aria-label`), else null. */
  label: string | null;
}

/**
 * Sightline's structured fields of an action (all optional on the wire, snake_case). Autoplay's clients ignore
 * them; Sightline's readers use them instead of parsing `title` and `description`.
 *
 * A field that is absent (`undefined`) means the producer did not say (Autoplay's connector never does); `null`
 * means the producer looked and found none (a pageview has no target; a click outside any region has no
 * container). Readers drop a field of the wrong shape on its own (see `parseSlimAction`).
 */
export interface ActionStructure {
  /** The browser tab (posthog-js `$window_id`); tabs of one browser share `session_id`. */
  window_id?: string | null;
  /** The page the action happened on, named for people. */
  page?: ActionPage | null;
  /** The element the action was aimed at; `null` for a pageview. */
  target?: ActionTarget | null;
  /** The innermost dialog, drawer, menu, form, tab panel or section around the target, or null for none. */
  container?: ActionContainer | null;
  /** For radios, checkboxes, options and tabs: the label of what was chosen (a label of the UI, never typed text). */
  choice?: string | null;
  /** What kind of step the action is. */
  step?: ActionStep | null;
  /** For `failed` steps: `rage` (repeated quick clicks) or `dead` (a click after which nothing changed); else absent or null. */
  failure?: ActionFailure | null;
  /** When the connector received the event, epoch seconds (the connector's clock, not the browser's). */
  received_at?: number | null;
}
