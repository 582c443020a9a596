/**
 * The v2 conversation state machine (docs/reference/wire-contract.md#session-state-machine): THINKING, PROACTIVE and
 * REACTIVE. It gates proactive offers: after an assisted exchange goes idle the session returns to THINKING with a
 * cooldown during which no new offer may open. Times are wall-clock epoch milliseconds from an injectable clock, so a
 * snapshot means the same thing in another process (docs/decisions/D-35-wall-clock-snapshots.md). One boundary rule
 * everywhere: a timer expires when elapsed ≥ limit (docs/decisions/D-36-one-boundary-rule.md).
 */
import { systemClock, type Clock } from '@sightline/protocol';
import { createError } from '../errors.ts';
import { checkPositiveNumber } from '../options/option-checks.ts';

/** The three states, with Autoplay's string values (they appear in snapshots). */
export const SessionStateName = {
  THINKING: 'thinking',
  PROACTIVE: 'proactive_assistance',
  REACTIVE: 'reactive_assistance',
} as const;

/** One of the {@link SessionStateName} values. */
export type SessionStateName = (typeof SessionStateName)[keyof typeof SessionStateName];

const STATE_VALUES = new Set<string>(Object.values(SessionStateName));

/** Per-tour timings that replace the session's own while that tour is active. */
export interface TourTimings {
  interactionTimeoutS: number;
  cooldownPeriodS: number;
}

/** Looks up a running tour's timings by its provider flow id (`user_tour_id`), as a tour registry does. */
export interface TourTimingsLookup {
  getByUserTourId(userTourId: string): TourTimings | null | undefined;
}

/** What a {@link SessionState.tick} changed. */
export type SessionTickResult = 'none' | 'timed-out' | 'cooldown-cleared';

/** Options of {@link SessionState}. */
export interface SessionStateOptions {
  /** Idle limit in PROACTIVE and REACTIVE, seconds (> 0). Default 20. */
  interactionTimeoutS?: number;
  /** How long proactive offers stay blocked after an idle timeout, seconds (≥ 0). Default 60. */
  cooldownPeriodS?: number;
  /** Time source. Default {@link systemClock}. */
  clock?: Clock;
}

/** The persisted form (`_v: 2`). Field names follow Autoplay's snapshot; every time is epoch milliseconds. */
export interface SessionStateSnapshot {
  _v: 2;
  current_state: SessionStateName;
  last_interaction_at: number;
  interaction_timeout_s: number;
  cooldown_period_s: number;
  visual_guidance_active: boolean;
  active_tour_id: string | null;
  thinking: { cooldown_active: boolean; cooldown_started_at: number; active_cooldown_period_s: number | null };
  proactive: {
    user_clicked_option: boolean;
    time_since_last_interaction_s: number;
    last_message_at: number;
    trigger_id: string | null;
  };
  reactive: { time_since_last_interaction_s: number; last_message_at: number };
}

interface ThinkingSubState {
  cooldownActive: boolean;
  cooldownStartedAt: number;
  /** Set only when a tour supplied its own cooldown (docs/decisions/D-37-cooldown-override.md); otherwise the session's value applies. */
  activeCooldownPeriodS: number | null;
}

interface ProactiveSubState {
  userClickedOption: boolean;
  timeSinceLastInteractionS: number;
  lastMessageAt: number;
  triggerId: string | null;
}

interface ReactiveSubState {
  timeSinceLastInteractionS: number;
  lastMessageAt: number;
}

const DEFAULT_INTERACTION_TIMEOUT_S = 20;
const DEFAULT_COOLDOWN_PERIOD_S = 60;

