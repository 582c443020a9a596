/**
 * Condenses long sessions with an LLM (docs/reference/wire-contract.md#summarizer). Actions are counted per (product,
 * session); when a session's pending count reaches the threshold, its whole pending history goes to the model in the
 * background, together with the session's previous summary, and the result (the rolling story of the session,
 * docs/rolling-summaries.md) reaches every listener. Sightline's differences from Autoplay: the LLM never runs on the
 * caller's path (docs/decisions/D-18-llm-off-the-path.md), one call at a time per session, failures restore the
 * history in order and retry with backoff (docs/decisions/D-15-summary-failures-keep-history.md,
 * docs/decisions/D-16-retry-and-cap.md), idle sessions are summarised rather than discarded
 * (docs/decisions/D-14-idle-sessions-summarised.md), anonymous sessions are never pooled
 * (docs/decisions/D-17-no-shared-anonymous-key.md), and consumers subscribe instead of overwriting one callback
 * (docs/decisions/D-24-summary-listeners.md).
 */
import { formatActionList, systemClock, type ActionsPayload, type Clock, type TimerHandle } from '@sightline/protocol';
import { backoffDelay } from '@sightline/protocol';
import { createError } from '../errors.ts';
import type { LlmFunction, SummaryInput } from '../llm.ts';
import { LruMap } from '../lru/lru-map.ts';
import { checkFunction, checkInteger, checkPositiveNumber, resolveLimit } from '../options/option-checks.ts';
import { assertSessionKey, sessionKeyId, sessionKeyOf, type SessionKey } from '../session-key/session-key.ts';
import { countActions, trimToRecentActions } from '../context-store/trim-actions.ts';
import { ACTIONS_PLACEHOLDER, DEFAULT_SUMMARY_PROMPT, renderSummaryPrompt } from './default-prompt.ts';
import { localSummaryLease, type LeaseRelease, type SummaryLease } from './summary-lease.ts';

/** A summary produced for one session. */
export interface SessionSummary {
  productId: string;
  sessionId: string;
  /** The model's text, trimmed: the session's story so far, this summary's actions included. */
  summary: string;
  /** The story the model was given to continue (the session's previous summary), or null for the first. */
  previousSummary: string | null;
  /** How many actions it adds to the story (those of `actions`). */
  replaces: number;
  /** The batches it condenses, oldest first. */
  actions: ActionsPayload[];
  /** When it was produced, epoch ms. */
  createdAt: number;
}

/** Receives each summary; a returned promise is awaited before the session's next summary is delivered (other values are ignored). */
export type SummaryListener = (summary: SessionSummary) => unknown;

/** Where a summarizer failure happened: the model call (history restored) or a listener (logged only). */
export interface SummarizerErrorContext {
  stage: 'llm' | 'listener';
  productId: string;
  sessionId: string;
}

/** Exponential backoff after LLM failures: `initialMs · 2^(failures-1)`, capped at `maxMs`. */
export interface RetryBackoffOptions {
  /** Default 1,000 ms. */
  initialMs?: number;
  /** Default 60,000 ms. */
  maxMs?: number;
}

