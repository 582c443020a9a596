/**
 * The `/healthz` and metrics figures "users tracked" and "sessions tracked". In memory they are the sizes of the user
 * index and the context store; on Redis neither has a size (counting their keys would need a scan), so the pipeline
 * keeps two sorted sets per product that cost one round trip per stored payload and one `ZCOUNT` each to read
 * (docs/scaling.md, "The pipeline on Redis").
 */
import type { Clock, SessionKey } from '@sightline/sdk';
import type { BridgeRedis } from '../redis/bridge-redis.ts';

/** Users and sessions with activity inside the lookback. */
export interface TrackedCounts {
  users: number;
  sessions: number;
}

/** Where the counts come from when they cannot be read off a store's size. */
export interface TrackedActivity {
  /** Notes a stored payload of this session (and user, when the payload names one). */
  record(key: SessionKey, userId: string | null): Promise<void>;
  /** Takes a forgotten user and their sessions out of the counts. */
  forgetUser(userId: string, sessions: readonly SessionKey[]): Promise<void>;
  /** The counts of the bridge's product now. */
  counts(): Promise<TrackedCounts>;
}

/** Options of {@link RedisTrackedActivity}. */
export interface RedisTrackedActivityOptions {
  redis: BridgeRedis;
  /** How long a user or session counts after its latest payload, seconds: the lookback (also the keys' TTL). */
  lookbackSeconds: number;
  clock: Clock;
}

/**
 * Counts on Redis: `tracked-users` and `tracked-sessions` under the product's hash tag, sorted sets scored by the
 * latest payload (ms). Each write drops members older than the lookback and sets the lookback as TTL, so the sets stay
 * as large as the activity of one lookback; `ZCOUNT` over the lookback reads them.
 *
 * @example
 * const tracked = new RedisTrackedActivity({ redis, lookbackSeconds: 300, clock });
 * await tracked.record({ productId: 'acme', sessionId: 's1' }, 'u-1');
 * await tracked.counts(); // { users: 1, sessions: 1 }
 */
export class RedisTrackedActivity implements TrackedActivity {
  private readonly redis: BridgeRedis;
  private readonly ttlMs: number;
  private readonly clock: Clock;

  constructor(options: RedisTrackedActivityOptions) {
    this.redis = options.redis;
    this.ttlMs = Math.ceil(options.lookbackSeconds * 1000);
    this.clock = options.clock;
  }

  async record(key: SessionKey, userId: string | null): Promise<void> {
    const now = this.clock.now();
    const cutoff = now - this.ttlMs;
    const sessions = this.sessionsKey(key.productId);
    const transaction = this.redis.client.multi().zadd(sessions, now, key.sessionId).zremrangebyscore(sessions, '-inf', `(${cutoff}`).pexpire(sessions, this.ttlMs);
    if (userId !== null && userId !== '') {
      const users = this.usersKey(key.productId);
      transaction.zadd(users, now, userId).zremrangebyscore(users, '-inf', `(${cutoff}`).pexpire(users, this.ttlMs);
    }
    await transaction.exec();
  }

  async forgetUser(userId: string, sessions: readonly SessionKey[]): Promise<void> {
    const transaction = this.redis.client.multi().zrem(this.usersKey(this.redis.productId), userId);
    for (const key of sessions) {
      transaction.zrem(this.sessionsKey(key.productId), key.sessionId);
      if (key.productId !== this.redis.productId) transaction.zrem(this.usersKey(key.productId), userId);
    }
    await transaction.exec();
  }

  async counts(): Promise<TrackedCounts> {
    const cutoff = this.clock.now() - this.ttlMs;
    const [users, sessions] = await Promise.all([
      this.redis.client.zcount(this.usersKey(this.redis.productId), cutoff, '+inf'),
      this.redis.client.zcount(this.sessionsKey(this.redis.productId), cutoff, '+inf'),
    ]);
    return { users, sessions };
  }

  private usersKey(productId: string): string {
    return this.redis.key(['tracked-users'], productId);
  }

  private sessionsKey(productId: string): string {
    return this.redis.key(['tracked-sessions'], productId);
  }
}
