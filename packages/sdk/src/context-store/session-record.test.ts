import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createActionsPayload } from '@sightline/protocol';
import { actionFingerprint, type StoredBatch } from './backend.ts';
import { applySummaryToRecord, markCovered, removeCovered, trimBatches, uncoveredBatches } from './session-record.ts';

const key = { productId: 'acme', sessionId: 's1' };
const limits = { keepReceivedFrom: null, maxActions: null, maxSessions: null };

function stored(indexes: number[], receivedAt = 0): StoredBatch {
  const payload = createActionsPayload({
    product_id: 'acme',
    session_id: 's1',
    forwarded_at: 1,
    actions: indexes.map((index) => ({ index, type: 'click', description: `Did ${index}`, canonical_url: `/p/${index}`, timestamp_start: index })),
  });
  return { payload, receivedAt };
}

const indexes = (batches: StoredBatch[]) => batches.map((batch) => batch.payload.actions.map((action) => action.index));

test('markCovered by count covers the oldest uncovered actions and keeps every action stored', () => {
  const once = markCovered([stored([0, 1]), stored([2, 3])], { kind: 'oldest', count: 3 });
  assert.deepEqual(once.map((batch) => batch.covered), [2, 1]);
  const twice = markCovered(once, { kind: 'oldest', count: 1 });
  assert.deepEqual(twice.map((batch) => batch.covered), [2, 2]);
  assert.deepEqual(indexes(twice), [[0, 1], [2, 3]]);
  assert.deepEqual(indexes(uncoveredBatches(once)), [[3]]);
});

test('markCovered by fingerprint extends each batch covered prefix; an out-of-order match stays uncovered', () => {
  const batches = [stored([0, 1, 2]), stored([3])];
  const fingerprints = [0, 2, 3].map((index) => actionFingerprint(batches[index < 3 ? 0 : 1]!.payload.actions[index < 3 ? index : 0]!));
  const marked = markCovered(batches, { kind: 'actions', fingerprints });
  assert.deepEqual(marked.map((batch) => batch.covered ?? 0), [1, 1]);
  assert.deepEqual(indexes(removeCovered(batches, { kind: 'actions', fingerprints })), [[1, 2]]);
});

test('trimBatches keeps what of a split batch is covered', () => {
  const trimmed = trimBatches([{ ...stored([0, 1, 2]), covered: 2 }, stored([3])], 3);
  assert.deepEqual(indexes(trimmed), [[1, 2], [3]]);
  assert.equal(trimmed[0]!.covered, 1);
  assert.equal(trimBatches([{ ...stored([0, 1, 2]), covered: 1 }], 1)[0]!.covered, undefined);
});

test('applySummaryToRecord replaces or folds the story, adds up replaces, and keeps the covered actions', () => {
  const first = applySummaryToRecord(undefined, key, { text: 'Visited Team.', replaces: 2, receivedAt: 5 }, { kind: 'oldest', count: 0 }, limits);
  assert.deepEqual(first.summary, { text: 'Visited Team.', replaces: 2, receivedAt: 5 });
  const withActions = { ...first, batches: [stored([0, 1])] };
  const folded = applySummaryToRecord(withActions, key, { text: 'Opened Billing.', replaces: 1, receivedAt: 6, merge: 'fold' }, { kind: 'oldest', count: 1 }, limits);
  assert.deepEqual(folded.summary, { text: 'Visited Team. Opened Billing.', replaces: 3, receivedAt: 6 });
  assert.deepEqual(indexes(folded.batches), [[0, 1]]);
  assert.equal(folded.batches[0]!.covered, 1);
  const replaced = applySummaryToRecord(folded, key, { text: 'All of it.', replaces: 1, receivedAt: 7, merge: 'replace' }, { kind: 'oldest', count: 1 }, limits);
  assert.equal(replaced.summary!.text, 'All of it.');
  assert.equal(replaced.batches[0]!.covered, 2);
});
