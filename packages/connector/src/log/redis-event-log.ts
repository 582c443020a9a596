/**
 * The {@link EventLog} on Redis Streams, shared by every connector instance (docs/scaling.md): one stream per
 * product, ids that stay valid across instances and restarts, and each session's action indexes taken from Redis
 * in the same step that appends the batch.
 */
import { randomBytes } from 'node:crypto';
import { formatEventId, parseEventId, systemClock, type Clock } from '@sightline/protocol';
import { Redis } from 'ioredis';
import type { CapturedEvent } from '../ingest/captured-event.ts';
import { createError } from '../errors.ts';
import type { EventLog, ForgetUserResult, HeldEvents, IngestInbox, LoggablePayload, LoggedPayload, ReplayResult, UserMatch } from './event-log.ts';
import { selectForgotten } from './user-match.ts';

/** Options of {@link RedisEventLog}. */
export interface RedisEventLogOptions {
  /** A `redis://` or `rediss://` URL (it may hold a password; it is never logged), or a ready client (not closed by the log). */
  redis: string | Redis;
  /** Start of every key. Default `sightline:`. */
  prefix?: string;
  /** Payloads kept per product; the oldest go first. Default 1000. */
  maxEntries?: number;
  /** Payloads older than this are dropped, in milliseconds. Default 900000 (15 min). */
  maxAgeMs?: number;
  /** How long a session's action index counter lives after its last batch, ms. Default 86400000 (a day). */
  indexTtlMs?: number;
  /** Time source for new epochs and age retention. Default: the system clock. */
  clock?: Clock;
  /** How long held events stay in Redis after the latest hold of their product, ms. Default 86400000 (a day). */
  inboxTtlMs?: number;
}

/** Version of the records this log writes (stream entries and the product's meta hash); readers refuse others. */
const RECORD_VERSION = '1';

/**
 * Shared Lua: a product's meta hash (`epoch`, `seq`, `expired`) is made when missing. A missing hash means a new
 * product or lost data: the stream left behind (if any) belongs to an epoch nobody can resume, so it goes too.
 */
const ENSURE_EPOCH = `
local function ensureEpoch(meta, stream, lowest)
  local epoch = redis.call('HGET', meta, 'epoch')
  if epoch then return epoch end
  redis.call('DEL', stream)
  redis.call('HSET', meta, 'v', '${RECORD_VERSION}', 'epoch', lowest, 'seq', '0', 'expired', '0')
  return lowest
end
`;

/**
 * Shared Lua: age retention (oldest entries logged before `cutoff`), then count retention; the seq of the last
 * entry removed goes to `expired`, so a client that saw less gets a gap (XDEL by forgetUser does not move it).
 */
const TRIM = `
local function trim(meta, stream, maxEntries, cutoff)
  local last = nil
  while true do
    local oldest = redis.call('XRANGE', stream, '-', '+', 'COUNT', 1)[1]
    if not oldest then break end
    local fields = oldest[2]
    local loggedAt = nil
    for f = 1, #fields, 2 do if fields[f] == 't' then loggedAt = tonumber(fields[f + 1]) end end
    if loggedAt and loggedAt >= cutoff then break end
    redis.call('XDEL', stream, oldest[1])
    last = oldest[1]
  end
  local excess = redis.call('XLEN', stream) - maxEntries
  if excess > 0 then
    local removed = redis.call('XRANGE', stream, '-', '+', 'COUNT', excess)
    last = removed[#removed][1]
    redis.call('XTRIM', stream, 'MAXLEN', maxEntries)
  end
  if last then redis.call('HSET', meta, 'expired', string.match(last, '-(%d+)$')) end
end
`;

/**
 * Append: id and (for a session's actions) index base allocated and the entry written in one atomic step, so ids in
 * the stream increase strictly and a session's indexes follow stream order, whichever instance appends; the held
 * events the batch completes are released in the same step.
 * KEYS: meta, stream, index counter, inbox, inbox times. ARGV: now ms, lowest new epoch, max entries, cutoff ms,
 * payload JSON, action count, index counter used (1/0), index TTL ms, arrival ms ('' when unknown), receipts….
 */
