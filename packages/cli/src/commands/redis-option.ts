/** The Redis setting every server command reads the same way: `--redis` / `REDIS_URL`, `--redis-prefix` / `REDIS_PREFIX`. */
import { redactRedisUrl } from '@sightline/protocol/internal';

/** Where a server keeps its shared state; absent means memory, one process. */
export interface RedisSetting {
  url: string;
  /** Start of every key; absent means the servers' default (`sightline:`). */
  prefix?: string;
}

/** Help lines shared by the commands that take the setting. */
export const REDIS_HELP = `  --redis URL           share state through Redis: redis://[user:password@]host:6379[/db], rediss:// for TLS
                        (default: $REDIS_URL; none: memory, one process). The password is never printed
  --redis-prefix TEXT   start of every Redis key (default: $REDIS_PREFIX or sightline:)`;

/**
 * The flag over the environment; undefined when neither is set.
 *
 * @throws Error naming the flag when the URL is not a redis:// or rediss:// URL (the value is shown redacted).
 */
export function readRedisSetting(flags: { redis?: string | undefined; 'redis-prefix'?: string | undefined }, env: NodeJS.ProcessEnv): RedisSetting | undefined {
  const url = (flags.redis ?? env['REDIS_URL'])?.trim();
  const prefix = (flags['redis-prefix'] ?? env['REDIS_PREFIX'])?.trim();
  if (url === undefined || url === '') return undefined;
  let parsed: URL | null = null;
  try {
    parsed = new URL(url);
  } catch {
    parsed = null;
  }
  if (parsed === null || (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:')) {
    throw new Error(`--redis (REDIS_URL) must be a redis:// or rediss:// URL, got '${redactRedisUrl(url)}'`);
  }
  return { url, ...(prefix === undefined || prefix === '' ? {} : { prefix }) };
}
