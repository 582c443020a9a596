import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createActionsPayload, isSightlineError, toWireJson, type ActionsPayload } from '@sightline/protocol';
import { hogFlatPayloads, posthogJsAutocaptureBatch, posthogJsEvents } from '../__fixtures__/index.ts';
import type { CapturedEvent } from '../ingest/captured-event.ts';
import { normalizeCaptureBody } from '../ingest/normalize-capture-body.ts';
import { normalizeWebhookBody } from '../ingest/normalize-webhook-body.ts';
import { FakeClock } from '@sightline/protocol/testing';
import { Sessionizer, type SessionizerOptions } from './sessionizer.ts';

const RECEIVED_AT = Date.parse('2026-11-21T22:33:40.000Z');

function setup(options: Partial<SessionizerOptions> = {}) {
  const clock = new FakeClock({ now: RECEIVED_AT });
  const batches: ActionsPayload[] = [];
  const sessionizer = new Sessionizer({ clock, onBatch: (payload) => batches.push(payload), ...options });
  return { clock, batches, sessionizer };
}

function click(sessionId: string | null, timestamp: number, extra: Partial<CapturedEvent> = {}): CapturedEvent {
  return {
    event: '$autocapture',
    distinctId: 'anon-1',
    sessionId,
    timestamp,
    uuid: null,
    token: null,
    properties: { $event_type: 'click', $current_url: 'https://app.example.com/team', $elements_chain: `button:text="Button ${timestamp}"` },
    ...extra,
  };
}

