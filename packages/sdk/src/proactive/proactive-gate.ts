/**
 * Whether a proactive offer may go out now, and if not, why: one pure decision over the session's {@link SessionState}
 * and what the host knows about the user. The reasons are the labels operators see (docs/proactive.md, "Gating").
 */
import { SessionStateName, type SessionState } from '../session-state/session-state.ts';

/** The outcome of a decision: `fired`, or why the offer was suppressed. */
export type ProactiveReason = 'fired' | 'cooldown' | 'user_chatting' | 'no_open_widget' | 'unverified' | 'dismissed' | 'cap';

/** Every {@link ProactiveReason}, for metrics that list them up front. */
export const PROACTIVE_REASONS: readonly ProactiveReason[] = ['fired', 'cooldown', 'user_chatting', 'no_open_widget', 'unverified', 'dismissed', 'cap'];

/** What {@link decideProactive} weighs. Times are epoch milliseconds. */
export interface ProactiveGateInput {
  now: number;
  /** The session's state machine, ticked to now. */
  session: SessionState;
  /** The user's identity was verified (a user hash or signed token): unverified users never get an offer. */
  isVerified: boolean;
  /** Somewhere to deliver is open now: a connected widget of the user, or a chat sender seen recently. */
  hasOpenWidget: boolean;
  /** When this trigger last fired for the user, or null. */
  triggerFiredAt: number | null;
  /** The trigger's own cooldown, seconds. */
  triggerCooldownS: number;
  /** Until when the user said "Not now", or null. */
  dismissedUntil: number | null;
  /** Offers the user got within the cap's window (all tabs and sessions). */
  firedInWindow: number;
  /** Most offers per user within the window. */
  cap: number;
}

/**
 * Decides in a fixed order, the first reason that applies winning:
 *
 * 1. `unverified`: the identity is not verified.
 * 2. `user_chatting`: the session is REACTIVE; a user who chats is never interrupted.
 * 3. `cooldown`: an offer is already open (PROACTIVE), the session's cooldown runs, or this trigger's does.
 * 4. `dismissed`: the user said "Not now" and the back-off runs.
 * 5. `cap`: the user had `cap` offers within the window.
 * 6. `no_open_widget`: nowhere to deliver to (the host may hold the offer briefly and decide again).
 * 7. `fired`.
 *
 * It changes nothing: on `fired` the host moves the session with `session.transitionToProactive(triggerId)`.
 *
 * @example
 * const reason = decideProactive({ now, session, isVerified: true, hasOpenWidget: true, triggerFiredAt: null,
 *   triggerCooldownS: 600, dismissedUntil: null, firedInWindow: 0, cap: 3 }); // 'fired'
 */
export function decideProactive(input: ProactiveGateInput): ProactiveReason {
  if (!input.isVerified) return 'unverified';
  const state = input.session.state;
  if (state === SessionStateName.REACTIVE) return 'user_chatting';
  if (state === SessionStateName.PROACTIVE || !input.session.canGoProactive()) return 'cooldown';
  if (input.triggerFiredAt !== null && input.now - input.triggerFiredAt < input.triggerCooldownS * 1000) return 'cooldown';
  if (input.dismissedUntil !== null && input.now < input.dismissedUntil) return 'dismissed';
  if (input.firedInWindow >= input.cap) return 'cap';
  if (!input.hasOpenWidget) return 'no_open_widget';
  return 'fired';
}
