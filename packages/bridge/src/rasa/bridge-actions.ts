/**
 * The bridge's Rasa actions (the tutorial's three): each answers from the user's live activity through
 * the reply service, and falls back to canned text when it cannot, so a Rasa turn never fails on us.
 */
import { isSightlineError } from '@sightline/protocol';
import type { IdentityVerifier } from '../identity/identity-verifier.ts';
import type { SenderDirectory } from '../identity/sender-directory.ts';
import { hashedUserId } from '../identity/user-hash.ts';
import type { ReplyService } from '../reply/reply-types.ts';
import type { RasaActionHandler } from './rasa-action-server.ts';
import type { RasaActionCall, RasaActionResult } from './rasa-types.ts';
import { identityClaimOf, languageOf, senderIdOf, userIdOf } from './rasa-user-id.ts';

/** Names of the actions the bridge serves. */
export const BRIDGE_ACTION_NAMES = ['action_ask_llm', 'action_help_current_page', 'action_recent_activity'] as const;

/** The question each action asks when the user's own words do not fit (or there are none). */
const RECAP_QUERY = 'What did I just do?';
const PAGE_HELP_QUERY = 'How do I get done what I am doing on this page?';
const FALLBACK_TEXT = "Sorry, I can't see your recent activity right now. Could you tell me what you are trying to do?";
const TOO_LONG_TEXT = 'That message is too long for me. Could you ask it in fewer words?';
const SLOW_DOWN_TEXT = "You're sending messages faster than I can answer. Give me a moment and ask again.";

/** Dependencies of {@link createBridgeActions}. */
export interface BridgeActionsOptions {
  replies: ReplyService;
  senders: SenderDirectory;
  /**
   * Checks the widget's `userId` with its `userHash` (Rasa forwards the browser's `customData`, so the id alone
   * proves nothing). An unverified id is answered without activity.
   */
  identity: IdentityVerifier;
  now: () => number;
}

function latestText(call: RasaActionCall): string {
  const text = call.tracker?.latest_message?.text;
  return typeof text === 'string' ? text.trim() : '';
}

/**
 * Builds the three actions. `action_recent_activity` recaps, `action_help_current_page` helps with the
 * page the user is on (their words when they said something, else a generic help question), and
 * `action_ask_llm` (the `nlu_fallback` rule's action) answers the user's message as is.
 */
export function createBridgeActions(options: BridgeActionsOptions): Record<string, RasaActionHandler> {
  const answer = (pickQuery: (text: string) => string) => {
    return async (call: RasaActionCall, { request, reply }: Parameters<RasaActionHandler>[1]): Promise<RasaActionResult> => {
      const senderId = senderIdOf(call);
      const claimed = userIdOf(call);
      let userId = claimed.userId;
      let verified = true;
      if (options.identity.isRequired) {
        const verdict = await options.identity.verify(identityClaimOf(call), request.ip);
        if (verdict.ok) userId = verdict.userId;
        else {
          verified = false;
          const user = verdict.userId === null ? null : hashedUserId(verdict.userId);
          request.log.info({ code: 'SL_IDENTITY_UNVERIFIED', reason: verdict.reason, user, channel: 'rasa' }, 'identity-unverified');
        }
      }
      if (senderId !== undefined && verified && (claimed.isFromMetadata || options.identity.isRequired)) {
        await options.senders.learnRasaSender(userId, senderId, options.now());
      }
      const query = pickQuery(latestText(call));
      let text: string;
      try {
        const prepared = await options.replies.prepare({
          userId,
          query,
          conversationId: senderId ?? null,
          language: languageOf(call),
          verified,
          channel: 'rasa',
        });
        text = prepared.body.reply;
        // Rasa delivers the text after we answer; the turn counts once our answer has gone out.
        reply.raw.once('finish', () => void prepared.commit());
      } catch (error) {
        if (isSightlineError(error, 'SL_QUERY_TOO_LONG')) text = TOO_LONG_TEXT;
        else if (isSightlineError(error, 'SL_RATE_LIMITED')) text = SLOW_DOWN_TEXT;
        else {
          request.log.warn({ err: error }, 'rasa-action-reply-failed');
          text = FALLBACK_TEXT;
        }
      }
      return { events: [], responses: [{ text }] };
    };
  };
  return {
    action_recent_activity: answer(() => RECAP_QUERY),
    action_help_current_page: answer((text) => (text !== '' && !text.startsWith('/') ? text : PAGE_HELP_QUERY)),
    action_ask_llm: answer((text) => (text !== '' ? text : PAGE_HELP_QUERY)),
  };
}
