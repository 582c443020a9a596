/**
 * Per (product, session) batching of UI actions into `actions` payloads (docs/reference/wire-contract.md#extraction):
 * actions ordered by time, `index` continuing across batches, `timestamp_end` from the next
 * action, one payload per session per short window.
 */
import { systemClock, type ActionsPayload, type Clock, type PayloadOrigin, type SlimAction } from '@sightline/protocol';
import { createError } from '../errors.ts';
import { classifyEvent, extractClassifiedAction, windowIdOf, type ExtractedAction } from '../extract/extract-action.ts';
import { readGesture } from '../extract/gesture-echo.ts';
import type { ActionPrivacy } from '../extract/action-privacy.ts';
import type { CompiledPrivacy } from '../extract/privacy-rules.ts';
import type { IngestMemo } from '../ingest/ingest-memo.ts';
import { createTabMemory, type TabMemory } from '../extract/tab-memory.ts';
import type { CapturedEvent } from '../ingest/captured-event.ts';

/** Options of {@link Sessionizer}. */
export interface SessionizerOptions {
  /**
   * How long the first action of a session waits for more before its batch is sent, in ms.
   * Default 250: short enough to feel live, long enough to join posthog-js's own request batches
   * and order them. 0 sends one batch per session at the end of each {@link Sessionizer.add} call.
   */
  batchWindowMs?: number;
  /** A session's batch is sent at once when it holds this many actions. Default 100. */
  maxBatchActions?: number;
  /** Time source (epoch ms and timers). Default: the system clock. */
  clock?: Clock;
  /**
   * Sessions whose `index` counter and identity are remembered (least recently used beyond this
   * are forgotten; a forgotten session that comes back restarts at index 0). Default 10,000.
   */
  maxSessions?: number;
  /** Most actions buffered over all sessions; reaching it sends every pending batch. Default 50,000. */
  maxPendingActions?: number;
  /** Event uuids remembered to drop duplicates (retries, replays), per connector. Default 10,000; 0 turns dedup off. */
  dedupSize?: number;
  /** Whether payloads carry the person's email. Default true (Autoplay's contract); false sends `email: null`. */
  forwardEmail?: boolean;
  /**
   * Whether actions name the option a user chose (a radio's, checkbox's, option's or tab's label, in `choice`,
   * `target.label` and the title). Default true. Off, a choice reads "Selected an option".
   */
  captureChoiceLabels?: boolean;
  /**
   * The product's privacy list (extra patterns and selectors), looked up per event; null or absent for none. The
   * session's join keys (user id, distinct id, email) are always redacted outside their own fields.
   */
  privacyOf?: (productId: string) => CompiledPrivacy | null;
  /** The connector's memo of pure string work, handed to extraction (ingest/ingest-memo.ts). Default: none. */
  memo?: IngestMemo | null;
  /**
   * The product's keyed hash of an organisation id (the product store's `originHash`), for the payload's
   * `origin.organisation`. Default: none, and payloads name no organisation.
   */
  organisationHash?: (productId: string, organisation: string) => string | null;
  /**
   * Receives each `actions` payload, and the receipts (see {@link Sessionizer.add}) whose last pending actions it
   * carries. Called synchronously from `add`, `flush`, `close` or a timer.
   */
  onBatch: (payload: ActionsPayload, completedReceipts: readonly string[]) => void;
  /** Receives an error thrown by `onBatch`. Default: `console.error`. The sessionizer keeps running. */
  onError?: (error: unknown, payload: ActionsPayload) => void;
}

/** What {@link Sessionizer.add} did with the events it was given. */
export interface SessionizerAddResult {
  /** Events that became actions and were buffered (or sent). */
  accepted: number;
  /** Events that were not UI actions, duplicates, or arrived after `close()`. */
  dropped: number;
  /** Of `dropped`, events whose uuid was seen recently. */
  duplicates: number;
  /**
   * Only with a receipt: true when none of its actions is pending any more after the call (none was accepted, or
   * every one was sent in a batch during the call), so no later batch will complete it.
   */
  isReceiptDone?: boolean;
}

