/**
 * The pure record operations every {@link ContextBackend} applies, so the memory backend and any
 * shared-storage backend trim, cover and expire in exactly the same way.
 */
import type { ActionsPayload } from '@sightline/protocol';
import { actionFingerprint, type ContextWriteLimits, type SessionRecord, type StoredBatch, type StoredSummary, type SummaryCoverage } from './backend.ts';
import { trimToRecentActions } from './trim-actions.ts';

/** Drops batches received before `keepReceivedFrom`, then keeps the most recent `maxActions` actions. */
export function applyWriteLimits(batches: StoredBatch[], limits: Pick<ContextWriteLimits, 'keepReceivedFrom' | 'maxActions'>): StoredBatch[] {
  let kept = batches;
  const from = limits.keepReceivedFrom;
  if (from !== null && kept.length > 0 && kept[0]!.receivedAt < from) kept = kept.filter((batch) => batch.receivedAt >= from);
  if (limits.maxActions !== null) kept = trimBatches(kept, limits.maxActions);
  return kept;
}

/** {@link trimToRecentActions} over stored batches, keeping each batch's receipt time. */
export function trimBatches(batches: StoredBatch[], maxActions: number): StoredBatch[] {
  const payloads = batches.map((batch) => batch.payload);
  const trimmed = trimToRecentActions(payloads, maxActions);
  if (trimmed === payloads) return batches;
  const offset = batches.length - trimmed.length;
  return trimmed.map((payload, position) => ({ payload, receivedAt: batches[offset + position]!.receivedAt }));
}

/** Appends a batch to a record (a new one when `record` is undefined) and applies the limits. */
export function appendToRecord(record: SessionRecord | undefined, key: SessionRecord['key'], batch: StoredBatch, limits: ContextWriteLimits): SessionRecord {
  const batches = record ? [...record.batches, batch] : [batch];
  return {
    key: record?.key ?? key,
    batches: applyWriteLimits(batches, limits),
    summary: record?.summary ?? null,
    lastSeenAt: batch.receivedAt,
  };
}

/** Stores a summary on a record and removes the actions it covers (D-21). */
export function applySummaryToRecord(
  record: SessionRecord | undefined,
  key: SessionRecord['key'],
  summary: StoredSummary,
  coverage: SummaryCoverage,
  limits: ContextWriteLimits,
): SessionRecord {
  const batches = removeCovered(record?.batches ?? [], coverage);
  return {
    key: record?.key ?? key,
    batches: applyWriteLimits(batches, { keepReceivedFrom: limits.keepReceivedFrom, maxActions: null }),
    summary,
    lastSeenAt: Math.max(record?.lastSeenAt ?? 0, summary.receivedAt),
  };
}

/** The batches without the covered actions; batches left empty are dropped. */
export function removeCovered(batches: StoredBatch[], coverage: SummaryCoverage): StoredBatch[] {
  if (coverage.kind === 'oldest') {
    let toDrop = coverage.count;
    const kept: StoredBatch[] = [];
    for (const batch of batches) {
      if (toDrop <= 0) {
        kept.push(batch);
        continue;
      }
      const actions = batch.payload.actions;
      if (actions.length <= toDrop) {
        toDrop -= actions.length;
        continue;
      }
      kept.push(withActions(batch, actions.slice(toDrop)));
      toDrop = 0;
    }
    return kept;
  }
  if (coverage.fingerprints.length === 0) return batches;
  const covered = new Set(coverage.fingerprints);
  const kept: StoredBatch[] = [];
  for (const batch of batches) {
    const actions = batch.payload.actions;
    const remaining = actions.filter((action) => !covered.has(actionFingerprint(action)));
    if (remaining.length === actions.length) kept.push(batch);
    else if (remaining.length > 0) kept.push(withActions(batch, remaining));
  }
  return kept;
}

function withActions(batch: StoredBatch, actions: ActionsPayload['actions']): StoredBatch {
  return { payload: { ...batch.payload, actions, count: actions.length }, receivedAt: batch.receivedAt };
}