/** Options of {@link SessionSummarizer}. */
export interface SessionSummarizerOptions {
  /** The model: a prompt in, the summary text out; it also receives the {@link SummaryInput} behind the prompt. */
  llm: LlmFunction;
  /** Pending actions that trigger a summary (≥ 1). Default 10. */
  threshold?: number;
  /**
   * A custom prompt template. Every `{actions}` is replaced by the action list and every
   * `{previous_summary}` by the session's story so far (or "(none yet)"); other braces are literal.
   * A template without `{previous_summary}` still works: the story is put in front of it as an
   * `Earlier in this session: …` paragraph. `{actions}` is required. Empty or absent:
   * {@link DEFAULT_SUMMARY_PROMPT}.
   */
  prompt?: string | null;
  /** Renders the pending batches for the prompt. Default `formatActionList` (`n. [index] type: …`). */
  formatActions?: (payloads: readonly ActionsPayload[]) => string;
  /** Most sessions tracked; the least recently active is dropped beyond it, `null` for no bound. Default 10,000. */
  maxSessions?: number | null;
  /** Most pending actions per session (≥ threshold); the oldest beyond it are dropped and counted. Default 500. */
  maxPendingActions?: number;
  /**
   * Backoff before retrying after an LLM failure; the retry summarises everything pending then.
   * `false`: no timer, the next `add()` for the session retries (Autoplay's behaviour). Default on.
   */
  retryBackoff?: RetryBackoffOptions | false;
  /**
   * A session with no new payload for this long has its pending actions summarised (even below the
   * threshold) and is then forgotten, `null` to keep sessions until evicted. Default 300,000 ms.
   */
  idleTimeoutMs?: number | null;
  /** Time source for backoff and idle timers. Default {@link systemClock}. */
  clock?: Clock;
  /**
   * Taken per session around each model call and its delivery, so that one of several summarizers fed the same
   * stream makes the summary; a summarizer that cannot take it leaves those actions to the holder. Default
   * {@link localSummaryLease} (always granted); `RedisSummaryLease` shares it between processes.
   */
  lease?: SummaryLease;
  /** How long a lease lasts when its holder never releases it (it died), ms. Longer than a model call. Default 120,000. */
  leaseTtlMs?: number;
  /**
   * Reads the story the next summary continues, under the lease, just before the model call. Default: this
   * summarizer's own memory (its latest summary). Summarizers that share one store and each see part of a session
   * (bridges on Redis) read it from the store, so their summaries continue each other's.
   *
   * @example readStory: async (key) => (await backend.read(key))?.summary?.text ?? null
   */
  readStory?: (key: SessionKey) => Promise<string | null>;
  /** Reports failures (the summarizer itself never throws them). Default: `console.warn`. */
  onError?: (error: unknown, context: SummarizerErrorContext) => void;
}

interface SummarizerSession {
  readonly key: SessionKey;
  readonly id: string;
  history: ActionsPayload[];
  count: number;
  running: Promise<void> | null;
  failures: number;
  retryTimer: TimerHandle | null;
  idleTimer: TimerHandle | null;
  lastAddAt: number;
  /** Bumped by reset(): a call started before it must not restore what reset() dropped. */
  generation: number;
}

function warn(error: unknown, context: SummarizerErrorContext): void {
  const reason = error instanceof Error ? error.message : String(error);
  console.warn(`[sightline] summarizer ${context.stage} failed for session ${context.sessionId} (${context.productId}): ${reason}`);
}

/**
 * Summarises each session every `threshold` actions.
 *
 * @example
 * const summarizer = new SessionSummarizer({ llm: (prompt) => callModel(prompt), threshold: 10 });
 * const unsubscribe = summarizer.onSummary(({ sessionId, summary }) => save(sessionId, summary));
 * client.onActions((payload) => summarizer.add(payload));
 * await summarizer.close(); // summarises what is pending, waits for running calls
 */
