import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ActionsPayload } from '@sightline/protocol';
import { FakeClock } from '@sightline/protocol/testing';
import { describeEventLog } from './__fixtures__/event-log-behaviour.ts';
import { MemoryEventLog } from './memory-event-log.ts';

describeEventLog('memory log', async (_t, options) => new MemoryEventLog(options));

function payload(sessionId: string): ActionsPayload {
  return {
    type: 'actions', product_id: 'acme', session_id: sessionId, user_id: null, email: null, actions: [], count: 0,
    forwarded_at: 1, conversation_id: null,
  };
}

test('one epoch for every product: the given one, else the clock time in whole seconds', async () => {
  const log = new MemoryEventLog({ epoch: 1700 });
  assert.equal((await log.append('acme', payload('a'))).id, '1700-1');
  assert.equal(await log.epochOf('other'), 1700);
  assert.equal(new MemoryEventLog({ clock: new FakeClock({ now: 1_732_230_000_999 }) }).epoch, 1_732_230_000);
});

test('age retention happens lazily, on the next append or read', async () => {
  const clock = new FakeClock({ now: 1_732_230_000_000 });
  const log = new MemoryEventLog({ epoch: 5, maxAgeMs: 1000, clock });
  await log.append('acme', payload('a'));
  await clock.advance(1001);
  assert.equal(log.size('acme'), 1);
  await log.readAfter('acme', '5-1');
  assert.equal(log.size('acme'), 0);
});

test('invalid retention options are rejected with a code', () => {
  assert.throws(() => new MemoryEventLog({ maxEntries: 0 }), { code: 'SL_CONFIG_INVALID' });
  assert.throws(() => new MemoryEventLog({ maxAgeMs: -1 }), { code: 'SL_CONFIG_INVALID' });
});