/**
 * One conversation's assistance state.
 *
 * | from \ operation      | transitionToProactive            | transitionToReactive         | tick, idle ≥ timeout  | tick, cooldown elapsed | setVisualGuidance |
 * |-----------------------|----------------------------------|------------------------------|-----------------------|------------------------|-------------------|
 * | THINKING, no cooldown | → PROACTIVE, `true`              | → REACTIVE                   | —                     | —                      | error             |
 * | THINKING, cooldown    | `false` (`true` once elapsed)    | → REACTIVE, cooldown cleared | —                     | cooldown cleared       | error             |
 * | PROACTIVE             | error                            | → REACTIVE                   | → THINKING + cooldown | n/a                    | ok                |
 * | REACTIVE              | error                            | error                        | → THINKING + cooldown | n/a                    | ok                |
 *
 * Errors are `SightlineError` with code `SL_STATE_TRANSITION_INVALID`. Timeouts are noticed only when
 * {@link SessionState.tick} runs: call it on every event and on a background pulse (every ~5 s).
 *
 * @example
 * const state = new SessionState({ interactionTimeoutS: 60, cooldownPeriodS: 120 });
 * if (state.transitionToProactive('user_page_dwell')) sendOffer();
 * state.tick();
 * await redis.set(key, JSON.stringify(state.toSnapshot()));
 */
export class SessionState {
  private readonly clock: Clock;
  private currentState: SessionStateName = SessionStateName.THINKING;
  private lastInteraction: number;
  private timeoutS: number;
  private cooldownS: number;
  private visualGuidance = false;
  private tourId: string | null = null;
  private thinking: ThinkingSubState = { cooldownActive: false, cooldownStartedAt: 0, activeCooldownPeriodS: null };
  private proactive: ProactiveSubState;
  private reactive: ReactiveSubState;

  constructor(options: SessionStateOptions = {}) {
    this.clock = options.clock ?? systemClock;
    this.timeoutS = checkPositiveNumber('interactionTimeoutS', options.interactionTimeoutS ?? DEFAULT_INTERACTION_TIMEOUT_S);
    this.cooldownS = checkPositiveNumber('cooldownPeriodS', options.cooldownPeriodS ?? DEFAULT_COOLDOWN_PERIOD_S, true);
    const now = this.clock.now();
    this.lastInteraction = now;
    this.proactive = freshProactive(now, null);
    this.reactive = freshReactive(now);
  }

  /** The current state. */
  get state(): SessionStateName {
    return this.currentState;
  }

  /** When the last chatbot or tour interaction happened, epoch ms. */
  get lastInteractionAt(): number {
    return this.lastInteraction;
  }

  /** The session's idle limit in PROACTIVE and REACTIVE, seconds. */
  get interactionTimeoutS(): number {
    return this.timeoutS;
  }

  /** The session's cooldown after an idle timeout, seconds. */
  get cooldownPeriodS(): number {
    return this.cooldownS;
  }

  /** True while a tour overlay is running. */
  get isVisualGuidanceActive(): boolean {
    return this.visualGuidance;
  }

  /** The running tour's provider flow id, or null. */
  get activeTourId(): string | null {
    return this.tourId;
  }

  /** True while THINKING has a cooldown that has not been cleared by a tick yet. */
  get isCooldownActive(): boolean {
    return this.thinking.cooldownActive;
  }

  /** The trigger that opened the current (or last) proactive offer. */
  get proactiveTriggerId(): string | null {
    return this.proactive.triggerId;
  }

  /** True once the user clicked an option of the current proactive offer. */
  get hasUserClickedOption(): boolean {
    return this.proactive.userClickedOption;
  }

  /** Seconds since the current state's own timer was last reset, as of the last tick. */
  get timeSinceLastInteractionS(): number {
    if (this.currentState === SessionStateName.PROACTIVE) return this.proactive.timeSinceLastInteractionS;
    if (this.currentState === SessionStateName.REACTIVE) return this.reactive.timeSinceLastInteractionS;
    return 0;
  }

  /** Whether {@link transitionToProactive} would succeed now (THINKING and no running cooldown). Changes nothing. */
  canGoProactive(): boolean {
    if (this.currentState !== SessionStateName.THINKING) return false;
    return !this.thinking.cooldownActive || this.cooldownElapsed(this.clock.now());
  }

