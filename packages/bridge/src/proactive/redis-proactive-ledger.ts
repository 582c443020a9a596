/**
 * The proactive ledger in Redis, shared by every bridge of the product (docs/proactive.md, "Several bridges"):
 * a hit is claimed with `SET <prefix>{<product>}:proactive:claim:<hash of the hit> 1 NX PX <ttl>`, like the summary
 * lease; a user's record is one versioned JSON value under `proactive:user:<hash of the user id>` that expires with the
 * longest window it serves. The user id is hashed in key names, so a key listing shows no one's id.
 */
import { createHash } from 'node:crypto';
import type { Clock } from '@sightline/sdk';
import { decodeRecord, encodeRecord, type BridgeRedis } from '../redis/bridge-redis.ts';
import { emptyProactiveRecord, type ProactiveLedger, type ProactiveUserRecord } from './proactive-ledger.ts';

function digest(value: string): string {
  return createHash('sha256').update(value).digest('hex').slice(0, 32);
}

/**
 * @example
 * const ledger = new RedisProactiveLedger({ redis, clock });
 */
export class RedisProactiveLedger implements ProactiveLedger {
  private readonly redis: BridgeRedis;
  private readonly clock: Clock;

  constructor(options: { redis: BridgeRedis; clock: Clock }) {
    this.redis = options.redis;
    this.clock = options.clock;
  }

  async claim(hitKey: string, ttlMs: number): Promise<boolean> {
    const taken = await this.redis.client.set(this.redis.key(['proactive', 'claim', digest(hitKey)]), '1', 'PX', Math.max(1, Math.ceil(ttlMs)), 'NX');
    return taken === 'OK';
  }

  async read(userId: string): Promise<ProactiveUserRecord> {
    const stored = decodeRecord(await this.redis.client.get(this.userKey(userId)), 'proactive record');
    if (!stored) return emptyProactiveRecord();
    return {
      fired: Array.isArray(stored['fired']) ? (stored['fired'] as ProactiveUserRecord['fired']) : [],
      dismissedUntil: typeof stored['dismissed_until'] === 'number' ? stored['dismissed_until'] : null,
      dismissals: typeof stored['dismissals'] === 'number' ? stored['dismissals'] : 0,
    };
  }

  async recordFired(userId: string, triggerId: string, at: number, keepMs: number): Promise<void> {
    const record = await this.read(userId);
    record.fired = [...record.fired.filter((entry) => entry.at > at - keepMs), { triggerId, at }];
    await this.write(userId, record, Math.max(keepMs, (record.dismissedUntil ?? 0) - at));
  }

  async recordDismissed(userId: string, until: number, keepMs: number): Promise<number> {
    const record = await this.read(userId);
    record.dismissedUntil = until;
    record.dismissals += 1;
    await this.write(userId, record, Math.max(keepMs, until - this.clock.now()));
    return record.dismissals;
  }

  async forgetUser(userId: string): Promise<boolean> {
    return (await this.redis.client.del(this.userKey(userId))) > 0;
  }

  private userKey(userId: string): string {
    return this.redis.key(['proactive', 'user', digest(userId)]);
  }

  private async write(userId: string, record: ProactiveUserRecord, ttlMs: number): Promise<void> {
    const value = encodeRecord({ fired: record.fired, dismissed_until: record.dismissedUntil, dismissals: record.dismissals });
    await this.redis.client.set(this.userKey(userId), value, 'PX', Math.max(1000, Math.ceil(ttlMs)));
  }
}
