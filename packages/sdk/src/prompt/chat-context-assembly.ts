/**
 * Everything a chat prompt is built from at query time (docs/reference/wire-contract.md#chat-prompt-assembly), and
 * the function that gathers it from a {@link ContextStore}. Sightline reads its own live store first; an external
 * memory only adds to it and never suppresses local activity or the delta block
 * (docs/decisions/D-50-local-activity-first.md).
 */
import type { ContextStore } from '../context-store/context-store.ts';
import type { SessionKey } from '../session-key/session-key.ts';
import { formatHistoryForPrompt, type ConversationTurn } from './format-history.ts';
import { formatKbRecordsForPrompt, type KbRecord } from './format-kb-records.ts';

/** The parts of a chat prompt; {@link buildUserPromptBlock} renders them in the fixed order. */
export interface ChatContextAssembly {
  /** The session's (or user's) recent activity text. */
  recentActivity: string;
  /** Formatted knowledge-base block (`formatKbRecordsForPrompt`), or `""`. */
  kbRecordsText: string;
  /** Formatted history (`formatHistoryForPrompt`) with its own header, or `""`. */
  conversationHistoryText: string;
  /** The current question. */
  userMessage: string;
  /** Activity since the previous inbound chat message. Default `""`. */
  activitySinceLastChatMessage?: string;
  /** The first user turn of the history, else the current message. Default `""`. */
  firstQuestionText?: string;
  /** Debugging: the local store's activity text. */
  sessionActivityLocal?: string;
  /** Debugging: what an external memory provider returned. */
  externalActivity?: string;
  /** Debugging: the turns the history was built from. */
  conversationTurns?: ConversationTurn[];
  /** Debugging: the records the KB block was built from. */
  kbRawRecords?: KbRecord[];
}

/** Whose activity to read: one session, or a user's newest sessions through the store's user index. */
export type ActivityTarget = { key: SessionKey } | { userId: string; productId?: string; sessions?: number };

/** What a knowledge-base retriever is asked. */
export interface KnowledgeRequest {
  userMessage: string;
  /** The recent activity text, for retrievers that use it to rank. */
  activityText: string;
  target: ActivityTarget | null;
}

/** Inputs of {@link assembleChatContext}. */
export interface AssembleChatContextInput {
  store: ContextStore;
  /** `null` when the chat cannot be tied to any session: the prompt then carries no activity. */
  target: ActivityTarget | null;
  userMessage: string;
  /** Earlier turns, oldest first. */
  history?: readonly ConversationTurn[];
  /** The previous inbound message time (epoch s, see `ChatWatermarkStore`); null: no delta block. */
  activitySinceCutoff?: number | null;
  /** Retrieves knowledge-base records for the question. */
  retrieveKnowledge?: (request: KnowledgeRequest) => Promise<readonly KbRecord[]>;
  /** Activity text from an external memory; added after the local activity, never instead of it. */
  externalActivity?: () => Promise<string>;
}

/**
 * Gathers a {@link ChatContextAssembly}: recent activity from the store (a session's `get()` text, or a
 * user's `forUser()` blocks), the delta since the cutoff, the formatted history and KB records.
 * Provider errors propagate to the caller.
 *
 * @example
 * const cutoff = cutoffForDeltaActivity(await watermarks.getPreviousInboundAt(scope));
 * const assembly = await assembleChatContext({ store, target: { userId }, userMessage, history, activitySinceCutoff: cutoff });
 * const userBlock = buildUserPromptBlock(assembly);
 */
export async function assembleChatContext(input: AssembleChatContextInput): Promise<ChatContextAssembly> {
  const { store, target, userMessage } = input;
  const history = [...(input.history ?? [])];
  const local = target ? await readActivity(store, target) : '';
  const external = input.externalActivity ? (await input.externalActivity()).trim() : '';
  const recentActivity = [local.trim(), external && external !== local.trim() ? external : ''].filter(Boolean).join('\n\n');
  const cutoff = input.activitySinceCutoff ?? null;
  const delta = target && cutoff !== null ? await readActivitySince(store, target, cutoff) : '';
  const records = input.retrieveKnowledge ? [...(await input.retrieveKnowledge({ userMessage, activityText: recentActivity, target }))] : [];
  const firstQuestion = history.find((turn) => (turn.role || 'user').toLowerCase() === 'user' && (turn.content ?? '').trim() !== '');
  return {
    recentActivity,
    kbRecordsText: formatKbRecordsForPrompt(records),
    conversationHistoryText: formatHistoryForPrompt(history),
    userMessage,
    activitySinceLastChatMessage: delta,
    firstQuestionText: firstQuestion ? firstQuestion.content.trim() : userMessage,
    sessionActivityLocal: local,
    externalActivity: external,
    conversationTurns: history,
    kbRawRecords: records,
  };
}

async function readActivity(store: ContextStore, target: ActivityTarget): Promise<string> {
  if ('key' in target) return store.get(target.key);
  const options = { ...(target.sessions === undefined ? {} : { sessions: target.sessions }), ...(target.productId === undefined ? {} : { productId: target.productId }) };
  return (await store.forUser(target.userId, options)).text;
}

async function readActivitySince(store: ContextStore, target: ActivityTarget, cutoffEpochS: number): Promise<string> {
  if ('key' in target) return store.activitySince(target.key, cutoffEpochS);
  const options = { ...(target.sessions === undefined ? {} : { sessions: target.sessions }), ...(target.productId === undefined ? {} : { productId: target.productId }) };
  const { sessions } = await store.forUser(target.userId, options);
  const blocks: string[] = [];
  for (const session of sessions) {
    const text = await store.activitySince(session, cutoffEpochS);
    if (text) blocks.push(`Session ${session.sessionId} (${session.productId || 'no-product-id'}):\n${text}`);
  }
  return blocks.join('\n\n');
}
