/**
 * Joins a user to their recent sessions, so a chatbot that knows only who is asking (the id given to
 * `posthog.identify()`, or the distinct id of an anonymous visitor) can find what they just did
 * (docs/reference/wire-contract.md#user-session-index). Sightline's index uses one clock for writes and expiry,
 * scopes users by product and bounds the number of users (docs/decisions/D-26-user-index.md).
 */
import { systemClock, type ActionsPayload, type Clock } from '@sightline/protocol';
import { LruMap } from '../lru/lru-map.ts';
import { checkInteger, checkPositiveNumber, resolveLimit } from '../options/option-checks.ts';
import { sessionKeyOf, type SessionKey } from '../session-key/session-key.ts';

/** One session a user was seen in. */
export interface SessionRef {
  productId: string;
  sessionId: string;
  /** Local receipt time of the session's latest payload, epoch ms. */
  lastSeenAt: number;
}

/** Options of {@link UserSessionIndex}. */
export interface UserSessionIndexOptions {
  /** How long a session stays listed after its latest payload, seconds (> 0). Default 300, the store's lookback (docs/decisions/D-49-one-defaults-table.md). */
  lookbackSeconds?: number;
  /** Most sessions remembered per user (≥ 1). Default 20. */
  maxSessionsPerUser?: number;
  /** Most (product, user) entries kept, least recently active evicted first; `null` for no bound. Default 10,000. */
  maxUsers?: number | null;
  /** Time source. Default {@link systemClock}. */
  clock?: Clock;
}

/** Narrows a lookup to one product; without it every product the user was seen in is searched. */
export interface UserLookupOptions {
  productId?: string;
}

/**
 * The user → sessions index the context store feeds and reads, asynchronous so that a shared store can hold it:
 * {@link UserSessionIndex} in memory (the default), `RedisUserSessionIndex` from `@sightline/sdk/redis` on Redis.
 * Every method may be called concurrently.
 */
export interface UserIndex {
  /** How long a session stays listed after its latest payload, seconds. */
  readonly lookbackSeconds: number;
  /** Records that the payload's user was just active in its session; false (nothing recorded) without a user id or session. */
  add(payload: ActionsPayload): Promise<boolean>;
  /** The user's sessions seen within the lookback, newest first. */
  getRecentSessions(userId: string, options?: UserLookupOptions): Promise<SessionRef[]>;
  /** The email last seen for the user (across products unless one is given), or null. */
  getEmail(userId: string, options?: UserLookupOptions): Promise<string | null>;
  /** Forgets the user's sessions and email (in one product, or in all). */
  resetUser(userId: string, options?: UserLookupOptions): Promise<void>;
  /** Forgets the user and resolves to every session held for them, those past the lookback included. */
  forgetUser(userId: string, options?: UserLookupOptions): Promise<SessionRef[]>;
  /** Forgets everything this index holds. */
  clear(): Promise<void>;
  /** Releases connections; the memory index has none. */
  close?(): Promise<void>;
}

interface UserEntry {
  productId: string;
  userId: string;
  /** Newest first. */
  sessions: SessionRef[];
  email: string | null;
  emailSeenAt: number;
}

const SEPARATOR = '\u001f';

/**
 * user → sessions (newest first) within a lookback, and the user's email, in one process's memory. Each operation
 * completes synchronously inside its promise.
 *
 * @example
 * const index = new UserSessionIndex({ lookbackSeconds: 300 });
 * client.onActions((payload) => index.add(payload));
 * await index.getRecentSessions('user_42'); // [{ productId: 'acme', sessionId: 'ps_2', lastSeenAt }, …]
 */
export class UserSessionIndex implements UserIndex {
  /** The lookback in seconds. */
  readonly lookbackSeconds: number;
  private readonly maxSessionsPerUser: number;
  private readonly clock: Clock;
  private readonly users: LruMap<string, UserEntry>;
  /** userId → products it is indexed under, so lookups without a product stay cheap. */
  private readonly productsByUser = new Map<string, Set<string>>();

  constructor(options: UserSessionIndexOptions = {}) {
    this.lookbackSeconds = checkPositiveNumber('lookbackSeconds', options.lookbackSeconds ?? 300);
    this.maxSessionsPerUser = checkInteger('maxSessionsPerUser', options.maxSessionsPerUser ?? 20);
    this.users = new LruMap(resolveLimit('maxUsers', options.maxUsers, 10_000, checkInteger));
    this.clock = options.clock ?? systemClock;
  }

  /** Number of (product, user) entries held. */
  get size(): number {
    return this.users.size;
  }

