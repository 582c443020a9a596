/**
 * @sightline/connector/internal: the connector's parts one by one, for the CLI, the benches and the
 * tests (ingest, extraction, sessionizing, fan-out, product stores, webhook signing, metrics). They may
 * change in any release; the public surface is the root entry.
 */
// Ingest, extraction, sessionizing (pure logic).
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
export { validatePrivacyInput, type ProductPrivacyInput } from './extract/privacy-rules.ts';
export { Sessionizer, type SessionizerAddResult, type SessionizerOptions } from './sessionize/sessionizer.ts';
// Fan-out, products, doors, metrics.
export { StreamHub, type StreamHubOptions } from './hub/stream-hub.ts';
export { isValidProductId, type ProductChange, type ProductRecord, type ProductStore, type ProductStoreStatus, type RegisterProductInput, type StreamKeyCheck } from './products/product-store.ts';
export { FileProductStore } from './products/file-product-store.ts';
export { RedisProductStore, type RedisProductStoreOptions } from './products/redis-product-store.ts';
export { inspectRedis, type RedisInspection } from './products/inspect-redis.ts';
export { verifyWebhook, signHmacHeader, signStandardWebhook, type WebhookAuthResult } from './auth/verify-webhook.ts';
export { decodeCaptureBody, type CaptureRequestParts } from './ingest/decode-capture-body.ts';
export { REMOTE_CONFIG, CAPTURE_PATHS } from './ingest/capture-routes.ts';
export { createConnectorMetrics, type ConnectorMetrics } from './metrics/connector-metrics.ts';
