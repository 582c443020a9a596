import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SessionState, SessionStateName } from '../session-state/session-state.ts';
import { FakeClock } from '@sightline/protocol/testing';
import { decideProactive, type ProactiveGateInput } from './proactive-gate.ts';

function setup() {
  const clock = new FakeClock();
  const session = new SessionState({ clock, interactionTimeoutS: 60, cooldownPeriodS: 120 });
  const input = (overrides: Partial<ProactiveGateInput> = {}): ProactiveGateInput => ({
    now: clock.now(),
    session,
    isVerified: true,
    hasOpenWidget: true,
    triggerFiredAt: null,
    triggerCooldownS: 600,
    dismissedUntil: null,
    firedInWindow: 0,
    cap: 3,
    ...overrides,
  });
  return { clock, session, input };
}

describe('decideProactive', () => {
  it('fires from THINKING with nothing in the way', () => {
    const { input } = setup();
    assert.equal(decideProactive(input()), 'fired');
  });

  it('unverified identity never gets an offer, whatever else holds', () => {
    const { input } = setup();
    assert.equal(decideProactive(input({ isVerified: false })), 'unverified');
  });

  it('a user who is chatting is never interrupted, until the chat goes idle and the cooldown ends', async () => {
    const { clock, session, input } = setup();
    session.transitionToReactive();
    assert.equal(decideProactive(input()), 'user_chatting');
    await clock.advance(59_000);
    session.tick();
    assert.equal(decideProactive(input({ now: clock.now() })), 'user_chatting', 'still inside the interaction timeout');
    await clock.advance(1_000);
    session.tick();
    assert.equal(session.state, SessionStateName.THINKING);
    assert.equal(decideProactive(input({ now: clock.now() })), 'cooldown', 'SESSION_COOLDOWN_S runs after the chat');
    await clock.advance(120_000);
    assert.equal(decideProactive(input({ now: clock.now() })), 'fired');
  });

  it('an open offer (PROACTIVE) blocks another; so does the trigger’s own cooldown', async () => {
    const { session, input } = setup();
    assert.ok(session.transitionToProactive('canonical_url_ping_pong'));
    assert.equal(decideProactive(input()), 'cooldown');
    const fresh = setup();
    const firedAt = fresh.clock.now();
    await fresh.clock.advance(599_000);
    assert.equal(decideProactive(fresh.input({ now: fresh.clock.now(), triggerFiredAt: firedAt })), 'cooldown');
    await fresh.clock.advance(1_000);
    assert.equal(decideProactive(fresh.input({ now: fresh.clock.now(), triggerFiredAt: firedAt })), 'fired');
  });

  it('"Not now" backs off until its time; the cap counts offers across tabs and sessions', async () => {
    const { clock, input } = setup();
    assert.equal(decideProactive(input({ dismissedUntil: clock.now() + 1000 })), 'dismissed');
    assert.equal(decideProactive(input({ dismissedUntil: clock.now() })), 'fired');
    assert.equal(decideProactive(input({ firedInWindow: 3 })), 'cap');
    assert.equal(decideProactive(input({ firedInWindow: 2 })), 'fired');
  });

  it('nowhere to deliver is no_open_widget, decided last', () => {
    const { input } = setup();
    assert.equal(decideProactive(input({ hasOpenWidget: false })), 'no_open_widget');
    assert.equal(decideProactive(input({ hasOpenWidget: false, firedInWindow: 3 })), 'cap');
  });
});
