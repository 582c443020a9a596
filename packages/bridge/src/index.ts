/** @sightline/bridge: the copilot server. Public surface only; see README.md. */
// LLM providers, responders and the reply prompt (llm/, responder/, prompts/).
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
  detectIntent,
  extractiveSummary,
  firstNameFromEmail,
  DEFAULT_APOLOGY,
  type ConversationTurn,
  type LlmResponderOptions,
  type OfflineIntent,
  type OfflineResponderOptions,
  type ReplyContext,
  type ReplyResult,
  type ReplySession,
  type Responder,
} from './responder/responder.ts';
export { buildReplyPrompt, DEFAULT_PROMPT_TOKEN_BUDGET, type ReplyPrompt, type ReplyPromptOptions } from './prompts/reply-prompt.ts';
export { SYSTEM_PROMPT_TEMPLATE, renderSystemPrompt } from './prompts/system-prompt.ts';
// Bridge server: configuration, pipeline, reply service and chat surfaces (config/, pipeline/, reply/, rasa/, socket/, server/).
export { loadBridgeConfig, checkBridgeSecurity, isLoopbackHost, BRIDGE_DEFAULTS, type BridgeConfig, type KnowledgeSettings } from './config/bridge-config.ts';
// Identity: signed user ids (identity/).
export { signUserId, signUserToken, verifyUserHash, verifyUserToken, type UserTokenCheck } from './identity/user-hash.ts';
export { parseEnvFile, readEnvFile } from './config/env-file.ts';
export { startBridge, type RunningBridge, type StartBridgeOptions } from './server/start-bridge.ts';
// Product knowledge: the help center and how replies ask the sources (knowledge/).
export type { HelpPassage, HelpStep, KnowledgeQuestion, KnowledgeSource, ProductKnowledge, UiPath, UiPathStep } from './knowledge/knowledge-types.ts';
export { gatherKnowledge, DEFAULT_KNOWLEDGE_TIMEOUT_MS, type GatherKnowledgeOptions } from './knowledge/gather-knowledge.ts';
export {
  createHelpCenterSource,
  defaultIndexPath,
  indexHelpCenter,
  watchFolder,
  type FolderWatcher,
  type HelpCenterSource,
  type HelpCenterSourceOptions,
  type HelpCenterStats,
} from './knowledge/help-center/help-center-source.ts';
export { HelpCenterIndex, HELP_INDEX_VERSION, type HelpIndexFile, type HelpSearchOptions } from './knowledge/help-center/help-center-index.ts';
export { readHelpCenter, type HelpArticle, type HelpCenterContent, type ReadHelpCenterOptions } from './knowledge/help-center/read-help-center.ts';
export { splitArticle, type ArticleFormat, type ArticlePassage, type SplitArticle, type SplitArticleOptions } from './knowledge/help-center/split-article.ts';
export { createBridgePipeline, type BridgePipeline, type BridgePipelineOptions, type PipelineConfig, type PipelineStores } from './pipeline/bridge-pipeline.ts';
export {
  SessionStates,
  MemorySessionStateBackend,
  type SessionStateBackend,
  type SessionStateCounts,
  type SessionStatesOptions,
} from './pipeline/session-states.ts';
export { RedisSessionStateBackend, type RedisSessionStateBackendOptions } from './pipeline/redis-session-states.ts';
export { MemorySessionProducts, type SessionProducts } from './pipeline/session-products.ts';
export { RedisSessionProducts } from './pipeline/redis-session-products.ts';
export type { StreamState } from './pipeline/stream-state.ts';
export { createReplyService, type ReplyOutcome, type ReplyServiceOptions, type ReplyWatermarks } from './reply/create-reply-service.ts';
export type { ActivitySource, UserActivity } from './reply/activity-source.ts';
export type { PreparedReply, ReplyBody, ReplyChannel, ReplyRequest, ReplyService } from './reply/reply-types.ts';
export { MemoryConversationHistory, type ConversationHistory, type ConversationHistoryOptions } from './conversation/conversation-history.ts';
export { RedisConversationHistory, type RedisConversationHistoryOptions } from './conversation/redis-conversation-history.ts';
export { MemorySenderDirectory, type SenderDirectory, type SenderRecord } from './identity/sender-directory.ts';
export { RedisSenderDirectory } from './identity/redis-sender-directory.ts';
export { MemoryConversationBindings, type ConversationBindings, type ConversationOwner } from './socket/conversation-bindings.ts';
export { RedisConversationBindings } from './socket/redis-conversation-bindings.ts';
export { RedisChatWatermarks } from './reply/redis-chat-watermarks.ts';
export { guardFailures, type CredentialFailures } from './auth/credential-failures.ts';
export { RedisCredentialFailures } from './auth/redis-credential-failures.ts';
export { bridgeRedis, type BridgeRedis } from './redis/bridge-redis.ts';
export { registerRasaActionServer, RasaActionRejected, type RasaActionHandler, type RasaActionServerOptions } from './rasa/rasa-action-server.ts';
export { createBridgeActions, BRIDGE_ACTION_NAMES, type BridgeActionsOptions } from './rasa/bridge-actions.ts';
export {
  ActionForwarder,
  type ActionForwarderOptions,
  type ActionServerStatus,
  type ActionServerTarget,
  type ForwardOutcome,
} from './rasa/action-forwarder.ts';
export { userIdOf, senderIdOf } from './rasa/rasa-user-id.ts';
export type { RasaActionCall, RasaActionResult, RasaBotResponse, RasaEvent, RasaLatestMessage, RasaTracker } from './rasa/rasa-types.ts';
export { attachSocketChannel, splitBotText, type SocketChannel, type SocketChannelOptions } from './socket/socket-channel.ts';
export { healthBody, type HealthBody } from './health/health-routes.ts';
export {
  UiMap,
  DEMO_SEED_USER_PREFIX,
  type KnownUiMap,
  type KnownFlow,
  type KnownPage,
  type KnownLabel,
  type KnownDialog,
  type KnownTransition,
  type PayloadOrigin,
  type UiMapOptions,
} from './knowledge/ui-map/ui-map.ts';
export {
  MemoryUiMapStore,
  UI_MAP_STORE_DEFAULTS,
  hashId,
  type StoredUiMapEntry,
  type UiMapContribution,
  type UiMapContributionResult,
  type UiMapStore,
  type UiMapStoreLimits,
} from './knowledge/ui-map/ui-map-store.ts';
export { RedisUiMapStore } from './knowledge/ui-map/redis-ui-map-store.ts';
export { createUiMapSource, pathsFor } from './knowledge/ui-map/ui-map-source.ts';
export { journeyPayload, type JourneyOptions, type JourneyStep } from './knowledge/ui-map/journey-payload.ts';
export { bridgeErrors, type BridgeErrorCode } from './errors.ts';
export { PROACTIVE_ACTION_NAMES } from './proactive/proactive-actions.ts';
export { RASA_ACCEPT_INTENT, RASA_NOT_NOW_INTENT, RASA_PROACTIVE_INTENT, RASA_WIDGET_READY_INTENT, OFFER_BUTTONS_ENTITY, OFFER_TEXT_ENTITY } from './proactive/rasa-delivery.ts';
