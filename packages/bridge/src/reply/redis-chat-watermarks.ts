/**
 * Chat watermarks ("activity since your last message", the SDK's `ChatWatermarkStore`) in Redis, shared by every
 * bridge of the product: `watermark:<conversation>` holds `{"v":1,"at":<epoch s>}` and lives `HISTORY_TTL_SECONDS`
 * after the last message, like the conversation it belongs to.
 */
import type { ChatScope, ChatWatermarkStore } from '@sightline/sdk';
import { decodeRecord, encodeRecord, type BridgeRedis } from '../redis/bridge-redis.ts';

/**
 * @example
 * const watermarks = new RedisChatWatermarks({ redis, ttlSeconds: 7 * 24 * 3600 });
 * await watermarks.setLastInboundAt({ productId: 'acme', conversationId: 'c1' }, Date.now() / 1000);
 */
export class RedisChatWatermarks implements ChatWatermarkStore {
  private readonly redis: BridgeRedis;
  private readonly ttlMs: number;

  constructor(options: { redis: BridgeRedis; ttlSeconds: number }) {
    this.redis = options.redis;
    this.ttlMs = options.ttlSeconds * 1000;
  }

  async getPreviousInboundAt(scope: ChatScope): Promise<number | null> {
    const record = decodeRecord(await this.redis.client.get(this.key(scope)), 'chat watermark');
    return record === null ? null : Number(record['at']);
  }

  async setLastInboundAt(scope: ChatScope, at: number): Promise<void> {
    await this.redis.client.set(this.key(scope), encodeRecord({ at }), 'PX', this.ttlMs);
  }

  async delete(scope: ChatScope): Promise<boolean> {
    return (await this.redis.client.del(this.key(scope))) === 1;
  }

  private key(scope: ChatScope): string {
    const tenant = scope.tenantId ? [scope.tenantId] : [];
    return this.redis.key(['watermark', ...tenant, scope.conversationId], scope.productId);
  }
}
