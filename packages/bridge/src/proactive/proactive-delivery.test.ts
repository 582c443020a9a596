/**
 * Proactive help when Rasa fronts the widget, and for any other chatbot: a running bridge, a fake Rasa HTTP API and a
 * fake webhook receiver on loopback. The bridge learns a verified user's Rasa sender from an action call; the moment
 * goes to that sender through `trigger_intent`, and to the webhook signed the Standard Webhooks way, which the receiver
 * verifies on its own. Rasa's calls back (the offer's action, "Not now") are answered by the bridge.
 */
import assert from 'node:assert/strict';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test, type TestContext } from 'node:test';
import { FakeClock } from '@sightline/sdk/testing';
import { signUserId } from '../identity/user-hash.ts';
import { testBridgeConfig, until } from '../server/__fixtures__/test-bridge.ts';
import { startBridge } from '../server/start-bridge.ts';
import { TabJourney } from './__fixtures__/tab-journey.ts';
import { PROACTIVE_DEFAULTS } from './proactive-settings.ts';

const SECRET = 'identity-secret-for-delivery-tests-0123456789';
const RASA_TOKEN = 'rasa-token-for-delivery-tests';
const WEBHOOK_SECRET = `whsec_${Buffer.from('webhook-key-for-delivery-tests-32b').toString('base64')}`;

interface Received {
  method: string;
  url: URL;
  headers: IncomingHttpHeaders;
  body: string;
}

/** An HTTP server on port 0 that records every request and answers 200 `{}`. */
async function recorder(t: TestContext): Promise<{ url: string; received: Received[] }> {
  const received: Received[] = [];
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      received.push({ method: request.method ?? '', url: new URL(request.url ?? '/', 'http://fake'), headers: request.headers, body });
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, received };
}

/**
 * Verifies a Standard Webhooks request as a receiver would, written from the specification rather than with the
 * bridge's signer: the key is the base64 after `whsec_`, the signed content `<id>.<timestamp>.<body>`, the header a
 * space-separated list of `v1,<base64>`, and the timestamp within five minutes of now.
 */
