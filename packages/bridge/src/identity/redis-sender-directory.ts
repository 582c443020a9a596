/**
 * The sender directory in Redis, shared by every bridge of the product: one hash per user (`sender:<user>`) whose
 * fields each bridge sets on its own (a Rasa sender id learned on one bridge and a socket conversation learned on
 * another both stay), with `v` = 1 and a TTL of `HISTORY_TTL_SECONDS` from the last update.
 */
import { checkVersion, RECORD_VERSION, type BridgeRedis } from '../redis/bridge-redis.ts';
import type { SenderDirectory, SenderRecord } from './sender-directory.ts';

/**
 * @example
 * const senders = new RedisSenderDirectory({ redis, ttlSeconds: 7 * 24 * 3600 });
 * await senders.learnRasaSender('u-42', '9f1c…', Date.now());
 */
export class RedisSenderDirectory implements SenderDirectory {
  private readonly redis: BridgeRedis;
  private readonly ttlMs: number;

  constructor(options: { redis: BridgeRedis; ttlSeconds: number }) {
    this.redis = options.redis;
    this.ttlMs = options.ttlSeconds * 1000;
  }

  learnRasaSender(userId: string, senderId: string, now: number): Promise<void> {
    return this.learn(userId, 'rasa_sender_id', senderId, now);
  }

  learnSocketConversation(userId: string, conversationId: string, now: number): Promise<void> {
    return this.learn(userId, 'socket_conversation_id', conversationId, now);
  }

  async get(userId: string): Promise<SenderRecord | undefined> {
    const fields = await this.redis.client.hgetall(this.key(userId));
    if (Object.keys(fields).length === 0) return undefined;
    checkVersion(fields['v'], 'sender record');
    return {
      userId,
      rasaSenderId: fields['rasa_sender_id'] ?? null,
      socketConversationId: fields['socket_conversation_id'] ?? null,
      updatedAt: Number(fields['updated_at'] ?? 0),
    };
  }

  async delete(userId: string): Promise<boolean> {
    return (await this.redis.client.del(this.key(userId))) === 1;
  }

  private async learn(userId: string, field: string, value: string, now: number): Promise<void> {
    const key = this.key(userId);
    await this.redis.client.multi().hset(key, 'v', RECORD_VERSION, field, value, 'updated_at', now).pexpire(key, this.ttlMs).exec();
  }

  private key(userId: string): string {
    return this.redis.key(['sender', userId]);
  }
}
