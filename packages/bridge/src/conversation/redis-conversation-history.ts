/**
 * Conversation history in Redis, shared by every bridge of the product. Per conversation a list of turns
 * (`history:<conversation>`, each turn a `"v":1` record) and a set of its users (`history-users:<conversation>`); per
 * user a set of their conversations (`conversations-of:<user>`). Every key lives `HISTORY_TTL_SECONDS` after its last
 * write, so Redis memory stays bounded without a conversation count.
 */
import type { ConversationTurn } from '../responder/reply-context.ts';
import { decodeRecord, encodeRecord, type BridgeRedis } from '../redis/bridge-redis.ts';
import { storedTurn, type ConversationHistory } from './conversation-history.ts';

/** Options of {@link RedisConversationHistory}. */
export interface RedisConversationHistoryOptions {
  redis: BridgeRedis;
  /** Turns kept per conversation (default 10; 0 keeps none). */
  maxTurns?: number;
  /** Longest stored turn in characters (default 2000). */
  maxTurnLength?: number;
  /** Seconds a conversation lives after its last turn (`HISTORY_TTL_SECONDS`). */
  ttlSeconds: number;
}

/**
 * Deletes a conversation's turns and users and unlinks it from each user's set, in one step. KEYS: turns, users, then
 * the sets of the users read just before; ARGV: the conversation id. Resolves to 1 when it held turns.
 */
const FORGET_CONVERSATION = `
local held = redis.call('DEL', KEYS[1])
redis.call('DEL', KEYS[2])
for index = 3, #KEYS do redis.call('SREM', KEYS[index], ARGV[1]) end
return held`;

/** The script as ioredis adds it to the client (keys counted in the call: the number of users varies). */
interface ForgetConversationCommand {
  sightlineForgetConversation(numberOfKeys: number, ...keysThenArguments: string[]): Promise<number>;
}

/**
 * @example
 * const history = new RedisConversationHistory({ redis, maxTurns: 10, ttlSeconds: 7 * 24 * 3600 });
 * await history.append('c1', { role: 'user', content: 'hi' });
 */
export class RedisConversationHistory implements ConversationHistory {
  private readonly redis: BridgeRedis;
  private readonly maxTurns: number;
  private readonly maxTurnLength: number;
  private readonly ttlMs: number;
  private readonly scripts: ForgetConversationCommand;

  constructor(options: RedisConversationHistoryOptions) {
    this.redis = options.redis;
    this.maxTurns = options.maxTurns ?? 10;
    this.maxTurnLength = options.maxTurnLength ?? 2000;
    this.ttlMs = options.ttlSeconds * 1000;
    if (!('sightlineForgetConversation' in this.redis.client)) {
      this.redis.client.defineCommand('sightlineForgetConversation', { lua: FORGET_CONVERSATION });
    }
    this.scripts = this.redis.client as unknown as ForgetConversationCommand;
  }

  async assign(conversationId: string, userId: string): Promise<void> {
    const users = this.usersKey(conversationId);
    const conversations = this.conversationsKey(userId);
    // Two keys of one product (one slot): a transaction is enough, nothing is read.
    await this.redis.client
      .multi()
      .sadd(users, userId)
      .pexpire(users, this.ttlMs)
      .sadd(conversations, conversationId)
      .pexpire(conversations, this.ttlMs)
      .exec();
  }

  async get(conversationId: string): Promise<ConversationTurn[]> {
    const items = await this.redis.client.lrange(this.turnsKey(conversationId), 0, -1);
    return items.map((item) => {
      const record = decodeRecord(item, 'conversation turn')!;
      return { role: record['role'] as ConversationTurn['role'], content: String(record['content']) };
    });
  }

  async append(conversationId: string, ...turns: ConversationTurn[]): Promise<void> {
    if (this.maxTurns === 0 || turns.length === 0) return;
    const key = this.turnsKey(conversationId);
    const items = turns.map((turn) => encodeRecord({ ...storedTurn(turn, this.maxTurnLength) }));
    await this.redis.client.multi().rpush(key, ...items).ltrim(key, -this.maxTurns, -1).pexpire(key, this.ttlMs).exec();
  }

  async delete(conversationId: string): Promise<boolean> {
    const users = await this.redis.client.smembers(this.usersKey(conversationId));
    const keys = [this.turnsKey(conversationId), this.usersKey(conversationId), ...users.map((userId) => this.conversationsKey(userId))];
    return (await this.scripts.sightlineForgetConversation(keys.length, ...keys, conversationId)) === 1;
  }

  async forgetUser(userId: string, also: Iterable<string> = []): Promise<{ conversationIds: string[]; removed: number }> {
    const own = await this.redis.client.smembers(this.conversationsKey(userId));
    const ids = [...new Set([...own, ...also])];
    const held = await Promise.all(ids.map((conversationId) => this.delete(conversationId)));
    await this.redis.client.del(this.conversationsKey(userId));
    return { conversationIds: ids, removed: held.filter(Boolean).length };
  }

  private turnsKey(conversationId: string): string {
    return this.redis.key(['history', conversationId]);
  }

  private usersKey(conversationId: string): string {
    return this.redis.key(['history-users', conversationId]);
  }

  private conversationsKey(userId: string): string {
    return this.redis.key(['conversations-of', userId]);
  }
}
