/**
 * The default {@link ContextBackend}: one process's memory, an LRU map of session records. Each
 * operation completes synchronously inside its promise, so operations never interleave.
 */
import { LruMap } from '../lru/lru-map.ts';
import { parseSessionKeyId, sessionKeyId, type SessionKey } from '../session-key/session-key.ts';
import type { ContextBackend, ContextWriteLimits, SessionRecord, StoredBatch, SummaryCoverage, SummaryUpdate } from './backend.ts';
import { appendToRecord, applySummaryToRecord, isReplayedEvent } from './session-record.ts';

/** Sessions checked for expiry per write: enough to keep pace with writes, bounded so a write stays O(1). */
const EXPIRY_CHECKS_PER_WRITE = 2;

/**
 * Keeps context in memory. Besides the LRU bound, each write also retires up to two of the least
 * recently written sessions whose actions have all passed the lookback and that hold no summary.
 *
 * @example new ContextStore({ backend: new MemoryContextBackend() })
 */
export class MemoryContextBackend implements ContextBackend {
  private readonly records = new LruMap<string, SessionRecord>();

  /** Number of sessions held. */
  get size(): number {
    return this.records.size;
  }

  async append(key: SessionKey, batch: StoredBatch, limits: ContextWriteLimits, eventId?: string | null): Promise<SessionKey[] | null> {
    const id = sessionKeyId(key);
    const current = this.records.peek(id);
    if (eventId && isReplayedEvent(current?.lastEventId, eventId)) return null;
    return this.write(id, appendToRecord(current, key, batch, limits, eventId), limits);
  }

  async applySummary(
    key: SessionKey,
    summary: SummaryUpdate,
    coverage: SummaryCoverage,
    limits: ContextWriteLimits,
    eventId?: string | null,
  ): Promise<SessionKey[] | null> {
    const id = sessionKeyId(key);
    const current = this.records.peek(id);
    if (eventId && isReplayedEvent(current?.lastEventId, eventId)) return null;
    return this.write(id, applySummaryToRecord(current, key, summary, coverage, limits, eventId), limits);
  }

  async read(key: SessionKey): Promise<SessionRecord | undefined> {
    return this.records.peek(sessionKeyId(key));
  }

  async readMany(keys: readonly SessionKey[]): Promise<Array<SessionRecord | undefined>> {
    return keys.map((key) => this.records.peek(sessionKeyId(key)));
  }

  async delete(key: SessionKey): Promise<boolean> {
    return this.records.delete(sessionKeyId(key));
  }

  async keys(): Promise<SessionKey[]> {
    return [...this.records.keys()].map(parseSessionKeyId);
  }

  async clear(): Promise<void> {
    this.records.clear();
  }

  private write(id: string, record: SessionRecord, limits: ContextWriteLimits): SessionKey[] {
    const removed: SessionKey[] = [];
    const from = limits.keepReceivedFrom;
    if (from !== null) {
      for (let checked = 0; checked < EXPIRY_CHECKS_PER_WRITE; checked++) {
        const entry = this.records.oldest();
        if (!entry || entry[0] === id || entry[1].summary !== null || entry[1].lastSeenAt >= from) break;
        this.records.delete(entry[0]);
        removed.push(entry[1].key);
      }
    }
    // The session bound arrives with each write (it is the store's option), so eviction is done here.
    this.records.set(id, record);
    if (limits.maxSessions !== null) {
      for (let entry = this.records.oldest(); entry && this.records.size > limits.maxSessions; entry = this.records.oldest()) {
        this.records.delete(entry[0]);
        removed.push(entry[1].key);
      }
    }
    return removed;
  }
}
