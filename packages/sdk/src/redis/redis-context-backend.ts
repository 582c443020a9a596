/**
 * The {@link ContextBackend} on Redis (docs/scaling.md, "Bridge state on Redis"): one hash per session,
 * `<prefix>{<product>}:s:<session>`, holding the record as JSON (`"v":1`: its batches with what is covered, its story,
 * the latest applied event id), a revision and the time of the latest write. A write reads the record, applies the
 * same pure record operations as the memory backend (so both trim, cover and deduplicate alike) and stores the result
 * with a compare-and-set Lua script on the revision, retrying when another writer got there first; the replay check
 * (`isReplayedEvent`) is thus part of the atomic step. Each write sets the key's TTL to the lookback.
 */
import type { Redis } from 'ioredis';
import type { ContextBackend, ContextWriteLimits, SessionRecord, StoredBatch, SummaryCoverage, SummaryUpdate } from '../context-store/backend.ts';
import { appendToRecord, applySummaryToRecord, isReplayedEvent } from '../context-store/session-record.ts';
import { createError } from '../errors.ts';
import { checkInteger, checkPositiveNumber } from '../options/option-checks.ts';
import type { SessionKey } from '../session-key/session-key.ts';
import { connectRedis, globEscape, parseRecord, productKey, RECORD_VERSION, scanKeys, type RedisBackendOptions, type RedisConnection } from './redis-connection.ts';

/** Options of {@link RedisContextBackend}. */
export type RedisContextBackendOptions = RedisBackendOptions & {
  /** TTL of a session's key when the store has no lookback (`lookbackSeconds: null`), seconds. Default 86,400. */
  ttlSecondsWithoutLookback?: number;
  /** Compare-and-set attempts per write before `SL_STORE_CONFLICT`. Default 20. */
  maxWriteAttempts?: number;
};

/** KEYS: the session. ARGV: expected revision, record JSON, last write time, TTL ms. 1 when written, 0 when the revision moved. */
const COMPARE_AND_SET_SCRIPT = `
local revision = redis.call('HGET', KEYS[1], 'rev') or '0'
if revision ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'rev', tostring(tonumber(revision) + 1), 'data', ARGV[2], 'seen', ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[4])
return 1
`;

type CompareAndSet = (key: string, revision: string, record: string, seen: number, ttlMs: number) => Promise<number>;

/**
 * Session records on Redis: several bridges share them, a payload applied by two of them is stored once.
 * Bounded by TTLs rather than `maxSessions` (which it does not apply).
 *
 * @example
 * const store = new ContextStore({ backend: new RedisContextBackend({ url: process.env.REDIS_URL! }), userIndex });
 */
export class RedisContextBackend implements ContextBackend {
  /** The connection, to share with other backends. */
  readonly client: Redis;
  private readonly connection: RedisConnection;
  private readonly fallbackTtlMs: number;
  private readonly maxWriteAttempts: number;
  private readonly compareAndSet: CompareAndSet;

  constructor(options: RedisContextBackendOptions) {
    this.fallbackTtlMs = checkPositiveNumber('ttlSecondsWithoutLookback', options.ttlSecondsWithoutLookback ?? 86_400) * 1000;
    this.maxWriteAttempts = checkInteger('maxWriteAttempts', options.maxWriteAttempts ?? 20);
    this.connection = connectRedis(options);
    this.client = this.connection.client;
    const commands = this.client as unknown as { sightlineRecordCas?: CompareAndSet };
    if (!commands.sightlineRecordCas) this.client.defineCommand('sightlineRecordCas', { numberOfKeys: 1, lua: COMPARE_AND_SET_SCRIPT });
    this.compareAndSet = (commands.sightlineRecordCas as CompareAndSet).bind(this.client);
  }

  async append(key: SessionKey, batch: StoredBatch, limits: ContextWriteLimits, eventId?: string | null): Promise<SessionKey[] | null> {
    return this.update(key, limits, eventId, (record) => appendToRecord(record, key, batch, limits, eventId));
  }

