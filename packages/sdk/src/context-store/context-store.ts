/**
 * Each session's recent actions and story (its rolling summary), ready to paste into a prompt
 * (docs/reference/wire-contract.md#context-store). The output format is Autoplay's, character for character
 * (docs/decisions/D-25-autoplay-text-format.md). Sightline's differences: actions and summaries share one (product,
 * session) key and a read without a product id does not type-check (docs/decisions/D-20-one-session-key.md,
 * docs/decisions/D-23-product-id-required.md); the `get()` text leaves out the actions the summary covers, while they
 * stay stored for the since-block and the session's recent steps, and summaries fold into one story instead of
 * replacing each other (both in docs/rolling-summaries.md); the lookback uses local receipt time
 * (docs/decisions/D-13-local-receipt-time.md); storage sits behind an async {@link ContextBackend}.
 */
import { formatActionList, systemClock, type ActionsPayload, type Clock, type SlimAction, type SummaryPayload } from '@sightline/protocol';
import { checkInteger, checkPositiveNumber, resolveLimit } from '../options/option-checks.ts';
import { assertSessionKey, sessionKeyId, sessionKeyOf, type SessionKey } from '../session-key/session-key.ts';
import type { SessionSummarizer, SessionSummary } from '../summarizer/session-summarizer.ts';
import { UserSessionIndex, type UserIndex } from '../user-index/user-session-index.ts';
import { actionFingerprint, type ContextBackend, type ContextWriteLimits, type SessionRecord, type StoredBatch, type SummaryCoverage } from './backend.ts';
import { MemoryContextBackend } from './memory-backend.ts';
import { uncoveredBatches } from './session-record.ts';
import { countActions, trimToRecentActions } from './trim-actions.ts';

/** Defaults shared with the bridge's configuration (docs/decisions/D-49-one-defaults-table.md). */
export const CONTEXT_DEFAULTS = { lookbackSeconds: 300, maxActions: 30, maxSessions: 10_000 } as const;

/** Options of {@link ContextStore}. */
export interface ContextStoreOptions {
  /** Summaries from this summarizer are stored under their session's key (the store subscribes to it). */
  summarizer?: SessionSummarizer;
  /**
   * Whether `add()` also hands actions to `summarizer`. Default true; set false when something else
   * (an AgentContextWriter) already feeds the same summarizer, so actions are not counted twice.
   */
  feedSummarizer?: boolean;
  /** Include the summary in `get()`. Default true. */
  includeSummary?: boolean;
  /** Include recent actions in `get()`. Default true. */
  includeActions?: boolean;
  /** Actions older than this (by local receipt) are dropped on write and hidden on read, seconds; `null` keeps them. Default 300. */
  lookbackSeconds?: number | null;
  /** Most recent actions kept per session, on write and on read; `null` for no bound. Default 30. */
  maxActions?: number | null;
  /** Most sessions kept, least recently written evicted first; `null` for no bound. Default 10,000. */
  maxSessions?: number | null;
  /** Storage. Default a new {@link MemoryContextBackend}. */
  backend?: ContextBackend;
  /** The user → sessions index `add()` feeds and `forUser()` reads. Default a new one with the same lookback and clock. */
  userIndex?: UserIndex;
  /** Time source for receipt times. Default {@link systemClock}. */
  clock?: Clock;
  /** Reports failures to store a summary (the summarizer's listener never throws). Default `console.warn`. */
  onError?: (error: unknown, context: { stage: 'summary'; productId: string; sessionId: string }) => void;
}

/**
 * Per-call overrides of {@link ContextStoreOptions}. For `lookbackSeconds` and `maxActions`, `null`
 * turns the limit off for the call. Reads can narrow but not widen what storage kept.
 */
export interface ContextReadOptions {
  includeSummary?: boolean;
  includeActions?: boolean;
  lookbackSeconds?: number | null;
  maxActions?: number | null;
}