  /**
   * THINKING → PROACTIVE. Clears an elapsed cooldown first; while a cooldown still runs nothing
   * changes and the result is `false`.
   *
   * @param triggerId the proactive trigger that fired, kept for the host.
   * @throws SightlineError `SL_STATE_TRANSITION_INVALID` from PROACTIVE or REACTIVE.
   */
  transitionToProactive(triggerId: string | null = null): boolean {
    this.requireState('transitionToProactive', SessionStateName.THINKING);
    const now = this.clock.now();
    this.tickThinking(now);
    if (this.thinking.cooldownActive) return false;
    this.lastInteraction = now;
    this.currentState = SessionStateName.PROACTIVE;
    this.proactive = freshProactive(now, triggerId);
    return true;
  }

  /**
   * THINKING or PROACTIVE → REACTIVE: the user started a chat, or answered a proactive offer
   * (docs/decisions/D-38-reply-to-an-offer.md). Resets the idle timer and clears any cooldown.
   *
   * @throws SightlineError `SL_STATE_TRANSITION_INVALID` from REACTIVE.
   */
  transitionToReactive(): void {
    this.requireState('transitionToReactive', SessionStateName.THINKING, SessionStateName.PROACTIVE);
    const now = this.clock.now();
    this.lastInteraction = now;
    this.currentState = SessionStateName.REACTIVE;
    this.reactive = freshReactive(now);
    this.clearCooldown();
  }

  /**
   * Applies time: in THINKING clears an elapsed cooldown; in PROACTIVE or REACTIVE, once
   * `now - lastInteractionAt ≥ timeout`, returns to THINKING, ends visual guidance and starts the
   * cooldown. A running tour found in `tours` supplies its own timeout and cooldown.
   */
  tick(tours?: TourTimingsLookup): SessionTickResult {
    const now = this.clock.now();
    if (this.currentState === SessionStateName.THINKING) return this.tickThinking(now) ? 'cooldown-cleared' : 'none';
    const tour = tours && this.tourId !== null ? (tours.getByUserTourId(this.tourId) ?? null) : null;
    const timeoutS = tour ? tour.interactionTimeoutS : this.timeoutS;
    if (now - this.lastInteraction >= timeoutS * 1000) {
      this.currentState = SessionStateName.THINKING;
      this.visualGuidance = false;
      this.tourId = null;
      // Only a tour's own cooldown is pinned; otherwise the session's current value applies
      // (docs/decisions/D-37-cooldown-override.md).
      this.startCooldown(now, tour ? tour.cooldownPeriodS : null);
      return 'timed-out';
    }
    if (this.currentState === SessionStateName.PROACTIVE) {
      this.proactive.timeSinceLastInteractionS = (now - this.proactive.lastMessageAt) / 1000;
    } else {
      this.reactive.timeSinceLastInteractionS = (now - this.reactive.lastMessageAt) / 1000;
    }
    return 'none';
  }

  /** Any chatbot or tour interaction: resets `lastInteractionAt`. */
  recordAnyInteraction(): void {
    this.lastInteraction = this.clock.now();
  }

  /** The user did something in the conversation: any-interaction, plus the current state's own timer. */
  recordUserInteraction(): void {
    this.recordAnyInteraction();
    this.resetStateTimer();
  }

  /** The user clicked an option of an offer: any-interaction; in PROACTIVE it is also remembered and resets the timer. */
  recordOptionClick(): void {
    this.recordAnyInteraction();
    if (this.currentState === SessionStateName.PROACTIVE) {
      this.proactive.userClickedOption = true;
      this.resetStateTimer();
    }
  }

  /** The user reacted to a message: any-interaction plus a timer reset. */
  recordReaction(): void {
    this.recordAnyInteraction();
    this.resetStateTimer();
  }

  /** A tour advanced a step: keeps the session alive without chat. */
  recordTourStep(): void {
    this.recordAnyInteraction();
    this.resetStateTimer();
  }

