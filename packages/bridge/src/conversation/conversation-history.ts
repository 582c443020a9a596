/**
 * Per-conversation chat history for the prompt: the last turns, oldest first, bounded per
 * conversation and in the number of conversations (least recently used dropped).
 */
import type { ConversationTurn } from '../responder/reply-context.ts';
import { LruMap } from '../support/lru-map.ts';

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
 * Keeps the recent turns of each conversation in memory.
 *
 * @example
 * const history = new ConversationHistory({ maxTurns: 4 });
 * history.append('c1', { role: 'user', content: 'hi' }, { role: 'assistant', content: 'Hello!' });
 * history.get('c1'); // [{role:'user',…}, {role:'assistant',…}]
 */
export class ConversationHistory {
  private readonly maxTurns: number;
  private readonly maxTurnLength: number;
  private readonly conversations: LruMap<string, ConversationTurn[]>;

  constructor(options: ConversationHistoryOptions = {}) {
    this.maxTurns = options.maxTurns ?? 10;
    this.maxTurnLength = options.maxTurnLength ?? 2000;
    this.conversations = new LruMap(options.maxConversations ?? 10_000);
  }

  /** The conversation's turns, oldest first (a copy). */
  get(conversationId: string): ConversationTurn[] {
    return [...(this.conversations.peek(conversationId) ?? [])];
  }

  /** Appends turns and drops the oldest beyond the bound. */
  append(conversationId: string, ...turns: ConversationTurn[]): void {
    if (this.maxTurns === 0) return;
    // peek, not get: the set below moves the conversation to the newest end anyway, and each move is a delete and an
    // insert in a map of thousands.
    const list = this.conversations.peek(conversationId) ?? [];
    for (const turn of turns) {
      const content = turn.content.length > this.maxTurnLength ? turn.content.slice(0, this.maxTurnLength) : turn.content;
      list.push({ role: turn.role, content });
    }
    if (list.length > this.maxTurns) list.splice(0, list.length - this.maxTurns);
    this.conversations.set(conversationId, list);
  }

  /** Forgets one conversation. */
  delete(conversationId: string): void {
    this.conversations.delete(conversationId);
  }

  /** Number of conversations held. */
  get size(): number {
    return this.conversations.size;
  }
}