/** One session's context, as the bridge needs it. */
export interface SessionContext {
  productId: string;
  sessionId: string;
  /** Local receipt time of the session's latest payload, epoch ms, or null when nothing is stored. */
  lastSeenAt: number | null;
  /** The `get()` text. */
  context: string;
  /** The recent actions behind it (after lookback and `maxActions`) that the summary does not cover, oldest first. */
  actions: SlimAction[];
  /**
   * The most recent actions whether the summary covers them or not (after lookback and `maxActions`),
   * oldest first: where the user is now, the last action, the recent steps beside the story.
   */
  recentActions: SlimAction[];
  /** The session's story (its rolling summary), or null before the first summary. */
  summary: string | null;
}

/** Options of {@link ContextStore.forUser}. */
export interface ForUserOptions extends ContextReadOptions {
  /** How many of the user's newest sessions with activity to return. Default 3. */
  sessions?: number;
  /** Only this product's sessions. */
  productId?: string;
}

/** A user's recent activity across their newest sessions. */
export interface UserContext {
  userId: string;
  email: string | null;
  /** Newest first; sessions with no stored context are skipped. */
  sessions: SessionContext[];
  /** `Session {id} ({product}):\n{context}` blocks joined with a blank line, or `""`. */
  text: string;
  hasActivity: boolean;
}

interface ResolvedRead {
  includeSummary: boolean;
  includeActions: boolean;
  lookbackSeconds: number | null;
  maxActions: number | null;
}

/** Whether a batch is the user's: its `user_id`, or one of its actions'. */
function payloadNamesUser(payload: ActionsPayload, userId: string): boolean {
  return payload.user_id === userId || payload.actions.some((action) => action.user_id === userId);
}

function warn(error: unknown, context: { stage: string; productId: string; sessionId: string }): void {
  const reason = error instanceof Error ? error.message : String(error);
  console.warn(`[sightline] context store ${context.stage} failed for session ${context.sessionId} (${context.productId}): ${reason}`);
}

/**
 * Recent activity and summaries per (product, session).
 *
 * @example
 * const store = new ContextStore({ summarizer, lookbackSeconds: 300, maxActions: 30 });
 * client.onActions((payload) => store.add(payload));
 * const text = await store.get({ productId: payload.product_id, sessionId });
 * // "Summary: …\n\nRecent activity:\n1. [4] click: User clicked Export — /reports"
 */
export class ContextStore {
  /** The index `forUser()` reads. */
  readonly userIndex: UserIndex;
  private readonly backend: ContextBackend;
  private readonly clock: Clock;
  private readonly defaults: ResolvedRead;
  private readonly maxSessions: number | null;
  private readonly summarizer: SessionSummarizer | undefined;
  private readonly feedSummarizer: boolean;
  private readonly reportError: NonNullable<ContextStoreOptions['onError']>;
  private readonly unsubscribe: (() => void) | undefined;

  constructor(options: ContextStoreOptions = {}) {
    this.clock = options.clock ?? systemClock;
    this.defaults = {
      includeSummary: options.includeSummary ?? true,
      includeActions: options.includeActions ?? true,
      lookbackSeconds: resolveLimit('lookbackSeconds', options.lookbackSeconds, CONTEXT_DEFAULTS.lookbackSeconds, checkPositiveNumber),
      maxActions: resolveLimit('maxActions', options.maxActions, CONTEXT_DEFAULTS.maxActions, checkInteger),
    };
    this.maxSessions = resolveLimit('maxSessions', options.maxSessions, CONTEXT_DEFAULTS.maxSessions, checkInteger);
    this.backend = options.backend ?? new MemoryContextBackend();
    this.userIndex =
      options.userIndex ??
      new UserSessionIndex({ lookbackSeconds: this.defaults.lookbackSeconds ?? CONTEXT_DEFAULTS.lookbackSeconds, clock: this.clock });
    this.reportError = options.onError ?? warn;
    this.summarizer = options.summarizer;
    this.feedSummarizer = options.feedSummarizer ?? true;
    this.unsubscribe = this.summarizer?.onSummary((summary) => this.storeSummary(summary));
  }

