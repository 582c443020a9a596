/**
 * One v2 SessionState per (product, session), kept by the bridge (D-48: the state is actually used).
 * Ticked on every payload of its session and on a background pulse, so idle timeouts are noticed even
 * when nothing arrives; a chat message marks the user's sessions REACTIVE (D-38 allows it from PROACTIVE).
 */
import { SessionState, SessionStateName, systemClock, type Clock, type SessionKey, type TimerHandle } from '@sightline/sdk';
import { LruMap } from '../support/lru-map.ts';

/** Options of {@link SessionStates}. */
export interface SessionStatesOptions {
  /** Idle seconds before REACTIVE/PROACTIVE return to THINKING (default 60, the Rasa recipe's value). */
  interactionTimeoutS?: number;
  /** Cooldown seconds after that (default 120). */
  cooldownPeriodS?: number;
  /** Sessions kept, least recently touched dropped (default 50000). */
  maxSessions?: number;
  /** Background tick interval in ms (default 5000, the docs' suggestion). */
  pulseMs?: number;
  clock?: Clock;
}

/** How many sessions are in each state. */
export type SessionStateCounts = Record<SessionStateName, number>;

function keyId(key: SessionKey): string {
  return `${key.productId}\u001f${key.sessionId}`;
}

/**
 * The bridge's table of session state machines.
 *
 * @example
 * const states = new SessionStates({ clock });
 * states.touch({ productId: 'acme', sessionId: 's1' }); // on an actions payload
 * states.markReactive({ productId: 'acme', sessionId: 's1' }); // the user chatted
 */
export class SessionStates {
  private readonly states: LruMap<string, SessionState>;
  private readonly clock: Clock;
  private readonly interactionTimeoutS: number;
  private readonly cooldownPeriodS: number;
  private readonly pulseMs: number;
  private timer: TimerHandle | undefined;
  private running = false;

  constructor(options: SessionStatesOptions = {}) {
    this.clock = options.clock ?? systemClock;
    this.interactionTimeoutS = options.interactionTimeoutS ?? 60;
    this.cooldownPeriodS = options.cooldownPeriodS ?? 120;
    this.pulseMs = options.pulseMs ?? 5000;
    this.states = new LruMap(options.maxSessions ?? 50_000);
  }

  /** The session's state (created in THINKING when new), ticked. Call on each payload of the session. */
  touch(key: SessionKey): SessionState {
    const id = keyId(key);
    let state = this.states.get(id);
    if (!state) {
      state = new SessionState({ interactionTimeoutS: this.interactionTimeoutS, cooldownPeriodS: this.cooldownPeriodS, clock: this.clock });
      this.states.set(id, state);
    }
    state.tick();
    return state;
  }

  /** The user sent a chat message about this session: REACTIVE, idle timer reset. */
  markReactive(key: SessionKey): SessionState {
    const state = this.touch(key);
    if (state.state === SessionStateName.REACTIVE) state.recordUserInteraction();
    else state.transitionToReactive();
    return state;
  }

  /** The session's state without touching it, if tracked. */
  get(key: SessionKey): SessionState | undefined {
    return this.states.peek(keyId(key));
  }

  /** Forgets a session. */
  delete(key: SessionKey): boolean {
    return this.states.delete(keyId(key));
  }

  /** Ticks every tracked session once. */
  tickAll(): void {
    for (const state of this.states.values()) state.tick();
  }

  /** Number of sessions in each state. */
  counts(): SessionStateCounts {
    const counts: SessionStateCounts = { [SessionStateName.THINKING]: 0, [SessionStateName.PROACTIVE]: 0, [SessionStateName.REACTIVE]: 0 };
    for (const state of this.states.values()) counts[state.state]++;
    return counts;
  }

  get size(): number {
    return this.states.size;
  }

  /** Starts the background pulse. */
  start(): void {
    if (this.running) return;
    this.running = true;
    const pulse = () => {
      if (!this.running) return;
      this.tickAll();
      this.timer = this.clock.setTimeout(pulse, this.pulseMs);
    };
    this.timer = this.clock.setTimeout(pulse, this.pulseMs);
  }

  /** Stops the pulse. */
  stop(): void {
    this.running = false;
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }
}