const APPEND_SCRIPT = `${ENSURE_EPOCH}${TRIM}
local epoch = ensureEpoch(KEYS[1], KEYS[2], ARGV[2])
local seq = redis.call('HINCRBY', KEYS[1], 'seq', 1)
local id = epoch .. '-' .. seq
local fields = { 'v', '${RECORD_VERSION}', 't', ARGV[1], 'p', ARGV[5] }
local base = -1
if ARGV[7] == '1' then
  local count = tonumber(ARGV[6])
  base = redis.call('INCRBY', KEYS[3], count) - count
  redis.call('PEXPIRE', KEYS[3], ARGV[8])
  table.insert(fields, 'i')
  table.insert(fields, base)
end
if ARGV[9] ~= '' then
  table.insert(fields, 'a')
  table.insert(fields, ARGV[9])
end
redis.call('XADD', KEYS[2], id, unpack(fields))
trim(KEYS[1], KEYS[2], tonumber(ARGV[3]), tonumber(ARGV[4]))
for r = 10, #ARGV do
  redis.call('HDEL', KEYS[4], ARGV[r])
  redis.call('ZREM', KEYS[5], ARGV[r])
end
return { epoch, seq, base }
`;

/**
 * Read after an id: age retention first, then the meta and the entries the client may be owed (after its id when it
 * is of this epoch and not expired, else everything held). KEYS: meta, stream. ARGV: max entries, cutoff ms,
 * requested epoch ('' when malformed), requested seq. Returns {} when the product has no epoch.
 */
const READ_SCRIPT = `${TRIM}
local epoch = redis.call('HGET', KEYS[1], 'epoch')
if not epoch then return {} end
trim(KEYS[1], KEYS[2], tonumber(ARGV[1]), tonumber(ARGV[2]))
local meta = redis.call('HMGET', KEYS[1], 'v', 'seq', 'expired')
local from = '-'
if ARGV[3] == epoch then
  local requested = tonumber(ARGV[4])
  if requested > tonumber(meta[2]) then return { epoch, meta[1], meta[2], meta[3], {} } end
  if requested >= tonumber(meta[3]) then from = '(' .. epoch .. '-' .. ARGV[4] end
end
return { epoch, meta[1], meta[2], meta[3], redis.call('XRANGE', KEYS[2], from, '+') }
`;

/** The product's epoch and last seq, making the epoch when missing. KEYS: meta, stream. ARGV: lowest new epoch. */
const POSITION_SCRIPT = `${ENSURE_EPOCH}
local epoch = ensureEpoch(KEYS[1], KEYS[2], ARGV[1])
return { epoch, redis.call('HGET', KEYS[1], 'seq') }
`;

/** Drop: the stream goes, the sequence stays, and everything handed out counts as expired. KEYS: meta, stream. */
const DROP_SCRIPT = `
local seq = redis.call('HGET', KEYS[1], 'seq')
redis.call('DEL', KEYS[2])
if seq then redis.call('HSET', KEYS[1], 'expired', seq) end
return 1
`;

/**
 * Hold: a request's events, stored before the door answers. KEYS: inbox (hash receipt → record), inbox times (sorted
 * set receipt → held at). ARGV: receipt, now ms, record JSON, TTL ms.
 */
const HOLD_SCRIPT = `
redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
redis.call('ZADD', KEYS[2], ARGV[2], ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[4])
redis.call('PEXPIRE', KEYS[2], ARGV[4])
return 1
`;

/** Release: holds no batch completes. KEYS: inbox, inbox times. ARGV: receipts…. */
const RELEASE_SCRIPT = `
for r = 1, #ARGV do
  redis.call('HDEL', KEYS[1], ARGV[r])
  redis.call('ZREM', KEYS[2], ARGV[r])
end
return 1
`;

/**
 * Claim: holds older than a cutoff move to new receipts of the claiming instance, held from now, and are returned
 * with their records. One script, so a hold goes to exactly one claimer. KEYS: inbox, inbox times. ARGV: cutoff ms,
 * limit, now ms, new receipt prefix, TTL ms.
 */
const CLAIM_SCRIPT = `
local stale = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', '(' .. ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
local claimed = {}
for i, old in ipairs(stale) do
  local record = redis.call('HGET', KEYS[1], old)
  redis.call('HDEL', KEYS[1], old)
  redis.call('ZREM', KEYS[2], old)
  if record then
    local receipt = ARGV[4] .. i
    redis.call('HSET', KEYS[1], receipt, record)
    redis.call('ZADD', KEYS[2], ARGV[3], receipt)
    table.insert(claimed, receipt)
    table.insert(claimed, record)
  end
end
if #claimed > 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[5])
  redis.call('PEXPIRE', KEYS[2], ARGV[5])
end
return claimed
`;

