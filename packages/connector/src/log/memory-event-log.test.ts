import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ActionsPayload } from '@sightline/protocol';
import { ManualClock } from '../testing/manual-clock.ts';
import { MemoryEventLog } from './memory-event-log.ts';

function payload(sessionId: string): ActionsPayload {
  return {
    type: 'actions', product_id: 'acme', session_id: sessionId, user_id: null, email: null, actions: [], count: 0,
    forwarded_at: 1, conversation_id: null,
  };
}

test('ids are <epoch>-<seq> with a sequence per product starting at 1', async () => {
  const log = new MemoryEventLog({ epoch: 1700 });
  assert.equal((await log.append('acme', payload('a'))).id, '1700-1');
  assert.equal((await log.append('acme', payload('b'))).id, '1700-2');
  assert.equal((await log.append('other', payload('c'))).id, '1700-1');
});

test('epoch defaults to the clock time in whole seconds', () => {
  const log = new MemoryEventLog({ clock: new ManualClock(1_732_230_000_999) });
  assert.equal(log.epoch, 1_732_230_000);
});

test('readAfter replays only what follows the id, without a gap', async () => {
  const log = new MemoryEventLog({ epoch: 5 });
  for (const session of ['a', 'b', 'c']) await log.append('acme', payload(session));
  const result = await log.readAfter('acme', '5-1');
  assert.equal(result.gap, null);
  assert.deepEqual(result.entries.map((entry) => entry.id), ['5-2', '5-3']);
  assert.deepEqual(await log.readAfter('acme', '5-3'), { gap: null, entries: [] });
});

test('count retention turns an old id into an expired gap that resumes at the oldest kept', async () => {
  const log = new MemoryEventLog({ epoch: 5, maxEntries: 2 });
  for (const session of ['a', 'b', 'c', 'd']) await log.append('acme', payload(session));
  const result = await log.readAfter('acme', '5-1');
  assert.deepEqual(result.gap, { reason: 'expired', resumedFrom: '5-3' });
  assert.deepEqual(result.entries.map((entry) => entry.id), ['5-3', '5-4']);
  // The entry just before the oldest retained one is still a clean resume.
  assert.equal((await log.readAfter('acme', '5-2')).gap, null);
});

test('age retention drops old payloads and reports expired with nothing to resume from', async () => {
  const clock = new ManualClock();
  const log = new MemoryEventLog({ epoch: 5, maxAgeMs: 1000, clock });
  await log.append('acme', payload('a'));
  await log.append('acme', payload('b'));
  clock.advance(1001);
  assert.equal(log.size('acme'), 2);
  const result = await log.readAfter('acme', '5-1');
  assert.deepEqual(result, { gap: { reason: 'expired', resumedFrom: null }, entries: [] });
  assert.equal(log.size('acme'), 0);
  // The latest id handed out is still a clean resume point.
  assert.equal((await log.readAfter('acme', '5-2')).gap, null);
});

test('an id of another epoch gives epoch_mismatch and replays everything held', async () => {
  const log = new MemoryEventLog({ epoch: 9 });
  await log.append('acme', payload('a'));
  const result = await log.readAfter('acme', '8-40');
  assert.deepEqual(result.gap, { reason: 'epoch_mismatch', resumedFrom: '9-1' });
  assert.equal(result.entries.length, 1);
});

test('an id not handed out yet or malformed gives unknown_id', async () => {
  const log = new MemoryEventLog({ epoch: 9 });
  await log.append('acme', payload('a'));
  assert.deepEqual(await log.readAfter('acme', '9-7'), { gap: { reason: 'unknown_id', resumedFrom: null }, entries: [] });
  const malformed = await log.readAfter('acme', 'not-an-id');
  assert.equal(malformed.gap?.reason, 'unknown_id');
  assert.equal(malformed.entries.length, 1);
  assert.equal((await log.readAfter('nobody', '9-0')).gap, null);
});

test('drop forgets payloads but never reuses a sequence number', async () => {
  const log = new MemoryEventLog({ epoch: 3 });
  await log.append('acme', payload('a'));
  await log.drop('acme');
  assert.equal(log.size('acme'), 0);
  assert.equal((await log.append('acme', payload('b'))).id, '3-2');
});

test('invalid retention options are rejected with a code', () => {
  assert.throws(() => new MemoryEventLog({ maxEntries: 0 }), { code: 'SL_CONFIG_INVALID' });
  assert.throws(() => new MemoryEventLog({ maxAgeMs: -1 }), { code: 'SL_CONFIG_INVALID' });
});
