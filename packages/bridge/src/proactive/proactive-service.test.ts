/**
 * The proactive service on a fake clock, without sockets: a fake widget channel records what it is sent, the session
 * states, the activity tracker and the ledger are the real ones in memory. Each gating reason as the service reaches
 * it, the tab an offer goes to, the pulse for moments made of time, and one hit delivered once by two bridges.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pino } from 'pino';
import type { ActionsPayload } from '@sightline/protocol';
import { ActivityTracker, type ProactiveReason } from '@sightline/sdk';
import { FakeClock } from '@sightline/sdk/testing';
import { MemorySenderDirectory } from '../identity/sender-directory.ts';
import { SessionStates } from '../pipeline/session-states.ts';
import { TabJourney } from './__fixtures__/tab-journey.ts';
import { MemoryProactiveLedger } from './proactive-ledger.ts';
import type { ProactiveMetrics } from './proactive-metrics.ts';
import { createProactiveService, type ProactiveService, type ProactiveServiceOptions, type WidgetChannel, type WidgetPresence } from './proactive-service.ts';
import { PROACTIVE_DEFAULTS, type ProactiveSettings } from './proactive-settings.ts';

/** The widget channel as the service sees it: the open widgets per user, and every offer sent. */
class FakeWidgets implements WidgetChannel {
  readonly open = new Map<string, { verified: WidgetPresence[]; unverified: number }>();
  readonly sent: Array<{ conversationId: string; text: string; quickReplies: readonly string[] }> = [];

  async widgetsOf(userId: string) {
    return this.open.get(userId) ?? { verified: [], unverified: 0 };
  }

  async sendOffer(conversationId: string, text: string, quickReplies: readonly string[]): Promise<boolean> {
    this.sent.push({ conversationId, text, quickReplies });
    return true;
  }
}

/** The counters the service feeds, as lists. */
function recordingMetrics() {
  const decisions: Array<[ProactiveReason, string]> = [];
  const deliveries: string[] = [];
  const answers: string[] = [];
  const phrasings: string[] = [];
  let evaluated = 0;
  const metrics: ProactiveMetrics = {
    recordEvaluated: () => void (evaluated += 1),
    recordDecision: (reason, triggerId) => void decisions.push([reason, triggerId]),
    recordDelivery: (channel, outcome) => void deliveries.push(`${channel}:${outcome}`),
    recordAnswered: (answer) => void answers.push(answer),
    recordPhrasing: (outcome) => void phrasings.push(outcome),
  };
  return { metrics, decisions, deliveries, answers, phrasings, evaluated: () => evaluated };
}

const widget = (conversationId: string, windowId: string | null, language = 'en'): WidgetPresence => ({ conversationId, windowId, language });

/** One bridge's worth of proactive help on `clock`; `shared` lets two bridges use one ledger and one tracker. */
function bridgeWorld(
  clock: FakeClock,
  settings: Partial<ProactiveSettings> = {},
  shared: { ledger?: MemoryProactiveLedger; tracker?: ActivityTracker; widgets?: FakeWidgets } = {},
  phrase?: ProactiveServiceOptions['phrase'],
) {
  const tracker = shared.tracker ?? new ActivityTracker({ clock });
  const states = new SessionStates({ clock, interactionTimeoutS: 60, cooldownPeriodS: 120 });
  const ledger = shared.ledger ?? new MemoryProactiveLedger({ clock });
  const widgets = shared.widgets ?? new FakeWidgets();
  const recorded = recordingMetrics();
  const service: ProactiveService = createProactiveService({
    settings: { ...PROACTIVE_DEFAULTS, enabled: true, ...settings },
    tracker,
    states,
    ledger,
    senders: new MemorySenderDirectory(),
    clock,
    logger: pino({ level: 'silent' }),
    metrics: recorded.metrics,
    // The pulse is tested on its own; elsewhere only payloads evaluate, so a page dwelt on never adds a decision.
    pulseMs: 24 * 3600 * 1000,
    interactionTimeoutS: 60,
    ...(phrase ? { phrase } : {}),
  });
  service.setWidgets(widgets);
  /** What the bridge's pipeline does with a payload: the tracker, the session's state, then the service. */
  const ingest = async (payload: ActionsPayload) => {
    const tabs = await tracker.apply(payload);
    for (const tab of tabs) await states.touch({ productId: tab.key.productId, sessionId: tab.key.sessionId });
    await service.onActivity(tabs);
  };
  return { service, states, ledger, widgets, ingest, ...recorded };
}

