/**
 * What every chat surface (HTTP `/reply`, the Rasa action server, the socket.io channel) asks of the
 * reply service, and what it gets back.
 */

/** Where a chat message came in; used for logs and metrics. */
export type ReplyChannel = 'http' | 'rasa' | 'socket';

/** One chat message to answer. */
export interface ReplyRequest {
  /** The app's user id (the id given to `posthog.identify()`). */
  userId: string;
  /** The user's message. */
  query: string;
  /** Read this session directly instead of the user's newest sessions. */
  sessionId?: string | null;
  /** Conversation for history and the "activity since your last message" watermark; defaults to the user id. */
  conversationId?: string | null;
  /** The widget's language (`customData.language`, `es`, `pt-BR`, …): used when the message itself is too short to tell. */
  language?: string | null;
  /**
   * Whether `userId` is proven (the bridge key, a user hash or token, or verification off). An unverified request is
   * answered without any activity, name or earlier chat of that id. Default true.
   */
  verified?: boolean;
  channel: ReplyChannel;
}

/** The tutorial's `/reply` body, plus `error` when the language model failed. */
export interface ReplyBody {
  reply: string;
  /** The user's first name (from their email), or null when unknown. */
  name: string | null;
  /** Whether any recent activity of the user was found. */
  has_activity: boolean;
  /** Set when the model failed and `reply` is an apology; the HTTP status stays 200. */
  error?: { code: string; message: string };
}

/**
 * A reply ready to send. Call `commit()` once it has been delivered: only then are the turn added to the history and
 * the watermark moved (docs/reference/wire-contract.md#chat-watermark), so a reply that never reached the user does
 * not hide activity from the next one.
 */
export interface PreparedReply {
  body: ReplyBody;
  commit(): Promise<void>;
}

/** The reply service every chat surface calls. */
export interface ReplyService {
  /**
   * Answers one message. Throws `SL_QUERY_MISSING`, `SL_QUERY_TOO_LONG` or `SL_USER_ID_INVALID` on bad input, and
   * `SL_RATE_LIMITED` when the user sent more messages than `CHAT_MESSAGES_PER_MINUTE`.
   */
  prepare(request: ReplyRequest, signal?: AbortSignal): Promise<PreparedReply>;
  /** A short greeting for a widget that just opened (its `/greet` init payload); no model call. Unverified: no name or page. */
  greet(userId: string, options?: { verified?: boolean }): Promise<string>;
}
