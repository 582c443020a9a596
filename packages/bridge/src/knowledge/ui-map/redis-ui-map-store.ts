/**
 * The UI map in Redis, shared by every bridge of the product (docs/knowledge.md, "UI map"; docs/scaling.md for the
 * key layout). Keys of one product carry its hash tag, so one script updates an entry, its users and the caps at once:
 *
 * - `uimap:index` (sorted set): stored entry id → when last contributed (ms); `uimap:data` (hash): id → the entry.
 * - `uimap:users:<id>`, `uimap:orgs:<id>` (sorted sets): hashed users and organisations → when last seen.
 * - `uimap:user:<user>` (sorted set): the user's entry ids, for the per-user cap and forgetting.
 * - `uimap:address:<address>` (sorted set): users seen from one address (capture door), for the per-address cap;
 *   `uimap:user-addresses:<user>` (set): the user's addresses, for forgetting.
 * - `uimap:verified` (sorted set): users verified at a chat door → when.
 * - `<prefix>uimap:products` (set, no hash tag): products with a map, for forgetting a user everywhere.
 *
 * Every key lives the decay window after its last write; older members are trimmed on read and write.
 */
import type { Redis } from 'ioredis';
import type { Clock } from '@sightline/sdk';
import { decodeRecord, encodeRecord, type BridgeRedis } from '../../redis/bridge-redis.ts';
import { isUiMapEntry } from './ui-map-entry.ts';
import {
  storedIdOf,
  UI_MAP_STORE_DEFAULTS,
  type StoredUiMapEntry,
  type UiMapContribution,
  type UiMapContributionResult,
  type UiMapStore,
  type UiMapStoreLimits,
} from './ui-map-store.ts';

/** Entries whose users are read in one pipeline. */
const READ_CHUNK = 500;

// KEYS: index, data, user's entries, address, user's addresses, then users/orgs of each entry.
// ARGV: now, cutoff, ttl, maxPerUser, maxPerAddress, maxUsersPerEntry, maxEntries, user, org, address, key base,
// then id and record of each entry.
const CONTRIBUTE = `
local now = tonumber(ARGV[1]); local cutoff = tonumber(ARGV[2]); local ttl = tonumber(ARGV[3])
local maxPerUser = tonumber(ARGV[4]); local maxPerAddress = tonumber(ARGV[5])
local maxUsersPerEntry = tonumber(ARGV[6]); local maxEntries = tonumber(ARGV[7])
local user = ARGV[8]; local org = ARGV[9]; local address = ARGV[10]; local base = ARGV[11]
local n = (#ARGV - 11) / 2
if address ~= '' then
  redis.call('ZREMRANGEBYSCORE', KEYS[4], '-inf', '(' .. cutoff)
  if not redis.call('ZSCORE', KEYS[4], user) and redis.call('ZCARD', KEYS[4]) >= maxPerAddress then return {0, n} end
  redis.call('ZADD', KEYS[4], now, user)
  redis.call('PEXPIRE', KEYS[4], ttl)
  redis.call('SADD', KEYS[5], address)
  redis.call('PEXPIRE', KEYS[5], ttl)
end
redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', '(' .. cutoff)
local accepted = 0
local refused = 0
for i = 1, n do
  local id = ARGV[10 + 2 * i]
  local record = ARGV[11 + 2 * i]
  local usersKey = KEYS[4 + 2 * i]
  local orgsKey = KEYS[5 + 2 * i]
  if not redis.call('ZSCORE', KEYS[3], id) and redis.call('ZCARD', KEYS[3]) >= maxPerUser then
    refused = refused + 1
  else
    redis.call('ZADD', KEYS[3], now, id)
    redis.call('HSETNX', KEYS[2], id, record)
    redis.call('ZADD', usersKey, now, user)
    local excess = redis.call('ZCARD', usersKey) - maxUsersPerEntry
    if excess > 0 then redis.call('ZREMRANGEBYRANK', usersKey, 0, excess - 1) end
    redis.call('PEXPIRE', usersKey, ttl)
    if org ~= '' then
      redis.call('ZADD', orgsKey, now, org)
      redis.call('PEXPIRE', orgsKey, ttl)
    end
    redis.call('ZADD', KEYS[1], now, id)
    accepted = accepted + 1
  end
end
redis.call('PEXPIRE', KEYS[3], ttl)
local over = redis.call('ZCARD', KEYS[1]) - maxEntries
if over > 0 then
  local gone = redis.call('ZPOPMIN', KEYS[1], over)
  for j = 1, #gone, 2 do
    redis.call('DEL', base .. 'users:' .. gone[j], base .. 'orgs:' .. gone[j])
    redis.call('HDEL', KEYS[2], gone[j])
  end
end
redis.call('PEXPIRE', KEYS[1], ttl)
redis.call('PEXPIRE', KEYS[2], ttl)
return {accepted, refused}
`;

/**
 * @example
 * const store = new RedisUiMapStore({ redis, clock });
 * await store.contribute({ productId: 'acme', user, organisation: null, address: null, entries, ids });
 */
export class RedisUiMapStore implements UiMapStore {
  private readonly redis: BridgeRedis;
  private readonly client: Redis;
  private readonly clock: Clock;
  private readonly limits: UiMapStoreLimits;
  /** Products this instance already listed in the products set (a set per store instance, not a global cache). */
  private readonly listed = new Set<string>();

