/**
 * {@link StreamPositionStore} on Redis: `<prefix>{<product>}:bridge:position` holds `{"v":1,"id":…}`, so a restarted
 * bridge resumes where the bridges stopped. Bridges of one product share it; an older position written by a slower
 * bridge only makes a restart replay more, which applying idempotently absorbs.
 */
import type { Redis } from 'ioredis';
import type { StreamPositionStore } from '../client/stream-position.ts';
import { checkPositiveNumber } from '../options/option-checks.ts';
import { connectRedis, parseRecord, productKey, RECORD_VERSION, type RedisBackendOptions, type RedisConnection } from './redis-connection.ts';

/** Options of {@link RedisStreamPositionStore}. */
export type RedisStreamPositionStoreOptions = RedisBackendOptions & {
  /** TTL of a position nobody writes, seconds: past the connector's retention it is of no use. Default 7 days. */
  ttlSeconds?: number;
};

/**
 * Stream positions on Redis.
 *
 * @example new ConnectorClient({ url, token, position: { store: new RedisStreamPositionStore({ url: process.env.REDIS_URL! }) } })
 */
export class RedisStreamPositionStore implements StreamPositionStore {
  /** The connection, to share with other backends. */
  readonly client: Redis;
  private readonly connection: RedisConnection;
  private readonly ttlMs: number;

  constructor(options: RedisStreamPositionStoreOptions) {
    this.ttlMs = Math.ceil(checkPositiveNumber('ttlSeconds', options.ttlSeconds ?? 7 * 86_400) * 1000);
    this.connection = connectRedis(options);
    this.client = this.connection.client;
  }

  async read(productId: string): Promise<string | null> {
    const key = this.keyOf(productId);
    const text = await this.client.get(key);
    return text === null ? null : parseRecord<{ id: string }>(text, key).id;
  }

  async write(productId: string, eventId: string): Promise<void> {
    await this.client.set(this.keyOf(productId), JSON.stringify({ v: RECORD_VERSION, id: eventId }), 'PX', this.ttlMs);
  }

  /** Closes the connection when the store opened it. */
  async close(): Promise<void> {
    await this.connection.close();
  }

  private keyOf(productId: string): string {
    return productKey(this.connection.prefix, productId, 'bridge', 'position');
  }
}