describe('Sessionizer', () => {
  it('emits one payload per session after the window, actions sorted with index and timestamp_end', async () => {
    const { clock, batches, sessionizer } = setup();
    const events = normalizeCaptureBody(posthogJsAutocaptureBatch, RECEIVED_AT).events;
    const pageview = normalizeCaptureBody(posthogJsEvents.pageview, RECEIVED_AT - 800).events;
    // Arrive out of order: the batch first, the earlier pageview second.
    assert.deepEqual(sessionizer.add('acme', events), { accepted: 4, dropped: 0, duplicates: 0 });
    sessionizer.add('acme', pageview);
    await clock.advance(249);
    assert.equal(batches.length, 0);
    await clock.advance(1);
    assert.equal(batches.length, 1);
    const [payload] = batches;
    assert.equal(payload!.product_id, 'acme');
    assert.equal(payload!.session_id, '01a2003e-3511-74aa-8210-33107c392d81');
    assert.equal(payload!.user_id, '01a2003e-34c8-7ca5-99d5-4491ee7f4c74');
    assert.equal(payload!.email, 'jane@example.com');
    assert.equal(payload!.count, 5);
    assert.equal(payload!.forwarded_at, (RECEIVED_AT + 250) / 1000);
    assert.deepEqual(payload!.actions.map((action) => action.title), [
      'Page Load: Dashboard',
      "Clicked 'Save changes'",
      "Clicked 'Billing settings'",
      "Typed in 'Email'",
      "Submitted the 'Login' form",
    ]);
    assert.deepEqual(payload!.actions.map((action) => action.index), [0, 1, 2, 3, 4]);
    for (let i = 0; i < 4; i++) assert.equal(payload!.actions[i]!.timestamp_end, payload!.actions[i + 1]!.timestamp_start);
    assert.equal(payload!.actions[4]!.timestamp_end, payload!.actions[4]!.timestamp_start);
    for (const action of payload!.actions) {
      assert.equal(action.session_id, payload!.session_id);
      assert.equal(action.user_id, payload!.user_id);
      assert.equal(action.email, payload!.email);
      assert.equal(action.conversation_id, null);
    }
  });

  it('writes the wire JSON of a Hog-fed payload with exact field names', async () => {
    const { clock, batches, sessionizer } = setup({ batchWindowMs: 10 });
    sessionizer.add('acme', normalizeWebhookBody(hogFlatPayloads.pageview, RECEIVED_AT).events);
    await clock.advance(10);
    assert.equal(
      toWireJson(batches[0]!),
      '{"type":"actions","product_id":"acme","session_id":"01a2003e-3511-74aa-8210-33107c392d81","user_id":"01a2003e-34c8-7ca5-99d5-4491ee7f4c74","email":null,"count":1,"forwarded_at":1795300420.01,' +
        '"actions":[{"title":"Page Load: Dashboard","description":"User landed on the Dashboard page","canonical_url":"https://app.example.com/dashboard","index":0,"type":"pageview",' +
        '"timestamp_start":1795300406.518,"timestamp_end":1795300406.518,"raw_url":"https://app.example.com/dashboard?tab=reports#top",' +
        '"session_id":"01a2003e-3511-74aa-8210-33107c392d81","user_id":"01a2003e-34c8-7ca5-99d5-4491ee7f4c74","email":null,"conversation_id":null,' +
        '"window_id":null,"page":{"title":"Dashboard","path":"/dashboard"},"target":null,"container":null,"choice":null,"step":"navigate","received_at":1795300420.0}],"conversation_id":null}',
    );
  });

  it('continues index across batches of the same session', async () => {
    const { clock, batches, sessionizer } = setup();
    sessionizer.add('acme', [click('s1', 100), click('s1', 101)]);
    await clock.advance(250);
    sessionizer.add('acme', [click('s1', 102)]);
    await clock.advance(250);
    assert.deepEqual(batches.map((payload) => payload.actions.map((action) => action.index)), [[0, 1], [2]]);
  });

  it('keeps products and sessions apart and groups session-less events by distinct id', () => {
    const { batches, sessionizer } = setup();
    sessionizer.add('acme', [click('s1', 1), click('s2', 2), click(null, 3, { distinctId: 'u-a' }), click(null, 4, { distinctId: 'u-b' })]);
    sessionizer.add('other', [click('s1', 5)]);
    sessionizer.flush();
    const keys = batches.map((payload) => `${payload.product_id}/${payload.session_id}/${payload.user_id}/${payload.count}`).sort();
    assert.deepEqual(keys, ['acme/null/u-a/1', 'acme/null/u-b/1', 'acme/s1/anon-1/1', 'acme/s2/anon-1/1', 'other/s1/anon-1/1']);
  });

  it('uses the identified id and the latest email for the whole batch', () => {
    const { batches, sessionizer } = setup();
    sessionizer.add('acme', [click('s1', 1), click('s1', 2, { distinctId: 'user_42', identifiedId: 'user_42', personEmail: 'jane@example.com' })]);
    sessionizer.flush();
    assert.equal(batches[0]!.user_id, 'user_42');
    assert.equal(batches[0]!.email, 'jane@example.com');
    assert.ok(batches[0]!.actions.every((action) => action.user_id === 'user_42'));
  });

  it('sends email: null when forwardEmail is false', () => {
    const { batches, sessionizer } = setup({ forwardEmail: false });
    sessionizer.add('acme', [click('s1', 1, { personEmail: 'jane@example.com' })]);
    sessionizer.flush();
    assert.equal(batches[0]!.email, null);
    assert.equal(batches[0]!.actions[0]!.email, null);
  });

  it('drops system events and duplicates by uuid, and counts them', () => {
    const { batches, sessionizer } = setup();
    const result = sessionizer.add('acme', [
      click('s1', 1, { uuid: 'u1' }),
      click('s1', 1, { uuid: 'u1' }),
      { ...click('s1', 2), event: '$pageleave' },
      click('s1', 3, { distinctId: null, sessionId: null }),
    ]);
    assert.deepEqual(result, { accepted: 1, dropped: 3, duplicates: 1 });
    assert.equal(sessionizer.add('other', [click('s1', 1, { uuid: 'u1' })]).accepted, 1, 'dedup is per product');
    sessionizer.flush();
    assert.equal(batches.length, 2);
  });

  it('forgets the oldest uuid beyond dedupSize', () => {
    const { sessionizer } = setup({ dedupSize: 2 });
    sessionizer.add('acme', [click('s1', 1, { uuid: 'a' }), click('s1', 2, { uuid: 'b' }), click('s1', 3, { uuid: 'c' })]);
    assert.equal(sessionizer.add('acme', [click('s1', 4, { uuid: 'a' })]).accepted, 1);
    assert.equal(sessionizer.add('acme', [click('s1', 5, { uuid: 'c' })]).duplicates, 1);
  });

  it('sends a batch at once when it reaches maxBatchActions', () => {
    const { batches, sessionizer } = setup({ maxBatchActions: 2 });
    sessionizer.add('acme', [click('s1', 1), click('s1', 2), click('s1', 3)]);
    assert.equal(batches.length, 1);
    assert.equal(batches[0]!.count, 2);
    assert.equal(sessionizer.pendingActions, 1);
  });

  it('sends one batch per session per add call with batchWindowMs 0', () => {
    const { batches, sessionizer } = setup({ batchWindowMs: 0 });
    sessionizer.add('acme', [click('s1', 1), click('s1', 2), click('s2', 3)]);
    assert.deepEqual(batches.map((payload) => payload.count), [2, 1]);
  });

  it('flushes everything when maxPendingActions is reached', () => {
    const { batches, sessionizer } = setup({ maxPendingActions: 3 });
    sessionizer.add('acme', [click('s1', 1), click('s2', 2), click('s3', 3)]);
    assert.equal(batches.length, 3);
    assert.equal(sessionizer.pendingActions, 0);
  });

  it('bounds remembered sessions with an LRU, sending an evicted session first', () => {
    const { batches, sessionizer } = setup({ maxSessions: 2 });
    sessionizer.add('acme', [click('s1', 1)]);
    sessionizer.add('acme', [click('s2', 2)]);
    sessionizer.add('acme', [click('s3', 3)]);
    assert.equal(sessionizer.trackedSessions, 2);
    assert.deepEqual(batches.map((payload) => payload.session_id), ['s1']);
    sessionizer.add('acme', [click('s1', 4)]);
    sessionizer.flush();
    const restarted = batches.filter((payload) => payload.session_id === 's1').at(-1)!;
    assert.equal(restarted.actions[0]!.index, 0);
  });

  it('evicts the least recently used session over all products, session-less groups included', () => {
    const { batches, sessionizer } = setup({ maxSessions: 3 });
    sessionizer.add('acme', [click('s1', 1)]);
    sessionizer.add('globex', [click(null, 2, { distinctId: 'anon-9' })]);
    sessionizer.add('acme', [click('s2', 3)]);
    sessionizer.add('acme', [click('s1', 4)]); // s1 used again: the globex visitor is now the oldest
    sessionizer.add('globex', [click('s1', 5)]); // same session id, other product: a session of its own
    assert.equal(sessionizer.trackedSessions, 3);
    assert.deepEqual(batches.map((payload) => [payload.product_id, payload.session_id, payload.user_id]), [['globex', null, 'anon-9']]);
    // The evicted group is forgotten: the visitor comes back with a fresh index.
    sessionizer.add('globex', [click(null, 6, { distinctId: 'anon-9' })]);
    sessionizer.flush();
    const back = batches.filter((payload) => payload.product_id === 'globex' && payload.session_id === null).at(-1)!;
    assert.equal(back.actions[0]!.index, 0);
  });

  it('keeps arrival order among actions of equal time and sorts the others by time', () => {
    const { batches, sessionizer } = setup();
    sessionizer.add('acme', [
      click('s1', 5, { properties: { $event_type: 'click', $elements_chain: 'button:text="first at 5"' } }),
      click('s1', 3),
      click('s1', 5, { properties: { $event_type: 'click', $elements_chain: 'button:text="second at 5"' } }),
      click('s1', 4),
    ]);
    sessionizer.flush();
    assert.deepEqual(batches[0]!.actions.map((action) => action.title), [
      "Clicked 'Button 3'",
      "Clicked 'Button 4'",
      "Clicked 'first at 5'",
      "Clicked 'second at 5'",
    ]);
  });

  it('keeps running when onBatch throws, reporting to onError', () => {
    const errors: unknown[] = [];
    const sessionizer = new Sessionizer({
      clock: new FakeClock({ now: 1_732_230_000_000 }),
      onBatch: () => {
        throw new Error('subscriber failed');
      },
      onError: (error) => errors.push(error),
    });
    sessionizer.add('acme', [click('s1', 1)]);
    sessionizer.flush();
    sessionizer.add('acme', [click('s1', 2)]);
    sessionizer.flush();
    assert.equal(errors.length, 2);
  });

  it('close() sends what is pending, cancels timers and drops later events', async () => {
    const { clock, batches, sessionizer } = setup();
    sessionizer.add('acme', [click('s1', 1)]);
    sessionizer.close();
    assert.equal(batches.length, 1);
    await clock.advance(1000);
    assert.equal(batches.length, 1);
    assert.deepEqual(sessionizer.add('acme', [click('s1', 2)]), { accepted: 0, dropped: 1, duplicates: 0 });
    sessionizer.close();
  });

  it('rejects invalid options with SL_CONFIG_INVALID', () => {
    const onBatch = () => {};
    for (const options of [{ batchWindowMs: -1 }, { maxBatchActions: 0 }, { maxSessions: 1.5 }, { dedupSize: Number.NaN }]) {
      assert.throws(() => new Sessionizer({ onBatch, ...options }), (error: unknown) => isSightlineError(error, 'SL_CONFIG_INVALID'));
    }
    assert.throws(() => new Sessionizer({} as SessionizerOptions), (error: unknown) => isSightlineError(error, 'SL_CONFIG_INVALID'));
  });

  it('builds payloads field for field as the protocol\'s createActionsPayload would (order included)', () => {
    for (const identity of [
      { extra: {}, forwardEmail: true },
      { extra: { identifiedId: 'user-7', personEmail: 'jane@example.com' }, forwardEmail: true },
      { extra: { identifiedId: 'user-7', personEmail: 'jane@example.com' }, forwardEmail: false },
      { extra: { sessionId: null, distinctId: 'anon-9' }, forwardEmail: true },
    ]) {
      const { clock, batches, sessionizer } = setup({ batchWindowMs: 0, forwardEmail: identity.forwardEmail });
      const sessionId = 'sessionId' in identity.extra ? null : 's-order';
      sessionizer.add('acme', [click(sessionId, 1795300402.5, identity.extra), click(sessionId, 1795300401.25, identity.extra)]);
      const [payload] = batches;
      assert.ok(payload);
      const expected = createActionsPayload({
        product_id: 'acme',
        session_id: payload.session_id,
        user_id: payload.user_id,
        email: payload.email,
        forwarded_at: clock.now() / 1000,
        actions: payload.actions.map(({ title, description, canonical_url, index, type, timestamp_start, timestamp_end, raw_url, window_id, page, target, container, choice, step, received_at }) => ({
          title, description, canonical_url, index, type, timestamp_start, timestamp_end, raw_url, window_id, page, target, container, choice, step, received_at,
        })),
      });
      assert.equal(JSON.stringify(payload), JSON.stringify(expected));
      assert.equal(toWireJson(payload), toWireJson(expected));
      assert.deepEqual(payload.actions.map((action) => action.timestamp_start), [1795300401.25, 1795300402.5]);
      assert.equal(payload.user_id, 'identifiedId' in identity.extra ? 'user-7' : identity.extra.distinctId ?? 'anon-1');
      assert.equal(payload.email, 'personEmail' in identity.extra && identity.forwardEmail ? 'jane@example.com' : null);
    }
  });

  it('copies the structured fields into each action, after Autoplay\'s', () => {
    const { batches, sessionizer } = setup({ batchWindowMs: 0 });
    sessionizer.add('acme', normalizeCaptureBody(posthogJsAutocaptureBatch, RECEIVED_AT).events);
    const [save] = batches[0]!.actions;
    assert.deepEqual(Object.keys(save!).slice(12), ['window_id', 'page', 'target', 'container', 'choice', 'step', 'received_at']);
    assert.equal(save!.window_id, '01a2003e-3511-74aa-8210-33111cc18233');
    assert.deepEqual(save!.target, { role: 'button', label: 'Save changes' });
    assert.equal(save!.step, 'click');
    assert.equal(save!.received_at, RECEIVED_AT / 1000);
  });

  it('says why a failed step failed (rage or dead), and adds nothing to other actions', () => {
    const { batches, sessionizer } = setup({ batchWindowMs: 0 });
    sessionizer.add('acme', [click('s1', 1), click('s1', 2, { event: '$rageclick' }), click('s1', 3, { event: '$dead_click' })]);
    const [plain, rage, dead] = batches[0]!.actions;
    assert.equal(Object.hasOwn(plain!, 'failure'), false);
    assert.deepEqual([rage!.step, rage!.failure], ['failed', 'rage']);
    assert.deepEqual([dead!.step, dead!.failure], ['failed', 'dead']);
    assert.match(toWireJson(batches[0]!), /"step":"failed","failure":"rage","received_at"/);
  });

  it('gives actions of events that do not say when they arrived the clock\'s time', async () => {
    const { clock, batches, sessionizer } = setup({ batchWindowMs: 0 });
    await clock.advance(1500);
    sessionizer.add('acme', [click('s1', 1)]);
    assert.equal(batches[0]!.actions[0]!.received_at, (RECEIVED_AT + 1500) / 1000);
  });

  it('keeps a pageview\'s title for the later clicks of the same tab, across batches, and apart from other tabs', () => {
    const { batches, sessionizer } = setup({ batchWindowMs: 0 });
    const url = 'https://crm.example.com/deals/42';
    const inTab = (windowId: string, event: CapturedEvent): CapturedEvent => ({ ...event, properties: { ...event.properties, $window_id: windowId, $current_url: url } });
    const view: CapturedEvent = { ...click('s1', 1), event: '$pageview', properties: { title: 'Acme renewal | Pipewise' } };
    sessionizer.add('acme', [inTab('tab-1', view)]);
    sessionizer.add('acme', [inTab('tab-1', click('s1', 2)), inTab('tab-2', click('s1', 3))]);
    const [first, second] = batches.slice(1)[0]!.actions;
    assert.deepEqual(first!.page, { title: 'Acme renewal', path: '/deals/:id' });
    assert.equal(first!.window_id, 'tab-1');
    assert.deepEqual(second!.page, { title: 'Deals', path: '/deals/:id' }, 'the other tab saw no pageview');
    assert.equal(second!.window_id, 'tab-2');
  });

  it('drops events that are no UI action before touching the session memory', () => {
    const { batches, sessionizer } = setup({ maxSessions: 1, batchWindowMs: 0 });
    sessionizer.add('acme', [click('s1', 1)]);
    sessionizer.add('acme', [{ ...click('s2', 2), event: '$identify' }]);
    sessionizer.add('acme', [click('s1', 3)]);
    assert.deepEqual(batches.map((payload) => payload.actions[0]!.index), [0, 1], 's1 was not evicted by an $identify of s2');
  });

  it('names no chosen option when captureChoiceLabels is false', () => {
    const { batches, sessionizer } = setup({ batchWindowMs: 0, captureChoiceLabels: false });
    sessionizer.add('acme', [click('s1', 1, { properties: { $event_type: 'click', $elements_chain: 'input:attr__id="plan-pro"attr__name="plan"attr__type="radio";label:text="Pro"' } })]);
    const [action] = batches[0]!.actions;
    assert.equal(action!.step, 'choose');
    assert.equal(action!.choice, null);
    assert.doesNotMatch(JSON.stringify(action), /Pro/);
  });
});
