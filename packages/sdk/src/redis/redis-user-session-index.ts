/**
 * The user → sessions index on Redis (docs/scaling.md, "Bridge state on Redis"). Per (product, user): a sorted set of
 * session ids scored by their latest activity, `<prefix>{<product>}:u:sessions:<user>`, and the latest email,
 * `<prefix>{<product>}:u:email:<user>` (JSON, `"v":1`); both written by one Lua script with a TTL of the lookback.
 * A set of the products a user was seen in, `<prefix>user-products:<user>` (no hash tag: it spans products), serves
 * lookups without a product.
 */
import { systemClock, type ActionsPayload, type Clock } from '@sightline/protocol';
import type { Redis } from 'ioredis';
import { checkInteger, checkPositiveNumber } from '../options/option-checks.ts';
import { userActivityOf, type SessionRef, type UserIndex, type UserLookupOptions } from '../user-index/user-session-index.ts';
import { connectRedis, globEscape, parseRecord, productKey, scanKeys, type RedisBackendOptions, type RedisConnection } from './redis-connection.ts';

/** Options of {@link RedisUserSessionIndex}: the connection, and the index's bounds. */
export type RedisUserSessionIndexOptions = RedisBackendOptions & {
  /** How long a session stays listed after its latest payload, seconds (> 0); also the keys' TTL. Default 300. */
  lookbackSeconds?: number;
  /** Most sessions remembered per user (≥ 1). Default 20. */
  maxSessionsPerUser?: number;
  /** Time source for activity times. Default {@link systemClock}. */
  clock?: Clock;
};

interface StoredEmail {
  email: string;
  at: number;
}

/**
 * KEYS: sessions, email. ARGV: session id, now, cutoff, max sessions, TTL ms, email record or "".
 * Adds the session, drops those past the lookback and beyond the bound, sets the email, refreshes both TTLs.
 */
const ADD_SCRIPT = `
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', '(' .. ARGV[3])
redis.call('ZREMRANGEBYRANK', KEYS[1], 0, -(tonumber(ARGV[4]) + 1))
redis.call('PEXPIRE', KEYS[1], ARGV[5])
if ARGV[6] ~= '' then
  redis.call('SET', KEYS[2], ARGV[6], 'PX', ARGV[5])
else
  redis.call('PEXPIRE', KEYS[2], ARGV[5])
end
return 1
`;

type AddCommand = (sessions: string, email: string, sessionId: string, now: number, cutoff: number, max: number, ttlMs: number, record: string) => Promise<number>;

/**
 * {@link UserIndex} on Redis: several bridges see one index. Memory is bounded by TTLs (the lookback) instead of a
 * user count.
 *
 * @example
 * const index = new RedisUserSessionIndex({ url: process.env.REDIS_URL!, lookbackSeconds: 300 });
 * const store = new ContextStore({ userIndex: index, backend: new RedisContextBackend({ client: index.client }) });
 */
export class RedisUserSessionIndex implements UserIndex {
  readonly lookbackSeconds: number;
  /** The connection, to share with other backends. */
  readonly client: Redis;
  private readonly connection: RedisConnection;
  private readonly maxSessionsPerUser: number;
  private readonly clock: Clock;

  constructor(options: RedisUserSessionIndexOptions) {
    this.lookbackSeconds = checkPositiveNumber('lookbackSeconds', options.lookbackSeconds ?? 300);
    this.maxSessionsPerUser = checkInteger('maxSessionsPerUser', options.maxSessionsPerUser ?? 20);
    this.clock = options.clock ?? systemClock;
    this.connection = connectRedis(options);
    this.client = this.connection.client;
    if (!(this.client as unknown as { sightlineUserIndexAdd?: unknown }).sightlineUserIndexAdd) {
      this.client.defineCommand('sightlineUserIndexAdd', { numberOfKeys: 2, lua: ADD_SCRIPT });
    }
  }

