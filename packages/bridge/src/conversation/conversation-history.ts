/**
 * Per-conversation chat history for the prompt: the last turns, oldest first, bounded per conversation. The interface
 * is async so that bridges can share it in Redis (redis-conversation-history.ts); the memory default is also bounded
 * in the number of conversations (least recently used dropped).
 */
import type { ConversationTurn } from '../responder/reply-context.ts';
import { LruMap } from '@sightline/sdk/internal';

/** Options of {@link ConversationHistory}. */
export interface ConversationHistoryOptions {
  /** Turns kept per conversation (default 10; 0 keeps none). */
  maxTurns?: number;
  /** Conversations kept (default 10000). */
  maxConversations?: number;
  /** Longest stored turn in characters; longer ones are cut (default 2000), so history stays small. */
  maxTurnLength?: number;
}

/**
 * Where the bridge keeps conversation history: the last turns of each conversation and whose conversation it is.
 *
 * @example
 * await history.append('c1', { role: 'user', content: 'hi' }, { role: 'assistant', content: 'Hello!' });
 * await history.get('c1'); // [{role:'user',…}, {role:'assistant',…}]
 */
export interface ConversationHistory {
  /** Records that `userId` chats in the conversation (the reply service calls it on every delivered reply). */
  assign(conversationId: string, userId: string): Promise<void>;
  /** The conversation's turns, oldest first (a copy). */
  get(conversationId: string): Promise<ConversationTurn[]>;
  /** Appends turns and drops the oldest beyond the bound. */
  append(conversationId: string, ...turns: ConversationTurn[]): Promise<void>;
  /** Forgets one conversation (its turns and whose it was); resolves to whether it held turns. */
  delete(conversationId: string): Promise<boolean>;
  /**
   * Forgets every conversation the user chatted in, and the `also` ones (ids learned elsewhere, e.g. a Rasa sender
   * id), whoever else took part: their turns quote the user. Resolves to the conversation ids of the user (for stores
   * keyed by conversation, such as watermarks) and how many held turns.
   */
  forgetUser(userId: string, also?: Iterable<string>): Promise<{ conversationIds: string[]; removed: number }>;
}

/** A turn cut to the longest stored length, so history stays small. */
export function storedTurn(turn: ConversationTurn, maxTurnLength: number): ConversationTurn {
  return { role: turn.role, content: turn.content.length > maxTurnLength ? turn.content.slice(0, maxTurnLength) : turn.content };
}

/** Users remembered per conversation (a conversation id shared by more users than this forgets the earliest). */
const MAX_OWNERS_PER_CONVERSATION = 8;

/**
 * Keeps the recent turns of each conversation in memory, and whose conversation each is, so that forgetting a
 * user finds every conversation they had, whatever its id.
 *
 * @example
 * const history = new MemoryConversationHistory({ maxTurns: 4 });
 * await history.append('c1', { role: 'user', content: 'hi' }, { role: 'assistant', content: 'Hello!' });
 */
export class MemoryConversationHistory implements ConversationHistory {
  private readonly maxTurns: number;
  private readonly maxTurnLength: number;
  private readonly conversations: LruMap<string, ConversationTurn[]>;
  /** conversation id → users who chatted in it (bounded like the conversations). */
  private readonly owners: LruMap<string, string[]>;
  /** user id → conversation ids, the reverse of {@link owners}. */
  private readonly byUser = new Map<string, Set<string>>();

  constructor(options: ConversationHistoryOptions = {}) {
    this.maxTurns = options.maxTurns ?? 10;
    this.maxTurnLength = options.maxTurnLength ?? 2000;
    this.conversations = new LruMap(options.maxConversations ?? 10_000);
    this.owners = new LruMap(options.maxConversations ?? 10_000);
  }

  async assign(conversationId: string, userId: string): Promise<void> {
    const users = this.owners.get(conversationId) ?? [];
    if (!users.includes(userId)) {
      users.push(userId);
      if (users.length > MAX_OWNERS_PER_CONVERSATION) this.unlink(users.shift()!, conversationId);
      for (const [evictedId, evictedUsers] of this.owners.set(conversationId, users)) {
        for (const evictedUser of evictedUsers) this.unlink(evictedUser, evictedId);
      }
    }
    let conversations = this.byUser.get(userId);
    if (!conversations) this.byUser.set(userId, (conversations = new Set()));
    conversations.add(conversationId);
  }

  async forgetUser(userId: string, also: Iterable<string> = []): Promise<{ conversationIds: string[]; removed: number }> {
    const ids = new Set([...(this.byUser.get(userId) ?? []), ...also]);
    let removed = 0;
    for (const conversationId of ids) if (this.deleteNow(conversationId)) removed++;
    this.byUser.delete(userId);
    return { conversationIds: [...ids], removed };
  }

  async get(conversationId: string): Promise<ConversationTurn[]> {
    return [...(this.conversations.peek(conversationId) ?? [])];
  }

  async append(conversationId: string, ...turns: ConversationTurn[]): Promise<void> {
    if (this.maxTurns === 0) return;
    // peek, not get: the set below moves the conversation to the newest end anyway, and each move is a delete and an
    // insert in a map of thousands.
    const list = this.conversations.peek(conversationId) ?? [];
    for (const turn of turns) list.push(storedTurn(turn, this.maxTurnLength));
    if (list.length > this.maxTurns) list.splice(0, list.length - this.maxTurns);
    this.conversations.set(conversationId, list);
  }

  async delete(conversationId: string): Promise<boolean> {
    return this.deleteNow(conversationId);
  }

  private deleteNow(conversationId: string): boolean {
    for (const userId of this.owners.peek(conversationId) ?? []) this.unlink(userId, conversationId);
    this.owners.delete(conversationId);
    return this.conversations.delete(conversationId);
  }

  /** Number of conversations held. */
  get size(): number {
    return this.conversations.size;
  }

  private unlink(userId: string, conversationId: string): void {
    const conversations = this.byUser.get(userId);
    if (!conversations) return;
    conversations.delete(conversationId);
    if (conversations.size === 0) this.byUser.delete(userId);
  }
}
