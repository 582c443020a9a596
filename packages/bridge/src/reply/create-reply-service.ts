/**
 * The reply service: turns one chat message into a grounded answer. It validates the message, reads
 * the user's newest sessions (or the session named directly), the activity since their previous
 * message (watermark) and the conversation's last turns, asks the responder, and, once the answer is
 * delivered, records the turn and moves the watermark.
 */
import { systemClock, type Clock } from '@sightline/sdk';
import type { Logger } from 'pino';
import type { ChatLimiter } from '../auth/chat-limiter.ts';
import type { ConversationHistory } from '../conversation/conversation-history.ts';
import { createError } from '../errors.ts';
import { gatherKnowledge } from '../knowledge/gather-knowledge.ts';
import type { KnowledgeSource } from '../knowledge/knowledge-types.ts';
import { detectLanguage } from '../responder/language/detect-language.ts';
import { firstNameFromEmail } from '../responder/first-name.ts';
import { redactForModel } from '../responder/llm-responder.ts';
import type { ReplyContext, Responder, ReplySession } from '../responder/reply-context.ts';
import type { ActivitySource, UserActivity } from './activity-source.ts';
import type { PreparedReply, ReplyChannel, ReplyRequest, ReplyService } from './reply-types.ts';

/** Per-conversation "last inbound message" times, epoch seconds (docs/reference/wire-contract.md#chat-watermark). */
export interface ReplyWatermarks {
  getPreviousInboundAt(conversationId: string): Promise<number | null>;
  setLastInboundAt(conversationId: string, atS: number): Promise<void>;
}

/** How one reply went, for metrics. */
export interface ReplyOutcome {
  channel: ReplyChannel;
  /** `ok`, `llm_error` (answered with an apology), or the code of a rejected request. */
  outcome: string;
  durationMs: number;
  hasActivity: boolean;
}

/** Dependencies and limits of {@link createReplyService}. */
export interface ReplyServiceOptions {
  activity: ActivitySource;
  responder: Responder;
  history: ConversationHistory;
  watermarks: ReplyWatermarks;
  /** Called for each session a message is about (the pipeline marks it REACTIVE). */
  onChat?: (session: ReplySession, userId: string) => unknown;
  /** Called after each answer or rejection. */
  onOutcome?: (outcome: ReplyOutcome) => void;
  /** Longest query in characters (default 2000). */
  maxQueryLength?: number;
  /** Newest sessions read per user (default 3). */
  sessionsPerUser?: number;
  /** Limits messages per user (verified) or per conversation (unverified); none when absent. */
  chatLimiter?: ChatLimiter;
  /** Longest user id accepted (default 256). */
  maxUserIdLength?: number;
  /**
   * Where product knowledge comes from (help center, UI map), asked with the user's product, message, language and
   * current page; none by default, and then the context carries no `knowledge`.
   */
  knowledgeSources?: readonly KnowledgeSource[];
  /** Longest wait for the knowledge sources, ms; a source still working then is left out (default 300). */
  knowledgeTimeoutMs?: number;
  clock?: Clock;
  logger?: Logger;
}

const NO_ACTIVITY: UserActivity = { email: null, sessions: [], tabs: [] };

function hasActivity(activity: UserActivity): boolean {
  return activity.tabs.length > 0 || activity.sessions.some((session) => session.actions.length > 0 || session.summary.trim() !== '');
}

/**
 * Builds the reply service every chat surface calls.
 *
 * @example
 * const replies = createReplyService({ activity, responder: createOfflineResponder(), history, watermarks });
 * const prepared = await replies.prepare({ userId: 'u-42', query: 'how do I add a teammate?', channel: 'http' });
 * send(prepared.body); await prepared.commit();
 */
