/**
 * The bridge's Redis (docs/scaling.md, "Bridge-only state"): one command connection, the key layout, and the versioned
 * JSON records every Redis store writes. Keys of one product share a Redis Cluster slot through the hash tag
 * `{<productId>}`, so scripts and transactions over them are allowed in a cluster.
 */
import { Redis } from 'ioredis';
import { redactRedisUrl } from '@sightline/sdk/redis';
import { createError } from '../errors.ts';

/** The schema version of every record the bridge writes. */
export const RECORD_VERSION = 1;

/** Where a Redis store writes: the connection, the key prefix and the product its keys belong to. */
export interface BridgeRedis {
  client: Redis;
  /** Key prefix, e.g. `sightline:`. */
  prefix: string;
  /** The product the bridge serves (its `STREAM_URL`); the default hash tag. */
  productId: string;
  /** `<prefix>{<productId>}:<parts joined by ':'>`; `productId` defaults to the bridge's product. */
  key(parts: readonly string[], productId?: string): string;
}

/**
 * Builds the key helper for a connection.
 *
 * @example
 * const redis = bridgeRedis(client, 'sightline:', 'acme');
 * redis.key(['history', 'c1']); // 'sightline:{acme}:history:c1'
 */
export function bridgeRedis(client: Redis, prefix: string, productId: string): BridgeRedis {
  return {
    client,
    prefix,
    productId,
    key: (parts, product = productId) => `${prefix}{${product}}:${parts.join(':')}`,
  };
}

/**
 * Opens the bridge's Redis connection. Commands queue while it (re)connects, so a short outage delays answers instead
 * of failing them; the URL is never logged with its credentials.
 */
export function connectRedis(url: string, onError: (message: string) => void): Redis {
  const client = new Redis(url, { maxRetriesPerRequest: 3 });
  let lastMessage = '';
  client.on('error', (error: Error) => {
    // ioredis repeats the same error on every retry; one line per distinct failure is enough.
    if (error.message === lastMessage) return;
    lastMessage = error.message;
    onError(`${error.message.replaceAll(url, redactRedisUrl(url))}`);
  });
  client.on('ready', () => {
    lastMessage = '';
  });
  return client;
}

/** A record as stored: the fields with `"v": 1` first. */
export function encodeRecord(fields: Record<string, unknown>): string {
  return JSON.stringify({ v: RECORD_VERSION, ...fields });
}

/**
 * Reads a stored record: its fields when its version is one this bridge knows, else `SL_RECORD_VERSION_UNKNOWN`
 * naming `what` (a newer bridge wrote it). Null for a missing key.
 */
export function decodeRecord(text: string | null, what: string): Record<string, unknown> | null {
  if (text === null) return null;
  const record = JSON.parse(text) as Record<string, unknown>;
  checkVersion(record['v'], what);
  return record;
}

/** Throws `SL_RECORD_VERSION_UNKNOWN` unless `version` is one this bridge reads (1, as a number or a hash field). */
export function checkVersion(version: unknown, what: string): void {
  if (version !== RECORD_VERSION && version !== String(RECORD_VERSION)) throw createError('SL_RECORD_VERSION_UNKNOWN', { what, version: JSON.stringify(version) ?? 'none' });
}