function verifyStandardWebhook(secret: string, headers: IncomingHttpHeaders, body: string, nowS: number): boolean {
  const id = headers['webhook-id'];
  const timestamp = headers['webhook-timestamp'];
  const signatures = headers['webhook-signature'];
  if (typeof id !== 'string' || typeof timestamp !== 'string' || typeof signatures !== 'string') return false;
  if (!/^\d+$/.test(timestamp) || Math.abs(nowS - Number(timestamp)) > 300) return false;
  const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
  const expected = createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest();
  return signatures.split(' ').some((entry) => {
    const [version, signature] = entry.split(',');
    if (version !== 'v1' || signature === undefined) return false;
    const given = Buffer.from(signature, 'base64');
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}

async function rasaFrontedBridge(t: TestContext) {
  const rasa = await recorder(t);
  const webhook = await recorder(t);
  const clock = new FakeClock({ now: Date.UTC(2026, 0, 5, 9) });
  const bridge = await startBridge(
    testBridgeConfig({
      streamUrl: 'http://127.0.0.1:9/stream/shop',
      streamKey: 'sk_unused',
      identitySecrets: [SECRET],
      proactive: {
        ...PROACTIVE_DEFAULTS,
        enabled: true,
        holdS: 5,
        rasaUrl: rasa.url,
        rasaToken: RASA_TOKEN,
        webhookUrl: `${webhook.url}/hooks/offers`,
        webhookSecret: WEBHOOK_SECRET,
      },
    }),
    { logger: false, connectStream: false, clock },
  );
  t.after(() => bridge.close());
  /** Rasa calling the bridge's action server, as for a message of the widget with this customData. */
  const actionCall = async (nextAction: string, senderId: string, metadata: Record<string, unknown>, latest: Record<string, unknown> = {}) => {
    const response = await fetch(`${bridge.url}/webhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        next_action: nextAction,
        sender_id: senderId,
        version: '3.6.21',
        tracker: { sender_id: senderId, latest_message: { text: 'hello', metadata, ...latest }, events: [] },
        domain: {},
      }),
    });
    assert.equal(response.status, 200);
    return (await response.json()) as { events: unknown[]; responses: Array<{ text?: string; buttons?: Array<{ title: string; payload: string }> }> };
  };
  return { bridge, clock, rasa, webhook, actionCall };
}

async function metric(url: string, name: string): Promise<string[]> {
  const text = await (await fetch(`${url}/metrics`)).text();
  return text.split('\n').filter((line) => line.startsWith(name));
}

/** Waits (real I/O, with a deadline) until a held offer was dropped and counted as no_open_widget. */
async function droppedAndCounted(url: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!(await metric(url, 'sightline_bridge_proactive_suppressed_total')).includes('sightline_bridge_proactive_suppressed_total{reason="no_open_widget"} 1')) {
    if (Date.now() > deadline) assert.fail('the held offer was not dropped and counted');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

function pingPong(journey: TabJourney) {
  return journey.payload(journey.navigate('Orders', '/orders'), journey.navigate('Returns', '/returns'), journey.navigate('Orders', '/orders'), journey.navigate('Returns', '/returns'));
}

test('shop with Rasa: the moment reaches the verified user\'s Rasa sender through trigger_intent, and the signed webhook', async (t) => {
  const { bridge, clock, rasa, webhook, actionCall } = await rasaFrontedBridge(t);
  // Rasa's action call for a message of the verified user teaches the bridge their sender id.
  await actionCall('action_ask_llm', 'rasa-sender-ana', { customData: { userId: 'ana', userHash: signUserId(SECRET, 'ana'), language: 'en' } });
  const journey = new TabJourney({ productId: 'shop', sessionId: 's1', userId: 'ana', windowId: 'w1', now: () => clock.now() });

  await bridge.pipeline.ingest(pingPong(journey));
  await until(() => rasa.received.length > 0 && webhook.received.length > 0, 'the offer at Rasa and the webhook');

  assert.equal(rasa.received.length, 1);
  const call = rasa.received[0]!;
  assert.equal(call.method, 'POST');
  assert.equal(call.url.pathname, '/conversations/rasa-sender-ana/trigger_intent');
  assert.equal(call.url.searchParams.get('output_channel'), 'latest');
  assert.equal(call.url.searchParams.get('token'), RASA_TOKEN);
  assert.equal(call.headers['content-type'], 'application/json');
  const intent = JSON.parse(call.body) as { name: string; entities: Record<string, string> };
  assert.equal(intent.name, 'sightline_proactive');
  assert.deepEqual(Object.keys(intent.entities).sort(), ['sightline_offer_buttons', 'sightline_offer_text']);
  assert.equal(intent.entities['sightline_offer_text'], 'Going back and forth between Orders and Returns? I can help you find what you need.');
  assert.deepEqual(JSON.parse(intent.entities['sightline_offer_buttons']!), [
    { title: 'What am I looking for between Orders and Returns?', payload: '/ask_help_current_page' },
    { title: 'Not now', payload: '/sightline_proactive_not_now' },
  ]);

  assert.equal(webhook.received.length, 1);
  const hook = webhook.received[0]!;
  assert.equal(hook.url.pathname, '/hooks/offers');
  assert.ok(verifyStandardWebhook(WEBHOOK_SECRET, hook.headers, hook.body, clock.now() / 1000), 'the signature verifies');
  assert.equal(verifyStandardWebhook(WEBHOOK_SECRET, hook.headers, hook.body.replace('"ana"', '"bob"'), clock.now() / 1000), false, 'a changed body does not verify');
  assert.equal(verifyStandardWebhook(`whsec_${Buffer.from('another-key-of-thirty-two-bytes!!').toString('base64')}`, hook.headers, hook.body, clock.now() / 1000), false);
  assert.equal(verifyStandardWebhook(WEBHOOK_SECRET, hook.headers, hook.body, clock.now() / 1000 + 600), false, 'an old delivery does not verify');
  const event = JSON.parse(hook.body) as { type: string; timestamp: string; data: Record<string, unknown> };
  assert.equal(event.type, 'proactive.offer');
  assert.equal(event.timestamp, new Date(clock.now()).toISOString());
  assert.equal(hook.headers['webhook-id'], event.data['offer_id']);
  assert.deepEqual(
    { ...event.data, offer_id: typeof event.data['offer_id'] },
    {
      offer_id: 'string',
      user_id: 'ana',
      product_id: 'shop',
      session_id: 's1',
      window_id: 'w1',
      trigger_id: 'canonical_url_ping_pong',
      text: 'Going back and forth between Orders and Returns? I can help you find what you need.',
      quick_replies: ['What am I looking for between Orders and Returns?', 'Not now'],
      language: 'en',
      facts: { kind: 'back_and_forth', pages: ['Orders', 'Returns'], cycles: 2 },
    },
  );
  assert.deepEqual((await metric(bridge.url, 'sightline_bridge_proactive_delivered_total')).sort(), [
    'sightline_bridge_proactive_delivered_total{channel="rasa",outcome="sent"} 1',
    'sightline_bridge_proactive_delivered_total{channel="webhook",outcome="sent"} 1',
  ]);

  // Rasa runs the intent's rule: the bridge's action utters the offer with its buttons (entities as Rasa lists them).
  const offered = await actionCall('action_sightline_proactive', 'rasa-sender-ana', {}, {
    intent: { name: 'sightline_proactive', confidence: 1 },
    entities: Object.entries(intent.entities).map(([entity, value]) => ({ entity, value })),
  });
  assert.deepEqual(offered.responses, [{ text: intent.entities['sightline_offer_text'], buttons: JSON.parse(intent.entities['sightline_offer_buttons']!) }]);

  // The question button runs action_help_current_page in that conversation: the offer was answered, once.
  const verified = { customData: { userId: 'ana', userHash: signUserId(SECRET, 'ana'), language: 'en' } };
  await actionCall('action_help_current_page', 'rasa-sender-ana', verified, { intent: { name: 'ask_help_current_page', confidence: 1 } });
  await actionCall('action_ask_llm', 'rasa-sender-ana', verified);
  assert.deepEqual(await metric(bridge.url, 'sightline_bridge_proactive_answered_total'), ['sightline_bridge_proactive_answered_total{answer="reply"} 1']);

  // "Not now" through Rasa's button backs off for the verified user.
  const declined = await actionCall('action_sightline_proactive_not_now', 'rasa-sender-ana', verified);
  assert.equal(declined.responses.length, 1);
  assert.deepEqual((await metric(bridge.url, 'sightline_bridge_proactive_answered_total')).sort(), [
    'sightline_bridge_proactive_answered_total{answer="not_now"} 1',
    'sightline_bridge_proactive_answered_total{answer="reply"} 1',
  ]);
});

test('shop with Rasa: a user whose hash failed never reaches Rasa or the webhook, and cannot decline for another', async (t) => {
  const { bridge, clock, rasa, webhook, actionCall } = await rasaFrontedBridge(t);
  const forged = { customData: { userId: 'carla', userHash: signUserId('not-the-identity-secret-0123456789abcdef', 'carla'), language: 'en' } };
  await actionCall('action_ask_llm', 'rasa-sender-mallory', forged);
  const journey = new TabJourney({ productId: 'shop', sessionId: 's2', userId: 'carla', windowId: 'w1', now: () => clock.now() });

  await bridge.pipeline.ingest(pingPong(journey));
  // With nowhere verified to deliver, the offer waits PROACTIVE_HOLD_S, then is dropped and counted.
  await clock.advance(5_000);
  await droppedAndCounted(bridge.url);
  assert.deepEqual(rasa.received, []);
  assert.deepEqual(webhook.received, []);
  const declined = await actionCall('action_sightline_proactive_not_now', 'rasa-sender-mallory', forged);
  assert.deepEqual(declined.responses, [], 'an unverified "Not now" says and changes nothing');
  assert.deepEqual(await metric(bridge.url, 'sightline_bridge_proactive_answered_total'), []);
});

test('shop with Rasa: a user who never typed is reached once their widget loads (/widget_ready runs the bridge\'s action), even for a moment just before', async (t) => {
  const { bridge, clock, rasa, actionCall } = await rasaFrontedBridge(t);
  const journey = new TabJourney({ productId: 'shop', sessionId: 's3', userId: 'dana', windowId: 'w1', now: () => clock.now() });
  await bridge.pipeline.ingest(pingPong(journey));
  assert.equal(rasa.received.length, 0, 'held: no sender known yet');

  // rasa-webchat sends its tooltip payload when it loads; Rasa's rule for widget_ready calls the bridge with the metadata.
  const ready = await actionCall('action_sightline_widget_ready', 'rasa-sender-dana', { customData: { userId: 'dana', userHash: signUserId(SECRET, 'dana'), language: 'en', windowId: 'w1' } }, {
    intent: { name: 'widget_ready', confidence: 1 },
  });
  assert.deepEqual(ready, { events: [], responses: [] }, 'nothing is said');
  await until(() => rasa.received.length > 0, 'the held offer at Rasa');
  assert.equal(rasa.received[0]!.url.pathname, '/conversations/rasa-sender-dana/trigger_intent');
  assert.deepEqual(await metric(bridge.url, 'sightline_bridge_proactive_delivered_total{channel="rasa"'), ['sightline_bridge_proactive_delivered_total{channel="rasa",outcome="sent"} 1']);
});

test('shop with Rasa: /widget_ready with a forged hash teaches the bridge nothing', async (t) => {
  const { bridge, clock, rasa, actionCall } = await rasaFrontedBridge(t);
  await actionCall('action_sightline_widget_ready', 'rasa-sender-eve', { customData: { userId: 'dana', userHash: signUserId('not-the-identity-secret-0123456789abcdef', 'dana') } });
  assert.equal(await bridge.senders.get('dana'), undefined);
  const journey = new TabJourney({ productId: 'shop', sessionId: 's4', userId: 'dana', windowId: 'w1', now: () => clock.now() });
  await bridge.pipeline.ingest(pingPong(journey));
  await clock.advance(5_000);
  await droppedAndCounted(bridge.url);
  assert.deepEqual(rasa.received, []);
});