/** One stream entry as Redis returns it: id and flat field list. */
export type StreamEntryReply = [id: string, fields: string[]];

interface ScriptCommands {
  sightlineLogAppend(...args: (string | number)[]): Promise<[string, number, number]>;
  sightlineLogRead(...args: (string | number)[]): Promise<[string, string | null, string, string, StreamEntryReply[]] | []>;
  sightlineLogPosition(...args: (string | number)[]): Promise<[string, string]>;
  sightlineLogDrop(...args: (string | number)[]): Promise<number>;
  sightlineInboxHold(...args: (string | number)[]): Promise<number>;
  sightlineInboxRelease(...args: (string | number)[]): Promise<number>;
  sightlineInboxClaim(...args: (string | number)[]): Promise<string[]>;
}

/**
 * Event log on Redis Streams. Keys (all with the product's hash tag, so one product's keys share a Redis Cluster
 * slot): `<prefix>{<product>}:log` the stream, whose entry ids are the event ids `<epoch>-<seq>`;
 * `<prefix>{<product>}:meta` a hash of the epoch, the last seq and the last seq retention removed;
 * `<prefix>{<product>}:idx:<session>` a session's next action index, expiring `indexTtlMs` after its last batch;
 * `<prefix>{<product>}:inbox` and `:inbox-at` the events acknowledged and not yet logged ({@link IngestInbox}).
 *
 * @example
 * const log = new RedisEventLog({ redis: process.env.REDIS_URL!, maxEntries: 1000 });
 * const { id } = await log.append('acme', payload); // '1732230000-41', on whichever instance
 * const { gap, entries } = await log.readAfter('acme', '1732230000-40');
 */
export class RedisEventLog implements EventLog, IngestInbox {
  /** The command connection (shared with the caller's when a client was given). */
  readonly redis: Redis;
  readonly prefix: string;
  private readonly scripts: ScriptCommands;
  private readonly ownsClient: boolean;
  private readonly maxEntries: number;
  private readonly maxAgeMs: number;
  private readonly indexTtlMs: number;
  private readonly clock: Clock;
  /** The last epoch seen per product: a new epoch (after lost data) is made later than it, so no id is reused. */
  private readonly knownEpochs = new Map<string, number>();
  private readonly inboxTtlMs: number;
  /** Receipts of this instance: `<random>:<count>`, so two instances (or two lives of one) never share one. */
  private readonly receiptPrefix = `${randomBytes(6).toString('hex')}:`;
  private receiptCount = 0;

  constructor(options: RedisEventLogOptions) {
    this.clock = options.clock ?? systemClock;
    this.maxEntries = options.maxEntries ?? 1000;
    this.maxAgeMs = options.maxAgeMs ?? 900_000;
    this.indexTtlMs = options.indexTtlMs ?? 86_400_000;
    this.inboxTtlMs = options.inboxTtlMs ?? 86_400_000;
    this.prefix = options.prefix ?? 'sightline:';
    if (!Number.isSafeInteger(this.maxEntries) || this.maxEntries < 1) {
      throw createError('SL_CONFIG_INVALID', { option: 'maxEntries', reason: 'must be a positive integer' });
    }
    if (!(this.maxAgeMs > 0)) throw createError('SL_CONFIG_INVALID', { option: 'maxAgeMs', reason: 'must be positive' });
    if (!Number.isSafeInteger(this.indexTtlMs) || this.indexTtlMs < 1) {
      throw createError('SL_CONFIG_INVALID', { option: 'indexTtlMs', reason: 'must be a positive whole number of ms' });
    }
    if (/[{}]/.test(this.prefix)) throw createError('SL_CONFIG_INVALID', { option: 'redisPrefix', reason: 'must not hold { or } (they mark hash tags)' });
    this.ownsClient = typeof options.redis === 'string';
    // Auto-pipelining sends the commands of one event-loop turn in one write: many appends share a round trip.
    this.redis = typeof options.redis === 'string' ? new Redis(options.redis, { lazyConnect: true, enableAutoPipelining: true }) : options.redis;
    this.redis.defineCommand('sightlineLogAppend', { numberOfKeys: 5, lua: APPEND_SCRIPT });
    this.redis.defineCommand('sightlineLogRead', { numberOfKeys: 2, lua: READ_SCRIPT });
    this.redis.defineCommand('sightlineLogPosition', { numberOfKeys: 2, lua: POSITION_SCRIPT });
    this.redis.defineCommand('sightlineLogDrop', { numberOfKeys: 2, lua: DROP_SCRIPT });
    this.redis.defineCommand('sightlineInboxHold', { numberOfKeys: 2, lua: HOLD_SCRIPT });
    this.redis.defineCommand('sightlineInboxRelease', { numberOfKeys: 2, lua: RELEASE_SCRIPT });
    this.redis.defineCommand('sightlineInboxClaim', { numberOfKeys: 2, lua: CLAIM_SCRIPT });
    this.scripts = this.redis as unknown as ScriptCommands;
  }

