/**
 * The responder surface in one module: what the reply service imports to answer a chat message.
 */
export type { ConversationTurn, ReplyContext, ReplyResult, ReplySession, Responder } from './reply-context.ts';
export { createLlmResponder, DEFAULT_APOLOGY, type LlmResponderOptions } from './llm-responder.ts';
export {
  createOfflineResponder,
  detectIntent,
  detectLanguage,
  type OfflineIntent,
  type OfflineResponderOptions,
  type ReplyLanguage,
} from './offline-responder.ts';
export { firstNameFromEmail } from './first-name.ts';
export { createSummaryLlm, extractiveSummary } from './summary-llm.ts';
