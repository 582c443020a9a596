import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { isSightlineError } from '@sightline/protocol';
import { FakeClock } from '@sightline/protocol/testing';
import { SessionState, SessionStateName, type TourTimingsLookup } from './session-state.ts';

const { THINKING, PROACTIVE, REACTIVE } = SessionStateName;
const START = 1_700_000_000_000;

function setup(options: { interactionTimeoutS?: number; cooldownPeriodS?: number } = {}) {
  const clock = new FakeClock({ now: START });
  const state = new SessionState({ interactionTimeoutS: 20, cooldownPeriodS: 60, ...options, clock });
  return { clock, state };
}

function throwsTransition(action: () => unknown) {
  assert.throws(action, (error: unknown) => isSightlineError(error, 'SL_STATE_TRANSITION_INVALID') && error.status === 409);
}

/** Moves a fresh state into THINKING with a running cooldown (via an idle PROACTIVE). */
function withCooldown() {
  const { clock, state } = setup();
  assert.equal(state.transitionToProactive('t'), true);
  clock.set(START + 20_000);
  assert.equal(state.tick(), 'timed-out');
  assert.equal(state.isCooldownActive, true);
  return { clock, state };
}

describe('SessionState transition table', () => {
  test('defaults: THINKING, 20 s timeout, 60 s cooldown, no guidance', () => {
    const clock = new FakeClock({ now: START });
    const state = new SessionState({ clock });
    assert.equal(state.state, THINKING);
    assert.equal(state.interactionTimeoutS, 20);
    assert.equal(state.cooldownPeriodS, 60);
    assert.equal(state.lastInteractionAt, START);
    assert.equal(state.isVisualGuidanceActive, false);
    assert.equal(state.activeTourId, null);
  });

  test('THINKING without cooldown: transitionToProactive → PROACTIVE and true', () => {
    const { clock, state } = setup();
    clock.set(START + 5_000);
    assert.equal(state.transitionToProactive('user_page_dwell'), true);
    assert.equal(state.state, PROACTIVE);
    assert.equal(state.lastInteractionAt, START + 5_000);
    assert.equal(state.proactiveTriggerId, 'user_page_dwell');
  });

  test('THINKING without cooldown: transitionToReactive → REACTIVE', () => {
    const { clock, state } = setup();
    clock.set(START + 1_000);
    state.transitionToReactive();
    assert.equal(state.state, REACTIVE);
    assert.equal(state.lastInteractionAt, START + 1_000);
  });

  test('THINKING without cooldown: tick changes nothing', () => {
    const { clock, state } = setup();
    clock.set(START + 3_600_000);
    assert.equal(state.tick(), 'none');
    assert.equal(state.state, THINKING);
  });

  // docs/decisions/D-40-docs-follow-code.md
  test('THINKING: setVisualGuidance is an invalid transition, with or without cooldown', () => {
    throwsTransition(() => setup().state.setVisualGuidance(true, 'tour'));
    throwsTransition(() => setup().state.setVisualGuidance(false));
    throwsTransition(() => withCooldown().state.setVisualGuidance(true, 'tour'));
  });

  test('THINKING with cooldown: transitionToProactive stays and returns false', () => {
    const { clock, state } = withCooldown();
    clock.set(START + 20_000 + 59_999);
    assert.equal(state.transitionToProactive('t'), false);
    assert.equal(state.state, THINKING);
    assert.equal(state.isCooldownActive, true);
    assert.equal(state.canGoProactive(), false);
  });

  test('THINKING with cooldown: transitionToProactive succeeds once the cooldown has just elapsed (elapsed ≥ limit)', () => {
    const { clock, state } = withCooldown();
    clock.set(START + 20_000 + 60_000);
    assert.equal(state.canGoProactive(), true);
    assert.equal(state.transitionToProactive('t'), true);
    assert.equal(state.state, PROACTIVE);
    assert.equal(state.isCooldownActive, false);
  });

  test('THINKING with cooldown: transitionToReactive → REACTIVE and clears the cooldown', () => {
    const { state } = withCooldown();
    state.transitionToReactive();
    assert.equal(state.state, REACTIVE);
    assert.equal(state.isCooldownActive, false);
  });

  test('THINKING with cooldown: tick clears it exactly when elapsed reaches the cooldown', () => {
    const { clock, state } = withCooldown();
    clock.set(START + 20_000 + 59_999);
    assert.equal(state.tick(), 'none');
    assert.equal(state.isCooldownActive, true);
    clock.set(START + 20_000 + 60_000);
    assert.equal(state.tick(), 'cooldown-cleared');
    assert.equal(state.isCooldownActive, false);
    assert.equal(state.state, THINKING);
  });

  test('PROACTIVE: transitionToProactive is invalid', () => {
    const { state } = setup();
    state.transitionToProactive('t');
    throwsTransition(() => state.transitionToProactive('t'));
    assert.equal(state.state, PROACTIVE);
  });

  // docs/decisions/D-38-reply-to-an-offer.md
  test('PROACTIVE: transitionToReactive is allowed and resets the idle timer', () => {
    const { clock, state } = setup();
    state.transitionToProactive('t');
    clock.set(START + 15_000);
    state.transitionToReactive();
    assert.equal(state.state, REACTIVE);
    clock.set(START + 34_999);
    assert.equal(state.tick(), 'none');
    assert.equal(state.state, REACTIVE);
  });

  test('PROACTIVE: idle ≥ timeout → THINKING with cooldown, guidance and tour cleared', () => {
    const { clock, state } = setup();
    state.transitionToProactive('t');
    state.setVisualGuidance(true, 'flow_1');
    clock.set(START + 19_999);
    assert.equal(state.tick(), 'none');
    assert.equal(state.state, PROACTIVE);
    clock.set(START + 20_000);
    assert.equal(state.tick(), 'timed-out');
    assert.equal(state.state, THINKING);
    assert.equal(state.isCooldownActive, true);
    assert.equal(state.isVisualGuidanceActive, false);
    assert.equal(state.activeTourId, null);
  });

  test('PROACTIVE: setVisualGuidance is allowed', () => {
    const { clock, state } = setup();
    state.transitionToProactive('t');
    clock.set(START + 10_000);
    state.setVisualGuidance(true, 'flow_1');
    assert.equal(state.isVisualGuidanceActive, true);
    assert.equal(state.activeTourId, 'flow_1');
    assert.equal(state.lastInteractionAt, START + 10_000);
  });

  test('REACTIVE: transitionToProactive and transitionToReactive are invalid', () => {
    const { state } = setup();
    state.transitionToReactive();
    throwsTransition(() => state.transitionToProactive('t'));
    throwsTransition(() => state.transitionToReactive());
    assert.equal(state.state, REACTIVE);
  });

  test('REACTIVE: idle ≥ timeout → THINKING with cooldown, guidance and tour cleared', () => {
    const { clock, state } = setup();
    state.transitionToReactive();
    state.setVisualGuidance(true, 'flow_2');
    clock.set(START + 20_000);
    assert.equal(state.tick(), 'timed-out');
    assert.equal(state.state, THINKING);
    assert.equal(state.isCooldownActive, true);
    assert.equal(state.activeTourId, null);
  });

  test('REACTIVE: setVisualGuidance off clears the tour without resetting the timer', () => {
    const { clock, state } = setup();
    state.transitionToReactive();
    state.setVisualGuidance(true, 'flow_2');
    clock.set(START + 10_000);
    state.setVisualGuidance(false);
    assert.equal(state.isVisualGuidanceActive, false);
    assert.equal(state.activeTourId, null);
    assert.equal(state.lastInteractionAt, START);
  });
});

