/**
 * Receipts: the sessionizer names, with each batch, the requests (receipts) whose last pending actions it carries, so
 * the connector can release their hold on Redis in the same step as the batch's append (docs/scaling.md).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CapturedEvent } from '../ingest/captured-event.ts';
import { FakeClock } from '@sightline/protocol/testing';
import { Sessionizer } from './sessionizer.ts';

function click(sessionId: string, label: string, distinctId = `person-${sessionId}`): CapturedEvent {
  return {
    event: '$autocapture', distinctId, sessionId, timestamp: 1_732_230_000, uuid: null, token: null,
    properties: { $event_type: 'click', $current_url: 'https://cms.example.net/pages', $elements_chain: `button:text="${label}"` },
  };
}

function setup(maxBatchActions = 100) {
  const clock = new FakeClock({ now: 1_732_230_000_000 });
  const batches: Array<{ session: string | null; count: number; receipts: readonly string[] }> = [];
  const sessionizer = new Sessionizer({
    clock, maxBatchActions, batchWindowMs: 250,
    onBatch: (payload, receipts) => batches.push({ session: payload.session_id, count: payload.count, receipts }),
  });
  return { clock, batches, sessionizer };
}

describe('Sessionizer receipts', () => {
  it('names a request with the batch that sends its last action, across sessions', async () => {
    const { clock, batches, sessionizer } = setup();
    const added = sessionizer.add('cms', [click('a', 'Publish'), click('b', 'Preview'), click('a', 'Schedule')], 'r1');
    assert.deepEqual(added, { accepted: 3, dropped: 0, duplicates: 0, isReceiptDone: false });
    sessionizer.add('cms', [click('b', 'Unpublish')], 'r2');
    await clock.advance(250);
    // Session a goes first: r1 still has Preview pending in b, so only b's batch completes it.
    assert.deepEqual(batches, [
      { session: 'a', count: 2, receipts: [] },
      { session: 'b', count: 2, receipts: ['r1', 'r2'] },
    ]);
  });

  it('keeps a request open while the same call still adds to it, when a full batch goes out mid-call', async () => {
    const { clock, batches, sessionizer } = setup(2);
    const added = sessionizer.add('cms', [click('a', 'One'), click('a', 'Two'), click('a', 'Three')], 'r1');
    assert.equal(added.isReceiptDone, false);
    assert.deepEqual(batches, [{ session: 'a', count: 2, receipts: [] }]);
    await clock.advance(250);
    assert.deepEqual(batches[1], { session: 'a', count: 1, receipts: ['r1'] });
  });

  it('says a request is done when none of its events became an action, or all were sent during the call', () => {
    const { sessionizer } = setup(1);
    const leave: CapturedEvent = { ...click('a', 'x'), event: '$pageleave', properties: {} };
    assert.equal(sessionizer.add('cms', [leave], 'r1').isReceiptDone, true);
    assert.equal(sessionizer.add('cms', [click('a', 'Save')], 'r2').isReceiptDone, true);
    // Without a receipt the result says nothing about one.
    assert.equal('isReceiptDone' in sessionizer.add('cms', [click('a', 'Save again')]), false);
  });

  it('hands back the requests whose pending actions a forgotten user took with them', () => {
    const { batches, sessionizer } = setup();
    sessionizer.add('cms', [click('a', 'Delete page', 'editor-7')], 'r1');
    sessionizer.add('cms', [click('a', 'Restore', 'editor-7'), click('b', 'Edit', 'editor-8')], 'r2');
    const forgotten = sessionizer.forgetUser('cms', { userId: 'editor-7' });
    assert.deepEqual(forgotten.completedReceipts, ['r1']);
    sessionizer.flush();
    assert.deepEqual(batches, [{ session: 'b', count: 1, receipts: ['r2'] }]);
  });
});

describe('Sessionizer receipts after close', () => {
  it('leaves a request that arrives after close open, so its hold is taken over instead of released', () => {
    const { sessionizer } = setup();
    sessionizer.close();
    assert.deepEqual(sessionizer.add('cms', [click('a', 'Publish')], 'late'), { accepted: 0, dropped: 1, duplicates: 0, isReceiptDone: false });
  });
});
