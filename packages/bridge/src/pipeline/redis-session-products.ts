/**
 * Session products in Redis, shared by every bridge of the product: a set per session id
 * (`session-products:<session>`) under the bridge's product hash tag (the lookup knows only the session id), living
 * `LOOKBACK_SECONDS` after the session's last payload, like the activity it points at.
 */
import type { BridgeRedis } from '../redis/bridge-redis.ts';
import type { SessionProducts } from './session-products.ts';

/**
 * @example
 * const products = new RedisSessionProducts({ redis, lookbackSeconds: 300 });
 */
export class RedisSessionProducts implements SessionProducts {
  private readonly redis: BridgeRedis;
  private readonly ttlMs: number;

  constructor(options: { redis: BridgeRedis; lookbackSeconds: number }) {
    this.redis = options.redis;
    this.ttlMs = Math.ceil(options.lookbackSeconds * 1000);
  }

  async add(sessionId: string, productId: string): Promise<void> {
    const key = this.key(sessionId);
    await this.redis.client.multi().sadd(key, productId).pexpire(key, this.ttlMs).exec();
  }

  productsOf(sessionId: string): Promise<string[]> {
    return this.redis.client.smembers(this.key(sessionId));
  }

  async remove(sessionId: string, productId: string): Promise<boolean> {
    return (await this.redis.client.srem(this.key(sessionId), productId)) === 1;
  }

  private key(sessionId: string): string {
    return this.redis.key(['session-products', sessionId]);
  }
}