function pingPong(journey: TabJourney, first: string, second: string) {
  const path = (title: string) => `/${title.toLowerCase()}`;
  return journey.payload(journey.navigate(first, path(first)), journey.navigate(second, path(second)), journey.navigate(first, path(first)), journey.navigate(second, path(second)));
}

test('fired: the offer goes to the verified conversation of the tab where the moment happened, not to the user\'s other tab', async () => {
  const clock = new FakeClock();
  const world = bridgeWorld(clock);
  world.widgets.open.set('ana', { verified: [widget('conv-w1', 'w1'), widget('conv-w2', 'w2')], unverified: 0 });
  const journey = new TabJourney({ productId: 'crm', sessionId: 's1', userId: 'ana', windowId: 'w2', now: () => clock.now() });

  await world.ingest(pingPong(journey, 'Leads', 'Deals'));

  assert.deepEqual(world.decisions, [['fired', 'canonical_url_ping_pong']]);
  assert.deepEqual(world.widgets.sent, [
    {
      conversationId: 'conv-w2',
      text: 'Going back and forth between Leads and Deals? I can help you find what you need.',
      quickReplies: ['What am I looking for between Leads and Deals?', 'Not now'],
    },
  ]);
  assert.deepEqual(world.deliveries, ['socket:delivered']);
  assert.equal(world.evaluated(), 1);
});

test('fired: when the widgets do not say their tab, the offer goes to one open conversation of the user', async () => {
  const clock = new FakeClock();
  const world = bridgeWorld(clock);
  world.widgets.open.set('ana', { verified: [widget('conv-a', null), widget('conv-b', null)], unverified: 0 });
  const journey = new TabJourney({ productId: 'crm', sessionId: 's1', userId: 'ana', windowId: 'w7', now: () => clock.now() });
  await world.ingest(pingPong(journey, 'Leads', 'Deals'));
  assert.deepEqual(world.widgets.sent.map((sent) => sent.conversationId), ['conv-a']);
});

test('user_chatting: a chatting user is never interrupted; after the interaction timeout the session cooldown runs, then an offer may go', async () => {
  const clock = new FakeClock();
  const world = bridgeWorld(clock);
  world.widgets.open.set('bo', { verified: [widget('conv-1', 'w1')], unverified: 0 });
  const journey = new TabJourney({ productId: 'desk', sessionId: 's1', userId: 'bo', windowId: 'w1', now: () => clock.now() });
  await world.states.markReactive({ productId: 'desk', sessionId: 's1' });

  await world.ingest(pingPong(journey, 'Tickets', 'Macros'));
  await clock.advance(59_000);
  await world.ingest(pingPong(journey, 'Views', 'Tags'));
  assert.deepEqual(world.decisions.map(([reason]) => reason), ['user_chatting', 'user_chatting'], 'REACTIVE for SESSION_INTERACTION_TIMEOUT_S');

  await clock.advance(2_000);
  await world.ingest(pingPong(journey, 'Reports', 'Agents'));
  await clock.advance(119_000);
  await world.ingest(pingPong(journey, 'Groups', 'Brands'));
  assert.deepEqual(world.decisions.slice(2).map(([reason]) => reason), ['cooldown', 'cooldown'], 'SESSION_COOLDOWN_S after the chat');

  await clock.advance(1_000);
  await world.ingest(pingPong(journey, 'Triggers', 'Forms'));
  assert.deepEqual(world.decisions.at(-1), ['fired', 'canonical_url_ping_pong']);
  assert.equal(world.widgets.sent.length, 1, 'one offer, after the chat and its cooldown');
});

test('user_chatting: a message while an offer is open takes the session out of reach (REACTIVE wins over PROACTIVE)', async () => {
  const clock = new FakeClock();
  const world = bridgeWorld(clock);
  world.widgets.open.set('bo', { verified: [widget('conv-1', 'w1')], unverified: 0 });
  const journey = new TabJourney({ productId: 'desk', sessionId: 's1', userId: 'bo', windowId: 'w1', now: () => clock.now() });
  await world.ingest(pingPong(journey, 'Tickets', 'Macros'));
  await world.states.markReactive({ productId: 'desk', sessionId: 's1' });
  await world.ingest(journey.payload(journey.rageClick('Merge')));
  assert.deepEqual(world.decisions, [['fired', 'canonical_url_ping_pong'], ['user_chatting', 'repeated_failure']]);
  assert.equal(world.widgets.sent.length, 1);
});

