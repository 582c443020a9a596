/**
 * The behaviour every {@link EventLog} shares, as one table of tests run against each implementation (the memory
 * ring buffer and the Redis Streams log), so both answer replays, gaps and forgetting the same way.
 */
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import type { ActionsPayload, SummaryPayload } from '@sightline/protocol';
import { FakeClock } from '@sightline/protocol/testing';
import type { EventLog } from '../event-log.ts';

/** Retention and time a behaviour test asks of the log it gets. */
export interface LogUnderTestOptions {
  clock: FakeClock;
  maxEntries?: number;
  maxAgeMs?: number;
}

/** Makes the log for one test (closed by the table afterwards), or null when the test was skipped. */
export type EventLogFactory = (t: TestContext, options: LogUnderTestOptions) => Promise<EventLog | null>;

function payload(sessionId: string): ActionsPayload {
  return {
    type: 'actions', product_id: 'acme', session_id: sessionId, user_id: null, email: null, actions: [], count: 0,
    forwarded_at: 1, conversation_id: null,
  };
}

function userPayload(sessionId: string, userId: string | null, email: string | null = null): ActionsPayload {
  return { ...payload(sessionId), user_id: userId, email };
}

function summaryOf(sessionId: string): SummaryPayload {
  return { type: 'summary', product_id: 'acme', session_id: sessionId, summary: 'Opened billing.', replaces: 1, forwarded_at: 1 };
}

async function ids(log: EventLog, productId: string, after: string): Promise<[unknown, string[]]> {
  const { gap, entries } = await log.readAfter(productId, after);
  return [gap, entries.map((entry) => entry.id)];
}

/** Payloads a product's log still holds. */
async function retained(log: EventLog, productId: string): Promise<number> {
  return (await log.readAfter(productId, `${await log.epochOf(productId)}-0`)).entries.length;
}

