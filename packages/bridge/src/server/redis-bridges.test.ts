/**
 * Two bridges on one Redis (docs/scaling.md, "Bridge-only state"): what one bridge learns, the other knows, and a
 * message sent on one reaches a widget connected to the other.
 */
import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import { redisForTests } from '@sightline/sdk/testing';
import { connectWebchat, testBridgeConfig, type WebchatSocket } from './__fixtures__/test-bridge.ts';
import { startBridge, type RunningBridge } from './start-bridge.ts';

const API_KEY = 'bridge-key-for-redis-tests-0123456789abcdef';

/** Two bridges of product `acme` on the test's Redis prefix; null when the test was skipped for want of Redis. */
async function twoBridges(t: TestContext): Promise<[RunningBridge, RunningBridge] | null> {
  const redis = await redisForTests(t);
  if (!redis) return null;
  const config = testBridgeConfig({
    streamUrl: 'http://127.0.0.1:9/stream/acme',
    streamKey: 'sk_unused',
    apiKeys: [API_KEY],
    redisUrl: redis.url,
    redisPrefix: redis.prefix,
  });
  const bridges = [await startBridge(config, { logger: false, connectStream: false }), await startBridge(config, { logger: false, connectStream: false })];
  t.after(() => Promise.all(bridges.map((bridge) => bridge.close())));
  return bridges as [RunningBridge, RunningBridge];
}

/** Waits for an asynchronous condition that depends on real I/O, with a deadline. */
async function eventually(condition: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

function next<T>(socket: WebchatSocket, event: string): Promise<T> {
  return new Promise((resolve) => socket.once(event, (data: T) => resolve(data)));
}

/** A rasa-webchat socket on `bridge` that has spoken once as `userId` in `sessionId` (so it sits in the room). */
async function widget(t: TestContext, bridge: RunningBridge, userId: string, sessionId: string): Promise<WebchatSocket> {
  const socket = connectWebchat(bridge.url, { path: '/socket.io' });
  t.after(() => socket.close());
  socket.emit('session_request', { session_id: sessionId });
  assert.equal(await next<string>(socket, 'session_confirm'), sessionId);
  const answered = next(socket, 'bot_uttered');
  socket.emit('user_uttered', { message: 'hello', session_id: sessionId, customData: { userId } });
  await answered;
  return socket;
}

test('a conversation written through one bridge is read through the other', async (t) => {
  const bridges = await twoBridges(t);
  if (!bridges) return;
  const [first, second] = bridges;
  const response = await fetch(`${first.url}/reply`, {
    method: 'POST',
    headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify({ user_id: 'u-1', query: 'how do I invite a teammate?', conversation_id: 'c1' }),
  });
  assert.equal(response.status, 200);
  await response.json();
  await eventually(async () => (await second.history.get('c1')).length === 2, 'the turn to be committed');
  assert.deepEqual(
    (await second.history.get('c1')).map((turn) => [turn.role, turn.role === 'user' ? turn.content : '…']),
    [['user', 'how do I invite a teammate?'], ['assistant', '…']],
  );
});

test('a proactive message sent on bridge A reaches a rasa-webchat socket connected to bridge B', async (t) => {
  const bridges = await twoBridges(t);
  if (!bridges) return;
  const [first, second] = bridges;
  const socket = await widget(t, second, 'u-1', 'sess-proactive');
  const heard = next<{ text: string }>(socket, 'bot_uttered');
  assert.equal(await first.socket.sendToConversation('sess-proactive', 'Need a hand with the invite?'), true);
  assert.deepEqual(await heard, { text: 'Need a hand with the invite?' });
  assert.equal(await first.socket.sendToConversation('nobody-here', 'hi'), false);
});

test('a socket conversation bound to a user on A is bound on B: another identity gets a fresh one there', async (t) => {
  const bridges = await twoBridges(t);
  if (!bridges) return;
  const [first, second] = bridges;
  await widget(t, first, 'u-1', 'sess-bound');
  assert.equal((await second.senders.get('u-1'))?.socketConversationId, 'sess-bound');
  const intruder = connectWebchat(second.url, { path: '/socket.io' });
  t.after(() => intruder.close());
  intruder.emit('session_request', { session_id: 'sess-bound' });
  assert.equal(await next<string>(intruder, 'session_confirm'), 'sess-bound');
  const moved = next<string>(intruder, 'session_confirm');
  intruder.emit('user_uttered', { message: 'hello', session_id: 'sess-bound', customData: { userId: 'u-2' } });
  assert.notEqual(await moved, 'sess-bound');
});

test('a wrong key counted on bridge A is refused on bridge B before any comparison', async (t) => {
  const bridges = await twoBridges(t);
  if (!bridges) return;
  const [first, second] = bridges;
  const ask = (bridge: RunningBridge) =>
    fetch(`${bridge.url}/reply/u-1?query=hi`, { headers: { authorization: 'Bearer a-wrong-key-someone-guessed' } });
  const wrong = await ask(first);
  assert.equal(wrong.status, 401);
  const refused = await ask(second);
  assert.equal(refused.status, 429);
  assert.equal(((await refused.json()) as { error: { code: string } }).error.code, 'SL_RATE_LIMITED');
});

test('/healthz details report the Redis connection; a memory bridge reports none', async (t) => {
  const bridges = await twoBridges(t);
  if (!bridges) return;
  const health = async () => ((await (await fetch(`${bridges[0].url}/healthz`, { headers: { authorization: `Bearer ${API_KEY}` } })).json()) as { redis?: unknown }).redis;
  await eventually(async () => (await health()) !== undefined && JSON.stringify(await health()) === '{"connected":true}', 'Redis to connect');
  assert.deepEqual(await health(), { connected: true });
  const memory = await startBridge(testBridgeConfig({ streamUrl: 'http://127.0.0.1:9/stream/acme', streamKey: 'sk_unused' }), { logger: false, connectStream: false });
  t.after(() => memory.close());
  assert.equal(((await (await fetch(`${memory.url}/healthz`)).json()) as { redis?: unknown }).redis, undefined);
});