/** What {@link Sessionizer.forgetUser} removed. */
export interface SessionizerForgetResult {
  /** Sessions forgotten (their index counter and tab memories). */
  sessions: number;
  /** Of those, sessions that held a batch not sent yet. */
  pendingSessions: number;
  /** Actions in those unsent batches, dropped. */
  pendingActions: number;
  /** Receipts whose last pending actions were among those dropped (absent when none). */
  completedReceipts?: string[];
}

interface SessionState {
  productId: string;
  sessionId: string | null;
  distinctId: string | null;
  identifiedId: string | null;
  email: string | null;
  nextIndex: number;
  /** Buffered actions in arrival order (a stable sort by time then keeps arrival order among equal times). */
  pending: ExtractedAction[];
  /** Of the pending actions, how many came with each receipt (null until an add with a receipt). */
  pendingReceipts: Map<string, number> | null;
  /** What extraction remembers per tab (`$window_id`, '' for none); at most {@link MAX_TABS_PER_SESSION}. */
  tabs: Map<string, TabMemory>;
  timer: unknown;
  hasTimer: boolean;
  /** What extraction redacts for this session (its join keys, the product's list), rebuilt when either changes. */
  privacy: ActionPrivacy | null;
  /** The organisation id of the latest event that named one, and its keyed hash (hashed again only when it changes). */
  organisationId: string | null;
  organisation: string | null;
  /** The keyed hash of the client address of the latest event that came through the capture door. */
  address: string | null;
  /** The per-product index holding this state, and its key there (for forgetting it). */
  group: Map<string, SessionState>;
  groupKey: string;
}

/** The sessions of one product, by session id and (for events without one) by distinct id. */
interface ProductSessions {
  bySession: Map<string, SessionState>;
  byDistinct: Map<string, SessionState>;
}

const NO_RECEIPTS: readonly string[] = [];

/** Group types that name the customer organisation, in order of preference, when an event carries several. */
const ORGANISATION_GROUP_TYPES = ['organization', 'organisation', 'company', 'account', 'workspace', 'tenant', 'team'];

/**
 * The organisation of an event's person: the key of its PostHog group (`$groups`, set by `posthog.group()`). With
 * several group types, the first of {@link ORGANISATION_GROUP_TYPES} present, else the first type in name order.
 */
function organisationOf(event: CapturedEvent): string | null {
  const groups = event.properties['$groups'];
  if (groups === null || typeof groups !== 'object' || Array.isArray(groups)) return null;
  const byType = groups as Record<string, unknown>;
  const types = Object.keys(byType).filter((type) => typeof byType[type] === 'string' && byType[type] !== '');
  if (types.length === 0) return null;
  const type = ORGANISATION_GROUP_TYPES.find((preferred) => types.includes(preferred)) ?? types.sort()[0]!;
  return `${type}:${byType[type] as string}`;
}

function originOf(state: SessionState): PayloadOrigin {
  return { organisation: state.organisation, address: state.address };
}

/** Tabs remembered per session; the least recently used is forgotten first. */
const MAX_TABS_PER_SESSION = 8;

function checkCount(option: string, value: number | undefined, fallback: number, minimum: number): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value < minimum || Math.floor(value) !== value) {
    throw createError('SL_CONFIG_INVALID', { option, reason: `must be an integer ≥ ${minimum}, got ${String(value)}` });
  }
  return value;
}

/**
 * Groups extracted actions per (product, session) and emits one `actions` payload per session per
 * batching window. Events without a session id are grouped by distinct id (never pooled with other
 * users) and sent with `session_id: null`.
 *
 * Payload identity: `user_id` is the identified id (`$user_id`, or the distinct id once identified), else the latest
 * distinct id; `email` the latest known person email, else `null` (docs/decisions/D-12-email-null.md); `forwarded_at`
 * is the clock's time at emit, in epoch seconds; every action repeats the batch's identity. Actions are sorted by
 * time; `index` continues across a session's batches; `timestamp_end` is the next action's start, and the last
 * action's own start.
 *
 * @example
 * const sessionizer = new Sessionizer({ onBatch: (payload) => hub.publish(payload.product_id, payload) });
 * sessionizer.add('acme', normalizeCaptureBody(body, Date.now()).events);
 * // …250 ms later onBatch receives one payload per session.
 * sessionizer.close();
 */
