/**
 * The default {@link ActivityBackend}: one process's memory, an LRU map of tab states with an index of each
 * session's tabs. Each operation completes synchronously inside its promise.
 */
import { LruMap } from '../lru/lru-map.ts';
import { checkInteger, resolveLimit } from '../options/option-checks.ts';
import type { ActivityKey } from './activity-state.ts';
import { sessionKeyId } from '../session-key/session-key.ts';
import { activityKeyId, type ActivityBackend, type StoredActivity } from './activity-backend.ts';

/** Options of {@link MemoryActivityBackend}. */
export interface MemoryActivityBackendOptions {
  /** The most tabs kept; the least recently written go first. Default 10 000; `null` for no bound. Throws `SL_CONFIG_INVALID` below 1. */
  maxTabs?: number | null;
}

/**
 * Keeps activity states in memory, at most `maxTabs` of them (least recently written evicted first).
 *
 * @example new ActivityTracker({ backend: new MemoryActivityBackend({ maxTabs: 50_000 }) })
 */
export class MemoryActivityBackend implements ActivityBackend {
  private readonly tabs: LruMap<string, StoredActivity>;
  /** Session id → ids of its tabs. */
  private readonly sessions = new Map<string, Set<string>>();

  constructor(options: MemoryActivityBackendOptions = {}) {
    this.tabs = new LruMap(resolveLimit('maxTabs', options.maxTabs, 10_000, checkInteger));
  }

  async get(key: ActivityKey): Promise<StoredActivity | null> {
    return this.tabs.peek(activityKeyId(key)) ?? null;
  }

  async set(key: ActivityKey, record: StoredActivity): Promise<void> {
    const id = activityKeyId(key);
    const sessionId = sessionKeyId(key);
    let tabs = this.sessions.get(sessionId);
    if (!tabs) this.sessions.set(sessionId, (tabs = new Set()));
    tabs.add(id);
    for (const [, evicted] of this.tabs.set(id, record)) this.forget(evicted.state.key);
  }

  async listSession(productId: string, sessionId: string): Promise<StoredActivity[]> {
    const ids = this.sessions.get(sessionKeyId({ productId, sessionId }));
    if (!ids) return [];
    return [...ids].flatMap((id) => this.tabs.peek(id) ?? []);
  }

  async delete(key: ActivityKey): Promise<void> {
    this.tabs.delete(activityKeyId(key));
    this.forget(key);
  }

  async deleteSession(productId: string, sessionId: string): Promise<void> {
    const session = sessionKeyId({ productId, sessionId });
    for (const id of this.sessions.get(session) ?? []) this.tabs.delete(id);
    this.sessions.delete(session);
  }

  async size(): Promise<number> {
    return this.tabs.size;
  }

  async list(): Promise<StoredActivity[]> {
    return [...this.tabs].map(([, record]) => record);
  }

  private forget(key: ActivityKey): void {
    const session = sessionKeyId(key);
    const tabs = this.sessions.get(session);
    if (!tabs) return;
    tabs.delete(activityKeyId(key));
    if (tabs.size === 0) this.sessions.delete(session);
  }
}