/** Registers the shared behaviour tests, named `<name>: …`. */
export function describeEventLog(name: string, makeLog: EventLogFactory): void {
  const behaviour = (title: string, body: (log: EventLog, clock: FakeClock) => Promise<void>, options: Omit<LogUnderTestOptions, 'clock'> = {}) => {
    test(`${name}: ${title}`, async (t) => {
      const clock = new FakeClock({ now: 1_700_000_000_000 });
      const log = await makeLog(t, { clock, ...options });
      if (!log) return;
      try {
        await body(log, clock);
      } finally {
        await log.close();
      }
    });
  };

  behaviour('ids are <epoch>-<seq> with a sequence per product starting at 1', async (log) => {
    const epoch = await log.epochOf('acme');
    assert.equal((await log.append('acme', payload('a'))).id, `${epoch}-1`);
    assert.equal((await log.append('acme', payload('b'))).id, `${epoch}-2`);
    assert.equal((await log.append('other', payload('c'))).id, `${await log.epochOf('other')}-1`);
  });

  behaviour('the epoch is the clock time in whole seconds', async (log) => {
    assert.equal(await log.epochOf('acme'), 1_700_000_000);
  });

  behaviour('readAfter replays only what follows the id, without a gap', async (log) => {
    for (const session of ['a', 'b', 'c']) await log.append('acme', payload(session));
    const epoch = await log.epochOf('acme');
    const result = await log.readAfter('acme', `${epoch}-1`);
    assert.equal(result.gap, null);
    assert.deepEqual(result.entries.map((entry) => entry.id), [`${epoch}-2`, `${epoch}-3`]);
    assert.deepEqual(result.entries.map((entry) => entry.payload.session_id), ['b', 'c']);
    assert.deepEqual(await log.readAfter('acme', `${epoch}-3`), { gap: null, entries: [] });
  });

  behaviour('count retention turns an old id into an expired gap that resumes at the oldest kept', async (log) => {
    for (const session of ['a', 'b', 'c', 'd']) await log.append('acme', payload(session));
    const epoch = await log.epochOf('acme');
    const result = await log.readAfter('acme', `${epoch}-1`);
    assert.deepEqual(result.gap, { reason: 'expired', resumedFrom: `${epoch}-3` });
    assert.deepEqual(result.entries.map((entry) => entry.id), [`${epoch}-3`, `${epoch}-4`]);
    // The entry just before the oldest retained one is still a clean resume.
    assert.equal((await log.readAfter('acme', `${epoch}-2`)).gap, null);
  }, { maxEntries: 2 });

  behaviour('age retention drops old payloads and reports expired with nothing to resume from', async (log, clock) => {
    await log.append('acme', payload('a'));
    await log.append('acme', payload('b'));
    await clock.advance(1001);
    const epoch = await log.epochOf('acme');
    assert.deepEqual(await log.readAfter('acme', `${epoch}-1`), { gap: { reason: 'expired', resumedFrom: null }, entries: [] });
    // The latest id handed out is still a clean resume point.
    assert.equal((await log.readAfter('acme', `${epoch}-2`)).gap, null);
  }, { maxAgeMs: 1000 });

  behaviour('an id of another epoch gives epoch_mismatch and replays everything held', async (log) => {
    await log.append('acme', payload('a'));
    const epoch = await log.epochOf('acme');
    const result = await log.readAfter('acme', `${epoch - 1}-40`);
    assert.deepEqual(result.gap, { reason: 'epoch_mismatch', resumedFrom: `${epoch}-1` });
    assert.equal(result.entries.length, 1);
  });

  behaviour('an id not handed out yet or malformed gives unknown_id', async (log) => {
    await log.append('acme', payload('a'));
    const epoch = await log.epochOf('acme');
    assert.deepEqual(await log.readAfter('acme', `${epoch}-7`), { gap: { reason: 'unknown_id', resumedFrom: null }, entries: [] });
    const malformed = await log.readAfter('acme', 'not-an-id');
    assert.equal(malformed.gap?.reason, 'unknown_id');
    assert.equal(malformed.entries.length, 1);
    assert.equal((await log.readAfter('nobody', `${await log.epochOf('nobody')}-0`)).gap, null);
  });

  behaviour('drop forgets payloads but never reuses a sequence number', async (log) => {
    await log.append('acme', payload('a'));
    const epoch = await log.epochOf('acme');
    await log.drop('acme');
    assert.equal(await retained(log, 'acme'), 0);
    assert.deepEqual((await log.readAfter('acme', `${epoch}-0`)).gap, { reason: 'expired', resumedFrom: null });
    assert.equal((await log.append('acme', payload('b'))).id, `${epoch}-2`);
  });

  behaviour('forgetUser removes the user\'s actions and the summaries of their sessions, and nothing else', async (log) => {
    await log.append('acme', userPayload('s1', 'ann'));
    await log.append('acme', summaryOf('s1'));
    await log.append('acme', userPayload('s2', 'bob'));
    await log.append('acme', summaryOf('s2'));
    await log.append('acme', userPayload('s3', 'ann'));
    await log.append('other', userPayload('s9', 'ann'));
    assert.deepEqual(await log.forgetUser('acme', { userId: 'ann' }), { payloads: 3, sessions: 2 });
    const epoch = await log.epochOf('acme');
    assert.deepEqual(await ids(log, 'acme', `${epoch}-0`), [null, [`${epoch}-3`, `${epoch}-4`]]);
    // Another product's log is its own.
    assert.equal(await retained(log, 'other'), 1);
  });

  behaviour('forgetUser matches an action\'s user id, and the email only when given, case-insensitively', async (log) => {
    const mixed = userPayload('s1', null);
    mixed.actions = [{ user_id: 'ann' } as ActionsPayload['actions'][number]];
    mixed.count = 1;
    await log.append('acme', mixed);
    await log.append('acme', userPayload('s2', 'anon-1', 'Ann@Example.com'));
    assert.deepEqual(await log.forgetUser('acme', { userId: 'ann' }), { payloads: 1, sessions: 1 });
    assert.equal(await retained(log, 'acme'), 1);
    assert.deepEqual(await log.forgetUser('acme', { userId: 'ann', email: ' ann@example.COM ' }), { payloads: 1, sessions: 1 });
    assert.equal(await retained(log, 'acme'), 0);
  });

  behaviour('a client resuming after forgetUser gets what remains in order, with no gap and no reused id', async (log) => {
    for (const [session, user] of [['s1', 'ann'], ['s2', 'bob'], ['s3', 'ann'], ['s4', 'bob']] as const) {
      await log.append('acme', userPayload(session, user));
    }
    await log.forgetUser('acme', { userId: 'ann' });
    const epoch = await log.epochOf('acme');
    // Resuming before, between and on removed ids all work; the oldest id was removed, yet <epoch>-0 is no gap.
    assert.deepEqual(await ids(log, 'acme', `${epoch}-0`), [null, [`${epoch}-2`, `${epoch}-4`]]);
    assert.deepEqual(await ids(log, 'acme', `${epoch}-1`), [null, [`${epoch}-2`, `${epoch}-4`]]);
    assert.deepEqual(await ids(log, 'acme', `${epoch}-3`), [null, [`${epoch}-4`]]);
    assert.equal((await log.append('acme', userPayload('s5', 'bob'))).id, `${epoch}-5`);
  });

  behaviour('count retention still reports a gap after forgetUser shrank the log', async (log) => {
    await log.append('acme', userPayload('s1', 'bob'));
    await log.append('acme', userPayload('s2', 'ann'));
    await log.forgetUser('acme', { userId: 'ann' });
    await log.append('acme', userPayload('s3', 'bob'));
    await log.append('acme', userPayload('s4', 'bob'));
    const epoch = await log.epochOf('acme');
    // <epoch>-1 was pushed out by retention: a client that saw nothing missed it.
    assert.deepEqual((await log.readAfter('acme', `${epoch}-0`)).gap, { reason: 'expired', resumedFrom: `${epoch}-3` });
    assert.equal((await log.readAfter('acme', `${epoch}-1`)).gap, null);
  }, { maxEntries: 2 });

  behaviour('forgetUser on an unknown product or user removes nothing', async (log) => {
    await log.append('acme', userPayload('s1', 'bob'));
    assert.deepEqual(await log.forgetUser('nope', { userId: 'ann' }), { payloads: 0, sessions: 0 });
    assert.deepEqual(await log.forgetUser('acme', { userId: 'ann' }), { payloads: 0, sessions: 0 });
    assert.equal(await retained(log, 'acme'), 1);
  });
}