  /**
   * Stores a payload under its (product, session) key. An `actions` batch is appended (and handed to
   * the summarizer and the user index); a connector's `summary` is folded into the session's story
   * (the earlier story is kept, bounded) and covers the `replaces` oldest uncovered actions. Resolves
   * to false, storing nothing, for anything else (a `gap`, a malformed object), for payloads that
   * name no session, and for a replay: with `meta.id` (the stream event id, as `ConnectorClient` passes it),
   * a payload at or before the session's latest applied id is not applied again, so a restarted bridge
   * or a second bridge on the same stream stores it once (check and write are one atomic step per session).
   *
   * @example client.onActions((payload, meta) => store.add(payload, meta));
   */
  async add(payload: ActionsPayload | SummaryPayload, meta?: { id?: string | null }): Promise<boolean> {
    const key = sessionKeyOf(payload);
    if (!key) return false;
    const now = this.clock.now();
    const limits = this.writeLimits(now);
    const eventId = meta?.id ?? null;
    if (payload.type === 'summary') {
      // A connector's summary tells only its own actions (Autoplay's summariser is not given the story).
      const update = { text: payload.summary, replaces: payload.replaces, receivedAt: now, merge: 'fold' } as const;
      return (await this.backend.applySummary(key, update, { kind: 'oldest', count: payload.replaces }, limits, eventId)) !== null;
    }
    if ((await this.backend.append(key, { payload, receivedAt: now }, limits, eventId)) === null) return false;
    await this.userIndex.add(payload);
    // After the append, so that a summary can never arrive before the actions it covers.
    if (this.summarizer && this.feedSummarizer) this.summarizer.add(payload);
    return true;
  }

  /**
   * The session's context: `Summary: {text}` and `Recent activity:\n{n. [index] type: description — url …}`,
   * joined by a blank line, each part only when non-empty; `""` when there is nothing.
   */
  async get(key: SessionKey, overrides: ContextReadOptions = {}): Promise<string> {
    assertSessionKey(key);
    return (await this.getSession(key, overrides)).context;
  }

  /**
   * The query with the session's context in front: `[Session context]\n{context}\n\n[Query]\n{query}`,
   * or the query unchanged when there is no context.
   */
  async enrich(key: SessionKey, query: string, overrides: ContextReadOptions = {}): Promise<string> {
    const context = await this.get(key, overrides);
    return context === '' ? query : `[Session context]\n${context}\n\n[Query]\n${query}`;
  }

  /**
   * The session's actions received at or after `cutoffEpochS` (local receipt time, epoch seconds, as
   * a chat watermark stores it), whether a summary covers them or not, as a numbered list
   * (`1. [index] …`), or `""`. `maxActions` applies.
   */
  async activitySince(key: SessionKey, cutoffEpochS: number, overrides: Pick<ContextReadOptions, 'maxActions'> = {}): Promise<string> {
    return formatActionList(await this.batchesSince(key, cutoffEpochS, overrides));
  }

  /** The actions behind {@link activitySince}, oldest first (for grounding: the pages and clicks since the cutoff). */
  async actionsSince(key: SessionKey, cutoffEpochS: number, overrides: Pick<ContextReadOptions, 'maxActions'> = {}): Promise<SlimAction[]> {
    return (await this.batchesSince(key, cutoffEpochS, overrides)).flatMap((payload) => payload.actions);
  }

  /**
   * Every stored action of these sessions received at or after `cutoffMs` (local receipt time, epoch
   * ms), whether a summary covers them or not: the "activity since the last chat message" block.
   * Batches of different sessions are merged by receipt time (the order this process saw them, not
   * the browsers' clocks); within a session the wire order is kept. The most recent `maxActions`
   * (default the store's) are returned, oldest first. Unknown sessions add nothing; a key given twice
   * counts once.
   *
   * @example
   * const since = await store.actionsReceivedSince(sessions, previousMessageAtS * 1000);
   */
  async actionsReceivedSince(
    keys: readonly SessionKey[],
    cutoffMs: number,
    overrides: Pick<ContextReadOptions, 'maxActions'> = {},
  ): Promise<SlimAction[]> {
    const unique = new Map<string, SessionKey>();
    for (const key of keys) {
      assertSessionKey(key);
      unique.set(sessionKeyId(key), key);
    }
    const maxActions = this.resolve(overrides).maxActions;
    const records = await this.backend.readMany([...unique.values()]);
    const batches: StoredBatch[] = [];
    for (const record of records) for (const batch of record?.batches ?? []) if (batch.receivedAt >= cutoffMs) batches.push(batch);
    // Array sort is stable: equal receipt times keep session order, and a session's batches keep theirs.
    batches.sort((a, b) => a.receivedAt - b.receivedAt);
    const payloads = batches.map((batch) => batch.payload);
    return (maxActions === null ? payloads : trimToRecentActions(payloads, maxActions)).flatMap((payload) => payload.actions);
  }