export class Sessionizer {
  private readonly batchWindowMs: number;
  private readonly maxBatchActions: number;
  private readonly maxSessions: number;
  private readonly maxPendingActions: number;
  private readonly dedupSize: number;
  private readonly forwardEmail: boolean;
  private readonly captureChoiceLabels: boolean;
  private readonly privacyOf: (productId: string) => CompiledPrivacy | null;
  private readonly memo: IngestMemo | null;
  private readonly organisationHash: ((productId: string, organisation: string) => string | null) | null;
  private readonly clock: Clock;
  private readonly onBatch: (payload: ActionsPayload, completedReceipts: readonly string[]) => void;
  private readonly onError: (error: unknown, payload: ActionsPayload) => void;
  /** Insertion order = least recently used first. Keyed by the state itself (identity hash, no string key). */
  private readonly sessions = new Set<SessionState>();
  /** Lookup of a session by product, then by the event's own (already hashed) id string. */
  private readonly products = new Map<string, ProductSessions>();
  private readonly recentUuids = new Set<string>();
  /** Pending actions per receipt over all sessions, plus one while the `add` that brought it runs. */
  private readonly openReceipts = new Map<string, number>();
  private pendingTotal = 0;
  private isClosed = false;

  constructor(options: SessionizerOptions) {
    if (typeof options?.onBatch !== 'function') {
      throw createError('SL_CONFIG_INVALID', { option: 'onBatch', reason: 'must be a function' });
    }
    this.batchWindowMs = checkCount('batchWindowMs', options.batchWindowMs, 250, 0);
    this.maxBatchActions = checkCount('maxBatchActions', options.maxBatchActions, 100, 1);
    this.maxSessions = checkCount('maxSessions', options.maxSessions, 10_000, 1);
    this.maxPendingActions = checkCount('maxPendingActions', options.maxPendingActions, 50_000, 1);
    this.dedupSize = checkCount('dedupSize', options.dedupSize, 10_000, 0);
    this.forwardEmail = options.forwardEmail ?? true;
    this.captureChoiceLabels = options.captureChoiceLabels ?? true;
    this.privacyOf = options.privacyOf ?? noPrivacyList;
    this.memo = options.memo ?? null;
    this.organisationHash = options.organisationHash ?? null;
    this.clock = options.clock ?? systemClock;
    this.onBatch = options.onBatch;
    this.onError = options.onError ?? ((error) => console.error('sightline sessionizer: onBatch failed', error));
  }

  /** Actions buffered and not yet sent, over all sessions. */
  get pendingActions(): number {
    return this.pendingTotal;
  }

  /** Sessions currently remembered (bounded by `maxSessions`). */
  get trackedSessions(): number {
    return this.sessions.size;
  }

