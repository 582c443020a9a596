/**
 * What the bridge gathers for one chat message, and what a responder gives back.
 */
import type { SlimAction } from '@sightline/protocol';
import type { ActivityState, ConversationTurn as PromptTurn } from '@sightline/sdk';
import type { ProductKnowledge } from '../knowledge/knowledge-types.ts';

/** One of the user's recent sessions, as the context store returns it. */
export interface ReplySession {
  productId: string;
  sessionId: string;
  /** LLM (or extractive) summary of older activity in this session; `''` when none. */
  summary: string;
  /** Recent actions, chronological (oldest first). */
  actions: SlimAction[];
}

/** One turn of the chat, as shown to the model: the SDK's prompt turn, whose role a chat narrows to its two speakers. */
export type ConversationTurn = PromptTurn & { role: 'user' | 'assistant' };

/** Everything a {@link Responder} may use to answer one chat message. */
export interface ReplyContext {
  userId: string;
  /** The user's message. */
  query: string;
  email: string | null;
  /** Usually `firstNameFromEmail(email)`; `null` when unknown. */
  firstName: string | null;
  /** The user's recent sessions (any order; responders sort by time). */
  sessions: ReplySession[];
  /** Actions since the previous chat message of this conversation, chronological; may be empty. */
  activitySince: SlimAction[];
  /** Last turns of the conversation, oldest first, bounded by the caller (responders bound it again). */
  history: ConversationTurn[];
  /**
   * The user's tabs (activity state per product, session and window), the one acted in last first. This is where
   * the user is; `sessions` carry the story (summary and raw actions) behind it.
   */
  tabs: ActivityState[];
  /** The chat widget's language (`customData.language`, an ISO 639-1 code such as `es`), or null. */
  languageHint: string | null;
  /** Epoch milliseconds now, for relative times ("2 min ago"). */
  now: number;
  /**
   * What the product's knowledge sources (help center, UI map) found for the message, best first; absent when no
   * source is configured. Responders use it after what the user is doing now.
   */
  knowledge?: ProductKnowledge;
}

/** A responder's answer. `error` is set when the model failed and `reply` is the apology shown instead. */
export interface ReplyResult {
  reply: string;
  error?: { code: string; message: string };
}

/**
 * Answers chat messages from a {@link ReplyContext}. `respond` never rejects on model failure; it resolves with an
 * apology and `error`, so a chat surface never answers 5xx because an LLM is down.
 */
export interface Responder {
  /** `llm` when a language model answers, `offline` for the deterministic responder. */
  readonly kind: 'llm' | 'offline';
  respond(context: ReplyContext, signal?: AbortSignal): Promise<ReplyResult>;
}