  /** Connects (when the log made its own client) and waits until Redis answers. */
  async connect(): Promise<void> {
    if (this.redis.status === 'wait') await this.redis.connect();
    await this.redis.ping();
  }

  /** Whether the command connection is up (the ingest doors refuse events while it is not). */
  get isAvailable(): boolean {
    return this.redis.status === 'ready';
  }

  /** The stream key of a product. */
  streamKey(productId: string): string {
    return `${this.prefix}{${productId}}:log`;
  }

  async epochOf(productId: string): Promise<number> {
    return (await this.positionOf(productId)).epoch;
  }

  /** A product's epoch and the last id handed out (`<epoch>-0` before the first), making the epoch when missing. */
  async positionOf(productId: string): Promise<{ epoch: number; lastId: string }> {
    const [epoch, seq] = await this.scripts.sightlineLogPosition(this.key(productId, 'meta'), this.streamKey(productId), this.lowestNewEpoch(productId));
    this.knownEpochs.set(productId, Number(epoch));
    return { epoch: Number(epoch), lastId: `${epoch}-${seq}` };
  }

  async append(productId: string, payload: LoggablePayload, ingestedAt: number | null = null, receipts: readonly string[] = []): Promise<LoggedPayload> {
    const now = this.clock.now();
    // Null-session batches are grouped by a person, not a session: their indexes stay the sessionizer's own.
    const indexed = payload.type === 'actions' && payload.session_id !== null && payload.session_id !== '' && payload.actions.length > 0;
    const count = payload.type === 'actions' ? payload.actions.length : 0;
    const [epochText, seq, base] = await this.scripts.sightlineLogAppend(
      this.key(productId, 'meta'),
      this.streamKey(productId),
      indexed ? this.key(productId, `idx:${payload.session_id}`) : this.key(productId, 'meta'),
      this.key(productId, 'inbox'),
      this.key(productId, 'inbox-at'),
      now,
      this.lowestNewEpoch(productId),
      this.maxEntries,
      now - this.maxAgeMs,
      JSON.stringify(payload),
      count,
      indexed ? '1' : '0',
      this.indexTtlMs,
      ingestedAt === null ? '' : String(ingestedAt),
      ...receipts,
    );
    const epoch = Number(epochText);
    this.knownEpochs.set(productId, epoch);
    if (indexed && payload.type === 'actions') renumber(payload, base);
    const entry: LoggedPayload = { id: formatEventId(epoch, seq), seq, payload, loggedAt: now };
    if (ingestedAt !== null) entry.ingestedAt = ingestedAt;
    return entry;
  }

  async hold(productId: string, events: readonly CapturedEvent[]): Promise<string> {
    const receipt = `${this.receiptPrefix}${++this.receiptCount}`;
    const record = JSON.stringify({ v: Number(RECORD_VERSION), e: events.map(withoutParse) });
    await this.scripts.sightlineInboxHold(this.key(productId, 'inbox'), this.key(productId, 'inbox-at'), receipt, this.clock.now(), record, this.inboxTtlMs);
    return receipt;
  }

  async release(productId: string, receipts: readonly string[]): Promise<void> {
    if (receipts.length === 0) return;
    await this.scripts.sightlineInboxRelease(this.key(productId, 'inbox'), this.key(productId, 'inbox-at'), ...receipts);
  }

  async claimStale(productId: string, olderThan: number, limit: number): Promise<HeldEvents[]> {
    const prefix = `${this.receiptPrefix}${++this.receiptCount}:`;
    const reply = await this.scripts.sightlineInboxClaim(
      this.key(productId, 'inbox'), this.key(productId, 'inbox-at'), olderThan, limit, this.clock.now(), prefix, this.inboxTtlMs,
    );
    const claimed: HeldEvents[] = [];
    for (let position = 0; position + 1 < reply.length; position += 2) {
      const record = JSON.parse(reply[position + 1]!) as { v?: number; e?: CapturedEvent[] };
      checkVersion(String(record.v));
      claimed.push({ receipt: reply[position]!, events: record.e ?? [] });
    }
    return claimed;
  }

