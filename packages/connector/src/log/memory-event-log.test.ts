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

function userPayload(sessionId: string, userId: string | null, email: string | null = null): ActionsPayload {
  return { ...payload(sessionId), user_id: userId, email };
}

function summaryOf(sessionId: string) {
  return { type: 'summary' as const, product_id: 'acme', session_id: sessionId, summary: 'Opened billing.', replaces: 1, forwarded_at: 1 };
}

test('forgetUser removes the user\'s actions and the summaries of their sessions, and nothing else', async () => {
  const log = new MemoryEventLog({ epoch: 7 });
  await log.append('acme', userPayload('s1', 'ann'));
  await log.append('acme', summaryOf('s1'));
  await log.append('acme', userPayload('s2', 'bob'));
  await log.append('acme', summaryOf('s2'));
  await log.append('acme', userPayload('s3', 'ann'));
  await log.append('other', userPayload('s9', 'ann'));
  assert.deepEqual(await log.forgetUser('acme', { userId: 'ann' }), { payloads: 3, sessions: 2 });
  const { gap, entries } = await log.readAfter('acme', '7-0');
  assert.equal(gap, null);
  assert.deepEqual(entries.map((entry) => entry.id), ['7-3', '7-4']);
  // Another product's log is its own.
  assert.equal(log.size('other'), 1);
});

test('forgetUser matches an action\'s user id, and the email only when given, case-insensitively', async () => {
  const log = new MemoryEventLog({ epoch: 7 });
  const mixed = userPayload('s1', null);
  mixed.actions = [{ user_id: 'ann' } as ActionsPayload['actions'][number]];
  await log.append('acme', mixed);
  await log.append('acme', userPayload('s2', 'anon-1', 'Ann@Example.com'));
  assert.deepEqual(await log.forgetUser('acme', { userId: 'ann' }), { payloads: 1, sessions: 1 });
  assert.equal(log.size('acme'), 1);
  assert.deepEqual(await log.forgetUser('acme', { userId: 'ann', email: ' ann@example.COM ' }), { payloads: 1, sessions: 1 });
  assert.equal(log.size('acme'), 0);
});

test('a client resuming after forgetUser gets what remains in order, with no gap and no reused id', async () => {
  const log = new MemoryEventLog({ epoch: 7 });
  for (const [session, user] of [['s1', 'ann'], ['s2', 'bob'], ['s3', 'ann'], ['s4', 'bob']] as const) {
    await log.append('acme', userPayload(session, user));
  }
  await log.forgetUser('acme', { userId: 'ann' });
  // Resuming before, between and on removed ids all work; the oldest id was removed, yet 7-0 is no gap.
  assert.deepEqual(await log.readAfter('acme', '7-0').then((result) => [result.gap, result.entries.map((entry) => entry.id)]), [null, ['7-2', '7-4']]);
  assert.deepEqual(await log.readAfter('acme', '7-1').then((result) => [result.gap, result.entries.map((entry) => entry.id)]), [null, ['7-2', '7-4']]);
  assert.deepEqual(await log.readAfter('acme', '7-3').then((result) => [result.gap, result.entries.map((entry) => entry.id)]), [null, ['7-4']]);
  assert.equal((await log.append('acme', userPayload('s5', 'bob'))).id, '7-5');
});

test('count retention still reports a gap after forgetUser shrank the ring', async () => {
  const log = new MemoryEventLog({ epoch: 7, maxEntries: 2 });
  await log.append('acme', userPayload('s1', 'bob'));
  await log.append('acme', userPayload('s2', 'ann'));
  await log.forgetUser('acme', { userId: 'ann' });
  await log.append('acme', userPayload('s3', 'bob'));
  await log.append('acme', userPayload('s4', 'bob'));
  // 7-1 was pushed out by retention: a client that saw nothing missed it.
  assert.deepEqual((await log.readAfter('acme', '7-0')).gap, { reason: 'expired', resumedFrom: '7-3' });
  assert.equal((await log.readAfter('acme', '7-1')).gap, null);
});

test('forgetUser on an unknown product or user removes nothing', async () => {
  const log = new MemoryEventLog({ epoch: 7 });
  await log.append('acme', userPayload('s1', 'bob'));
  assert.deepEqual(await log.forgetUser('nope', { userId: 'ann' }), { payloads: 0, sessions: 0 });
  assert.deepEqual(await log.forgetUser('acme', { userId: 'ann' }), { payloads: 0, sessions: 0 });
  assert.equal(log.size('acme'), 1);
});
