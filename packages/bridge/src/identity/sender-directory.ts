/**
 * Remembers, per app user id, where that user can be reached in chat: Rasa's sender id (learned from
 * action-server calls) and the socket.io conversation id of the bridge's own channel. Proactive
 * delivery needs these, because Rasa and the widget never use the app's user id as the conversation id.
 */
import { LruMap } from '@sightline/sdk/internal';

/** Where one user was last seen chatting. */
export interface SenderRecord {
  userId: string;
  /** Rasa's `sender_id` from the last action call for this user, if any. */
  rasaSenderId: string | null;
  /** The bridge socket.io channel's conversation id (the widget's session id, or socket id), if any. */
  socketConversationId: string | null;
  /** When the record last changed, epoch ms. */
  updatedAt: number;
}

/**
 * Where the bridge keeps user → sender records. Async so that bridges can share them in Redis (redis-sender-directory.ts).
 *
 * @example
 * await senders.learnRasaSender('u-42', '9f1c…', Date.now());
 * (await senders.get('u-42'))?.rasaSenderId; // '9f1c…'
 */
export interface SenderDirectory {
  /** Records the Rasa sender id seen with a user id. */
  learnRasaSender(userId: string, senderId: string, now: number): Promise<void>;
  /** Records the socket.io conversation id seen with a user id. */
  learnSocketConversation(userId: string, conversationId: string, now: number): Promise<void>;
  /** The user's record, if one was learned. */
  get(userId: string): Promise<SenderRecord | undefined>;
  /** Forgets a user; resolves to whether they were known. */
  delete(userId: string): Promise<boolean>;
}

/**
 * A bounded user → sender table in memory (least recently updated users dropped first).
 *
 * @example
 * const senders = new MemorySenderDirectory({ maxUsers: 10_000 });
 */
export class MemorySenderDirectory implements SenderDirectory {
  private readonly users: LruMap<string, SenderRecord>;

  constructor(options: { maxUsers?: number } = {}) {
    this.users = new LruMap(options.maxUsers ?? 10_000);
  }

  async learnRasaSender(userId: string, senderId: string, now: number): Promise<void> {
    const record = this.record(userId, now);
    record.rasaSenderId = senderId;
  }

  async learnSocketConversation(userId: string, conversationId: string, now: number): Promise<void> {
    const record = this.record(userId, now);
    record.socketConversationId = conversationId;
  }

  async get(userId: string): Promise<SenderRecord | undefined> {
    const record = this.users.peek(userId);
    return record && { ...record };
  }

  async delete(userId: string): Promise<boolean> {
    return this.users.delete(userId);
  }

  /** Users known. */
  get size(): number {
    return this.users.size;
  }

  private record(userId: string, now: number): SenderRecord {
    const record = this.users.get(userId) ?? { userId, rasaSenderId: null, socketConversationId: null, updatedAt: now };
    record.updatedAt = now;
    this.users.set(userId, record);
    return record;
  }
}