  /**
   * Extracts UI actions from `events` and buffers them per session of `productId`. System events,
   * duplicates (same product and uuid as a recent event) and events after `close()` are dropped
   * and counted.
   *
   * A `receipt` names the events of this call as a whole (the connector's durable hold of them before they were
   * acknowledged, docs/scaling.md): the batch that sends the receipt's last pending action names it in
   * `onBatch`, and `isReceiptDone` says when no batch will.
   */
  add(productId: string, events: readonly CapturedEvent[], receipt: string | null = null): SessionizerAddResult {
    const result: SessionizerAddResult = { accepted: 0, dropped: 0, duplicates: 0 };
    if (this.isClosed) {
      // A receipt stays open: its events were not sent, so their hold must outlive this connector (another takes it over).
      result.dropped = events.length;
      if (receipt !== null) result.isReceiptDone = false;
      return result;
    }
    // One extra count while this call runs, so a batch sent mid-call never completes the receipt early.
    if (receipt !== null) this.openReceipts.set(receipt, (this.openReceipts.get(receipt) ?? 0) + 1);
    // Only a zero window sends at the end of the call, so only then are the touched sessions collected.
    const touched = this.batchWindowMs === 0 ? new Set<SessionState>() : null;
    for (const event of events) {
      if (this.isDuplicate(productId, event)) {
        result.dropped++;
        result.duplicates++;
        continue;
      }
      // Classified before the session is looked up, so events that are no action never touch the session LRU.
      const classified = event.sessionId || event.distinctId ? classifyEvent(event) : null;
      if (classified === null) {
        result.dropped++;
        continue;
      }
      const state = this.sessionFor(productId, event);
      if (event.distinctId) state.distinctId = event.distinctId;
      if (event.identifiedId) state.identifiedId = event.identifiedId;
      if (event.personEmail) state.email = event.personEmail;
      if (event.address) state.address = event.address;
      if (this.organisationHash !== null) {
        const organisation = organisationOf(event);
        if (organisation !== null && organisation !== state.organisationId) {
          state.organisationId = organisation;
          state.organisation = this.organisationHash(productId, organisation);
        }
      }
      const tab = tabOf(state, event);
      const action = extractClassifiedAction(event, classified, {
        tab,
        captureChoiceLabels: this.captureChoiceLabels,
        privacy: privacyOfSession(state, this.privacyOf(productId)),
        memo: this.memo,
      });
      // A second event of one gesture (the input's click after its label's) is no action of its own; it may also
      // say what the gesture was, in place of an action of it still waiting here.
      const gesture = readGesture(tab, action, state.pending);
      let added: ExtractedAction | null = action;
      if (gesture.kind === 'drop') added = null;
      else if (gesture.kind === 'swap') {
        const position = state.pending.indexOf(gesture.replaced);
        if (position >= 0) {
          state.pending[position] = gesture.by;
          added = null;
        } else added = gesture.by; // what it stands for went out already: it is sent as an action of its own
      }
      if (added === null) {
        result.dropped++;
        continue;
      }
      state.pending.push(added);
      if (receipt !== null) {
        state.pendingReceipts ??= new Map();
        state.pendingReceipts.set(receipt, (state.pendingReceipts.get(receipt) ?? 0) + 1);
        this.openReceipts.set(receipt, this.openReceipts.get(receipt)! + 1);
      }
      this.pendingTotal++;
      result.accepted++;
      touched?.add(state);
      if (state.pending.length >= this.maxBatchActions) this.emit(state);
      else if (this.batchWindowMs > 0 && !state.hasTimer) {
        state.hasTimer = true;
        state.timer = this.clock.setTimeout(() => {
          state.hasTimer = false;
          this.emit(state);
        }, this.batchWindowMs);
      }
      if (this.pendingTotal >= this.maxPendingActions) this.flush();
    }
    if (touched !== null) for (const state of touched) this.emit(state);
    if (receipt !== null) result.isReceiptDone = this.settleReceipt(receipt, 1);
    return result;
  }

  /**
   * Forgets one person in a product: every session whose identified id, distinct id or (when `email` is given)
   * latest email is theirs loses its pending batch (never sent) and its memory (index counter, tab memories). A
   * session that comes back afterwards starts again at index 0. Emails compare trimmed and case-insensitively.
   */
  forgetUser(productId: string, match: { userId: string; email?: string }): SessionizerForgetResult {
    const result: SessionizerForgetResult = { sessions: 0, pendingSessions: 0, pendingActions: 0 };
    const product = this.products.get(productId);
    if (product === undefined) return result;
    const email = match.email?.trim().toLowerCase() || null;
    for (const group of [product.bySession, product.byDistinct]) {
      for (const state of [...group.values()]) {
        const isTheirs =
          state.identifiedId === match.userId ||
          state.distinctId === match.userId ||
          (email !== null && state.email !== null && state.email.trim().toLowerCase() === email);
        if (!isTheirs) continue;
        if (state.hasTimer) {
          this.clock.clearTimeout(state.timer);
          state.hasTimer = false;
        }
        if (state.pending.length > 0) {
          result.pendingSessions++;
          result.pendingActions += state.pending.length;
          this.pendingTotal -= state.pending.length;
          state.pending = [];
          const completed = this.settleSessionReceipts(state);
          if (completed.length > 0) (result.completedReceipts ??= []).push(...completed);
        }
        state.tabs.clear();
        this.sessions.delete(state);
        group.delete(state.groupKey);
        result.sessions++;
      }
    }
    this.forgetEmptyProduct(productId);
    return result;
  }

