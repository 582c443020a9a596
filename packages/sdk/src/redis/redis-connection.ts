/**
 * How every Redis backend of the SDK gets its connection and names its keys (docs/scaling.md, "Bridge state on
 * Redis"): a client handed in (shared, left open by the backend) or a URL (the backend opens its own client and
 * closes it), and one prefix in front of every key. Keys of one product carry the product as a Redis Cluster hash
 * tag, `<prefix>{<productId>}:…`, so a product's keys share a slot and a Lua script may touch several of them.
 */
import { Redis } from 'ioredis';
import { createError } from '../errors.ts';

/** The prefix in front of every key when none is given. */
export const DEFAULT_REDIS_PREFIX = 'sightline:';

/** Where a Redis backend stores: an existing client, or a URL to open one from. */
export type RedisBackendOptions = { client: Redis; prefix?: string } | { url: string; prefix?: string };

/** A resolved connection: the client, the prefix and whether the backend owns (and so closes) the client. */
export interface RedisConnection {
  client: Redis;
  prefix: string;
  /** Quits the client when the backend opened it; a client handed in stays open. */
  close(): Promise<void>;
}

/**
 * Opens or adopts the client of `options`.
 *
 * @throws SightlineError `SL_CONFIG_INVALID` without a client or a URL, or for a prefix that holds `{` or `}` (it
 * would move the hash tag).
 */
export function connectRedis(options: RedisBackendOptions): RedisConnection {
  const prefix = options.prefix ?? DEFAULT_REDIS_PREFIX;
  if (typeof prefix !== 'string' || /[{}]/.test(prefix)) {
    throw createError('SL_CONFIG_INVALID', { option: 'prefix', reason: 'a key prefix must be a string without { or } (they would change the hash tag)' });
  }
  if ('client' in options && options.client) {
    return { client: options.client, prefix, close: async () => undefined };
  }
  const url = (options as { url?: unknown }).url;
  if (typeof url !== 'string' || url.trim() === '') {
    throw createError('SL_CONFIG_INVALID', { option: 'url', reason: 'pass { client } or { url }, e.g. redis://127.0.0.1:6379' });
  }
  const client = new Redis(url.trim(), { lazyConnect: false });
  // ioredis reports connection errors on the client; without a listener Node would print them with the URL.
  client.on('error', () => undefined);
  return {
    client,
    prefix,
    close: async () => {
      await client.quit().catch(() => client.disconnect());
    },
  };
}

/** `<prefix>{<productId>}:<parts…>`: a key of one product, in that product's hash slot. */
export function productKey(prefix: string, productId: string, ...parts: string[]): string {
  return `${prefix}{${productId}}:${parts.join(':')}`;
}

/** A glob that matches `text` literally in SCAN's MATCH. */
export function globEscape(text: string): string {
  return text.replace(/[*?[\]\\]/g, '\\$&');
}

/** Every key matching `pattern`, by SCAN in batches (never KEYS: the server is shared). */
export async function scanKeys(client: Redis, pattern: string): Promise<string[]> {
  const found: string[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await client.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
    cursor = next;
    found.push(...keys);
  } while (cursor !== '0');
  return found;
}

/** The schema version every stored record carries as `"v"`. */
export const RECORD_VERSION = 1;

/**
 * Parses a stored JSON record and checks its schema version: versions this code knows are read, others refused with
 * `SL_STORE_RECORD_VERSION` (a newer writer during a rolling upgrade, or foreign data under the prefix).
 */
export function parseRecord<T>(text: string, key: string): T & { v: number } {
  const record = JSON.parse(text) as T & { v?: unknown };
  if (record?.v !== RECORD_VERSION) throw createError('SL_STORE_RECORD_VERSION', { key, version: String(record?.v), known: String(RECORD_VERSION) });
  return record as T & { v: number };
}
