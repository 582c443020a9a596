import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ActionsPayload } from '@sightline/protocol';
import type { CapturedEvent } from '../ingest/captured-event.ts';
import { FakeClock } from '@sightline/protocol/testing';
import { Sessionizer } from './sessionizer.ts';

const START = Date.parse('2026-11-21T22:33:40.000Z');

function setup() {
  const clock = new FakeClock({ now: START });
  const batches: ActionsPayload[] = [];
  const sessionizer = new Sessionizer({ clock, onBatch: (payload) => batches.push(payload) });
  return { clock, batches, sessionizer };
}

function click(sessionId: string | null, distinctId: string, timestamp: number, extra: Partial<CapturedEvent> = {}): CapturedEvent {
  return {
    event: '$autocapture',
    distinctId,
    sessionId,
    timestamp,
    uuid: null,
    token: null,
    properties: { $event_type: 'click', $current_url: 'https://app.example.com/team', $elements_chain: `button:text="Button ${timestamp}"` },
    ...extra,
  };
}

describe('Sessionizer.forgetUser', () => {
  it('drops the pending batch of the user\'s sessions and sends the others\'', async () => {
    const { clock, batches, sessionizer } = setup();
    sessionizer.add('acme', [click('s1', 'ann', START), click('s1', 'ann', START + 1), click('s2', 'bob', START)]);
    sessionizer.add('acme', [click(null, 'ann', START + 2)]);
    assert.deepEqual(sessionizer.forgetUser('acme', { userId: 'ann' }), { sessions: 2, pendingSessions: 2, pendingActions: 3 });
    assert.equal(sessionizer.pendingActions, 1);
    assert.equal(sessionizer.trackedSessions, 1);
    await clock.advance(1000);
    assert.deepEqual(batches.map((payload) => payload.user_id), ['bob']);
  });

  it('matches the identified id and, when given, the email; a forgotten session restarts at index 0', async () => {
    const { clock, batches, sessionizer } = setup();
    sessionizer.add('acme', [click('s1', 'anon-1', START, { identifiedId: 'ann' }), click('s2', 'anon-2', START, { personEmail: 'Bob@Example.com' })]);
    await clock.advance(1000);
    assert.equal(batches.length, 2);
    // Nothing pending any more: only the memory goes.
    assert.deepEqual(sessionizer.forgetUser('acme', { userId: 'ann' }), { sessions: 1, pendingSessions: 0, pendingActions: 0 });
    assert.deepEqual(sessionizer.forgetUser('acme', { userId: 'nobody', email: 'bob@example.com ' }), { sessions: 1, pendingSessions: 0, pendingActions: 0 });
    assert.equal(sessionizer.trackedSessions, 0);
    sessionizer.add('acme', [click('s1', 'anon-1', START + 5)]);
    await clock.advance(1000);
    assert.equal(batches.at(-1)!.actions[0]!.index, 0);
  });

  it('leaves other products and unknown users alone', () => {
    const { sessionizer } = setup();
    sessionizer.add('acme', [click('s1', 'ann', START)]);
    sessionizer.add('other', [click('s1', 'ann', START)]);
    assert.deepEqual(sessionizer.forgetUser('acme', { userId: 'zoe' }), { sessions: 0, pendingSessions: 0, pendingActions: 0 });
    assert.deepEqual(sessionizer.forgetUser('nope', { userId: 'ann' }), { sessions: 0, pendingSessions: 0, pendingActions: 0 });
    sessionizer.forgetUser('acme', { userId: 'ann' });
    assert.equal(sessionizer.pendingActions, 1);
  });
});
