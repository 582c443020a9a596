/**
 * Proactive help inside a running bridge, with rasa-webchat's own socket.io client: the moment fires an offer in the
 * verified widget of the tab, once; the gate's every reason; "Not now"; holding an offer until the widget connects.
 */
import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import type { ProactiveTrigger } from '@sightline/sdk';
import { FakeClock } from '@sightline/sdk/testing';
import { signUserId } from '../identity/user-hash.ts';
import { startFakeLlmServer } from '../llm/__fixtures__/fake-llm-server.ts';
import type { BridgeConfig } from '../config/bridge-config.ts';
import { resolveLlmSettings } from '../llm/chat-model.ts';
import { connectWebchat, testBridgeConfig, until, type WebchatSocket } from '../server/__fixtures__/test-bridge.ts';
import { startBridge, type RunningBridge } from '../server/start-bridge.ts';
import { WIDGET_READY_PAYLOAD } from '../socket/socket-channel.ts';
import { TabJourney } from './__fixtures__/tab-journey.ts';
import { PROACTIVE_DEFAULTS, type ProactiveSettings } from './proactive-settings.ts';

const SECRET = 'identity-secret-for-proactive-tests-0123456789';

/** A CRM's bridge with proactive help on, on a fake clock; `config` overrides more (a model, for one). */
async function crmBridge(t: TestContext, settings: Partial<ProactiveSettings> = {}, config: Partial<BridgeConfig> = {}) {
  const clock = new FakeClock({ now: Date.UTC(2026, 0, 5, 9) });
  const bridge = await startBridge(
    testBridgeConfig({
      streamUrl: 'http://127.0.0.1:9/stream/crm',
      streamKey: 'sk_unused',
      identitySecrets: [SECRET],
      corsOrigins: '*',
      proactive: { ...PROACTIVE_DEFAULTS, enabled: true, ...settings },
      ...config,
    }),
    { logger: false, connectStream: false, clock },
  );
  t.after(() => bridge.close());
  return { bridge, clock };
}

interface Widget {
  socket: WebchatSocket;
  sessionId: string;
  received: Array<{ text: string; quick_replies?: Array<{ content_type: string; title: string; payload: string }> }>;
  say(message: string): void;
}

/** A widget as rasa-webchat runs it: connect, session_request, then the unseen ready message with its customData. */
async function openWidget(t: TestContext, bridge: RunningBridge, customData: Record<string, unknown>): Promise<Widget> {
  const socket = connectWebchat(bridge.url, { path: '/socket.io', transports: ['websocket'] });
  t.after(() => void socket.close());
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  socket.emit('session_request', { session_id: null });
  const sessionId = await new Promise<string>((resolve) => socket.once('session_confirm', (id: string) => resolve(id)));
  const received: Widget['received'] = [];
  socket.on('bot_uttered', (data: never) => received.push(data));
  const widget = { socket, sessionId, received, say: (message: string) => socket.emit('user_uttered', { message, customData, session_id: sessionId }) };
  widget.say(WIDGET_READY_PAYLOAD);
  await until(() => bridge.socket.connectedCount > 0, 'the widget connecting');
  return widget;
}

