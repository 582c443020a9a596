/**
 * Which identity owns each socket.io conversation (the widget's `session_id`). The first message that passes the
 * identity check binds the id to its sender; a socket that later claims the id under another identity gets a fresh
 * conversation, so knowing someone's `session_id` never delivers their messages (docs/security.md). Async so that
 * bridges share the bindings in Redis (redis-conversation-bindings.ts): a widget that reconnects to another bridge
 * keeps its conversation.
 */
import { LruMap } from '@sightline/sdk/internal';

/** Who a conversation belongs to: a verified (or, with verification off, claimed) user, or one anonymous socket. */
export type ConversationOwner = `user:${string}` | `socket:${string}`;

/**
 * Where the bindings live.
 *
 * @example
 * await bindings.claim('f00d…', 'user:u-42'); // true: bound now
 * await bindings.claim('f00d…', 'user:u-7');  // false: someone else's
 */
export interface ConversationBindings {
  /** Binds an unbound id to `owner` and answers true, or answers whether `owner` already holds it. */
  claim(sessionId: string, owner: ConversationOwner): Promise<boolean>;
  /** The owner of an id, if bound. */
  ownerOf(sessionId: string): Promise<ConversationOwner | undefined>;
  /** Unbinds every conversation of a user; resolves to their ids. */
  forgetUser(userId: string): Promise<string[]>;
}

/**
 * A bounded session id → owner table in memory (least recently used dropped first; a dropped id binds anew on its
 * next message).
 *
 * @example
 * const bindings = new MemoryConversationBindings({ maxConversations: 10_000 });
 */
export class MemoryConversationBindings implements ConversationBindings {
  private readonly owners: LruMap<string, ConversationOwner>;

  constructor(options: { maxConversations?: number } = {}) {
    this.owners = new LruMap(options.maxConversations ?? 10_000);
  }

  async claim(sessionId: string, owner: ConversationOwner): Promise<boolean> {
    const current = this.owners.get(sessionId);
    if (current === undefined) {
      this.owners.set(sessionId, owner);
      return true;
    }
    return current === owner;
  }

  async ownerOf(sessionId: string): Promise<ConversationOwner | undefined> {
    return this.owners.peek(sessionId);
  }

  async forgetUser(userId: string): Promise<string[]> {
    const owner: ConversationOwner = `user:${userId}`;
    const removed = [...this.owners.keys()].filter((sessionId) => this.owners.peek(sessionId) === owner);
    for (const sessionId of removed) this.owners.delete(sessionId);
    return removed;
  }

  get size(): number {
    return this.owners.size;
  }
}