test('cooldown: the same trigger for the same user in another session inside its cooldown is suppressed; after it, it fires', async () => {
  const clock = new FakeClock();
  const world = bridgeWorld(clock);
  world.widgets.open.set('ana', { verified: [widget('conv-1', null)], unverified: 0 });
  const session = (id: string) => new TabJourney({ productId: 'crm', sessionId: id, userId: 'ana', windowId: 'w1', now: () => clock.now() });

  await world.ingest(pingPong(session('s1'), 'Leads', 'Deals'));
  await clock.advance(599_000);
  await world.ingest(pingPong(session('s2'), 'Leads', 'Deals'));
  await clock.advance(1_000);
  await world.ingest(pingPong(session('s3'), 'Leads', 'Deals'));
  assert.deepEqual(world.decisions.map(([reason]) => reason), ['fired', 'cooldown', 'fired']);
  assert.equal(world.widgets.sent.length, 2);
});

test('cap: at most PROACTIVE_USER_CAP offers per user across tabs and sessions within the window', async () => {
  const clock = new FakeClock();
  const world = bridgeWorld(clock, { userCap: 2, capWindowS: 3600 });
  world.widgets.open.set('ana', { verified: [widget('conv-1', null)], unverified: 0 });
  const tab = (sessionId: string, windowId: string) => new TabJourney({ productId: 'crm', sessionId, userId: 'ana', windowId, now: () => clock.now() });

  await world.ingest(pingPong(tab('s1', 'w1'), 'Leads', 'Deals'));
  const second = tab('s2', 'w2');
  await world.ingest(second.payload(second.navigate('Invoices', '/invoices'), second.rageClick('Export')));
  // A third trigger (a minute on Reports), so no trigger's own cooldown is in the way: the cap is.
  const third = tab('s3', 'w1');
  const dwell = async (journey: TabJourney) => {
    await world.ingest(journey.payload(journey.navigate('Reports', '/reports')));
    await clock.advance(61_000);
    await world.ingest(journey.payload(journey.click('Filter')));
  };
  await dwell(third);
  assert.deepEqual(world.decisions, [
    ['fired', 'canonical_url_ping_pong'],
    ['fired', 'repeated_failure'],
    ['cap', 'user_page_dwell'],
  ]);
  // Outside the window the cap is free again.
  await clock.advance(3600_000);
  await dwell(tab('s4', 'w1'));
  assert.deepEqual(world.decisions.at(-1), ['fired', 'user_page_dwell']);
});

test('dismissed: "Not now" backs off for that user for PROACTIVE_DISMISS_BACKOFF_S, doubled the next time', async () => {
  const clock = new FakeClock();
  const world = bridgeWorld(clock, { dismissBackoffS: 1000 });
  world.widgets.open.set('fabien', { verified: [widget('conv-1', 'w1', 'fr')], unverified: 0 });
  const session = (id: string) => new TabJourney({ productId: 'crm', sessionId: id, userId: 'fabien', windowId: 'w1', now: () => clock.now() });
  const offerAndDecline = async (id: string) => {
    await world.ingest(pingPong(session(id), 'Factures', 'Clients'));
    return world.service.onUserMessage({ userId: 'fabien', conversationId: 'conv-1', text: 'Pas maintenant !', language: 'fr' });
  };

  assert.deepEqual(await offerAndDecline('s1'), { reply: "D'accord, je vous laisse. Demandez-moi quand vous voulez." });
  await clock.advance(999_000);
  const second = session('s2');
  await world.ingest(second.payload(second.navigate('Devis', '/devis'), second.rageClick('Envoyer')));
  assert.deepEqual(world.decisions.at(-1), ['dismissed', 'repeated_failure']);

  await clock.advance(1_000);
  await offerAndDecline('s3');
  assert.deepEqual(world.decisions.at(-1), ['fired', 'canonical_url_ping_pong'], 'the back-off is over');
  await clock.advance(1_999_000);
  const fourth = session('s4');
  await world.ingest(fourth.payload(fourth.navigate('Devis', '/devis'), fourth.rageClick('Envoyer')));
  assert.deepEqual(world.decisions.at(-1), ['dismissed', 'repeated_failure'], 'the second "Not now" doubles it');
  assert.deepEqual(world.answers, ['not_now', 'not_now']);
});