  async add(payload: ActionsPayload): Promise<boolean> {
    const seen = userActivityOf(payload);
    if (!seen) return false;
    const { userId, key, email } = seen;
    const now = this.clock.now();
    const ttlMs = this.ttlMs();
    const record = email ? JSON.stringify({ v: 1, email, at: now }) : '';
    const add = (this.client as unknown as { sightlineUserIndexAdd: AddCommand }).sightlineUserIndexAdd.bind(this.client);
    const products = this.productsKey(userId);
    await Promise.all([
      add(this.sessionsKey(key.productId, userId), this.emailKey(key.productId, userId), key.sessionId, now, now - ttlMs, this.maxSessionsPerUser, ttlMs, record),
      this.client.multi().sadd(products, key.productId).pexpire(products, ttlMs).exec(),
    ]);
    return true;
  }

  async getRecentSessions(userId: string, options: UserLookupOptions = {}): Promise<SessionRef[]> {
    const cutoff = this.clock.now() - this.ttlMs();
    const products = await this.productsOf(userId, options);
    const lists = await Promise.all(
      products.map(async (productId) => {
        const flat = await this.client.zrange(this.sessionsKey(productId, userId), '+inf', cutoff, 'BYSCORE', 'REV', 'WITHSCORES');
        const refs: SessionRef[] = [];
        for (let at = 0; at < flat.length; at += 2) refs.push({ productId, sessionId: flat[at]!, lastSeenAt: Number(flat[at + 1]) });
        return refs;
      }),
    );
    return lists.flat().sort((a, b) => b.lastSeenAt - a.lastSeenAt);
  }

  async getEmail(userId: string, options: UserLookupOptions = {}): Promise<string | null> {
    const products = await this.productsOf(userId, options);
    if (products.length === 0) return null;
    const texts = await this.client.mget(...products.map((productId) => this.emailKey(productId, userId)));
    let best: StoredEmail | null = null;
    texts.forEach((text, position) => {
      if (text === null) return;
      const record = parseRecord<StoredEmail>(text, this.emailKey(products[position]!, userId));
      if (!best || record.at > best.at) best = record;
    });
    return (best as StoredEmail | null)?.email ?? null;
  }

  async resetUser(userId: string, options: UserLookupOptions = {}): Promise<void> {
    await this.forgetUser(userId, options);
  }

  async forgetUser(userId: string, options: UserLookupOptions = {}): Promise<SessionRef[]> {
    const products = await this.productsOf(userId, options);
    const forgotten: SessionRef[] = [];
    for (const productId of products) {
      const flat = await this.client.zrange(this.sessionsKey(productId, userId), 0, -1, 'REV', 'WITHSCORES');
      for (let at = 0; at < flat.length; at += 2) forgotten.push({ productId, sessionId: flat[at]!, lastSeenAt: Number(flat[at + 1]) });
      await this.client.del(this.sessionsKey(productId, userId), this.emailKey(productId, userId));
    }
    if (options.productId === undefined) await this.client.del(this.productsKey(userId));
    else await this.client.srem(this.productsKey(userId), options.productId);
    return forgotten;
  }

  /** Deletes every key of this index under the prefix (SCAN; an admin operation, not for the chat path). */
  async clear(): Promise<void> {
    const prefix = globEscape(this.connection.prefix);
    const keys = [...(await scanKeys(this.client, `${prefix}{*}:u:*`)), ...(await scanKeys(this.client, `${prefix}user-products:*`))];
    for (let at = 0; at < keys.length; at += 500) await this.client.unlink(...keys.slice(at, at + 500));
  }

  /** Closes the connection when the index opened it. */
  async close(): Promise<void> {
    await this.connection.close();
  }

  private async productsOf(userId: string, options: UserLookupOptions): Promise<string[]> {
    if (options.productId !== undefined) return [options.productId];
    return this.client.smembers(this.productsKey(userId));
  }

  private ttlMs(): number {
    return Math.ceil(this.lookbackSeconds * 1000);
  }

  private sessionsKey(productId: string, userId: string): string {
    return productKey(this.connection.prefix, productId, 'u', 'sessions', userId);
  }

  private emailKey(productId: string, userId: string): string {
    return productKey(this.connection.prefix, productId, 'u', 'email', userId);
  }

  private productsKey(userId: string): string {
    return `${this.connection.prefix}user-products:${userId}`;
  }
}
