import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SessionStateName } from '@sightline/sdk';
import { FakeClock } from '@sightline/sdk/testing';
import { SessionStates } from './session-states.ts';

const key = { productId: 'acme', sessionId: 's1' };

test('a chat marks the session REACTIVE and the pulse returns it to THINKING after the idle timeout', async () => {
  const clock = new FakeClock();
  const states = new SessionStates({ clock, interactionTimeoutS: 60, cooldownPeriodS: 120, pulseMs: 5_000 });
  states.start();
  assert.equal(states.touch(key).state, SessionStateName.THINKING);
  states.markReactive(key);
  assert.equal(states.get(key)?.state, SessionStateName.REACTIVE);
  await clock.advance(55_000);
  states.markReactive(key); // a second message resets the idle timer
  await clock.advance(55_000);
  assert.equal(states.get(key)?.state, SessionStateName.REACTIVE);
  await clock.advance(10_000);
  assert.equal(states.get(key)?.state, SessionStateName.THINKING, 'timed out on a pulse, with no payload');
  assert.equal(states.get(key)?.isCooldownActive, true);
  states.stop();
  assert.equal(clock.pendingTimers, 0);
});

test('a reply to a proactive offer moves PROACTIVE to REACTIVE (D-38)', () => {
  const states = new SessionStates({ clock: new FakeClock() });
  assert.equal(states.touch(key).transitionToProactive('ping-pong'), true);
  states.markReactive(key);
  assert.equal(states.get(key)?.state, SessionStateName.REACTIVE);
});

test('the table is bounded and counts states', () => {
  const states = new SessionStates({ clock: new FakeClock(), maxSessions: 2 });
  states.touch({ productId: 'acme', sessionId: 'a' });
  states.markReactive({ productId: 'acme', sessionId: 'b' });
  states.touch({ productId: 'acme', sessionId: 'c' });
  assert.equal(states.size, 2);
  assert.equal(states.get({ productId: 'acme', sessionId: 'a' }), undefined, 'least recently touched dropped');
  assert.deepEqual(states.counts(), { thinking: 1, proactive_assistance: 0, reactive_assistance: 1 });
});
