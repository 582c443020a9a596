/**
 * Socket conversation bindings in Redis, shared by every bridge of the product: `binding:<session id>` holds the
 * owner as a `"v":1` record, bound with `SET NX` so two bridges never both win an id; `bindings-of:<user>` lists a
 * user's ids for forgetting. Both live `HISTORY_TTL_SECONDS` after the last message in the conversation.
 */
import { decodeRecord, encodeRecord, type BridgeRedis } from '../redis/bridge-redis.ts';
import type { ConversationBindings, ConversationOwner } from './conversation-bindings.ts';

/**
 * Deletes the bindings that still belong to the owner and the user's list. KEYS: the list, then the bindings read from
 * it; ARGV: the owner. Resolves to the 1-based indexes (in KEYS) of the bindings deleted.
 */
const FORGET_BINDINGS = `
local deleted = {}
for index = 2, #KEYS do
  local stored = redis.call('GET', KEYS[index])
  if stored and cjson.decode(stored).owner == ARGV[1] then
    redis.call('DEL', KEYS[index])
    table.insert(deleted, index)
  end
end
redis.call('DEL', KEYS[1])
return deleted`;

interface ForgetBindingsCommand {
  sightlineForgetBindings(numberOfKeys: number, ...keysThenArguments: string[]): Promise<number[]>;
}

/**
 * @example
 * const bindings = new RedisConversationBindings({ redis, ttlSeconds: 7 * 24 * 3600 });
 * await bindings.claim('f00d…', 'user:u-42');
 */
export class RedisConversationBindings implements ConversationBindings {
  private readonly redis: BridgeRedis;
  private readonly ttlMs: number;
  private readonly scripts: ForgetBindingsCommand;

  constructor(options: { redis: BridgeRedis; ttlSeconds: number }) {
    this.redis = options.redis;
    this.ttlMs = options.ttlSeconds * 1000;
    if (!('sightlineForgetBindings' in this.redis.client)) this.redis.client.defineCommand('sightlineForgetBindings', { lua: FORGET_BINDINGS });
    this.scripts = this.redis.client as unknown as ForgetBindingsCommand;
  }

  async claim(sessionId: string, owner: ConversationOwner): Promise<boolean> {
    const key = this.bindingKey(sessionId);
    // NX GET: sets when free and answers null, or leaves it and answers the current record, in one round trip.
    const current = await this.redis.client.set(key, encodeRecord({ owner }), 'PX', this.ttlMs, 'NX', 'GET');
    const isOwner = current === null || decodeRecord(current, 'socket binding')!['owner'] === owner;
    if (!isOwner) return false;
    const multi = this.redis.client.multi().pexpire(key, this.ttlMs);
    if (owner.startsWith('user:')) {
      const list = this.listKey(owner.slice('user:'.length));
      multi.sadd(list, sessionId).pexpire(list, this.ttlMs);
    }
    await multi.exec();
    return true;
  }

  async ownerOf(sessionId: string): Promise<ConversationOwner | undefined> {
    const record = decodeRecord(await this.redis.client.get(this.bindingKey(sessionId)), 'socket binding');
    return record === null ? undefined : (record['owner'] as ConversationOwner);
  }

  async forgetUser(userId: string): Promise<string[]> {
    const sessionIds = await this.redis.client.smembers(this.listKey(userId));
    const keys = [this.listKey(userId), ...sessionIds.map((sessionId) => this.bindingKey(sessionId))];
    const deleted = await this.scripts.sightlineForgetBindings(keys.length, ...keys, `user:${userId}`);
    return deleted.map((index) => sessionIds[index - 2]!);
  }

  private bindingKey(sessionId: string): string {
    return this.redis.key(['binding', sessionId]);
  }

  private listKey(userId: string): string {
    return this.redis.key(['bindings-of', userId]);
  }
}