test('unverified: a user whose only widget failed the identity check, and a session without a user, never get an offer', async () => {
  const clock = new FakeClock();
  const world = bridgeWorld(clock);
  world.widgets.open.set('carla', { verified: [], unverified: 1 });
  const forged = new TabJourney({ productId: 'bank', sessionId: 's1', userId: 'carla', windowId: 'w1', now: () => clock.now() });
  const anonymous = new TabJourney({ productId: 'bank', sessionId: 's2', userId: null, windowId: 'w1', now: () => clock.now() });
  await world.ingest(pingPong(forged, 'Contas', 'Cartões'));
  await world.ingest(pingPong(anonymous, 'Contas', 'Cartões'));
  assert.deepEqual(world.decisions, [
    ['unverified', 'canonical_url_ping_pong'],
    ['unverified', 'canonical_url_ping_pong'],
  ]);
  assert.deepEqual(world.widgets.sent, []);
});

test('no_open_widget: an offer waits PROACTIVE_HOLD_S for a widget; one that becomes ready in time gets it, otherwise it is dropped and counted', async () => {
  const clock = new FakeClock();
  const world = bridgeWorld(clock, { holdS: 10 });
  const dora = new TabJourney({ productId: 'cms', sessionId: 's1', userId: 'dora', windowId: 'w1', now: () => clock.now() });
  await world.ingest(pingPong(dora, 'Pages', 'Media'));
  assert.deepEqual(world.decisions, [], 'held, not decided yet');
  await clock.advance(9_000);
  world.widgets.open.set('dora', { verified: [widget('conv-dora', 'w1')], unverified: 0 });
  await world.service.onWidgetReady('dora');
  assert.deepEqual(world.decisions, [['fired', 'canonical_url_ping_pong']]);
  assert.deepEqual(world.widgets.sent.map((sent) => sent.conversationId), ['conv-dora']);

  const eli = new TabJourney({ productId: 'cms', sessionId: 's2', userId: 'eli', windowId: 'w1', now: () => clock.now() });
  await world.ingest(pingPong(eli, 'Pages', 'Media'));
  await clock.advance(10_000);
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(world.decisions.at(-1), ['no_open_widget', 'canonical_url_ping_pong']);
  assert.equal(world.widgets.sent.length, 1);
  world.service.stop();
});

test('the pulse: a dialog left open is offered help without another payload, once', async () => {
  const clock = new FakeClock();
  const tracker = new ActivityTracker({ clock });
  const states = new SessionStates({ clock });
  const widgets = new FakeWidgets();
  widgets.open.set('gus', { verified: [widget('conv-1', 'w1')], unverified: 0 });
  const recorded = recordingMetrics();
  const service = createProactiveService({
    settings: { ...PROACTIVE_DEFAULTS, enabled: true },
    tracker,
    states,
    ledger: new MemoryProactiveLedger({ clock }),
    senders: new MemorySenderDirectory(),
    clock,
    logger: pino({ level: 'silent' }),
    metrics: recorded.metrics,
    pulseMs: 5000,
  });
  service.setWidgets(widgets);
  await service.start();
  const journey = new TabJourney({ productId: 'acme', sessionId: 's1', userId: 'gus', windowId: 'w1', now: () => clock.now() });
  const dialog = { kind: 'dialog' as const, label: 'Upgrade plan' };
  const payload = journey.payload(journey.navigate('Billing', '/billing'), journey.click('Upgrade plan'), journey.choose('Pro', dialog));
  const tabs = await tracker.apply(payload);
  await states.touch({ productId: 'acme', sessionId: 's1' });
  await service.onActivity(tabs);
  assert.deepEqual(recorded.decisions, []);

  for (let second = 0; second < 60; second += 5) {
    await clock.advance(5_000);
    await new Promise((resolve) => setImmediate(resolve));
  }
  service.stop();
  assert.deepEqual(recorded.decisions, [['fired', 'container_idle']]);
  assert.deepEqual(widgets.sent.map((sent) => sent.text), ['Need a hand with Upgrade plan? I can explain your options before you confirm.']);
});

test('one hit is delivered once even when two bridges evaluate it (the ledger claims it)', async () => {
  const clock = new FakeClock();
  const ledger = new MemoryProactiveLedger({ clock });
  const tracker = new ActivityTracker({ clock });
  const widgets = new FakeWidgets();
  widgets.open.set('ana', { verified: [widget('conv-1', 'w1')], unverified: 0 });
  const first = bridgeWorld(clock, {}, { ledger, tracker, widgets });
  const second = bridgeWorld(clock, {}, { ledger, tracker, widgets });
  const journey = new TabJourney({ productId: 'crm', sessionId: 's1', userId: 'ana', windowId: 'w1', now: () => clock.now() });
  const tabs = await tracker.apply(pingPong(journey, 'Leads', 'Deals'));

  await Promise.all([first.service.onActivity(tabs), second.service.onActivity(tabs)]);
  assert.equal(widgets.sent.length, 1);
  assert.deepEqual([...first.decisions, ...second.decisions], [['fired', 'canonical_url_ping_pong']]);
});