  /** Sends every pending batch now. */
  flush(): void {
    for (const state of [...this.sessions.values()]) this.emit(state);
  }

  /** Sends every pending batch, stops all timers, and drops whatever is added later. Idempotent. */
  close(): void {
    if (this.isClosed) return;
    this.flush();
    this.isClosed = true;
  }

  private isDuplicate(productId: string, event: CapturedEvent): boolean {
    if (this.dedupSize === 0 || !event.uuid) return false;
    const key = `${productId}\u0000${event.uuid}`;
    if (this.recentUuids.has(key)) return true;
    this.recentUuids.add(key);
    if (this.recentUuids.size > this.dedupSize) {
      const oldest = this.recentUuids.values().next().value as string;
      this.recentUuids.delete(oldest);
    }
    return false;
  }

  /** The state of the event's session (product plus session id, else product plus distinct id). */
  private sessionFor(productId: string, event: CapturedEvent): SessionState {
    let product = this.products.get(productId);
    if (product === undefined) {
      product = { bySession: new Map(), byDistinct: new Map() };
      this.products.set(productId, product);
    }
    const group = event.sessionId ? product.bySession : product.byDistinct;
    const groupKey = (event.sessionId || event.distinctId)!;
    let state = group.get(groupKey);
    if (state) {
      this.sessions.delete(state); // re-insert: most recently used last
    } else {
      state = {
        productId,
        sessionId: event.sessionId,
        distinctId: event.distinctId,
        identifiedId: null,
        email: null,
        nextIndex: 0,
        pending: [],
        pendingReceipts: null,
        tabs: new Map(),
        timer: undefined,
        hasTimer: false,
        privacy: null,
        organisationId: null,
        organisation: null,
        address: null,
        group,
        groupKey,
      };
      group.set(groupKey, state);
    }
    this.sessions.add(state);
    while (this.sessions.size > this.maxSessions) {
      const oldest = this.sessions.values().next().value as SessionState;
      this.emit(oldest);
      this.sessions.delete(oldest);
      oldest.group.delete(oldest.groupKey);
      if (oldest.group.size === 0) this.forgetEmptyProduct(oldest.productId);
    }
    return state;
  }

  /** Takes `count` pending actions off a receipt; true when none is left (the receipt is then forgotten). */
  private settleReceipt(receipt: string, count: number): boolean {
    const left = (this.openReceipts.get(receipt) ?? count) - count;
    if (left > 0) {
      this.openReceipts.set(receipt, left);
      return false;
    }
    this.openReceipts.delete(receipt);
    return true;
  }

  /** Settles the receipts of a session's pending actions (being sent or dropped); returns those now complete. */
  private settleSessionReceipts(state: SessionState): readonly string[] {
    const receipts = state.pendingReceipts;
    if (receipts === null || receipts.size === 0) return NO_RECEIPTS;
    state.pendingReceipts = null;
    const completed: string[] = [];
    for (const [receipt, count] of receipts) if (this.settleReceipt(receipt, count)) completed.push(receipt);
    return completed;
  }

  private forgetEmptyProduct(productId: string): void {
    const product = this.products.get(productId);
    if (product && product.bySession.size === 0 && product.byDistinct.size === 0) this.products.delete(productId);
  }