  /**
   * Records that the payload's user was just active in its session. Payloads without a user id or a
   * session are ignored (returns false). The batch's email, else the first action's, is remembered.
   */
  async add(payload: ActionsPayload): Promise<boolean> {
    const seen = userActivityOf(payload);
    if (!seen) return false;
    const { userId, key, email } = seen;
    const now = this.clock.now();
    const id = entryId(key.productId, userId);
    let entry = this.users.peek(id);
    if (!entry) {
      entry = { productId: key.productId, userId, sessions: [], email: null, emailSeenAt: 0 };
      let products = this.productsByUser.get(userId);
      if (!products) this.productsByUser.set(userId, (products = new Set()));
      products.add(key.productId);
    }
    const cutoff = now - this.lookbackSeconds * 1000;
    const kept = entry.sessions.filter((ref) => ref.sessionId !== key.sessionId && ref.lastSeenAt >= cutoff);
    kept.unshift({ productId: key.productId, sessionId: key.sessionId, lastSeenAt: now });
    entry.sessions = kept.length > this.maxSessionsPerUser ? kept.slice(0, this.maxSessionsPerUser) : kept;
    if (email) {
      entry.email = email;
      entry.emailSeenAt = now;
    }
    for (const [, evicted] of this.users.set(id, entry)) this.forgetProduct(evicted.userId, evicted.productId);
    return true;
  }

  /** The user's sessions seen within the lookback, newest first. Expired references are pruned. */
  async getRecentSessions(userId: string, options: UserLookupOptions = {}): Promise<SessionRef[]> {
    const cutoff = this.clock.now() - this.lookbackSeconds * 1000;
    const found: SessionRef[] = [];
    const entries = this.entryList(userId, options.productId);
    for (const entry of entries) {
      // Read on every chat message: the list is replaced only when something in it expired, so a read leaves the
      // long-lived entry (and the garbage collector) alone.
      if (entry.sessions.some((ref) => ref.lastSeenAt < cutoff)) entry.sessions = entry.sessions.filter((ref) => ref.lastSeenAt >= cutoff);
      for (const ref of entry.sessions) found.push({ productId: ref.productId, sessionId: ref.sessionId, lastSeenAt: ref.lastSeenAt });
    }
    // Entries of different products interleave; a stable sort keeps each list's order on ties.
    return found.sort((a, b) => b.lastSeenAt - a.lastSeenAt);
  }

  /** The email last seen for the user (across products unless one is given), or null. */
  async getEmail(userId: string, options: UserLookupOptions = {}): Promise<string | null> {
    let best: UserEntry | undefined;
    for (const entry of this.entryList(userId, options.productId)) {
      if (entry.email && (!best || entry.emailSeenAt > best.emailSeenAt)) best = entry;
    }
    return best?.email ?? null;
  }

  /** Forgets the user's sessions and email (in one product, or in all). */
  async resetUser(userId: string, options: UserLookupOptions = {}): Promise<void> {
    await this.forgetUser(userId, options);
  }

  /**
   * Forgets the user's sessions and email (in one product, or in all) and returns every session the index held for
   * them, those past the lookback included, so that the stores keyed by session can forget them too.
   */
  async forgetUser(userId: string, options: UserLookupOptions = {}): Promise<SessionRef[]> {
    const forgotten: SessionRef[] = [];
    for (const entry of this.entryList(userId, options.productId)) {
      for (const ref of entry.sessions) forgotten.push({ productId: ref.productId, sessionId: ref.sessionId, lastSeenAt: ref.lastSeenAt });
      this.users.delete(entryId(entry.productId, entry.userId));
      this.forgetProduct(entry.userId, entry.productId);
    }
    return forgotten;
  }

  /** Forgets everything. */
  async clear(): Promise<void> {
    this.users.clear();
    this.productsByUser.clear();
  }

  /** The user's entries as an array: the chat read path calls this, and a generator costs more per call. */
  private entryList(userId: string, productId: string | undefined): UserEntry[] {
    const entries: UserEntry[] = [];
    if (productId !== undefined) {
      const entry = this.users.peek(entryId(productId, userId));
      if (entry) entries.push(entry);
      return entries;
    }
    const products = this.productsByUser.get(userId);
    if (!products) return entries;
    for (const product of products) {
      const entry = this.users.peek(entryId(product, userId));
      if (entry) entries.push(entry);
    }
    return entries;
  }

  private forgetProduct(userId: string, productId: string): void {
    const products = this.productsByUser.get(userId);
    if (!products) return;
    products.delete(productId);
    if (products.size === 0) this.productsByUser.delete(userId);
  }
}

/**
 * Who a payload shows active, in which session, and the email it carries (the batch's, else the first action's); null
 * for a payload without a user id or a session. Every {@link UserIndex} reads payloads through it.
 */
export function userActivityOf(payload: ActionsPayload): { userId: string; key: SessionKey; email: string | null } | null {
  if (payload?.type !== 'actions' || !Array.isArray(payload.actions)) return null;
  const first = payload.actions[0];
  const userId = (payload.user_id || first?.user_id || '').trim();
  const key = sessionKeyOf(payload);
  if (!userId || !key) return null;
  return { userId, key, email: payload.email || first?.email || null };
}

function entryId(productId: string, userId: string): string {
  return `${productId}${SEPARATOR}${userId}`;
}