  /** The session's context with the actions and story behind it, and its recent actions covered or not. */
  async getSession(key: SessionKey, overrides: ContextReadOptions = {}): Promise<SessionContext> {
    assertSessionKey(key);
    return this.render(key, await this.backend.read(key), this.resolve(overrides));
  }

  /**
   * A user's newest sessions (through the user index) with their context: up to `sessions` (default 3)
   * sessions that have any, newest first, and their text blocks `Session {id} ({product}):\n{context}`
   * joined by a blank line.
   *
   * @example
   * const { text, sessions } = await store.forUser('user_42', { sessions: 2 });
   * sessions[0]?.actions.at(-1)?.canonical_url; // the page the user is on
   */
  async forUser(userId: string, options: ForUserOptions = {}): Promise<UserContext> {
    const limit = checkInteger('sessions', options.sessions ?? 3);
    const lookup = options.productId === undefined ? {} : { productId: options.productId };
    const refs = await this.userIndex.getRecentSessions(userId, lookup);
    const read = this.resolve(options);
    const records = await this.backend.readMany(refs);
    const sessions: SessionContext[] = [];
    for (let position = 0; position < refs.length && sessions.length < limit; position++) {
      const ref = refs[position]!;
      const session = this.render(ref, records[position], read, ref.lastSeenAt);
      if (session.context === '') continue;
      sessions.push(session);
    }
    const text = sessions.map((session) => `Session ${session.sessionId} (${session.productId || 'no-product-id'}):\n${session.context}`).join('\n\n');
    return { userId, email: await this.userIndex.getEmail(userId, lookup), sessions, text, hasActivity: sessions.length > 0 };
  }

  /** Forgets one session's actions and summary (and its pending summarizer history). Unknown sessions are fine. */
  async reset(key: SessionKey): Promise<void> {
    assertSessionKey(key);
    await this.backend.delete(key);
    this.summarizer?.reset(key);
  }

  /**
   * Forgets one user: every session the user index lists for them (past the lookback included) and every stored
   * session holding a batch whose `user_id` (or an action's) is theirs, with its story, covered actions and the
   * summarizer's pending history; then the user's index entry and email. A session that also holds another user's
   * batches goes whole: its story cannot be split by user. Resolves to the keys of the user's sessions (stored or
   * not, so that stores keyed by session can forget them too) and how many stored sessions were removed.
   *
   * @example
   * const { sessions, removed } = await store.forgetUser('user_42');
   */
  async forgetUser(userId: string): Promise<{ sessions: SessionKey[]; removed: number }> {
    const keys = new Map<string, SessionKey>();
    for (const ref of await this.userIndex.forgetUser(userId)) keys.set(sessionKeyId(ref), { productId: ref.productId, sessionId: ref.sessionId });
    // The index forgets sessions past its bounds; the records may outlive it (a summary keeps a session).
    const stored = await this.backend.keys();
    const records = await this.backend.readMany(stored);
    records.forEach((record, position) => {
      if (record?.batches.some((batch) => payloadNamesUser(batch.payload, userId))) keys.set(sessionKeyId(stored[position]!), stored[position]!);
    });
    let removed = 0;
    for (const key of keys.values()) {
      if (await this.backend.delete(key)) removed++;
      this.summarizer?.reset(key);
    }
    return { sessions: [...keys.values()], removed };
  }

  /** Every stored session as `{ productId, sessionId }`, least recently written first (docs/decisions/D-22-active-sessions-pairs.md). */
  async activeSessions(): Promise<SessionKey[]> {
    return this.backend.keys();
  }

