/**
 * What `sightline doctor` asks of the Redis the products live in: does it answer, which version, and does it keep
 * anything on disk (the products exist only there once a connector runs on it).
 */
import { Redis } from 'ioredis';
import { createError } from '../errors.ts';
import { redactRedisUrl } from '@sightline/protocol/internal';

/** What {@link inspectRedis} found. */
export interface RedisInspection {
  /** `redis_version` from `INFO server`, or null when INFO is not allowed. */
  version: string | null;
  /** Whether RDB snapshots are configured (`CONFIG GET save` not empty); null when it could not tell. */
  snapshots: boolean | null;
  /** Whether the append-only file is on (`CONFIG GET appendonly`); null when it could not tell. */
  appendOnly: boolean | null;
  /** Why persistence could not be read (e.g. an ACL user without `CONFIG`), or null. */
  persistenceUnknown: string | null;
}

/**
 * Connects once, sends PING, reads the version and the persistence settings, and disconnects.
 *
 * @throws `SL_REDIS_UNAVAILABLE` (its message shows the URL without credentials) when Redis does not answer.
 * @example
 * const found = await inspectRedis('redis://127.0.0.1:6379');
 * if (found.snapshots === false && found.appendOnly === false) console.log('Redis keeps nothing on disk');
 */
export async function inspectRedis(url: string, options: { timeoutMs?: number } = {}): Promise<RedisInspection> {
  const timeoutMs = options.timeoutMs ?? 3000;
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    commandTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    enableOfflineQueue: false,
  });
  client.on('error', () => undefined);
  try {
    try {
      await client.connect();
      await client.ping();
    } catch (error) {
      throw createError('SL_REDIS_UNAVAILABLE', { target: redactRedisUrl(url), reason: (error as Error).message }, { cause: error });
    }
    let version: string | null = null;
    try {
      version = /^redis_version:(.+)$/m.exec(await client.info('server'))?.[1]?.trim() ?? null;
    } catch {
      version = null;
    }
    try {
      const save = (await client.config('GET', 'save')) as string[];
      const appendOnly = (await client.config('GET', 'appendonly')) as string[];
      return { version, snapshots: (save[1] ?? '').trim() !== '', appendOnly: appendOnly[1] === 'yes', persistenceUnknown: null };
    } catch (error) {
      return { version, snapshots: null, appendOnly: null, persistenceUnknown: (error as Error).message };
    }
  } finally {
    client.disconnect();
  }
}
