/**
 * {@link SummaryLease} on Redis: `SET <prefix>{<product>}:lease:summary:<session> <token> NX PX <ttl>` takes it, and a
 * compare-and-delete Lua script releases it only while the token is still ours (after an expiry another holder may
 * have it).
 */
import type { Redis } from 'ioredis';
import type { SessionKey } from '../session-key/session-key.ts';
import type { LeaseRelease, SummaryLease } from '../summarizer/summary-lease.ts';
import { connectRedis, productKey, type RedisBackendOptions, type RedisConnection } from './redis-connection.ts';

/** KEYS: the lease. ARGV: our token. Deletes the lease only when it still holds our token. */
const RELEASE_SCRIPT = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;

type ReleaseCommand = (key: string, token: string) => Promise<number>;

/**
 * One summarizer per session across processes.
 *
 * @example new SessionSummarizer({ llm, lease: new RedisSummaryLease({ client: redis }) })
 */
export class RedisSummaryLease implements SummaryLease {
  /** The connection, to share with other backends. */
  readonly client: Redis;
  private readonly connection: RedisConnection;
  private readonly releaseLease: ReleaseCommand;

  constructor(options: RedisBackendOptions) {
    this.connection = connectRedis(options);
    this.client = this.connection.client;
    const commands = this.client as unknown as { sightlineLeaseRelease?: ReleaseCommand };
    if (!commands.sightlineLeaseRelease) this.client.defineCommand('sightlineLeaseRelease', { numberOfKeys: 1, lua: RELEASE_SCRIPT });
    this.releaseLease = (commands.sightlineLeaseRelease as ReleaseCommand).bind(this.client);
  }

  async acquire(key: SessionKey, ttlMs: number): Promise<LeaseRelease | null> {
    const leaseKey = productKey(this.connection.prefix, key.productId, 'lease', 'summary', key.sessionId);
    const token = globalThis.crypto.randomUUID();
    const taken = await this.client.set(leaseKey, token, 'PX', Math.max(1, Math.ceil(ttlMs)), 'NX');
    if (taken !== 'OK') return null;
    return async () => {
      await this.releaseLease(leaseKey, token);
    };
  }

  /** Closes the connection when the lease opened it. */
  async close(): Promise<void> {
    await this.connection.close();
  }
}
