/**
 * Proactive help across bridges (docs/proactive.md, "Several bridges"): the ledger's contract on memory and on Redis,
 * and two bridges on one Redis that both evaluate the same moment delivering one offer to a widget on either.
 */
import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import type { Redis } from 'ioredis';
import { FakeClock, redisForTests } from '@sightline/sdk/testing';
import { signUserId } from '../identity/user-hash.ts';
import { bridgeRedis } from '../redis/bridge-redis.ts';
import { connectWebchat, testBridgeConfig, until, type WebchatSocket } from '../server/__fixtures__/test-bridge.ts';
import { startBridge, type RunningBridge } from '../server/start-bridge.ts';
import { WIDGET_READY_PAYLOAD } from '../socket/socket-channel.ts';
import { TabJourney } from './__fixtures__/tab-journey.ts';
import { MemoryProactiveLedger, type ProactiveLedger } from './proactive-ledger.ts';
import { PROACTIVE_DEFAULTS } from './proactive-settings.ts';
import { RedisProactiveLedger } from './redis-proactive-ledger.ts';

const SECRET = 'identity-secret-for-redis-proactive-0123456789';
const USER = 'ana@example.com';

async function ledgerContract(ledger: ProactiveLedger, now: number): Promise<void> {
  assert.equal(await ledger.claim('acme|s1|w1|canonical_url_ping_pong|/a|/b@1', 60_000), true, 'the first claimer wins');
  assert.equal(await ledger.claim('acme|s1|w1|canonical_url_ping_pong|/a|/b@1', 60_000), false, 'a second claim of the same hit loses');
  assert.equal(await ledger.claim('acme|s1|w2|canonical_url_ping_pong|/a|/b@1', 60_000), true, 'another tab is another hit');

  assert.deepEqual(await ledger.read(USER), { fired: [], dismissedUntil: null, dismissals: 0 });
  await ledger.recordFired(USER, 'canonical_url_ping_pong', now - 7_200_000, 86_400_000);
  await ledger.recordFired(USER, 'repeated_failure', now, 3_600_000);
  assert.deepEqual((await ledger.read(USER)).fired, [{ triggerId: 'repeated_failure', at: now }], 'entries older than the window kept are dropped');
  assert.equal(await ledger.recordDismissed(USER, now + 3_600_000, 86_400_000), 1);
  assert.equal(await ledger.recordDismissed(USER, now + 7_200_000, 86_400_000), 2);
  assert.deepEqual(await ledger.read(USER), { fired: [{ triggerId: 'repeated_failure', at: now }], dismissedUntil: now + 7_200_000, dismissals: 2 });
  assert.equal(await ledger.forgetUser(USER), true);
  assert.deepEqual(await ledger.read(USER), { fired: [], dismissedUntil: null, dismissals: 0 });
  assert.equal(await ledger.forgetUser(USER), false);
}

test('the memory ledger keeps its contract, and a claim expires with its time', async () => {
  const clock = new FakeClock();
  const ledger = new MemoryProactiveLedger({ clock });
  await ledgerContract(ledger, clock.now());
  assert.equal(await ledger.claim('hit', 1000), true);
  await clock.advance(999);
  assert.equal(await ledger.claim('hit', 1000), false);
  await clock.advance(1);
  assert.equal(await ledger.claim('hit', 1000), true);
});

test('the Redis ledger keeps the same contract, and its keys never show a user id', { timeout: 60_000 }, async (t) => {
  const redis = await redisForTests(t);
  if (!redis) return;
  const clock = new FakeClock({ now: Date.now() });
  const connection = bridgeRedis(redis.client, redis.prefix, 'acme');
  const ledger = new RedisProactiveLedger({ redis: connection, clock });
  await ledger.recordFired(USER, 'container_idle', clock.now(), 60_000);
  const keys = await scanKeys(redis.client, redis.prefix);
  assert.ok(keys.length > 0 && keys.every((key) => !key.includes(USER) && key.includes('{acme}:proactive:')), keys.join(', '));
  await ledger.forgetUser(USER);
  await ledgerContract(ledger, clock.now());
});

