/**
 * @sightline/connector: the event connector server. Public surface only; see README.md.
 */
export { connectorErrors, type ConnectorErrorCode } from './errors.ts';
// Ingest, extraction, privacy, sessionizing (pure logic).
export type { CapturedEvent, NormalizeResult, RejectedEvent } from './ingest/captured-event.ts';
export type { NormalizeOptions } from './ingest/normalize-body.ts';
export { IngestMemo } from './ingest/ingest-memo.ts';
export { normalizeWebhookBody } from './ingest/normalize-webhook-body.ts';
export { normalizeCaptureBody } from './ingest/normalize-capture-body.ts';
export { parseElementsChain, stringifyElementsChain, type ChainElement, type ParseElementsChainOptions } from './extract/elements-chain.ts';
export { canonicalizeUrl, isDynamicSegment } from './extract/canonical-url.ts';
export { pageNameFromUrl } from './extract/page-name.ts';
export { extractAction, classifyEvent, type ActionNote, type ActionType, type ExtractActionOptions, type ExtractedAction } from './extract/extract-action.ts';
export { createTabMemory, type TabMemory } from './extract/tab-memory.ts';
// Redaction lives in @sightline/protocol (one module for connector and bridge); re-exported for existing users.
export { redactText, redactUrl, isSecretParameterName } from '@sightline/protocol';
export { validatePrivacyInput, type ProductPrivacyInput } from './extract/privacy-rules.ts';
export { Sessionizer, type SessionizerAddResult, type SessionizerOptions } from './sessionize/sessionizer.ts';
// Server: products, doors, event log, fan-out, metrics.
export { startConnector, type ConnectorOptions, type RunningConnector } from './server/start-connector.ts';
export type { ProductCredentials } from './server/connector-context.ts';
export { systemClock, type ConnectorClock } from './clock.ts';
export type { EventLog, LoggablePayload, LoggedPayload, ReplayGap, ReplayResult } from './log/event-log.ts';
export { MemoryEventLog, type MemoryEventLogOptions } from './log/memory-event-log.ts';
export { RedisEventLog, type RedisEventLogOptions } from './log/redis-event-log.ts';
export { StreamHub, type StreamHubOptions } from './hub/stream-hub.ts';
export { isValidProductId, type ProductChange, type ProductRecord, type ProductStore, type ProductStoreStatus, type RegisterProductInput, type StreamKeyCheck } from './products/product-store.ts';
export { FileProductStore } from './products/file-product-store.ts';
export { RedisProductStore, type RedisProductStoreOptions } from './products/redis-product-store.ts';
export { redactRedisUrl } from '@sightline/protocol';
export { inspectRedis, type RedisInspection } from './products/inspect-redis.ts';
export type { AdminTokenSource } from './products/admin-token.ts';
export { verifyWebhook, signHmacHeader, signStandardWebhook, type WebhookAuthResult } from './auth/verify-webhook.ts';
export { decodeCaptureBody, type CaptureRequestParts } from './ingest/decode-capture-body.ts';
export { REMOTE_CONFIG, CAPTURE_PATHS } from './ingest/capture-routes.ts';
export { createConnectorMetrics, type ConnectorMetrics } from './metrics/connector-metrics.ts';
