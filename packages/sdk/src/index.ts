/**
 * @sightline/sdk: keeps each user's live product activity ready for a chatbot.
 * Public surface only; see README.md. The helpers the storage backends and Sightline's own packages
 * share (record merging, trimming, key checks) are in `@sightline/sdk/internal`.
 */
export {
  ConnectorClient,
  type DisconnectInfo,
  type DropEvent,
  type DropReason,
  type PayloadHandler,
  type PayloadMeta,
  type UnknownPayload,
} from './client/connector-client.ts';
export type { ConnectorClientOptions, FetchFunction, StreamPositionOptions } from './client/client-options.ts';
export { MemoryStreamPositionStore, type StreamPositionStore } from './client/stream-position.ts';
export { consoleLogger, silentLogger, type LogFields, type Logger } from './client/logger.ts';
export { systemClock, type Clock, type TimerHandle } from './clock.ts';
export { sdkErrors, type SdkErrorCode } from './errors.ts';
export type { LlmFunction } from './llm.ts';
export { SessionSummarizer, type RetryBackoffOptions, type SessionSummarizerOptions, type SessionSummary, type SummarizerErrorContext, type SummaryListener } from './summarizer/session-summarizer.ts';
export { ACTIONS_PLACEHOLDER, DEFAULT_SUMMARY_PROMPT } from './summarizer/default-prompt.ts';
export { localSummaryLease, type LeaseRelease, type SummaryLease } from './summarizer/summary-lease.ts';
export {
  CONTEXT_DEFAULTS,
  ContextStore,
  type ContextReadOptions,
  type ContextStoreOptions,
  type ForUserOptions,
  type SessionContext,
  type UserContext,
} from './context-store/context-store.ts';
export type {
  ContextBackend,
  ContextWriteLimits,
  SessionRecord,
  StoredBatch,
  StoredSummary,
  SummaryCoverage,
} from './context-store/backend.ts';
export { MemoryContextBackend } from './context-store/memory-backend.ts';
export { AgentContextWriter, type ActionsDelivery, type AgentContextWriterOptions, type WriterErrorContext } from './writer/agent-context-writer.ts';
export {
  SessionState,
  SessionStateName,
  type SessionStateOptions,
  type SessionStateSnapshot,
  type SessionTickResult,
  type TourTimings,
  type TourTimingsLookup,
} from './session-state/session-state.ts';
export { UserSessionIndex, type SessionRef, type UserIndex, type UserLookupOptions, type UserSessionIndexOptions } from './user-index/user-session-index.ts';
export { sessionKeyOf, type SessionKey } from './session-key/session-key.ts';
export {
  assembleChatContext,
  type ActivityTarget,
  type AssembleChatContextInput,
  type ChatContextAssembly,
  type KnowledgeRequest,
} from './prompt/chat-context-assembly.ts';
export { buildSelectedContext, buildUserPromptBlock } from './prompt/build-user-prompt-block.ts';
export { formatHistoryForPrompt, type ConversationTurn } from './prompt/format-history.ts';
export { formatKbRecordsForPrompt, type KbRecord } from './prompt/format-kb-records.ts';
export {
  MemoryChatWatermarkStore,
  type ChatScope,
  type ChatWatermarkStore,
} from './prompt/watermark-store.ts';
export type {
  ActivityKey,
  ActivityState,
  ActivityStep,
  ContainerRef,
  FinishedFlow,
  LostSignals,
  OpenContainer,
  PageVisit,
} from './activity/activity-state.ts';
export type { SummaryInput } from './llm.ts';
export { PREVIOUS_SUMMARY_PLACEHOLDER } from './summarizer/default-prompt.ts';
export { foldSummary, type FoldSummaryOptions } from './summarizer/fold-summary.ts';
export type { SummaryMerge, SummaryUpdate } from './context-store/backend.ts';
export { activityStepOf, structureOf, type NormalisedStructure } from './activity/structure-of.ts';
export { ACTIVITY_DEFAULTS, emptyActivityState, reduceActivity, type ActivityContext, type ReduceActivityOptions } from './activity/reduce-activity.ts';
export { ActivityTracker, type ActivityTrackerOptions } from './activity/activity-tracker.ts';
export type { ActivityBackend, StoredActivity } from './activity/activity-backend.ts';
export { MemoryActivityBackend, type MemoryActivityBackendOptions } from './activity/memory-activity-backend.ts';
export {
  DEFAULT_TRIGGER_COOLDOWN_S,
  type AuthoredText,
  type ProactiveContext,
  type ProactiveFacts,
  type ProactiveProposal,
  type ProactiveTrigger,
} from './proactive/proactive-trigger.ts';
export {
  BuiltinTriggerId,
  TRIGGER_DEFAULTS,
  builtinTriggers,
  containerIdleTrigger,
  pageDwellTrigger,
  pingPongTrigger,
  repeatedFailureTrigger,
  type BuiltinTriggersOptions,
  type ContainerIdleOptions,
  type PageDwellOptions,
  type PingPongOptions,
  type RepeatedFailureOptions,
} from './proactive/builtin-triggers.ts';
export { ProactiveTriggerRegistry, type ProactiveTriggerRegistryOptions } from './proactive/trigger-registry.ts';
// Reading the YAML and following the file are in the Node-only subpath @sightline/sdk/playbook.
export { MAX_PROACTIVE_MESSAGE_CHARS, PLAYBOOK_TRIGGER_ID, playbookTrigger, type Playbook, type PlaybookMatch, type PlaybookRule } from './proactive/playbook.ts';
export {
  PROACTIVE_LANGUAGES,
  isNotNowReply,
  notNowReply,
  proactiveMessage,
  templateLanguage,
  type ProactiveLanguage,
  type ProactiveMessage,
} from './proactive/proactive-text.ts';
export { PROACTIVE_REASONS, decideProactive, type ProactiveGateInput, type ProactiveReason } from './proactive/proactive-gate.ts';
export { acceptPhrasing, proactivePhrasingPrompt, type ProactivePhrasingPrompt } from './proactive/proactive-phrasing.ts';