  /**
   * Starts or ends a tour overlay. Starting counts as an interaction; ending does not reset the timer.
   *
   * @throws SightlineError `SL_STATE_TRANSITION_INVALID` in THINKING (docs/decisions/D-40-docs-follow-code.md).
   */
  setVisualGuidance(active: boolean, tourId: string | null = null): void {
    this.requireState('setVisualGuidance', SessionStateName.PROACTIVE, SessionStateName.REACTIVE);
    if (active) {
      this.visualGuidance = true;
      this.tourId = tourId;
      this.recordAnyInteraction();
    } else {
      this.visualGuidance = false;
      this.tourId = null;
    }
  }

  /** The state as a `_v: 2` snapshot (plain JSON, epoch ms). */
  toSnapshot(): SessionStateSnapshot {
    return {
      _v: 2,
      current_state: this.currentState,
      last_interaction_at: this.lastInteraction,
      interaction_timeout_s: this.timeoutS,
      cooldown_period_s: this.cooldownS,
      visual_guidance_active: this.visualGuidance,
      active_tour_id: this.tourId,
      thinking: {
        cooldown_active: this.thinking.cooldownActive,
        cooldown_started_at: this.thinking.cooldownStartedAt,
        active_cooldown_period_s: this.thinking.activeCooldownPeriodS,
      },
      proactive: {
        user_clicked_option: this.proactive.userClickedOption,
        time_since_last_interaction_s: this.proactive.timeSinceLastInteractionS,
        last_message_at: this.proactive.lastMessageAt,
        trigger_id: this.proactive.triggerId,
      },
      reactive: {
        time_since_last_interaction_s: this.reactive.timeSinceLastInteractionS,
        last_message_at: this.reactive.lastMessageAt,
      },
    };
  }

  /**
   * Restores a snapshot. `_v: 2` keeps its wall-clock times; Autoplay's `_v: 1` holds monotonic readings that mean
   * nothing here, so its timers restart at now (docs/decisions/D-35-wall-clock-snapshots.md). `current_state` and
   * `last_interaction_at` are required; everything else falls back to the defaults.
   *
   * @throws SightlineError `SL_STATE_SNAPSHOT_INVALID` for anything else.
   */
  static fromSnapshot(snapshot: unknown, options: { clock?: Clock } = {}): SessionState {
    const clock = options.clock ?? systemClock;
    const now = clock.now();
    const root = snapshotObject(snapshot, 'snapshot');
    const version = root._v;
    if (version !== 1 && version !== 2) throw invalidSnapshot(`unknown version ${JSON.stringify(version)}`);
    const isLegacy = version === 1;
    const stateName = root.current_state;
    if (typeof stateName !== 'string' || !STATE_VALUES.has(stateName)) {
      throw invalidSnapshot(`current_state ${JSON.stringify(stateName)} is not a known state`);
    }
    const lastInteraction = readNumber(root, 'last_interaction_at', undefined);
    const thinking = root.thinking === undefined ? {} : snapshotObject(root.thinking, 'thinking');
    const proactive = root.proactive === undefined ? {} : snapshotObject(root.proactive, 'proactive');
    const reactive = root.reactive === undefined ? {} : snapshotObject(root.reactive, 'reactive');

    const interactionTimeoutS = readNumber(root, 'interaction_timeout_s', DEFAULT_INTERACTION_TIMEOUT_S);
    const cooldownPeriodS = readNumber(root, 'cooldown_period_s', DEFAULT_COOLDOWN_PERIOD_S);
    if (interactionTimeoutS <= 0) throw invalidSnapshot('interaction_timeout_s must be > 0');
    if (cooldownPeriodS < 0) throw invalidSnapshot('cooldown_period_s must be >= 0');
    const state = new SessionState({ clock, interactionTimeoutS, cooldownPeriodS });
    // A v1 reading is process-monotonic: only "now" is a meaningful replacement for it.
    const at = (value: number) => (isLegacy ? now : value);
    state.currentState = stateName as SessionStateName;
    state.lastInteraction = at(lastInteraction);
    state.visualGuidance = readBoolean(root, 'visual_guidance_active');
    state.tourId = readNullableString(root, 'active_tour_id');
    state.thinking = {
      cooldownActive: readBoolean(thinking, 'cooldown_active'),
      cooldownStartedAt: at(readNumber(thinking, 'cooldown_started_at', 0)),
      activeCooldownPeriodS: readNullableNumber(thinking, 'active_cooldown_period_s'),
    };
    if (!state.thinking.cooldownActive && isLegacy) state.thinking.cooldownStartedAt = 0;
    state.proactive = {
      userClickedOption: readBoolean(proactive, 'user_clicked_option'),
      timeSinceLastInteractionS: isLegacy ? 0 : readNumber(proactive, 'time_since_last_interaction_s', 0),
      lastMessageAt: at(readNumber(proactive, 'last_message_at', now)),
      triggerId: readNullableString(proactive, 'trigger_id'),
    };
    state.reactive = {
      timeSinceLastInteractionS: isLegacy ? 0 : readNumber(reactive, 'time_since_last_interaction_s', 0),
      lastMessageAt: at(readNumber(reactive, 'last_message_at', now)),
    };
    return state;
  }