  async readAfter(productId: string, lastEventId: string): Promise<ReplayResult> {
    const requested = parseEventId(lastEventId);
    const reply = await this.scripts.sightlineLogRead(
      this.key(productId, 'meta'),
      this.streamKey(productId),
      this.maxEntries,
      this.clock.now() - this.maxAgeMs,
      requested === null ? '' : String(requested.epoch),
      requested === null ? 0 : requested.seq,
    );
    // No epoch: nothing was ever logged for the product, or Redis lost it; no id can be placed.
    if (reply.length === 0) return { gap: { reason: requested === null ? 'unknown_id' : 'epoch_mismatch', resumedFrom: null }, entries: [] };
    const [epochText, version, lastSeqText, expiredText, raw] = reply;
    checkVersion(version);
    const epoch = Number(epochText);
    this.knownEpochs.set(productId, epoch);
    const entries = raw.map(decodeStreamEntry);
    const all = (reason: 'expired' | 'epoch_mismatch' | 'unknown_id'): ReplayResult => ({ gap: { reason, resumedFrom: entries[0]?.id ?? null }, entries });
    if (!requested) return all('unknown_id');
    if (requested.epoch !== epoch) return all('epoch_mismatch');
    if (requested.seq > Number(lastSeqText)) return { gap: { reason: 'unknown_id', resumedFrom: null }, entries: [] };
    if (requested.seq < Number(expiredText)) return all('expired');
    return { gap: null, entries };
  }

  async forgetUser(productId: string, match: UserMatch): Promise<ForgetUserResult> {
    const raw = (await this.redis.xrange(this.streamKey(productId), '-', '+')) as StreamEntryReply[];
    const { removed, sessions } = selectForgotten(raw.map(decodeStreamEntry), match);
    if (removed.size === 0) return { payloads: 0, sessions: 0 };
    // XDEL of named ids only: entries appended meanwhile stay, and ids are never renumbered.
    await this.redis.xdel(this.streamKey(productId), ...[...removed].map((entry) => entry.id));
    return { payloads: removed.size, sessions };
  }

  async drop(productId: string): Promise<void> {
    await this.scripts.sightlineLogDrop(this.key(productId, 'meta'), this.streamKey(productId));
  }

  async close(): Promise<void> {
    if (!this.ownsClient) return;
    try {
      await this.redis.quit();
    } catch {
      this.redis.disconnect();
    }
  }

  private key(productId: string, suffix: string): string {
    return `${this.prefix}{${productId}}:${suffix}`;
  }

  /** Now in seconds, and later than any epoch this instance saw for the product. */
  private lowestNewEpoch(productId: string): number {
    return Math.max(Math.floor(this.clock.now() / 1000), (this.knownEpochs.get(productId) ?? 0) + 1);
  }
}

function checkVersion(version: string | null | undefined): void {
  if (version !== RECORD_VERSION) throw createError('SL_EVENT_LOG_RECORD_UNSUPPORTED', { version: String(version) });
}

/** An event as held: its parsed chain stays behind (extraction parses the chain again). */
function withoutParse(event: CapturedEvent): CapturedEvent {
  if (event.parsedChain === undefined) return event;
  const { parsedChain: _parsedChain, ...rest } = event;
  return rest;
}

/** Action indexes from the base Redis allocated: the batch's actions take the next `count` of its session. */
function renumber(payload: LoggablePayload, base: number): void {
  if (payload.type !== 'actions' || base < 0) return;
  for (let position = 0; position < payload.actions.length; position++) payload.actions[position]!.index = base + position;
}

/** A stream entry back to the payload it logged (a known record version only). */
export function decodeStreamEntry([id, fields]: StreamEntryReply): LoggedPayload {
  const record: Record<string, string> = {};
  for (let position = 0; position + 1 < fields.length; position += 2) record[fields[position]!] = fields[position + 1]!;
  checkVersion(record['v']);
  const payload = JSON.parse(record['p']!) as LoggablePayload;
  if (record['i'] !== undefined) renumber(payload, Number(record['i']));
  const parsed = parseEventId(id);
  const entry: LoggedPayload = { id, seq: parsed?.seq ?? 0, payload, loggedAt: Number(record['t']) };
  if (record['a'] !== undefined) entry.ingestedAt = Number(record['a']);
  return entry;
}