  private emit(state: SessionState): void {
    if (state.hasTimer) {
      this.clock.clearTimeout(state.timer);
      state.hasTimer = false;
    }
    if (state.pending.length === 0) return;
    const pending = state.pending;
    state.pending = [];
    this.pendingTotal -= pending.length;
    // Array.prototype.sort is stable, so equal times keep their arrival order; usually already in order.
    if (pending.length > 1 && !isInTimeOrder(pending)) pending.sort(byTime);
    // Built complete here, in the field order of the protocol's createActionsPayload (which the wire JSON
    // and the tests follow), instead of through it: that constructor copies every action once more, which
    // showed in ingest profiles. Identity: "" is never an identity (docs/decisions/D-11-empty-identity-and-types.md),
    // so `||` turns it into null.
    const sessionId = state.sessionId || null;
    const userId = (state.identifiedId ?? state.distinctId) || null;
    const email = this.forwardEmail ? state.email || null : null;
    // Actions of events that did not say when they arrived (built by hand, not by a door) take the emit time.
    const receivedAt = this.clock.now() / 1000;
    const actions: SlimAction[] = new Array<SlimAction>(pending.length);
    for (let position = 0; position < pending.length; position++) {
      const action = pending[position]!;
      actions[position] = {
        title: action.title,
        description: action.description,
        canonical_url: action.canonical_url,
        index: state.nextIndex + position,
        type: action.type,
        timestamp_start: action.timestamp_start,
        // The next action's start; the last action of a batch ends where it starts
        // (docs/reference/wire-contract.md#action-fields).
        timestamp_end: pending[position + 1]?.timestamp_start ?? action.timestamp_start,
        raw_url: action.raw_url,
        session_id: sessionId,
        user_id: userId,
        email,
        conversation_id: null,
        window_id: action.window_id,
        page: action.page,
        target: action.target,
        container: action.container,
        choice: action.choice,
        step: action.step,
        received_at: action.received_at ?? receivedAt,
      };
      // Only failed steps say why, so every other action keeps the same shape.
      if (action.note) actions[position]!.failure = action.note === 'rage_click' ? 'rage' : 'dead';
    }
    state.nextIndex += pending.length;
    const payload: ActionsPayload = {
      type: 'actions',
      product_id: state.productId,
      session_id: sessionId,
      user_id: userId,
      email,
      actions,
      count: actions.length,
      forwarded_at: this.clock.now() / 1000,
      conversation_id: null,
    };
    if (state.organisation !== null || state.address !== null) payload.origin = originOf(state);
    const completedReceipts = this.settleSessionReceipts(state);
    try {
      this.onBatch(payload, completedReceipts);
    } catch (error) {
      this.onError(error, payload);
    }
  }
}

/**
 * The memory of the event's tab in its session (the tab its action's `window_id` names), created on first use;
 * the least recently used tab goes first.
 */
function tabOf(state: SessionState, event: CapturedEvent): TabMemory {
  const key = windowIdOf(event) ?? '';
  let memory = state.tabs.get(key);
  if (memory === undefined) {
    memory = createTabMemory();
    if (state.tabs.size >= MAX_TABS_PER_SESSION) state.tabs.delete(state.tabs.keys().next().value as string);
    state.tabs.set(key, memory);
  } else if (state.tabs.size > 1) {
    // Re-inserted: most recently used last. A session with one tab (the usual case) needs no reordering.
    state.tabs.delete(key);
    state.tabs.set(key, memory);
  }
  return memory;
}

function noPrivacyList(): CompiledPrivacy | null {
  return null;
}

const NO_RULES: CompiledPrivacy = { patterns: [], selectors: [] };

/**
 * What extraction redacts for a session beyond the built-in rules: its join keys (the ids and email it travels
 * under, which must appear nowhere else; the event's own were just written into the state) and the product's list.
 * The same object while none of them changes.
 */
function privacyOfSession(state: SessionState, list: CompiledPrivacy | null): ActionPrivacy {
  const rules = list ?? NO_RULES;
  const current = state.privacy;
  const otherId = state.identifiedId === state.distinctId ? null : state.distinctId;
  if (
    current !== null && current.patterns === rules.patterns && current.selectors === rules.selectors &&
    current.userIds[0] === state.identifiedId && current.userIds[1] === otherId && current.emails[0] === state.email
  ) return current;
  state.privacy = {
    userIds: [state.identifiedId, otherId],
    emails: [state.email],
    patterns: rules.patterns,
    selectors: rules.selectors,
    // The session's own finished strings: its join keys are in every one of them, so they are never shared.
    cache: new Map(),
    urlCache: new Map(),
  };
  return state.privacy;
}

function byTime(a: ExtractedAction, b: ExtractedAction): number {
  return a.timestamp_start - b.timestamp_start;
}

function isInTimeOrder(actions: readonly ExtractedAction[]): boolean {
  for (let index = 1; index < actions.length; index++) if (actions[index - 1]!.timestamp_start > actions[index]!.timestamp_start) return false;
  return true;
}
