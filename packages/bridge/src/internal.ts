/**
 * @sightline/bridge/internal: the bridge's parts one by one, for the CLI, the benches and the tests
 * (pipeline, stores, reply service, Rasa action server, socket channel, help-center indexing, the UI
 * map). They may change in any release; the public surface is the root entry.
 */
export {
  detectIntent,
  extractiveSummary,
  firstNameFromEmail,
  DEFAULT_APOLOGY,
  type OfflineIntent,
} from './responder/responder.ts';
export { buildReplyPrompt, DEFAULT_PROMPT_TOKEN_BUDGET, type ReplyPrompt, type ReplyPromptOptions } from './prompts/reply-prompt.ts';
export { renderSystemPrompt } from './prompts/system-prompt.ts';
export { checkBridgeSecurity, isLoopbackHost } from './config/bridge-config.ts';
export { parseEnvFile, readEnvFile } from './config/env-file.ts';
export { gatherKnowledge, DEFAULT_KNOWLEDGE_TIMEOUT_MS, type GatherKnowledgeOptions } from './knowledge/gather-knowledge.ts';
export { defaultIndexPath, indexHelpCenter, watchFolder } from './knowledge/help-center/help-center-source.ts';
export { HelpCenterIndex, HELP_INDEX_VERSION, type HelpIndexFile, type HelpSearchOptions } from './knowledge/help-center/help-center-index.ts';
export { readHelpCenter, type HelpArticle, type HelpCenterContent, type ReadHelpCenterOptions } from './knowledge/help-center/read-help-center.ts';
export { splitArticle, type ArticleFormat, type ArticlePassage, type SplitArticle, type SplitArticleOptions } from './knowledge/help-center/split-article.ts';
export { createBridgePipeline, type BridgePipelineOptions, type PipelineConfig, type PipelineStores } from './pipeline/bridge-pipeline.ts';
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
export { createReplyService, type ReplyOutcome, type ReplyServiceOptions, type ReplyWatermarks } from './reply/create-reply-service.ts';
export type { ActivitySource, UserActivity } from './reply/activity-source.ts';
export { MemoryConversationHistory, type ConversationHistoryOptions } from './conversation/conversation-history.ts';
export { RedisConversationHistory, type RedisConversationHistoryOptions } from './conversation/redis-conversation-history.ts';
export { MemorySenderDirectory } from './identity/sender-directory.ts';
export { RedisSenderDirectory } from './identity/redis-sender-directory.ts';
export { MemoryConversationBindings, type ConversationBindings, type ConversationOwner } from './socket/conversation-bindings.ts';
export { RedisConversationBindings } from './socket/redis-conversation-bindings.ts';
export { RedisChatWatermarks } from './reply/redis-chat-watermarks.ts';
export { guardFailures, type CredentialFailures } from './auth/credential-failures.ts';
export { RedisCredentialFailures } from './auth/redis-credential-failures.ts';
export { bridgeRedis, type BridgeRedis } from './redis/bridge-redis.ts';
export { registerRasaActionServer, RasaActionRejected, type RasaActionHandler, type RasaActionServerOptions } from './rasa/rasa-action-server.ts';
export { createBridgeActions, type BridgeActionsOptions } from './rasa/bridge-actions.ts';
export {
  ActionForwarder,
  type ActionForwarderOptions,
  type ActionServerStatus,
  type ActionServerTarget,
  type ForwardOutcome,
} from './rasa/action-forwarder.ts';
export { userIdOf, senderIdOf } from './rasa/rasa-user-id.ts';
export type { RasaActionCall, RasaActionResult, RasaBotResponse, RasaEvent, RasaLatestMessage, RasaTracker } from './rasa/rasa-types.ts';
export { attachSocketChannel, splitBotText, type SocketChannelOptions } from './socket/socket-channel.ts';
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