describe('SessionState timers and interactions', () => {
  test('round trip: proactive true, idle tick → cooldown, false, cooldown ages out, true again', () => {
    const { clock, state } = setup({ interactionTimeoutS: 0.001, cooldownPeriodS: 1 });
    assert.equal(state.transitionToProactive('t'), true);
    clock.set(START + 1);
    state.tick();
    assert.equal(state.state, THINKING);
    assert.equal(state.transitionToProactive('t'), false);
    clock.set(START + 1 + 1_000);
    assert.equal(state.tick(), 'cooldown-cleared');
    assert.equal(state.transitionToProactive('t'), true);
  });

  // docs/decisions/D-37-cooldown-override.md
  test('a running cooldown follows the session value when no tour supplied one', () => {
    const { clock, state } = withCooldown();
    const snapshot = state.toSnapshot();
    assert.equal(snapshot.thinking.active_cooldown_period_s, null);
    const restored = SessionState.fromSnapshot({ ...snapshot, cooldown_period_s: 10 }, { clock });
    clock.set(START + 20_000 + 10_000);
    assert.equal(restored.tick(), 'cooldown-cleared');
  });

  test('a running tour supplies its own timeout and pinned cooldown', () => {
    const { clock, state } = setup();
    const tours: TourTimingsLookup = {
      getByUserTourId: (id) => (id === 'flow_1' ? { interactionTimeoutS: 5, cooldownPeriodS: 7 } : undefined),
    };
    state.transitionToProactive('t');
    state.setVisualGuidance(true, 'flow_1');
    clock.set(START + 4_999);
    assert.equal(state.tick(tours), 'none');
    clock.set(START + 5_000);
    assert.equal(state.tick(tours), 'timed-out');
    assert.equal(state.toSnapshot().thinking.active_cooldown_period_s, 7);
    clock.set(START + 5_000 + 7_000);
    assert.equal(state.tick(tours), 'cooldown-cleared');
  });

  test('recordUserInteraction keeps PROACTIVE alive and resets the state timer', () => {
    const { clock, state } = setup();
    state.transitionToProactive('t');
    clock.set(START + 15_000);
    state.recordUserInteraction();
    clock.set(START + 30_000);
    assert.equal(state.tick(), 'none');
    assert.equal(state.timeSinceLastInteractionS, 15);
    clock.set(START + 35_000);
    assert.equal(state.tick(), 'timed-out');
  });

  test('recordOptionClick marks the offer clicked only in PROACTIVE', () => {
    const { clock, state } = setup();
    state.recordOptionClick();
    assert.equal(state.hasUserClickedOption, false);
    state.transitionToProactive('t');
    clock.set(START + 2_000);
    state.recordOptionClick();
    assert.equal(state.hasUserClickedOption, true);
    assert.equal(state.lastInteractionAt, START + 2_000);
  });

  test('recordTourStep and recordReaction keep REACTIVE alive', () => {
    const { clock, state } = setup();
    state.transitionToReactive();
    clock.set(START + 19_000);
    state.recordTourStep();
    clock.set(START + 38_000);
    state.recordReaction();
    clock.set(START + 57_999);
    assert.equal(state.tick(), 'none');
    assert.equal(state.state, REACTIVE);
  });

  test('invalid options are configuration errors', () => {
    assert.throws(() => new SessionState({ interactionTimeoutS: 0 }), (error: unknown) => isSightlineError(error, 'SL_CONFIG_INVALID'));
    assert.throws(() => new SessionState({ cooldownPeriodS: -1 }), (error: unknown) => isSightlineError(error, 'SL_CONFIG_INVALID'));
  });
});

