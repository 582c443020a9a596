/**
 * @sightline/bridge: the copilot server. Public surface only; see README.md: start it from its
 * configuration, give it a responder, knowledge sources or proactive triggers of your own, sign user
 * ids, and the names a Rasa project's domain uses. The parts the CLI, the benches and the tests wire
 * one by one (pipeline, stores, Rasa action server, socket channel, help-center indexing, UI map) are in
 * `@sightline/bridge/internal`.
 */
// Starting the bridge (config/, server/).
export { loadBridgeConfig, BRIDGE_DEFAULTS, type BridgeConfig, type KnowledgeSettings, type LoadBridgeConfigOptions } from './config/bridge-config.ts';
export { BRIDGE_SETTINGS } from './config/bridge-settings.ts';
export { BRIDGE_PREFIX } from './config/read-bridge-settings.ts';
export { startBridge, type RunningBridge, type StartBridgeOptions } from './server/start-bridge.ts';
export { bridgeErrors, type BridgeErrorCode } from './errors.ts';
// What a running bridge hands out (RunningBridge's fields).
export type { BridgePipeline } from './pipeline/bridge-pipeline.ts';
export type { StreamState } from './pipeline/stream-state.ts';
export type { PreparedReply, ReplyBody, ReplyChannel, ReplyRequest, ReplyService } from './reply/reply-types.ts';
export type { ConversationHistory } from './conversation/conversation-history.ts';
export type { SenderDirectory, SenderRecord } from './identity/sender-directory.ts';
export type { SocketChannel } from './socket/socket-channel.ts';
// Language models and responders (llm/, responder/, prompts/).
export {
  createChatModel,
  resolveLlmSettings,
  DEFAULT_LLM_MODELS,
  DEFAULT_LLM_TIMEOUT_MS,
  type ChatModel,
  type ChatModelOptions,
  type ChatRequest,
  type LlmProvider,
  type LlmSettings,
} from './llm/chat-model.ts';
export {
  createLlmResponder,
  createOfflineResponder,
  createSummaryLlm,
  type ConversationTurn,
  type LlmResponderOptions,
  type OfflineResponderOptions,
  type ReplyContext,
  type ReplyResult,
  type ReplySession,
  type Responder,
} from './responder/responder.ts';
export { SYSTEM_PROMPT_TEMPLATE } from './prompts/system-prompt.ts';
// Signed user ids (identity/).
export { signUserId, signUserToken, verifyUserHash, verifyUserToken, type UserTokenCheck } from './identity/user-hash.ts';
// Product knowledge: a source of one's own, or the help center (knowledge/).
export type { HelpPassage, HelpStep, KnowledgeQuestion, KnowledgeSource, ProductKnowledge, UiPath, UiPathStep } from './knowledge/knowledge-types.ts';
export {
  createHelpCenterSource,
  type FolderWatcher,
  type HelpCenterSource,
  type HelpCenterSourceOptions,
  type HelpCenterStats,
} from './knowledge/help-center/help-center-source.ts';
// The names a Rasa project's domain and stories use (rasa/, proactive/).
export { BRIDGE_ACTION_NAMES } from './rasa/bridge-actions.ts';
export { PROACTIVE_ACTION_NAMES } from './proactive/proactive-actions.ts';
export { RASA_ACCEPT_INTENT, RASA_NOT_NOW_INTENT, RASA_PROACTIVE_INTENT, RASA_WIDGET_READY_INTENT, OFFER_BUTTONS_ENTITY, OFFER_TEXT_ENTITY } from './proactive/rasa-delivery.ts';