/** The keys under the test's prefix (SCAN, never KEYS). */
async function scanKeys(client: Redis, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await client.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
    keys.push(...batch);
    cursor = next;
  } while (cursor !== '0');
  return keys;
}

async function widgetOn(t: TestContext, bridge: RunningBridge, userId: string) {
  const socket: WebchatSocket = connectWebchat(bridge.url, { path: '/socket.io', transports: ['websocket'] });
  t.after(() => void socket.close());
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  socket.emit('session_request', { session_id: null });
  const sessionId = await new Promise<string>((resolve) => socket.once('session_confirm', (id: string) => resolve(id)));
  const received: Array<{ text: string }> = [];
  socket.on('bot_uttered', (data: never) => received.push(data));
  socket.emit('user_uttered', { message: WIDGET_READY_PAYLOAD, session_id: sessionId, customData: { userId, userHash: signUserId(SECRET, userId), windowId: 'w1' } });
  return { received, close: () => void socket.close() };
}

test('two bridges on one Redis that both evaluate the moment deliver one offer, to the widget connected to either', { timeout: 60_000 }, async (t) => {
  const redis = await redisForTests(t);
  if (!redis) return;
  const clock = new FakeClock({ now: Date.now() });
  const config = testBridgeConfig({
    streamUrl: 'http://127.0.0.1:9/stream/acme',
    streamKey: 'sk_unused',
    identitySecrets: [SECRET],
    corsOrigins: '*',
    redisUrl: redis.url,
    redisPrefix: redis.prefix,
    proactive: { ...PROACTIVE_DEFAULTS, enabled: true },
  });
  const bridges = [await startBridge(config, { logger: false, connectStream: false, clock }), await startBridge(config, { logger: false, connectStream: false, clock })];
  t.after(() => Promise.all(bridges.map((bridge) => bridge.close())));
  const [first, second] = bridges as [RunningBridge, RunningBridge];
  const widget = await widgetOn(t, second, 'ana');
  await until(() => second.socket.connectedCount > 0, 'the widget');
  const deadline = Date.now() + 5000;
  while ((await first.socket.widgetsOf('ana')).verified.length === 0) {
    if (Date.now() > deadline) assert.fail('bridge A never saw the widget on bridge B');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }

  const journey = new TabJourney({ productId: 'acme', sessionId: 's1', userId: 'ana', windowId: 'w1', now: () => clock.now() });
  const payload = journey.payload(journey.navigate('Billing', '/billing'), journey.navigate('Team', '/team'), journey.navigate('Billing', '/billing'), journey.navigate('Team', '/team'));
  await Promise.all([first.pipeline.ingest(payload), second.pipeline.ingest(structuredClone(payload))]);
  await until(() => widget.received.length > 0, 'the offer');

  const fired = async (bridge: RunningBridge) => {
    const text = await (await fetch(`${bridge.url}/metrics`)).text();
    return text.split('\n').filter((line) => line.startsWith('sightline_bridge_proactive_fired_total{')).reduce((total, line) => total + Number(line.split(' ').at(-1)), 0);
  };
  const evaluated = async (bridge: RunningBridge) => Number(/^sightline_bridge_proactive_evaluated_total (\d+)$/m.exec(await (await fetch(`${bridge.url}/metrics`)).text())?.[1]);
  assert.deepEqual([await evaluated(first), await evaluated(second)], [1, 1], 'both bridges evaluated the moment');
  assert.equal((await fired(first)) + (await fired(second)), 1, 'one bridge fired it');
  assert.deepEqual(widget.received.map((message) => message.text), ['Going back and forth between Billing and Team? I can help you find what you need.']);
  widget.close();
});