async function waitForReady(bridge: RunningBridge, userId: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while ((await bridge.socket.widgetsOf(userId)).verified.length === 0) {
    if (Date.now() > deadline) throw new Error('the widget never became ready');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

async function metric(bridge: RunningBridge, name: string): Promise<string[]> {
  const text = await (await fetch(`${bridge.url}/metrics`)).text();
  return text.split('\n').filter((line) => line.startsWith(name));
}

function pingPong(journey: TabJourney) {
  return journey.payload(journey.navigate('Leads', '/leads'), journey.navigate('Deals', '/deals'), journey.navigate('Leads', '/leads'), journey.navigate('Deals', '/deals'));
}

/** Lets socket.io deliver anything already emitted (real I/O on loopback). */
const settle = () => new Promise((resolve) => setTimeout(resolve, 150));

test('CRM: back and forth between Leads and Deals offers help in the verified widget of that tab, once; again inside the cooldown, nothing', async (t) => {
  const { bridge, clock } = await crmBridge(t);
  const widget = await openWidget(t, bridge, { userId: 'ana', userHash: signUserId(SECRET, 'ana'), language: 'en', windowId: 'w1' });
  await waitForReady(bridge, 'ana');
  const journey = new TabJourney({ productId: 'crm', sessionId: 's1', userId: 'ana', windowId: 'w1', now: () => clock.now() });

  await bridge.pipeline.ingest(pingPong(journey));
  await until(() => widget.received.length > 0, 'the offer');
  assert.deepEqual<Widget['received']>(widget.received, [
    {
      text: 'Going back and forth between Leads and Deals? I can help you find what you need.',
      quick_replies: [
        { content_type: 'text', title: 'What am I looking for between Leads and Deals?', payload: 'What am I looking for between Leads and Deals?' },
        { content_type: 'text', title: 'Not now', payload: 'Not now' },
      ],
    },
  ]);

  await clock.advance(10_000);
  await bridge.pipeline.ingest(journey.payload(journey.navigate('Reports', '/reports')));
  await bridge.pipeline.ingest(pingPong(journey));
  await settle();
  assert.equal(widget.received.length, 1, 'the moment, repeated inside the cooldown, fires nothing');
  assert.deepEqual(await metric(bridge, 'sightline_bridge_proactive_fired_total'), ['sightline_bridge_proactive_fired_total{trigger="canonical_url_ping_pong"} 1']);
  assert.ok((await metric(bridge, 'sightline_bridge_proactive_suppressed_total')).includes('sightline_bridge_proactive_suppressed_total{reason="cooldown"} 1'));
  assert.ok((await metric(bridge, 'sightline_bridge_proactive_delivered_total')).includes('sightline_bridge_proactive_delivered_total{channel="socket",outcome="delivered"} 1'));

  // Answering the quick reply continues the conversation, grounded in the activity, and counts as answered.
  widget.say('What am I looking for between Leads and Deals?');
  await until(() => widget.received.length > 1, 'the answer');
  assert.match(widget.received.slice(1).map((message) => message.text).join('\n'), /Leads|Deals/);
  assert.deepEqual(await metric(bridge, 'sightline_bridge_proactive_answered_total'), ['sightline_bridge_proactive_answered_total{answer="reply"} 1']);
});

test('help desk: a user who is chatting is never interrupted', async (t) => {
  const { bridge, clock } = await crmBridge(t);
  const widget = await openWidget(t, bridge, { userId: 'bo', userHash: signUserId(SECRET, 'bo'), language: 'en', windowId: 'w1' });
  const journey = new TabJourney({ productId: 'crm', sessionId: 's2', userId: 'bo', windowId: 'w1', now: () => clock.now() });
  await bridge.pipeline.ingest(journey.payload(journey.navigate('Tickets', '/tickets')));
  widget.say('how do I merge two tickets?');
  await until(() => widget.received.length > 0, 'the answer');
  const answered = widget.received.length;
  await bridge.pipeline.ingest(journey.payload(journey.rageClick('Merge')));
  await settle();
  assert.equal(widget.received.length, answered, 'no offer while the user chats');
  assert.ok((await metric(bridge, 'sightline_bridge_proactive_suppressed_total')).includes('sightline_bridge_proactive_suppressed_total{reason="user_chatting"} 1'));
});

test('bank: a widget whose user hash is wrong never gets an offer (unverified)', async (t) => {
  const { bridge, clock } = await crmBridge(t);
  const widget = await openWidget(t, bridge, { userId: 'carla', userHash: signUserId('another-secret-0123456789abcdef0123', 'carla'), language: 'pt', windowId: 'w1' });
  const journey = new TabJourney({ productId: 'crm', sessionId: 's3', userId: 'carla', windowId: 'w1', now: () => clock.now() });
  await until(() => bridge.socket.connectedCount > 0, 'connected');
  await settle();
  await bridge.pipeline.ingest(journey.payload(journey.navigate('Contas', '/contas'), journey.rageClick('Transferir')));
  await settle();
  assert.deepEqual(widget.received, []);
  assert.ok((await metric(bridge, 'sightline_bridge_proactive_suppressed_total')).includes('sightline_bridge_proactive_suppressed_total{reason="unverified"} 1'));
});

test('CMS: an offer waits for the widget; one that connects in time gets it in its language, otherwise it is dropped and counted', async (t) => {
  const { bridge, clock } = await crmBridge(t, { holdS: 10 });
  const journey = new TabJourney({ productId: 'crm', sessionId: 's4', userId: 'dora', windowId: 'w9', now: () => clock.now() });
  await bridge.pipeline.ingest(journey.payload(journey.navigate('Seiten', '/pages'), journey.rageClick('Veröffentlichen')));
  const widget = await openWidget(t, bridge, { userId: 'dora', userHash: signUserId(SECRET, 'dora'), language: 'de', windowId: 'w9' });
  await until(() => widget.received.length > 0, 'the held offer');
  assert.equal(widget.received[0]!.text, 'Probleme mit Veröffentlichen? Ich helfe Ihnen weiter.');
  assert.deepEqual(widget.received[0]!.quick_replies?.map((reply) => reply.title), ['Warum funktioniert Veröffentlichen nicht?', 'Nicht jetzt']);

  const nobody = new TabJourney({ productId: 'crm', sessionId: 's5', userId: 'eli', windowId: 'w1', now: () => clock.now() });
  await bridge.pipeline.ingest(nobody.payload(nobody.navigate('Pages', '/pages'), nobody.rageClick('Publish')));
  assert.deepEqual((await metric(bridge, 'sightline_bridge_proactive_suppressed_total')).filter((line) => line.includes('no_open_widget')), [
    'sightline_bridge_proactive_suppressed_total{reason="no_open_widget"} 0',
  ]);
  await clock.advance(10_000);
  const deadline = Date.now() + 5000;
  while (!(await metric(bridge, 'sightline_bridge_proactive_suppressed_total')).includes('sightline_bridge_proactive_suppressed_total{reason="no_open_widget"} 1')) {
    if (Date.now() > deadline) assert.fail('the held offer was not dropped and counted');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
});

test('"Pas maintenant" backs off for that user: the next moment is suppressed as dismissed', async (t) => {
  const { bridge, clock } = await crmBridge(t);
  const widget = await openWidget(t, bridge, { userId: 'fabien', userHash: signUserId(SECRET, 'fabien'), language: 'fr', windowId: 'w1' });
  await waitForReady(bridge, 'fabien');
  const journey = new TabJourney({ productId: 'crm', sessionId: 's6', userId: 'fabien', windowId: 'w1', now: () => clock.now() });
  await bridge.pipeline.ingest(journey.payload(journey.navigate('Factures', '/factures'), journey.rageClick('Exporter')));
  await until(() => widget.received.length > 0, 'the offer');
  assert.equal(widget.received[0]!.quick_replies?.at(-1)?.payload, 'Pas maintenant');
  widget.say('Pas maintenant');
  await until(() => widget.received.length > 1, 'the answer to Not now');
  assert.equal(widget.received[1]!.text, "D'accord, je vous laisse. Demandez-moi quand vous voulez.");

  // Long after the session's timeout and cooldown, another moment: "Not now" still holds (an hour by default).
  await clock.advance(10 * 60_000);
  await bridge.pipeline.ingest(journey.payload(journey.navigate('Clients', '/clients'), journey.navigate('Factures', '/factures'), journey.navigate('Clients', '/clients'), journey.navigate('Factures', '/factures')));
  await settle();
  assert.equal(widget.received.length, 2);
  assert.ok((await metric(bridge, 'sightline_bridge_proactive_suppressed_total')).includes('sightline_bridge_proactive_suppressed_total{reason="dismissed"} 1'));
});

test('a trigger of one\'s own, given to startBridge, offers its own words in the verified widget', async (t) => {
  const clock = new FakeClock({ now: Date.UTC(2026, 0, 5, 9) });
  // Analytics: the first time a tab opens the API keys page, offer the guide (no built-in knows this page matters).
  const apiKeysPage: ProactiveTrigger = {
    id: 'api_keys_first_visit',
    evaluate: ({ state }) =>
      state.page?.path === '/settings/api-keys'
        ? {
            triggerId: 'api_keys_first_visit',
            moment: `${state.key.sessionId}`,
            cooldownS: 3600,
            facts: { kind: 'playbook', ruleId: 'api_keys_first_visit', page: state.page.title, container: null },
            text: { message: { en: 'Creating an API key? Keys are shown once, so copy it before closing.' }, quickReplies: { en: ['Where do I use the key?'] } },
          }
        : null,
  };
  const bridge = await startBridge(
    testBridgeConfig({
      streamUrl: 'http://127.0.0.1:9/stream/analytics',
      streamKey: 'sk_unused',
      identitySecrets: [SECRET],
      corsOrigins: '*',
      proactive: { ...PROACTIVE_DEFAULTS, enabled: true },
    }),
    { logger: false, connectStream: false, clock, proactiveTriggers: [apiKeysPage] },
  );
  t.after(() => bridge.close());
  const widget = await openWidget(t, bridge, { userId: 'hana', userHash: signUserId(SECRET, 'hana'), language: 'en', windowId: 'w1' });
  await waitForReady(bridge, 'hana');
  const journey = new TabJourney({ productId: 'analytics', sessionId: 's7', userId: 'hana', windowId: 'w1', now: () => clock.now() });

  await bridge.pipeline.ingest(journey.payload(journey.navigate('Dashboards', '/dashboards')));
  await bridge.pipeline.ingest(journey.payload(journey.navigate('API keys', '/settings/api-keys')));
  await until(() => widget.received.length > 0, 'the offer');
  assert.deepEqual(widget.received[0]!.text, 'Creating an API key? Keys are shown once, so copy it before closing.');
  assert.deepEqual(widget.received[0]!.quick_replies?.map((reply) => reply.payload), ['Where do I use the key?', 'Not now']);
  assert.deepEqual(await metric(bridge, 'sightline_bridge_proactive_fired_total'), ['sightline_bridge_proactive_fired_total{trigger="api_keys_first_visit"} 1']);
});

test('with a model configured, the offer is worded by it from the labels of the state', async (t) => {
  const llm = await startFakeLlmServer('Stuck between Leads and Deals? I can point you to the right one.');
  t.after(() => llm.close());
  const { bridge, clock } = await crmBridge(t, {}, { llm: resolveLlmSettings({ LLM_BASE_URL: llm.baseUrl, LLM_MODEL: 'llama3.2', LLM_TIMEOUT_MS: '1500' }) });
  const widget = await openWidget(t, bridge, { userId: 'ivo', userHash: signUserId(SECRET, 'ivo'), language: 'en', windowId: 'w1' });
  await waitForReady(bridge, 'ivo');
  const journey = new TabJourney({ productId: 'crm', sessionId: 's8', userId: 'ivo', windowId: 'w1', now: () => clock.now() });

  await bridge.pipeline.ingest(pingPong(journey));
  await until(() => widget.received.length > 0, 'the offer');
  assert.equal(widget.received[0]!.text, 'Stuck between Leads and Deals? I can point you to the right one.');
  assert.deepEqual(widget.received[0]!.quick_replies?.map((reply) => reply.payload), ['What am I looking for between Leads and Deals?', 'Not now']);
  const asked = JSON.stringify(llm.requests.at(-1)?.body);
  assert.match(asked, /Labels you may name: \\"Leads\\", \\"Deals\\"/);
  assert.deepEqual(await metric(bridge, 'sightline_bridge_proactive_phrased_total'), ['sightline_bridge_proactive_phrased_total{outcome="model"} 1']);
});
