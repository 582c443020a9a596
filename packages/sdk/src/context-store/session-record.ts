/**
 * The pure record operations every {@link ContextBackend} applies, so the memory backend and any
 * shared-storage backend trim, cover and expire in exactly the same way.
 */
import type { ActionsPayload, SlimAction } from '@sightline/protocol';
import { foldSummary } from '../summarizer/fold-summary.ts';
import {
  actionFingerprint,
  type ContextWriteLimits,
  type SessionRecord,
  type StoredBatch,
  type SummaryCoverage,
  type SummaryUpdate,
} from './backend.ts';
import { trimToRecentActions } from './trim-actions.ts';

/** Drops batches received before `keepReceivedFrom`, then keeps the most recent `maxActions` actions. */
export function applyWriteLimits(batches: StoredBatch[], limits: Pick<ContextWriteLimits, 'keepReceivedFrom' | 'maxActions'>): StoredBatch[] {
  let kept = batches;
  const from = limits.keepReceivedFrom;
  if (from !== null && kept.length > 0 && kept[0]!.receivedAt < from) kept = kept.filter((batch) => batch.receivedAt >= from);
  if (limits.maxActions !== null) kept = trimBatches(kept, limits.maxActions);
  return kept;
}

/** {@link trimToRecentActions} over stored batches, keeping each batch's receipt time and what of it is covered. */
export function trimBatches(batches: StoredBatch[], maxActions: number): StoredBatch[] {
  const payloads = batches.map((batch) => batch.payload);
  const trimmed = trimToRecentActions(payloads, maxActions);
  if (trimmed === payloads) return batches;
  const offset = batches.length - trimmed.length;
  return trimmed.map((payload, position) => {
    const original = batches[offset + position]!;
    if (payload === original.payload) return original;
    const covered = Math.max(0, (original.covered ?? 0) - (original.payload.actions.length - payload.actions.length));
    return covered > 0 ? { payload, receivedAt: original.receivedAt, covered } : { payload, receivedAt: original.receivedAt };
  });
}

/**
 * Whether a payload with stream id `eventId` was already applied to a session whose latest applied id is
 * `lastEventId`: ids are `<epoch>-<seq>` with the sequence growing per product, so within one epoch any id at or
 * before the last one is a replay (a restarted bridge resuming, or a second bridge on the same stream). An id of
 * another epoch is new (the connector's log started again). Without both ids nothing counts as a replay; ids of
 * another form are replays only when equal.
 *
 * @example isReplayedEvent('17-40', '17-39') // true
 */
export function isReplayedEvent(lastEventId: string | null | undefined, eventId: string | null | undefined): boolean {
  if (!lastEventId || !eventId) return false;
  if (lastEventId === eventId) return true;
  const last = splitEventId(lastEventId);
  const next = splitEventId(eventId);
  return last !== null && next !== null && last.epoch === next.epoch && next.seq <= last.seq;
}

function splitEventId(id: string): { epoch: string; seq: number } | null {
  const at = id.lastIndexOf('-');
  if (at <= 0) return null;
  const seq = Number(id.slice(at + 1));
  return Number.isSafeInteger(seq) && seq >= 0 ? { epoch: id.slice(0, at), seq } : null;
}

/** Appends a batch to a record (a new one when `record` is undefined) and applies the limits; `eventId` becomes its `lastEventId`. */
export function appendToRecord(
  record: SessionRecord | undefined,
  key: SessionRecord['key'],
  batch: StoredBatch,
  limits: ContextWriteLimits,
  eventId?: string | null,
): SessionRecord {
  const batches = record ? [...record.batches, batch] : [batch];
  const next: SessionRecord = {
    key: record?.key ?? key,
    batches: applyWriteLimits(batches, limits),
    summary: record?.summary ?? null,
    lastSeenAt: batch.receivedAt,
  };
  const lastEventId = eventId || record?.lastEventId;
  if (lastEventId) next.lastEventId = lastEventId;
  return next;
}

/**
 * Joins a summary to a record's story and marks the actions it covers (docs/rolling-summaries.md): the story becomes the
 * summary's text (`merge: 'replace'`, the default) or the story folded with it (`'fold'`, bounded by
 * `foldSummary`); `replaces` adds up; `eventId` becomes its `lastEventId`. Covered actions stay stored, for the since-block and the
 * session's recent steps, until the write limits trim them.
 */
export function applySummaryToRecord(
  record: SessionRecord | undefined,
  key: SessionRecord['key'],
  summary: SummaryUpdate,
  coverage: SummaryCoverage,
  limits: ContextWriteLimits,
  eventId?: string | null,
): SessionRecord {
  const previous = record?.summary ?? null;
  const text = summary.merge === 'fold' ? foldSummary(previous?.text, summary.text) : summary.text;
  const next: SessionRecord = {
    key: record?.key ?? key,
    batches: applyWriteLimits(markCovered(record?.batches ?? [], coverage), limits),
    summary: { text, replaces: (previous?.replaces ?? 0) + summary.replaces, receivedAt: summary.receivedAt },
    lastSeenAt: Math.max(record?.lastSeenAt ?? 0, summary.receivedAt),
  };
  const lastEventId = eventId || record?.lastEventId;
  if (lastEventId) next.lastEventId = lastEventId;
  return next;
}

/**
 * The batches with the actions a summary covers marked as covered. A batch's covered actions are a
 * prefix (`StoredBatch.covered`): summaries are made in arrival order, so a covered action never
 * follows an uncovered one within a batch; one matched out of order is left uncovered (shown twice
 * rather than lost).
 */
export function markCovered(batches: StoredBatch[], coverage: SummaryCoverage): StoredBatch[] {
  if (coverage.kind === 'oldest') {
    let toCover = coverage.count;
    if (toCover <= 0) return batches;
    return batches.map((batch) => {
      const covered = batch.covered ?? 0;
      const uncovered = batch.payload.actions.length - covered;
      if (toCover <= 0 || uncovered <= 0) return batch;
      const taken = Math.min(uncovered, toCover);
      toCover -= taken;
      return { ...batch, covered: covered + taken };
    });
  }
  if (coverage.fingerprints.length === 0) return batches;
  const fingerprints = new Set(coverage.fingerprints);
  return batches.map((batch) => {
    const actions = batch.payload.actions;
    let covered = batch.covered ?? 0;
    while (covered < actions.length && fingerprints.has(actionFingerprint(actions[covered]!))) covered++;
    return covered === (batch.covered ?? 0) ? batch : { ...batch, covered };
  });
}

/** The batches without their covered actions; batches left empty are dropped. */
export function uncoveredBatches(batches: StoredBatch[]): StoredBatch[] {
  const kept: StoredBatch[] = [];
  for (const batch of batches) {
    const covered = batch.covered ?? 0;
    if (covered <= 0) kept.push(batch);
    else if (covered < batch.payload.actions.length) kept.push(withActions(batch, batch.payload.actions.slice(covered)));
  }
  return kept;
}

/** The batches without the actions `coverage` covers (or that were already covered); batches left empty are dropped. */
export function removeCovered(batches: StoredBatch[], coverage: SummaryCoverage): StoredBatch[] {
  return uncoveredBatches(markCovered(batches, coverage));
}

function withActions(batch: StoredBatch, actions: SlimAction[]): StoredBatch {
  const payload: ActionsPayload = { ...batch.payload, actions, count: actions.length };
  return { payload, receivedAt: batch.receivedAt };
}