  private requireState(operation: string, ...allowed: SessionStateName[]): void {
    if (!allowed.includes(this.currentState)) {
      throw createError('SL_STATE_TRANSITION_INVALID', { operation, from: this.currentState });
    }
  }

  private cooldownElapsed(now: number): boolean {
    const periodS = this.thinking.activeCooldownPeriodS ?? this.cooldownS;
    return now - this.thinking.cooldownStartedAt >= periodS * 1000;
  }

  /** Clears an elapsed cooldown; true when it did. */
  private tickThinking(now: number): boolean {
    if (!this.thinking.cooldownActive || !this.cooldownElapsed(now)) return false;
    this.clearCooldown();
    return true;
  }

  private startCooldown(now: number, overrideS: number | null): void {
    this.thinking = { cooldownActive: true, cooldownStartedAt: now, activeCooldownPeriodS: overrideS };
  }

  private clearCooldown(): void {
    this.thinking = { cooldownActive: false, cooldownStartedAt: 0, activeCooldownPeriodS: null };
  }

  private resetStateTimer(): void {
    const now = this.clock.now();
    if (this.currentState === SessionStateName.PROACTIVE) {
      this.proactive.lastMessageAt = now;
      this.proactive.timeSinceLastInteractionS = 0;
    } else if (this.currentState === SessionStateName.REACTIVE) {
      this.reactive.lastMessageAt = now;
      this.reactive.timeSinceLastInteractionS = 0;
    }
  }
}

function freshProactive(now: number, triggerId: string | null): ProactiveSubState {
  return { userClickedOption: false, timeSinceLastInteractionS: 0, lastMessageAt: now, triggerId };
}

function freshReactive(now: number): ReactiveSubState {
  return { timeSinceLastInteractionS: 0, lastMessageAt: now };
}

function invalidSnapshot(reason: string) {
  return createError('SL_STATE_SNAPSHOT_INVALID', { reason });
}

/** A snapshot part that must be an object; anything else makes the snapshot invalid. */
function snapshotObject(value: unknown, name: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalidSnapshot(`${name} is not an object`);
  return value as Record<string, unknown>;
}

function readNumber(record: Record<string, unknown>, field: string, fallback: number | undefined): number {
  const value = record[field];
  if (value === undefined || value === null) {
    if (fallback === undefined) throw invalidSnapshot(`${field} is required`);
    return fallback;
  }
  if (typeof value !== 'number' || !Number.isFinite(value)) throw invalidSnapshot(`${field} is not a finite number`);
  return value;
}

function readNullableNumber(record: Record<string, unknown>, field: string): number | null {
  const value = record[field];
  if (value === undefined || value === null) return null;
  return readNumber(record, field, undefined);
}

function readBoolean(record: Record<string, unknown>, field: string): boolean {
  const value = record[field];
  if (value === undefined || value === null) return false;
  if (typeof value !== 'boolean') throw invalidSnapshot(`${field} is not a boolean`);
  return value;
}

function readNullableString(record: Record<string, unknown>, field: string): string | null {
  const value = record[field];
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') throw invalidSnapshot(`${field} is not a string`);
  return value;
}