  /** Stops listening to the summarizer and closes the backend. */
  async close(): Promise<void> {
    this.unsubscribe?.();
    await this.backend.close?.();
  }

  private async storeSummary(summary: SessionSummary): Promise<void> {
    const key = { productId: summary.productId, sessionId: summary.sessionId };
    const fingerprints: string[] = [];
    for (const payload of summary.actions) for (const action of payload.actions) fingerprints.push(actionFingerprint(action));
    const coverage: SummaryCoverage = { kind: 'actions', fingerprints };
    const now = this.clock.now();
    // The summarizer gave the model the previous summary, so its text already tells the whole story.
    const update = { text: summary.summary, replaces: summary.replaces, receivedAt: now, merge: 'replace' } as const;
    try {
      await this.backend.applySummary(key, update, coverage, this.writeLimits(now));
    } catch (error) {
      this.reportError(error, { stage: 'summary', ...key });
    }
  }

  private async batchesSince(key: SessionKey, cutoffEpochS: number, overrides: Pick<ContextReadOptions, 'maxActions'>): Promise<ActionsPayload[]> {
    assertSessionKey(key);
    const maxActions = this.resolve(overrides).maxActions;
    const record = await this.backend.read(key);
    if (!record) return [];
    const cutoffMs = cutoffEpochS * 1000;
    const payloads = record.batches.filter((batch) => batch.receivedAt >= cutoffMs).map((batch) => batch.payload);
    return maxActions === null ? payloads : trimToRecentActions(payloads, maxActions);
  }

  private writeLimits(now: number): ContextWriteLimits {
    const lookback = this.defaults.lookbackSeconds;
    return {
      keepReceivedFrom: lookback === null ? null : now - lookback * 1000,
      maxActions: this.defaults.maxActions,
      maxSessions: this.maxSessions,
      retainMs: lookback === null ? null : lookback * 1000,
    };
  }

  private resolve(overrides: ContextReadOptions): ResolvedRead {
    return {
      includeSummary: overrides.includeSummary ?? this.defaults.includeSummary,
      includeActions: overrides.includeActions ?? this.defaults.includeActions,
      lookbackSeconds: resolveLimit('lookbackSeconds', overrides.lookbackSeconds, this.defaults.lookbackSeconds, checkPositiveNumber),
      maxActions: resolveLimit('maxActions', overrides.maxActions, this.defaults.maxActions, checkInteger),
    };
  }

  /** `lastSeenAt` overrides the record's (forUser reports the index's time); rendered straight in, not copied after. */
  private render(key: SessionKey, record: SessionRecord | undefined, read: ResolvedRead, lastSeenAt?: number): SessionContext {
    const summary = record?.summary?.text || null;
    let payloads: ActionsPayload[] = [];
    let recent: ActionsPayload[] = [];
    if (record && read.includeActions) {
      const from = read.lookbackSeconds === null ? null : this.clock.now() - read.lookbackSeconds * 1000;
      const batches = from === null ? record.batches : record.batches.filter((batch) => batch.receivedAt >= from);
      payloads = uncoveredBatches(batches).map((batch) => batch.payload);
      recent = batches.map((batch) => batch.payload);
      if (read.maxActions !== null) {
        payloads = trimToRecentActions(payloads, read.maxActions);
        recent = trimToRecentActions(recent, read.maxActions);
      }
    }
    const parts: string[] = [];
    if (read.includeSummary && summary) parts.push(`Summary: ${summary}`);
    const actionsText = formatActionList(payloads);
    if (actionsText) parts.push(`Recent activity:\n${actionsText}`);
    const actions: SlimAction[] = countActions(payloads) === 0 ? [] : payloads.flatMap((payload) => payload.actions);
    return {
      productId: key.productId,
      sessionId: key.sessionId,
      lastSeenAt: lastSeenAt ?? record?.lastSeenAt ?? null,
      context: parts.join('\n\n'),
      actions,
      recentActions: recent.flatMap((payload) => payload.actions),
      summary,
    };
  }
}