export function createReplyService(options: ReplyServiceOptions): ReplyService {
  const clock = options.clock ?? systemClock;
  const maxQueryLength = options.maxQueryLength ?? 2000;
  const sessionsPerUser = options.sessionsPerUser ?? 3;
  const maxUserIdLength = options.maxUserIdLength ?? 256;
  const log = options.logger;

  // The limits every channel shares (HTTP, Rasa, socket.io); the HTTP request's shape was read before, by
  // reply-body-schema.ts. The `typeof` guards are for JavaScript callers of the internal surface.
  function validate(request: ReplyRequest): { userId: string; query: string } {
    const userId = typeof request.userId === 'string' ? request.userId.trim() : '';
    if (userId === '') throw createError('SL_USER_ID_INVALID', { reason: 'it is empty' });
    if (userId.length > maxUserIdLength) {
      throw createError('SL_USER_ID_INVALID', { reason: `it is longer than ${maxUserIdLength} characters` });
    }
    const query = typeof request.query === 'string' ? request.query.trim() : '';
    if (query === '') throw createError('SL_QUERY_MISSING');
    if (query.length > maxQueryLength) throw createError('SL_QUERY_TOO_LONG', { length: query.length, limit: maxQueryLength });
    return { userId, query };
  }

  /** What the knowledge sources know about the message, asked about the product and page of the current tab. */
  function knowledgeFor(activity: UserActivity, query: string, languageHint: string | null, signal?: AbortSignal) {
    const tab = activity.tabs[0];
    const productId = tab?.key.productId ?? activity.sessions[0]?.productId ?? '';
    // What is open (its opener reads as the articles name it: "Click 'Assign'"), or what the last click just opened.
    const openLabel = tab?.open ? (tab.open.openedBy ?? tab.open.label) : tab?.lastAction?.step === 'open' ? tab.lastAction.label : null;
    return gatherKnowledge(
      options.knowledgeSources ?? [],
      { productId, query, language: detectLanguage(query, languageHint), page: tab?.page?.path ?? null, pageTitle: tab?.page?.title ?? null, openLabel },
      { ...(options.knowledgeTimeoutMs !== undefined ? { timeoutMs: options.knowledgeTimeoutMs } : {}), ...(signal ? { signal } : {}), clock, ...(log ? { logger: log } : {}) },
    );
  }

  async function prepare(request: ReplyRequest, signal?: AbortSignal): Promise<PreparedReply> {
    const startedAt = performance.now();
    let userId: string;
    let query: string;
    try {
      ({ userId, query } = validate(request));
    } catch (error) {
      options.onOutcome?.({
        channel: request.channel,
        outcome: (error as { code?: string }).code ?? 'invalid',
        durationMs: performance.now() - startedAt,
        hasActivity: false,
      });
      throw error;
    }
    const receivedAtS = clock.now() / 1000;
    const verified = request.verified !== false;
    const givenConversation = request.conversationId?.trim() || `user:${userId}`;
    // An unproven id gets a conversation of its own: never the history of the user it claims to be.
    const conversationId = verified ? givenConversation : `unverified:${givenConversation}`;
    const retryAfterS = options.chatLimiter?.take(verified ? `user:${userId}` : conversationId) ?? 0;
    if (retryAfterS > 0) {
      options.onOutcome?.({ channel: request.channel, outcome: 'SL_RATE_LIMITED', durationMs: performance.now() - startedAt, hasActivity: false });
      throw createError('SL_RATE_LIMITED', { retryAfterS });
    }
    const sessionId = request.sessionId?.trim() || null;

    const activity = !verified
      ? NO_ACTIVITY
      : sessionId
        ? await options.activity.forSession(userId, sessionId)
        : await options.activity.forUser(userId, { sessions: sessionsPerUser });
    await Promise.all(activity.sessions.map((session) => options.onChat?.(session, userId)));
    const cutoff = await options.watermarks.getPreviousInboundAt(conversationId);
    const activitySince = cutoff === null ? [] : await options.activity.activitySince(activity, cutoff);
    const firstName = firstNameFromEmail(activity.email);
    const languageHint = request.language?.trim() || null;
    const knowledge = options.knowledgeSources?.length ? await knowledgeFor(activity, query, languageHint, signal) : undefined;
    const context: ReplyContext = {
      userId,
      query,
      email: activity.email,
      firstName,
      sessions: activity.sessions,
      activitySince,
      history: await options.history.get(conversationId),
      tabs: activity.tabs,
      languageHint,
      now: clock.now(),
      ...(knowledge ? { knowledge } : {}),
    };
    const result = await options.responder.respond(context, signal);
    const active = hasActivity(activity);
    options.onOutcome?.({
      channel: request.channel,
      outcome: result.error ? 'llm_error' : 'ok',
      durationMs: performance.now() - startedAt,
      hasActivity: active,
    });
    if (result.error) log?.warn({ code: result.error.code, reason: result.error.message, channel: request.channel }, 'reply-llm-failed');

    let committed = false;
    return {
      // The reply leaves the bridge: redacted again, as the model may repeat what it read (docs/privacy.md).
      body: { reply: redactForModel(result.reply, userId, activity.email), name: firstName, has_activity: active, ...(result.error ? { error: result.error } : {}) },
      async commit() {
        if (committed) return;
        committed = true;
        try {
          // Whose conversation this is, so forgetting the user finds it (any conversation id, not only the default).
          await options.history.assign(conversationId, userId);
          // An apology is not part of the conversation the model should continue.
          if (!result.error) await options.history.append(conversationId, { role: 'user', content: query }, { role: 'assistant', content: result.reply });
          await options.watermarks.setLastInboundAt(conversationId, receivedAtS);
        } catch (error) {
          log?.error({ err: error }, 'reply-commit-failed');
        }
      },
    };
  }

  async function greet(userId: string, greetOptions: { verified?: boolean } = {}): Promise<string> {
    let firstName: string | null = null;
    let page: string | null = null;
    if (greetOptions.verified !== false) {
      try {
        const activity = await options.activity.forUser(userId, { sessions: sessionsPerUser });
        firstName = firstNameFromEmail(activity.email);
        page = activity.tabs[0]?.page?.title ?? null;
      } catch (error) {
        log?.warn({ err: error }, 'greeting-activity-failed');
      }
    }
    const hello = firstName ? `Hi ${firstName}!` : 'Hi there!';
    const where = page ? ` I can see you're on the ${page} page.` : '';
    return `${hello}${where} Ask me anything about what you're doing and I'll help you with the next step.`;
  }

  return { prepare, greet };
}
