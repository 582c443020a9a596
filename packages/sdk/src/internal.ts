/**
 * @sightline/sdk/internal: helpers the SDK's storage backends and Sightline's own packages, benches and
 * tests share (merging and trimming stored session records, key checks, watermark arithmetic, the
 * stream URL's product id). They may change in any release; the public surface is the root entry.
 */
export { resolveToken } from './client/client-options.ts';
export { productIdOfStreamUrl } from './client/stream-position.ts';
export { actionFingerprint } from './context-store/backend.ts';
export { appendToRecord, applySummaryToRecord, applyWriteLimits, isReplayedEvent, removeCovered } from './context-store/session-record.ts';
export { countActions, trimToRecentActions } from './context-store/trim-actions.ts';
export { assertSessionKey, isStorablePayload, sessionKeyId } from './session-key/session-key.ts';
export { cutoffForDeltaActivity, effectiveInboundTimestamp } from './prompt/watermark-store.ts';
export { STORY_MAX_CHARS } from './summarizer/fold-summary.ts';
export { LruMap } from './lru/lru-map.ts';
export { proactiveLabels } from './proactive/proactive-phrasing.ts';
