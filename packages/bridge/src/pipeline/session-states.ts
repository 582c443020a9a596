/**
 * One v2 SessionState per (product, session), kept by the bridge (the state is actually used:
 * docs/decisions/D-48-bridge-state-and-reset.md). Ticked on every payload of its session and whenever it is read; in
 * memory also on a background pulse, so idle timeouts are noticed even when nothing arrives. A chat message marks the
 * user's sessions REACTIVE (docs/decisions/D-38-reply-to-an-offer.md allows it from PROACTIVE). Where the states live
 * is a backend: this process's memory (the default) or Redis (redis-session-states.ts), shared by every bridge of the
 * product.
 */
import { SessionState, SessionStateName, systemClock, type Clock, type SessionKey, type TimerHandle } from '@sightline/sdk';
import { LruMap } from '@sightline/sdk/internal';

/** Where the session states live. */
export interface SessionStateBackend {
  /** The session's state, if tracked (memory hands back the live object; Redis a copy restored from its snapshot). */
  load(key: SessionKey): Promise<SessionState | undefined>;
  /** Stores the session's state after a change. */
  save(key: SessionKey, state: SessionState): Promise<void>;
  /** Forgets a session; resolves to whether it was tracked. */
  delete(key: SessionKey): Promise<boolean>;
  /** Every tracked state (for the counts). */
  all(): Promise<SessionState[]>;
}

/** Options of {@link SessionStates}. */
export interface SessionStatesOptions {
  /** Idle seconds before REACTIVE/PROACTIVE return to THINKING (default 60, the Rasa recipe's value). */
  interactionTimeoutS?: number;
  /** Cooldown seconds after that (default 120). */
  cooldownPeriodS?: number;
  /** Sessions kept by the default memory backend, least recently touched dropped (default 50000). */
  maxSessions?: number;
  /** Where the states live (default: {@link MemorySessionStateBackend} of `maxSessions`). */
  backend?: SessionStateBackend;
  /** Background tick interval in ms (default 5000, the docs' suggestion). */
  pulseMs?: number;
  clock?: Clock;
}

/** How many sessions are in each state. */
export type SessionStateCounts = Record<SessionStateName, number>;

function keyId(key: SessionKey): string {
  return `${key.productId}\u001f${key.sessionId}`;
}

/** Session states in this process's memory, LRU-bounded. */
export class MemorySessionStateBackend implements SessionStateBackend {
  private readonly states: LruMap<string, SessionState>;

  constructor(options: { maxSessions?: number } = {}) {
    this.states = new LruMap(options.maxSessions ?? 50_000);
  }

  async load(key: SessionKey): Promise<SessionState | undefined> {
    return this.states.get(keyId(key));
  }

  async save(key: SessionKey, state: SessionState): Promise<void> {
    // The live object was changed in place; set only adds a new one (and keeps the recency order).
    if (this.states.peek(keyId(key)) !== state) this.states.set(keyId(key), state);
  }

  async delete(key: SessionKey): Promise<boolean> {
    return this.states.delete(keyId(key));
  }

  async all(): Promise<SessionState[]> {
    return [...this.states.values()];
  }

  /** Ticks every state in place (the pulse). */
  tickAll(): void {
    for (const state of this.states.values()) state.tick();
  }

  get size(): number {
    return this.states.size;
  }
}

/**
 * The bridge's table of session state machines.
 *
 * @example
 * const states = new SessionStates({ clock });
 * await states.touch({ productId: 'acme', sessionId: 's1' }); // on an actions payload
 * await states.markReactive({ productId: 'acme', sessionId: 's1' }); // the user chatted
 */
export class SessionStates {
  private readonly backend: SessionStateBackend;
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
    this.backend = options.backend ?? new MemorySessionStateBackend({ maxSessions: options.maxSessions ?? 50_000 });
  }

  /** The session's state (created in THINKING when new), ticked. Call on each payload of the session. */
  async touch(key: SessionKey): Promise<SessionState> {
    const state = await this.ticked(key);
    await this.backend.save(key, state);
    return state;
  }

  /** The user sent a chat message about this session: REACTIVE, idle timer reset. */
  async markReactive(key: SessionKey): Promise<SessionState> {
    const state = await this.ticked(key);
    if (state.state === SessionStateName.REACTIVE) state.recordUserInteraction();
    else state.transitionToReactive();
    await this.backend.save(key, state);
    return state;
  }

  /**
   * A proactive offer opens: THINKING → PROACTIVE, when the state allows it now (no cooldown). Resolves to whether it
   * moved; from PROACTIVE or REACTIVE it does not (a chatting user is never interrupted).
   */
  async markProactive(key: SessionKey, triggerId: string): Promise<boolean> {
    const state = await this.ticked(key);
    if (state.state !== SessionStateName.THINKING || !state.transitionToProactive(triggerId)) return false;
    await this.backend.save(key, state);
    return true;
  }

  /** The session's state, ticked to now, if tracked; nothing is stored. */
  async get(key: SessionKey): Promise<SessionState | undefined> {
    const state = await this.backend.load(key);
    state?.tick();
    return state;
  }

  /** Forgets a session. */
  delete(key: SessionKey): Promise<boolean> {
    return this.backend.delete(key);
  }

  /** Number of sessions in each state, as of now. */
  async counts(): Promise<SessionStateCounts> {
    const counts: SessionStateCounts = { [SessionStateName.THINKING]: 0, [SessionStateName.PROACTIVE]: 0, [SessionStateName.REACTIVE]: 0 };
    for (const state of await this.backend.all()) {
      state.tick();
      counts[state.state]++;
    }
    return counts;
  }

  /**
   * Starts the background pulse, which ticks the states of the memory backend in place. States in Redis need none:
   * a tick depends only on the time, and every read ticks.
   */
  start(): void {
    if (this.running || !(this.backend instanceof MemorySessionStateBackend)) return;
    const backend = this.backend;
    this.running = true;
    const pulse = () => {
      if (!this.running) return;
      backend.tickAll();
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

  private async ticked(key: SessionKey): Promise<SessionState> {
    const state =
      (await this.backend.load(key)) ?? new SessionState({ interactionTimeoutS: this.interactionTimeoutS, cooldownPeriodS: this.cooldownPeriodS, clock: this.clock });
    state.tick();
    return state;
  }
}
