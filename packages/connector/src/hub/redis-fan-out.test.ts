import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server, type Socket, connect as connectTcp } from 'node:net';
import { parseEventId } from '@sightline/protocol';
import { redisForTests, type TestRedis } from '@sightline/sdk/testing';
import { hogFlatPayloads } from '../__fixtures__/index.ts';
import { openStream, type OpenStream } from '../testing/sse-client.ts';
import { post, startTestConnector } from '../testing/test-connector.ts';

type TestConnector = Awaited<ReturnType<typeof startTestConnector>>;

async function startOn(t: TestContext, redis: TestRedis | { url: string; prefix: string }): Promise<TestConnector> {
  const connector = await startTestConnector({ batchWindowMs: 0, redis: { url: redis.url, prefix: redis.prefix } });
  t.after(() => connector.cleanup());
  return connector;
}

/** Two connectors on one Redis; the product is registered on the first (the second reads it from Redis). */
async function pair(t: TestContext, redis: TestRedis) {
  const first = await startOn(t, redis);
  const credentials = await first.registerProduct({ productId: 'acme', contactEmail: 'owner@acme.com' });
  const second = await startOn(t, redis);
  return { first, second, credentials, auth: { authorization: `Bearer ${credentials.stream_key}` } };
}

let clicks = 0;
/** One click of a session, with its own time (so every event becomes one action of its own payload). */
function click(sessionId: string): string {
  clicks += 1;
  return JSON.stringify({ ...hogFlatPayloads.buttonClick, session_id: sessionId, timestamp: new Date(Date.UTC(2026, 10, 21, 22, 0, 0, clicks)).toISOString() });
}

async function send(connector: TestConnector, secret: string, sessionId: string): Promise<number> {
  return (await post(`${connector.url}/webhook/acme`, click(sessionId), { 'content-type': 'application/json', 'x-posthog-secret': secret })).status;
}

function frames(stream: OpenStream) {
  return stream.messages.filter((message) => message.event !== 'heartbeat');
}

test('events posted round-robin to two connectors reach a subscriber on each once, in order, with increasing indexes', async (t) => {
  const redis = await redisForTests(t);
  if (!redis) return;
  const { first, second, credentials, auth } = await pair(t, redis);
  const start = `${await first.epochOf('acme')}-0`;
  const streams = [
    await openStream(`${first.url}/stream/acme`, { ...auth, 'last-event-id': start }),
    await openStream(`${second.url}/stream/acme`, { ...auth, 'last-event-id': start }),
  ];
  const total = 20;
  for (let event = 0; event < total; event++) {
    assert.equal(await send(event % 2 === 0 ? first : second, credentials.webhook_secret, event % 4 < 2 ? 's1' : 's2'), 200);
  }
  for (const stream of streams) {
    await stream.until(() => frames(stream).length >= total);
    const ids = frames(stream).map((message) => parseEventId(message.id!)!);
    assert.equal(ids.length, total);
    for (let position = 1; position < ids.length; position++) {
      assert.ok(ids[position]!.epoch === ids[0]!.epoch && ids[position]!.seq > ids[position - 1]!.seq, 'ids strictly increase');
    }
    const indexes = new Map<string, number[]>();
    for (const payload of stream.payloads()) {
      for (const action of payload.actions as Array<{ index: number }>) {
        const list = indexes.get(payload.session_id as string) ?? [];
        list.push(action.index);
        indexes.set(payload.session_id as string, list);
      }
    }
    assert.deepEqual(indexes.get('s1'), Array.from({ length: total / 2 }, (_, index) => index));
    assert.deepEqual(indexes.get('s2'), Array.from({ length: total / 2 }, (_, index) => index));
  }
  assert.deepEqual(frames(streams[0]!).map((message) => message.id), frames(streams[1]!).map((message) => message.id));
  for (const stream of streams) stream.close();
});

test('a client that reconnects to the other connector with Last-Event-ID gets exactly what it missed, no gap', async (t) => {
  const redis = await redisForTests(t);
  if (!redis) return;
  const { first, second, credentials, auth } = await pair(t, redis);
  const stream = await openStream(`${first.url}/stream/acme`, { ...auth, 'last-event-id': `${await first.epochOf('acme')}-0` });
  for (let event = 0; event < 3; event++) await send(first, credentials.webhook_secret, 's1');
  await stream.until(() => frames(stream).length === 3);
  const lastId = frames(stream).at(-1)!.id!;
  stream.close();
  await stream.ended;
  for (let event = 0; event < 4; event++) await send(event % 2 === 0 ? first : second, credentials.webhook_secret, 's1');
  const resumed = await openStream(`${second.url}/stream/acme`, { ...auth, 'last-event-id': lastId });
  await resumed.until(() => frames(resumed).length >= 4);
  const { epoch, seq } = parseEventId(lastId)!;
  assert.deepEqual(frames(resumed).map((message) => message.id), [1, 2, 3, 4].map((step) => `${epoch}-${seq + step}`));
  assert.ok(resumed.payloads().every((payload) => payload.type === 'actions'));
  resumed.close();
});