  constructor(options: { redis: BridgeRedis; clock: Clock; limits?: Partial<UiMapStoreLimits> }) {
    this.redis = options.redis;
    this.client = options.redis.client;
    this.clock = options.clock;
    this.limits = { ...UI_MAP_STORE_DEFAULTS, ...options.limits };
  }

  async contribute(contribution: UiMapContribution): Promise<UiMapContributionResult> {
    const { productId, user } = contribution;
    if (contribution.entries.length === 0) return { accepted: 0, refused: 0 };
    const now = this.clock.now();
    const ids = contribution.ids.map(storedIdOf);
    const keys = [
      this.key(productId, 'index'),
      this.key(productId, 'data'),
      this.key(productId, 'user', user),
      this.key(productId, 'address', contribution.address ?? '-'),
      this.key(productId, 'user-addresses', user),
      ...ids.flatMap((id) => [this.key(productId, 'users', id), this.key(productId, 'orgs', id)]),
    ];
    const args = [
      now,
      now - this.limits.windowMs,
      this.limits.windowMs,
      this.limits.maxEntriesPerUser,
      this.limits.maxUsersPerAddress,
      this.limits.maxUsersPerEntry,
      this.limits.maxEntries,
      user,
      contribution.organisation ?? '',
      contribution.address ?? '',
      this.key(productId, ''),
      ...ids.flatMap((id, position) => [id, encodeRecord({ id: contribution.ids[position], entry: contribution.entries[position] })]),
    ];
    const [accepted, refused] = (await this.client.eval(CONTRIBUTE, keys.length, ...keys, ...args)) as [number, number];
    if (!this.listed.has(productId)) {
      await this.client.sadd(this.productsKey(), productId);
      this.listed.add(productId);
    }
    return { accepted, refused };
  }

  async markVerified(productId: string, user: string): Promise<void> {
    const key = this.key(productId, 'verified');
    await this.client.multi().zadd(key, this.clock.now(), user).pexpire(key, this.limits.windowMs).exec();
  }

  async verifiedUsers(productId: string): Promise<Set<string>> {
    return new Set(await this.client.zrangebyscore(this.key(productId, 'verified'), this.clock.now() - this.limits.windowMs, '+inf'));
  }

  async read(productId: string): Promise<StoredUiMapEntry[]> {
    const cutoff = this.clock.now() - this.limits.windowMs;
    const index = this.key(productId, 'index');
    const data = this.key(productId, 'data');
    const stale = await this.client.zrangebyscore(index, '-inf', `(${cutoff}`);
    if (stale.length > 0) {
      const cleanUp = this.client.multi().zrem(index, ...stale).hdel(data, ...stale);
      for (const id of stale) cleanUp.del(this.key(productId, 'users', id), this.key(productId, 'orgs', id));
      await cleanUp.exec();
    }
    const live = await this.client.zrevrangebyscore(index, '+inf', cutoff, 'WITHSCORES');
    const result: StoredUiMapEntry[] = [];
    for (let start = 0; start < live.length; start += READ_CHUNK * 2) {
      const chunk = live.slice(start, start + READ_CHUNK * 2);
      const ids = chunk.filter((_, position) => position % 2 === 0);
      const pipeline = this.client.pipeline().hmget(data, ...ids);
      for (const id of ids) {
        pipeline.zrevrangebyscore(this.key(productId, 'users', id), '+inf', cutoff);
        pipeline.zrangebyscore(this.key(productId, 'orgs', id), cutoff, '+inf');
      }
      const replies = (await pipeline.exec()) ?? [];
      const failed = replies.find(([error]) => error !== null);
      if (failed) throw failed[0];
      const records = replies[0]![1] as (string | null)[];
      ids.forEach((_, position) => {
        const record = decodeRecord(records[position] ?? null, 'UI map entry');
        const users = replies[1 + position * 2]![1] as string[];
        const organisations = replies[2 + position * 2]![1] as string[];
        if (record === null || !isUiMapEntry(record['entry']) || typeof record['id'] !== 'string' || users.length === 0) return;
        result.push({ id: record['id'], entry: record['entry'], users, organisations, lastSeenAt: Number(chunk[position * 2 + 1]) });
      });
    }
    return result;
  }

  async forgetUser(user: string): Promise<number> {
    let removed = 0;
    for (const productId of await this.products()) {
      const userKey = this.key(productId, 'user', user);
      const addressesKey = this.key(productId, 'user-addresses', user);
      const [ids, addresses] = await Promise.all([this.client.zrange(userKey, 0, -1), this.client.smembers(addressesKey)]);
      const forget = this.client.multi();
      for (const id of ids) forget.zrem(this.key(productId, 'users', id), user);
      for (const address of addresses) forget.zrem(this.key(productId, 'address', address), user);
      forget.zrem(this.key(productId, 'verified'), user).del(userKey, addressesKey);
      const replies = (await forget.exec()) ?? [];
      for (let position = 0; position < ids.length; position++) removed += Number(replies[position]?.[1] ?? 0);
    }
    return removed;
  }

  async products(): Promise<string[]> {
    return this.client.smembers(this.productsKey());
  }

  private key(productId: string, ...parts: string[]): string {
    return this.redis.key(['uimap', ...parts], productId);
  }

  private productsKey(): string {
    return `${this.redis.prefix}uimap:products`;
  }
}