describe('SessionState snapshots', () => {
  test('toSnapshot writes _v 2 with wall-clock epoch milliseconds', () => {
    const { clock, state } = setup();
    clock.set(START + 1_500);
    state.transitionToProactive('ping');
    assert.deepEqual(state.toSnapshot(), {
      _v: 2,
      current_state: 'proactive_assistance',
      last_interaction_at: START + 1_500,
      interaction_timeout_s: 20,
      cooldown_period_s: 60,
      visual_guidance_active: false,
      active_tour_id: null,
      thinking: { cooldown_active: false, cooldown_started_at: 0, active_cooldown_period_s: null },
      proactive: { user_clicked_option: false, time_since_last_interaction_s: 0, last_message_at: START + 1_500, trigger_id: 'ping' },
      reactive: { time_since_last_interaction_s: 0, last_message_at: START },
    });
  });

  test('a v2 snapshot restored in another process keeps its wall-clock timers', () => {
    const { state } = setup();
    state.transitionToReactive();
    const json = JSON.parse(JSON.stringify(state.toSnapshot())) as unknown;
    const otherClock = new FakeClock({ now: START + 20_000 });
    const restored = SessionState.fromSnapshot(json, { clock: otherClock });
    assert.equal(restored.state, REACTIVE);
    assert.equal(restored.tick(), 'timed-out');
    assert.deepEqual(restored.toSnapshot().last_interaction_at, START);
  });

  test('a v1 snapshot is accepted with its timers reset to now', () => {
    const clock = new FakeClock({ now: START });
    const restored = SessionState.fromSnapshot(
      {
        _v: 1,
        current_state: 'thinking',
        last_interaction_at: 12345.6,
        interaction_timeout_s: 60,
        cooldown_period_s: 120,
        thinking: { cooldown_active: true, cooldown_started_at: 12000.0, active_cooldown_period_s: null },
      },
      { clock },
    );
    assert.equal(restored.lastInteractionAt, START);
    assert.equal(restored.interactionTimeoutS, 60);
    assert.equal(restored.isCooldownActive, true);
    clock.set(START + 119_999);
    assert.equal(restored.tick(), 'none');
    clock.set(START + 120_000);
    assert.equal(restored.tick(), 'cooldown-cleared');
  });

  test('only current_state and last_interaction_at are required', () => {
    const clock = new FakeClock({ now: START });
    const restored = SessionState.fromSnapshot({ _v: 2, current_state: 'proactive_assistance', last_interaction_at: START - 1_000 }, { clock });
    assert.equal(restored.state, PROACTIVE);
    assert.equal(restored.interactionTimeoutS, 20);
    assert.equal(restored.cooldownPeriodS, 60);
    assert.equal(restored.toSnapshot().proactive.last_message_at, START);
  });

  test('invalid snapshots raise SL_STATE_SNAPSHOT_INVALID', () => {
    const invalid: unknown[] = [
      null,
      'thinking',
      [],
      { _v: 3, current_state: 'thinking', last_interaction_at: 1 },
      { current_state: 'thinking', last_interaction_at: 1 },
      { _v: 2, current_state: 'guidance_execution', last_interaction_at: 1 },
      { _v: 2, current_state: 'thinking' },
      { _v: 2, current_state: 'thinking', last_interaction_at: '1' },
      { _v: 2, current_state: 'thinking', last_interaction_at: 1, interaction_timeout_s: 0 },
      { _v: 2, current_state: 'thinking', last_interaction_at: 1, thinking: { cooldown_active: 'yes' } },
    ];
    for (const snapshot of invalid) {
      assert.throws(
        () => SessionState.fromSnapshot(snapshot),
        (error: unknown) => isSightlineError(error, 'SL_STATE_SNAPSHOT_INVALID') && error.status === 400,
        JSON.stringify(snapshot),
      );
    }
  });
});