test('a connector closed and started again keeps the epoch: its clients resume with no gap', async (t) => {
  const redis = await redisForTests(t);
  if (!redis) return;
  const first = await startTestConnector({ batchWindowMs: 0, redis: { url: redis.url, prefix: redis.prefix } });
  const credentials = await first.registerProduct({ productId: 'acme', contactEmail: 'owner@acme.com' });
  const auth = { authorization: `Bearer ${credentials.stream_key}` };
  await send(first, credentials.webhook_secret, 's1');
  await first.flush();
  const epoch = await first.epochOf('acme');
  await first.close();
  const again = await startTestConnector({ batchWindowMs: 0, dataDir: first.dataDir, redis: { url: redis.url, prefix: redis.prefix } });
  t.after(() => again.cleanup());
  assert.equal(await again.epochOf('acme'), epoch);
  await send(again, credentials.webhook_secret, 's1');
  const resumed = await openStream(`${again.url}/stream/acme`, { ...auth, 'last-event-id': `${epoch}-1` });
  await resumed.until(() => frames(resumed).length === 1);
  assert.equal(frames(resumed)[0]!.id, `${epoch}-2`);
  // The session's index continues across the restart too.
  assert.equal((resumed.payloads()[0]!.actions as Array<{ index: number }>)[0]!.index, 1);
  resumed.close();
});

test('after the product\'s keys are deleted (Redis lost its data) clients get a gap and a new epoch, never a reused id', async (t) => {
  const redis = await redisForTests(t);
  if (!redis) return;
  const { first, second, credentials, auth } = await pair(t, redis);
  const live = await openStream(`${second.url}/stream/acme`, { ...auth, 'last-event-id': `${await second.epochOf('acme')}-0` });
  await send(first, credentials.webhook_secret, 's1');
  await live.until(() => frames(live).length === 1);
  const oldId = frames(live)[0]!.id!;
  const [, keys] = await redis.client.scan('0', 'MATCH', `${redis.prefix}{acme}:*`, 'COUNT', 1000);
  await redis.client.del(...keys);
  await send(first, credentials.webhook_secret, 's1');
  // The live stream is ended (its sequence means nothing in the new epoch); the client reconnects with its last id.
  await live.ended;
  const resumed = await openStream(`${first.url}/stream/acme`, { ...auth, 'last-event-id': oldId });
  await resumed.until(() => frames(resumed).length >= 2);
  const [gap, payload] = frames(resumed);
  assert.deepEqual([JSON.parse(gap!.data).type, JSON.parse(gap!.data).reason], ['gap', 'epoch_mismatch']);
  assert.notEqual(payload!.id, oldId);
  assert.ok(parseEventId(payload!.id!)!.epoch > parseEventId(oldId)!.epoch);
  resumed.close();
});

/** A TCP relay to Redis that the test can cut and restore, to see the connector without its Redis. */
async function relayTo(url: string): Promise<{ url: string; cut(): Promise<void>; restore(): Promise<void> }> {
  const target = new URL(url);
  const sockets = new Set<Socket>();
  let server: Server;
  let port = 0;
  const listen = () => new Promise<void>((resolve) => {
    server = createServer((client) => {
      const upstream = connectTcp(Number(target.port || 6379), target.hostname);
      for (const socket of [client, upstream]) {
        sockets.add(socket);
        socket.on('error', () => socket.destroy());
        socket.on('close', () => sockets.delete(socket));
      }
      client.pipe(upstream).pipe(client);
    });
    server.listen(port, '127.0.0.1', () => {
      port = (server.address() as { port: number }).port;
      resolve();
    });
  });
  await listen();
  return {
    url: `redis://127.0.0.1:${port}`,
    async cut() {
      if (!server.listening) return;
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      });
    },
    restore: listen,
  };
}

test('while Redis is away the ingest doors answer 503 SL_EVENT_LOG_UNAVAILABLE, and accept again once it is back', async (t) => {
  const redis = await redisForTests(t);
  if (!redis) return;
  const relay = await relayTo(redis.url);
  t.after(() => relay.cut());
  const connector = await startOn(t, { url: relay.url, prefix: redis.prefix });
  const credentials = await connector.registerProduct({ productId: 'acme', contactEmail: 'owner@acme.com' });
  assert.equal(await send(connector, credentials.webhook_secret, 's1'), 200);
  await connector.flush();
  let accepted = 1;
  await relay.cut();
  let refused: Awaited<ReturnType<typeof post>> | null = null;
  // Until the connector notices the closed connection, a post may still be accepted (and waits for Redis to return).
  while (refused === null) {
    const response = await post(`${connector.url}/webhook/acme`, click('s1'), { 'content-type': 'application/json', 'x-posthog-secret': credentials.webhook_secret });
    if (response.status === 200) accepted += 1;
    else refused = response;
  }
  assert.equal(refused.status, 503);
  assert.equal(refused.json.error?.code, 'SL_EVENT_LOG_UNAVAILABLE');
  await relay.restore();
  let status = 503;
  while (status === 503) status = await send(connector, credentials.webhook_secret, 's1');
  assert.equal(status, 200);
  accepted += 1;
  // Nothing accepted was lost: every accepted event is in the log once Redis is back.
  await connector.flush();
  const replay = await openStream(`${connector.url}/stream/acme`, {
    authorization: `Bearer ${credentials.stream_key}`,
    'last-event-id': `${await connector.epochOf('acme')}-0`,
  });
  await replay.until(() => frames(replay).length >= accepted);
  assert.equal(frames(replay).length, accepted);
  replay.close();
  await connector.close();
  await relay.cut();
});