export class SessionSummarizer {
  /** Pending actions that trigger a summary. */
  readonly threshold: number;
  private readonly llm: LlmFunction;
  private readonly template: string;
  private readonly formatActions: (payloads: readonly ActionsPayload[]) => string;
  private readonly maxPendingActions: number;
  private readonly backoff: Required<RetryBackoffOptions> | null;
  private readonly idleTimeoutMs: number | null;
  private readonly clock: Clock;
  private readonly reportError: (error: unknown, context: SummarizerErrorContext) => void;
  private readonly sessions: LruMap<string, SummarizerSession>;
  /** Each session's latest summary, kept apart from `sessions` so an idle session's story outlives its worker. */
  private readonly stories: LruMap<string, string>;
  private readonly listeners: SummaryListener[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  private readonly lease: SummaryLease;
  private readonly leaseTtlMs: number;
  private readonly readStory: ((key: SessionKey) => Promise<string | null>) | undefined;
  private dropped = 0;
  private isClosed = false;

  constructor(options: SessionSummarizerOptions) {
    this.llm = checkFunction('llm', options?.llm);
    this.threshold = checkInteger('threshold', options.threshold ?? 10);
    const prompt = options.prompt || DEFAULT_SUMMARY_PROMPT;
    if (!prompt.includes(ACTIONS_PLACEHOLDER)) {
      throw createError('SL_CONFIG_INVALID', { option: 'prompt', reason: `the template must contain ${ACTIONS_PLACEHOLDER}` });
    }
    this.template = prompt;
    this.formatActions = options.formatActions ? checkFunction('formatActions', options.formatActions) : formatActionList;
    const maxSessions = resolveLimit('maxSessions', options.maxSessions, 10_000, checkInteger);
    this.sessions = new LruMap(maxSessions);
    this.stories = new LruMap(maxSessions);
    this.maxPendingActions = checkInteger('maxPendingActions', options.maxPendingActions ?? Math.max(500, this.threshold), this.threshold);
    this.backoff =
      options.retryBackoff === false
        ? null
        : {
            initialMs: checkPositiveNumber('retryBackoff.initialMs', options.retryBackoff?.initialMs ?? 1_000),
            maxMs: checkPositiveNumber('retryBackoff.maxMs', options.retryBackoff?.maxMs ?? 60_000),
          };
    this.idleTimeoutMs = resolveLimit('idleTimeoutMs', options.idleTimeoutMs, 300_000, checkPositiveNumber);
    this.clock = options.clock ?? systemClock;
    this.reportError = options.onError ?? warn;
    this.lease = options.lease ?? localSummaryLease;
    this.leaseTtlMs = checkPositiveNumber('leaseTtlMs', options.leaseTtlMs ?? 120_000);
    this.readStory = options.readStory === undefined ? undefined : checkFunction('readStory', options.readStory);
  }

  /**
   * Subscribes to summaries. Listeners run in subscription order; their errors are reported and do
   * not stop the others. Returns a function that unsubscribes.
   */
  onSummary(listener: SummaryListener): () => void {
    checkFunction('listener', listener);
    this.listeners.push(listener);
    return () => {
      const at = this.listeners.indexOf(listener);
      if (at >= 0) this.listeners.splice(at, 1);
    };
  }

  /**
   * Adds a batch to its session's pending history; returns at once (the model is called in the
   * background). Returns false when the payload was not taken: it is not an `actions` batch, no
   * session could be attributed to it (no session id and no distinct id), or the summarizer is closed.
   */
  add(payload: ActionsPayload): boolean {
    if (this.isClosed || payload?.type !== 'actions') return false;
    const key = sessionKeyOf(payload);
    if (!key) return false;
    const id = sessionKeyId(key);
    let session = this.sessions.get(id);
    if (!session) {
      session = {
        key,
        id,
        history: [],
        count: 0,
        running: null,
        failures: 0,
        retryTimer: null,
        idleTimer: null,
        lastAddAt: 0,
        generation: 0,
      };
      // Autoplay's rule for LRU eviction: an evicted session's pending actions are not summarised.
      for (const [, evicted] of this.sessions.set(id, session)) this.forget(evicted);
    }
    session.history.push(payload);
    session.count += payload.actions.length;
    this.capPending(session);
    session.lastAddAt = this.clock.now();
    this.armIdle(session, this.idleTimeoutMs);
    this.maybeStart(session, false);
    return true;
  }

  /** The session's pending (not yet summarised) actions, formatted as in the prompt, or `""`. */
  getContext(key: SessionKey): string {
    assertSessionKey(key);
    const session = this.sessions.peek(sessionKeyId(key));
    return session && session.history.length > 0 ? this.formatActions(session.history) : '';
  }

  /**
   * The session's story so far: its latest summary, which the next summary continues, or null. Kept
   * after the session goes idle (bounded by `maxSessions`), forgotten by {@link reset}.
   */
  story(key: SessionKey): string | null {
    assertSessionKey(key);
    return this.stories.peek(sessionKeyId(key)) ?? null;
  }

  /** Number of pending actions of a session. */
  pendingCount(key: SessionKey): number {
    assertSessionKey(key);
    return this.sessions.peek(sessionKeyId(key))?.count ?? 0;
  }

  /** Sessions with pending actions, least recently active first. */
  activeSessions(): SessionKey[] {
    const keys: SessionKey[] = [];
    for (const [, session] of this.sessions) if (session.count > 0) keys.push({ ...session.key });
    return keys;
  }

  /** Actions dropped so far because a session's pending history exceeded `maxPendingActions`. */
  get droppedActions(): number {
    return this.dropped;
  }

  /**
   * Drops a session's pending history and its story without summarising it. A model call already
   * running finishes and its summary is delivered (but does not become the story); if it fails, what
   * it held is not restored. Never blocks (docs/decisions/D-19-reset-and-bounds.md).
   */
  reset(key: SessionKey): void {
    assertSessionKey(key);
    this.stories.delete(sessionKeyId(key));
    const session = this.sessions.peek(sessionKeyId(key));
    if (!session) return;
    session.generation++;
    session.history = [];
    session.count = 0;
    session.failures = 0;
    this.clearTimer(session, 'retryTimer');
    if (!session.running) this.forget(session);
  }

  /** Resolves when every model call running or started meanwhile has finished and been delivered. */
  async flush(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }

  /**
   * Stops taking payloads, cancels timers, summarises every session's pending actions (unless
   * `summarizePending` is false) and waits for all calls. Failures at this point are reported, and
   * their actions are not retried.
   */
  async close(options: { summarizePending?: boolean } = {}): Promise<void> {
    this.isClosed = true;
    for (const [, session] of this.sessions) {
      this.clearTimer(session, 'retryTimer');
      this.clearTimer(session, 'idleTimer');
    }
    await this.flush();
    if (options.summarizePending !== false) {
      for (const [, session] of this.sessions) this.maybeStart(session, true);
      await this.flush();
    }
  }

  private maybeStart(session: SummarizerSession, force: boolean): void {
    if (session.running || session.retryTimer !== null || session.count === 0) return;
    if (!force && session.count < this.threshold) return;
    this.start(session);
  }

  private start(session: SummarizerSession): void {
    const snapshot = session.history;
    const snapshotCount = session.count;
    const generation = session.generation;
    session.history = [];
    session.count = 0;
    const run = this.summarize(session, snapshot, snapshotCount, generation).then((succeeded) => {
      this.inFlight.delete(run);
      session.running = null;
      this.afterRun(session, succeeded);
    });
    session.running = run;
    this.inFlight.add(run);
  }

  /** Never rejects: every failure is reported. Resolves to whether the model produced a summary. */
  private async summarize(session: SummarizerSession, snapshot: ActionsPayload[], snapshotCount: number, generation: number): Promise<boolean> {
    // Yield first: the model, and any synchronous work inside it, must never run on add()'s path
    // (docs/decisions/D-18-llm-off-the-path.md).
    await Promise.resolve();
    const { productId, sessionId } = session.key;
    let release: LeaseRelease | null;
    try {
      release = await this.lease.acquire(session.key, this.leaseTtlMs);
    } catch (error) {
      this.report(error, { stage: 'llm', productId, sessionId });
      this.restore(session, snapshot, snapshotCount, generation);
      return false;
    }
    // Another summarizer holds the session: it summarises these same actions.
    if (release === null) return true;
    try {
      return await this.summarizeHeld(session, snapshot, snapshotCount, generation);
    } finally {
      await release().catch((error: unknown) => this.report(error, { stage: 'llm', productId, sessionId }));
    }
  }

  private async summarizeHeld(session: SummarizerSession, snapshot: ActionsPayload[], snapshotCount: number, generation: number): Promise<boolean> {
    const { productId, sessionId } = session.key;
    let previousSummary = this.stories.peek(session.id) ?? null;
    let text: string;
    try {
      if (this.readStory) previousSummary = await this.readStory({ ...session.key });
      const prompt = renderSummaryPrompt(this.template, this.formatActions(snapshot), previousSummary);
      const input: SummaryInput = { previousSummary, actions: snapshot.flatMap((payload) => payload.actions), productId, sessionId };
      const reply: unknown = await this.llm(prompt, input);
      if (typeof reply !== 'string' || reply.trim() === '') throw new Error('the model returned no summary text');
      text = reply.trim();
    } catch (error) {
      this.report(error, { stage: 'llm', productId, sessionId });
      this.restore(session, snapshot, snapshotCount, generation);
      return false;
    }
    session.failures = 0;
    if (generation === session.generation) this.stories.set(session.id, text);
    const summary: SessionSummary = {
      productId,
      sessionId,
      summary: text,
      previousSummary,
      replaces: snapshotCount,
      actions: snapshot,
      createdAt: this.clock.now(),
    };
    for (const listener of [...this.listeners]) {
      try {
        await listener(summary);
      } catch (error) {
        this.report(error, { stage: 'listener', productId, sessionId });
      }
    }
    return true;
  }

  private report(error: unknown, context: SummarizerErrorContext): void {
    try {
      this.reportError(error, context);
    } catch {
      // A failing error reporter must not break the session's worker
      // (docs/decisions/D-15-summary-failures-keep-history.md).
    }
  }

  /** Puts a failed snapshot back in front of whatever arrived meanwhile, so order is kept. */
  private restore(session: SummarizerSession, snapshot: ActionsPayload[], snapshotCount: number, generation: number): void {
    if (generation !== session.generation || this.sessions.peek(session.id) !== session) return;
    session.history = snapshot.concat(session.history);
    session.count += snapshotCount;
    session.failures++;
    this.capPending(session);
    if (this.isClosed) return;
    if (this.backoff) {
      const delay = backoffDelay(session.failures, this.backoff);
      session.retryTimer = this.clock.setTimeout(() => {
        session.retryTimer = null;
        this.maybeStart(session, true);
      }, delay);
    } else {
      // Without a retry timer, restart the idle period so a quiet session is not retried in a tight loop.
      session.lastAddAt = this.clock.now();
      this.armIdle(session, this.idleTimeoutMs);
    }
  }

  private afterRun(session: SummarizerSession, succeeded: boolean): void {
    if (this.sessions.peek(session.id) !== session || this.isClosed) return;
    // After a failure nothing starts straight away: the backoff timer or the next add() retries.
    if (!succeeded) return;
    if (session.count === 0 && session.history.length === 0 && this.isIdle(session)) {
      this.forget(session);
      return;
    }
    this.maybeStart(session, false);
    if (this.idleTimeoutMs !== null) {
      this.armIdle(session, Math.max(0, this.idleTimeoutMs - (this.clock.now() - session.lastAddAt)));
    }
  }

  private isIdle(session: SummarizerSession): boolean {
    return this.idleTimeoutMs !== null && this.clock.now() - session.lastAddAt >= this.idleTimeoutMs;
  }

  /** One idle timer per session, re-armed lazily: adds only move `lastAddAt`, so they never touch timers. */
  private armIdle(session: SummarizerSession, delay: number | null): void {
    if (delay === null || session.idleTimer !== null || this.isClosed) return;
    session.idleTimer = this.clock.setTimeout(() => {
      session.idleTimer = null;
      if (this.sessions.peek(session.id) !== session) return;
      const quietFor = this.clock.now() - session.lastAddAt;
      if (quietFor < delay) {
        this.armIdle(session, delay - quietFor);
        return;
      }
      if (session.running) return; // afterRun() decides once the call finishes.
      if (session.count === 0) {
        this.forget(session);
        return;
      }
      // An idle session's pending actions are summarised, never silently discarded
      // (docs/decisions/D-14-idle-sessions-summarised.md).
      this.maybeStart(session, true);
    }, delay);
  }

  private capPending(session: SummarizerSession): void {
    if (session.count <= this.maxPendingActions) return;
    const kept = trimToRecentActions(session.history, this.maxPendingActions);
    const keptCount = countActions(kept);
    this.dropped += session.count - keptCount;
    session.history = kept;
    session.count = keptCount;
  }

  private forget(session: SummarizerSession): void {
    this.clearTimer(session, 'retryTimer');
    this.clearTimer(session, 'idleTimer');
    if (this.sessions.peek(session.id) === session) this.sessions.delete(session.id);
  }

  private clearTimer(session: SummarizerSession, field: 'retryTimer' | 'idleTimer'): void {
    const handle = session[field];
    if (handle !== null) {
      this.clock.clearTimeout(handle);
      session[field] = null;
    }
  }
}
