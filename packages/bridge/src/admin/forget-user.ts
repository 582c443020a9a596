/**
 * Forgetting one user in every store the bridge keeps (docs/forget-a-user.md), behind `DELETE /admin/users/:userId`.
 * Each store forgets what it holds and says how much; this module only puts the stores in order and the counts in
 * one report.
 */
import type { ConversationHistory } from '../conversation/conversation-history.ts';
import type { SenderDirectory } from '../identity/sender-directory.ts';
import type { BridgePipeline } from '../pipeline/bridge-pipeline.ts';

/** The stores {@link forgetUser} reaches. */
export interface ForgetUserStores {
  /** Sessions, stories, covered actions, user index, tabs, session states, session products, watermarks. */
  pipeline: Pick<BridgePipeline, 'forgetUser'>;
  /** Chat history of every conversation of the user. */
  history: Pick<ConversationHistory, 'forgetUser'>;
  /** Where the user was last seen chatting (Rasa sender id, socket conversation). */
  senders: Pick<SenderDirectory, 'get' | 'delete'>;
  /** The socket.io channel's bindings of conversations to verified users, when the channel offers forgetting. */
  socket?: { forgetUser?(userId: string): Promise<number> } | undefined;
  /** The UI map, whose entries the user contributed to (their hashed id goes from each). */
  uiMap?: { forgetUser(userId: string): Promise<number> } | undefined;
}

/** The `DELETE /admin/users/:userId` 200 body: the user id and what each store removed. */
export interface ForgetUserReport {
  user_id: string;
  removed: {
    /** Sessions removed from the context store, with their summaries and covered actions. */
    sessions: number;
    /** Tabs (activity states) removed. */
    tabs: number;
    /** Session states removed. */
    session_states: number;
    /** Session → product lookups removed. */
    session_products: number;
    /** Conversations whose chat history was removed. */
    conversations: number;
    /** Conversation watermarks ("activity since your last message") removed. */
    watermarks: number;
    /** Sender directory records removed (0 or 1). */
    senders: number;
    /** Socket conversations unbound from the user. */
    socket_bindings: number;
    /** UI-map entries the user's contributions were removed from. */
    ui_map_entries: number;
  };
}

/**
 * Forgets `userId` in every store and reports what went. Idempotent: a second call removes nothing. Conversations
 * are found three ways: the ones the history saw the user chat in, the HTTP default `user:<id>`, and the Rasa and
 * socket conversation ids the sender directory learned.
 *
 * @example
 * const report = await forgetUser({ pipeline, history, senders, socket }, 'u-42');
 * report.removed.sessions; // 2
 */
export async function forgetUser(stores: ForgetUserStores, userId: string): Promise<ForgetUserReport> {
  const known = await stores.senders.get(userId);
  const learned = [`user:${userId}`, known?.rasaSenderId, known?.socketConversationId].filter((id): id is string => typeof id === 'string' && id !== '');
  const history = await stores.history.forgetUser(userId, learned);
  const pipeline = await stores.pipeline.forgetUser(userId, history.conversationIds);
  const senders = (await stores.senders.delete(userId)) ? 1 : 0;
  const socketBindings = typeof stores.socket?.forgetUser === 'function' ? await stores.socket.forgetUser(userId) : 0;
  const uiMapEntries = stores.uiMap ? await stores.uiMap.forgetUser(userId) : 0;
  return {
    user_id: userId,
    removed: {
      sessions: pipeline.sessions,
      tabs: pipeline.tabs,
      session_states: pipeline.sessionStates,
      session_products: pipeline.sessionProducts,
      conversations: history.removed,
      watermarks: pipeline.watermarks,
      senders,
      socket_bindings: socketBindings,
      ui_map_entries: uiMapEntries,
    },
  };
}