  async applySummary(
    key: SessionKey,
    summary: SummaryUpdate,
    coverage: SummaryCoverage,
    limits: ContextWriteLimits,
    eventId?: string | null,
  ): Promise<SessionKey[] | null> {
    return this.update(key, limits, eventId, (record) => applySummaryToRecord(record, key, summary, coverage, limits, eventId));
  }

  async read(key: SessionKey): Promise<SessionRecord | undefined> {
    const redisKey = this.keyOf(key);
    return this.decode(await this.client.hget(redisKey, 'data'), redisKey);
  }

  async readMany(keys: readonly SessionKey[]): Promise<Array<SessionRecord | undefined>> {
    if (keys.length === 0) return [];
    const pipeline = this.client.pipeline();
    for (const key of keys) pipeline.hget(this.keyOf(key), 'data');
    const results = (await pipeline.exec()) ?? [];
    return keys.map((key, position) => {
      const [error, text] = results[position] ?? [null, null];
      if (error) throw error;
      return this.decode(text as string | null, this.keyOf(key));
    });
  }

  async delete(key: SessionKey): Promise<boolean> {
    return (await this.client.del(this.keyOf(key))) > 0;
  }

  /** Every stored session, least recently written first. Scans the prefix: an admin operation, not for the chat path. */
  async keys(): Promise<SessionKey[]> {
    const redisKeys = await this.sessionRedisKeys();
    const found: Array<{ key: SessionKey; seen: number }> = [];
    for (let at = 0; at < redisKeys.length; at += 500) {
      const pipeline = this.client.pipeline();
      const slice = redisKeys.slice(at, at + 500);
      for (const redisKey of slice) pipeline.hmget(redisKey, 'data', 'seen');
      const results = (await pipeline.exec()) ?? [];
      results.forEach(([error, values], position) => {
        if (error) throw error;
        const [text, seen] = values as [string | null, string | null];
        const record = this.decode(text, slice[position]!);
        if (record) found.push({ key: record.key, seen: Number(seen) });
      });
    }
    return found.sort((a, b) => a.seen - b.seen).map((entry) => entry.key);
  }

  /** Deletes every session record under the prefix (SCAN; an admin operation). */
  async clear(): Promise<void> {
    const redisKeys = await this.sessionRedisKeys();
    for (let at = 0; at < redisKeys.length; at += 500) await this.client.unlink(...redisKeys.slice(at, at + 500));
  }

  /** Closes the connection when the backend opened it. */
  async close(): Promise<void> {
    await this.connection.close();
  }

  /** Read, change, compare-and-set; again when another writer moved the revision in between. */
  private async update(
    key: SessionKey,
    limits: ContextWriteLimits,
    eventId: string | null | undefined,
    change: (record: SessionRecord | undefined) => SessionRecord,
  ): Promise<SessionKey[] | null> {
    const redisKey = this.keyOf(key);
    const ttlMs = Math.ceil(limits.retainMs ?? this.fallbackTtlMs);
    for (let attempt = 0; attempt < this.maxWriteAttempts; attempt++) {
      const [revision, text] = await this.client.hmget(redisKey, 'rev', 'data');
      const record = this.decode(text ?? null, redisKey);
      if (eventId && isReplayedEvent(record?.lastEventId, eventId)) return null;
      const next = change(record);
      const encoded = JSON.stringify({ v: RECORD_VERSION, ...next });
      if ((await this.compareAndSet(redisKey, revision ?? '0', encoded, next.lastSeenAt, ttlMs)) === 1) return [];
    }
    throw createError('SL_STORE_CONFLICT', { key: redisKey, attempts: this.maxWriteAttempts });
  }

  private decode(text: string | null, redisKey: string): SessionRecord | undefined {
    if (text === null) return undefined;
    const { v: _version, ...record } = parseRecord<SessionRecord>(text, redisKey);
    return record;
  }

  private keyOf(key: SessionKey): string {
    return productKey(this.connection.prefix, key.productId, 's', key.sessionId);
  }

  private sessionRedisKeys(): Promise<string[]> {
    return scanKeys(this.client, `${globEscape(this.connection.prefix)}{*}:s:*`);
  }
}