test('answered: a reply to an open offer counts once; a message after the interaction timeout is not an answer', async () => {
  const clock = new FakeClock();
  const world = bridgeWorld(clock);
  world.widgets.open.set('ana', { verified: [widget('conv-1', 'w1')], unverified: 0 });
  const session = (id: string) => new TabJourney({ productId: 'crm', sessionId: id, userId: 'ana', windowId: 'w1', now: () => clock.now() });
  await world.ingest(pingPong(session('s1'), 'Leads', 'Deals'));
  const ask = (text: string) => world.service.onUserMessage({ userId: 'ana', conversationId: 'conv-1', text, language: 'en' });
  assert.deepEqual(await ask('What am I looking for between Leads and Deals?'), { reply: null });
  assert.deepEqual(await ask('and then?'), { reply: null });
  assert.deepEqual(world.answers, ['reply']);

  await clock.advance(700_000);
  await world.ingest(pingPong(session('s2'), 'Leads', 'Deals'));
  await clock.advance(61_000);
  assert.deepEqual(await ask('Not now'), { reply: null }, 'too late to decline that offer: it is an ordinary message');
  assert.deepEqual(world.answers, ['reply']);
});

test('with a model, the offer is in its words when they are short and name only labels of the state; otherwise the template goes', async () => {
  const clock = new FakeClock();
  const answers = [
    'Stuck between Leads and Deals? I can show you where things live.',
    'Try the "Pipelines" page, it has everything you need.',
    new Error('SL_LLM_TIMEOUT'),
  ];
  const prompts: string[] = [];
  const world = bridgeWorld(clock, {}, {}, async ({ system, prompt }) => {
    prompts.push(`${system}\n${prompt}`);
    const next = answers.shift()!;
    if (next instanceof Error) throw next;
    return next;
  });
  world.widgets.open.set('ana', { verified: [widget('conv-1', null, 'en')], unverified: 0 });
  const session = (id: string) => new TabJourney({ productId: 'crm', sessionId: id, userId: 'ana', windowId: 'w1', now: () => clock.now() });

  for (const id of ['s1', 's2', 's3']) {
    await world.ingest(pingPong(session(id), 'Leads', 'Deals'));
    await clock.advance(601_000);
  }
  const template = 'Going back and forth between Leads and Deals? I can help you find what you need.';
  assert.deepEqual(world.widgets.sent.map((sent) => sent.text), ['Stuck between Leads and Deals? I can show you where things live.', template, template]);
  assert.deepEqual(world.widgets.sent[0]!.quickReplies, ['What am I looking for between Leads and Deals?', 'Not now'], 'the quick replies stay the ones the bridge answers');
  assert.deepEqual(world.phrasings, ['model', 'rejected', 'failed']);
  assert.match(prompts[0]!, /Labels you may name: "Leads", "Deals"\./);
});

test('with a model, a playbook rule still speaks its own words', async () => {
  const clock = new FakeClock();
  let calls = 0;
  const mine = {
    id: 'mine',
    evaluate: ({ state }: { state: { page: { title: string } | null; key: { sessionId: string } } }) =>
      state.page
        ? { triggerId: 'mine', moment: state.key.sessionId, cooldownS: 600, facts: { kind: 'playbook' as const, ruleId: 'mine', page: state.page.title, container: null }, text: { message: { en: 'Our own words.' }, quickReplies: {} } }
        : null,
  };
  const tracker = new ActivityTracker({ clock });
  const widgets = new FakeWidgets();
  widgets.open.set('ana', { verified: [widget('conv-1', null)], unverified: 0 });
  const service = createProactiveService({
    settings: { ...PROACTIVE_DEFAULTS, enabled: true },
    tracker,
    states: new SessionStates({ clock }),
    ledger: new MemoryProactiveLedger({ clock }),
    senders: new MemorySenderDirectory(),
    clock,
    logger: pino({ level: 'silent' }),
    triggers: [mine],
    phrase: async () => {
      calls += 1;
      return 'Model words about Home.';
    },
  });
  service.setWidgets(widgets);
  const journey = new TabJourney({ productId: 'crm', sessionId: 's1', userId: 'ana', windowId: 'w1', now: () => clock.now() });
  await service.onActivity(await tracker.apply(journey.payload(journey.navigate('Home', '/home'))));
  assert.deepEqual(widgets.sent.map((sent) => sent.text), ['Our own words.']);
  assert.equal(calls, 0);
});
