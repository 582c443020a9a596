/**
 * What a proactive trigger is: a pure function of one tab's activity state and the time that answers nothing, or a
 * proposal to offer help. Triggers only detect the moment; gating (docs/proactive.md, "Gating") and delivery belong
 * to the host. A proposal carries structure (the labels the trigger saw), never sentences: the text is made at the
 * edge, in the user's language (proactive-text.ts), or written by a product team in a playbook rule.
 */
import type { ActivityState, ContainerRef } from '../activity/activity-state.ts';

/** What a trigger reads. */
export interface ProactiveContext {
  /** The tab's activity state (one tab of one session). */
  state: ActivityState;
  /** Now, epoch milliseconds (the state's own times are epoch seconds). */
  now: number;
}

/** What the trigger saw, as labels from the state; templates and the model turn it into words. */
export type ProactiveFacts =
  | { kind: 'back_and_forth'; pages: [string, string]; cycles: number }
  | { kind: 'page_dwell'; page: string; seconds: number }
  | { kind: 'container_idle'; container: ContainerRef; page: string | null; seconds: number }
  | { kind: 'repeated_failure'; failure: 'rage' | 'dead' | 'submit'; label: string | null; page: string | null; count: number }
  | { kind: 'playbook'; ruleId: string; page: string | null; container: string | null };

/** Text a product team wrote for a playbook rule: a message and quick replies per language (`en`, `es`, …). */
export interface AuthoredText {
  message: Readonly<Record<string, string>>;
  quickReplies: Readonly<Record<string, readonly string[]>>;
}

/** A trigger's hit: an offer of help, not yet gated or delivered. */
export interface ProactiveProposal {
  /** The trigger that fired (`canonical_url_ping_pong`, `user_page_dwell`, …). */
  triggerId: string;
  /**
   * Names the moment: evaluating the same moment again (later, or on another bridge) gives the same string, so a host
   * claims `triggerId + moment` once and delivers a hit at most once.
   */
  moment: string;
  facts: ProactiveFacts;
  /** Seconds this trigger stays quiet for the user after it fired. */
  cooldownS: number;
  /** The playbook rule's own words, when it has them; built-in triggers leave the text to templates. */
  text?: AuthoredText;
}

/**
 * A proactive trigger: an id and a pure, synchronous evaluation.
 *
 * @example
 * const everyDialog: ProactiveTrigger = {
 *   id: 'any_dialog',
 *   evaluate: ({ state }) => state.open && { triggerId: 'any_dialog', moment: String(state.open.openedAt), cooldownS: 600,
 *     facts: { kind: 'container_idle', container: state.open, page: state.open.page, seconds: 0 } },
 * };
 */
export interface ProactiveTrigger {
  readonly id: string;
  evaluate(context: ProactiveContext): ProactiveProposal | null;
}

/** The per-trigger cooldown when a trigger names none: 10 minutes. */
export const DEFAULT_TRIGGER_COOLDOWN_S = 600;
