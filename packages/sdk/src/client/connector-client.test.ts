/**
 * ConnectorClient against a real node:http SSE server on 127.0.0.1:0 (startSseTestServer). Time
 * that matters (backoff, idle, drain deadline) runs on a FakeClock; `waitFor` only waits for I/O.
 */
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { createActionsPayload, createGapPayload, createSummaryPayload, isSightlineError, type ActionsPayload } from '@sightline/protocol';
import { FakeClock, startSseTestServer, type SseTestServer, type SseTestServerOptions } from '@sightline/sdk/testing';
import { ConnectorClient, type DisconnectInfo, type DropEvent } from './connector-client.ts';
import type { ConnectorClientOptions } from './client-options.ts';
import type { Logger } from './logger.ts';

interface LogLine {
  level: keyof Logger;
  message: string;
  fields: Record<string, unknown> | undefined;
}

function recordingLogger(): Logger & { lines: LogLine[] } {
  const lines: LogLine[] = [];
  const at = (level: keyof Logger) => (message: string, fields?: Record<string, unknown>) => void lines.push({ level, message, fields });
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

/** Waits (for I/O, not for time) until `condition` holds; fails after 5 s of real time. */
async function waitFor(condition: () => boolean, what = 'condition'): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > 5000) throw new Error(`timed out waiting for ${what}`);
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((done) => (resolve = done));
  return { promise, resolve };
}

function actions(sessionId: string | null, title: string, productId = 'acme'): ActionsPayload {
  return createActionsPayload({
    product_id: productId,
    session_id: sessionId,
    user_id: 'user-1',
    forwarded_at: 1_700_000_000,
    actions: [{ title, type: 'click', description: `User clicked ${title}`, canonical_url: '/page', timestamp_start: 1_700_000_000 }],
  });
}

interface Harness {
  server: SseTestServer;
  client: ConnectorClient;
  clock: FakeClock;
  logger: ReturnType<typeof recordingLogger>;
  disconnects: DisconnectInfo[];
  connects: number;
  run: Promise<void>;
}

/** A server and a started client, both cleaned up when the test ends. */
async function setUp(
  t: TestContext,
  options: Partial<ConnectorClientOptions> = {},
  serverOptions: SseTestServerOptions = {},
  configure: (client: ConnectorClient) => void = () => undefined,
): Promise<Harness> {
  const server = await startSseTestServer(serverOptions);
  const clock = new FakeClock();
  const logger = recordingLogger();
  const client = new ConnectorClient({ url: server.streamUrl('acme'), token: 'tok', clock, random: () => 0.5, logger, ...options });
  const harness = { server, client, clock, logger, disconnects: [] as DisconnectInfo[], connects: 0 } as Harness;
  client.onConnect(() => void harness.connects++).onDisconnect((info) => void harness.disconnects.push(info));
  configure(client);
  harness.run = client.start();
  harness.run.catch(() => undefined);
  t.after(async () => {
    // A failed test may leave a callback hanging: let the drain deadline pass on the fake clock.
    let stopped = false;
    const stopping = client.stop().then(() => (stopped = true));
    for (let round = 0; round < 5 && !stopped; round++) await clock.advance(10_000);
    // Bounded, so a client bug that makes stop() hang fails the test instead of hanging the run.
    await Promise.race([stopping, new Promise<void>((resolve) => setTimeout(resolve, 2000).unref())]);
    await server.close();
  });
  return harness;
}

test('payloads arrive parsed with their frame id; Accept and the trimmed Bearer token are sent', async (t) => {
  const received: Array<{ type: string; id: string | null }> = [];
  const { server, client } = await setUp(t, { token: '  tok  ' }, { token: 'tok' }, (client) =>
    client
      .onActions((payload, meta) => void received.push({ type: payload.type, id: meta.id }))
      .onSummary((payload, meta) => void received.push({ type: payload.type, id: meta.id })),
  );
  await server.waitForStreams(1);
  server.send(actions('s1', 'Invite'), { id: '7-1' });
  server.send(createSummaryPayload({ product_id: 'acme', session_id: 's1', summary: 'Did things', replaces: 3, forwarded_at: 1 }), { id: '7-2' });
  await waitFor(() => received.length === 2, 'two payloads');
  assert.deepEqual(received, [
    { type: 'actions', id: '7-1' },
    { type: 'summary', id: '7-2' },
  ]);
  const request = server.requests[0]!;
  assert.equal(request.authorization, 'Bearer tok');
  assert.equal(request.headers.accept, 'text/event-stream');
  assert.equal(request.lastEventId, null);
  assert.equal(client.isConnected, true);
  assert.equal(client.lastEventId, '7-2');
});

test('401 is fatal: start() rejects with SL_STREAM_FATAL_STATUS and the status, with no retry and no hooks', async (t) => {
  const harness = await setUp(t, { token: 'wrong' }, { token: 'right' });
  const { server, run, disconnects, clock } = harness;
  const reason = await run.then(
    () => assert.fail('start() resolved'),
    (error: unknown) => error,
  );
  assert.ok(isSightlineError(reason, 'SL_STREAM_FATAL_STATUS'));
  assert.equal(reason.status, 401);
  assert.equal(reason.details.status, 401);
  await clock.advance(60_000);
  assert.equal(server.requests.length, 1);
  assert.equal(disconnects.length, 0);
  assert.equal(harness.connects, 0);
});

for (const status of [403, 404]) {
  test(`${status} is fatal too`, async (t) => {
    const server = await startSseTestServer();
    t.after(() => server.close());
    server.respondWith(status);
    const client = new ConnectorClient({ url: server.streamUrl(), clock: new FakeClock(), logger: recordingLogger() });
    await assert.rejects(client.start(), (error: unknown) => isSightlineError(error, 'SL_STREAM_FATAL_STATUS') && error.status === status);
    assert.equal(server.requests.length, 1);
  });
}

test('other statuses back off 1, 2, 4, 8, 16, 30, 30 s plus jitter, then a connect succeeds', async (t) => {
  const server = await startSseTestServer();
  server.respondWith(503, { times: 7 });
  const clock = new FakeClock();
  const disconnects: DisconnectInfo[] = [];
  let connects = 0;
  const client = new ConnectorClient({ url: server.streamUrl(), clock, random: () => 0.5, logger: recordingLogger() })
    .onDisconnect((info) => void disconnects.push(info))
    .onConnect(() => void connects++);
  t.after(async () => {
    await client.stop();
    await server.close();
  });
  void client.start();
  const delays: number[] = [];
  for (let failure = 1; failure <= 7; failure++) {
    await waitFor(() => disconnects.length === failure && clock.pendingTimers === 1, `failure ${failure}`);
    const [delay] = clock.pendingDelays();
    delays.push(delay!);
    await clock.advance(delay!);
  }
  await waitFor(() => connects === 1, 'the connect');
  assert.deepEqual(delays, [1050, 2100, 4200, 8400, 16_800, 31_500, 31_500]);
  assert.deepEqual(
    disconnects.map((info) => [info.error.code, info.error.details.status, info.retryCount, info.wasConnected]),
    [1, 2, 3, 4, 5, 6, 7].map((count) => ['SL_STREAM_HTTP_STATUS', 503, count, false]),
  );
  assert.equal(server.requests.length, 8);
});

test('maxRetries: 2 means three attempts, then SL_STREAM_RETRIES_EXHAUSTED after the third onDisconnect', async (t) => {
  const { server, run, disconnects, clock } = await setUp(t, { maxRetries: 2 });
  server.respondWith(500, { times: 10 });
  // The first request may already be in flight; it is answered by the script all the same.
  let rejected: unknown;
  run.catch((error: unknown) => (rejected = error));
  for (let failure = 1; failure <= 2; failure++) {
    await waitFor(() => disconnects.length === failure && clock.pendingTimers === 1, `failure ${failure}`);
    await clock.runNext();
  }
  await waitFor(() => rejected !== undefined, 'the rejection');
  assert.ok(isSightlineError(rejected, 'SL_STREAM_RETRIES_EXHAUSTED'));
  assert.equal(rejected.details.attempts, 3);
  assert.equal(disconnects.length, 3);
  assert.equal(server.requests.length, 3);
});

test('maxRetries: 0 fails on the first failure after exactly one onDisconnect', async (t) => {
  const server = await startSseTestServer();
  t.after(() => server.close());
  server.respondWith(502);
  const disconnects: DisconnectInfo[] = [];
  const client = new ConnectorClient({ url: server.streamUrl(), maxRetries: 0, clock: new FakeClock(), logger: recordingLogger() }).onDisconnect(
    (info) => void disconnects.push(info),
  );
  await assert.rejects(client.start(), (error: unknown) => isSightlineError(error, 'SL_STREAM_RETRIES_EXHAUSTED'));
  assert.equal(disconnects.length, 1);
  assert.equal(server.requests.length, 1);
});

test('a stream that stayed up past healthyStreamMs reconnects at once and the backoff starts again from 1 s', async (t) => {
  const { server, clock, disconnects } = await setUp(t, { healthyStreamMs: 30_000 });
  server.respondWith(503, { times: 2 });
  for (let failure = 1; failure <= 2; failure++) {
    await waitFor(() => disconnects.length === failure && clock.pendingTimers === 1, `failure ${failure}`);
    await clock.runNext();
  }
  await server.waitForStreams(1);
  await clock.advance(30_000);
  server.respondWith(503);
  server.dropConnections();
  await waitFor(() => disconnects.length === 4 && clock.pendingTimers === 1, 'the failure after the healthy stream');
  assert.deepEqual(
    disconnects.slice(2).map((info) => [info.error.code, info.retryCount, info.wasConnected]),
    [
      ['SL_STREAM_NETWORK', 0, true],
      ['SL_STREAM_HTTP_STATUS', 1, false],
    ],
  );
  assert.deepEqual(clock.pendingDelays(), [1050]);
  assert.equal(server.requests.length, 4);
});

// docs/decisions/D-2-end-of-stream.md
test('a stream that dies young keeps backing off where it was', async (t) => {
  const { server, clock, disconnects } = await setUp(t);
  server.respondWith(503, { times: 2 });
  for (let failure = 1; failure <= 2; failure++) {
    await waitFor(() => disconnects.length === failure && clock.pendingTimers === 1, `failure ${failure}`);
    await clock.runNext();
  }
  await server.waitForStreams(1);
  server.endStreams();
  await waitFor(() => disconnects.length === 3 && clock.pendingTimers === 1, 'the end of the stream');
  assert.equal(disconnects[2]!.error.code, 'SL_STREAM_ENDED');
  assert.equal(disconnects[2]!.retryCount, 1);
  assert.deepEqual(clock.pendingDelays(), [4200]);
});

test('reconnects send Last-Event-ID with the last id seen, and the Bearer token again', async (t) => {
  const seen: string[] = [];
  const { server, client, clock, disconnects } = await setUp(t, { lastEventId: '5-1' }, {}, (client) =>
    client.onActions((payload) => void seen.push(payload.actions[0]!.title)),
  );
  const first = await server.waitForRequest(1);
  assert.equal(first.lastEventId, '5-1');
  await server.waitForStreams(1);
  server.send(actions('s1', 'two'), { id: '5-2' });
  server.send(actions('s1', 'three'), { id: '5-3' });
  server.heartbeat();
  await waitFor(() => seen.length === 2, 'two payloads');
  server.dropConnections();
  await waitFor(() => disconnects.length === 1 && clock.pendingTimers === 1, 'the disconnect');
  await clock.runNext();
  const second = await server.waitForRequest(2);
  assert.equal(second.lastEventId, '5-3');
  assert.equal(second.authorization, 'Bearer tok');
  assert.equal(client.lastEventId, '5-3');
});

test('heartbeats are skipped: no callback, no malformed count', async (t) => {
  const seen: string[] = [];
  const others: unknown[] = [];
  const { server, client } = await setUp(t, {}, {}, (client) =>
    client.onActions((payload) => void seen.push(payload.actions[0]!.title)).onEvent((raw) => void others.push(raw)),
  );
  await server.waitForStreams(1);
  server.heartbeat();
  server.heartbeat();
  server.send(actions('s1', 'after'));
  await waitFor(() => seen.length === 1, 'the payload');
  assert.deepEqual(seen, ['after']);
  assert.deepEqual(others, []);
  assert.equal(client.malformedCount, 0);
});

test('a stream silent for idleTimeoutMs is dropped and reconnected; a heartbeat keeps it alive', async (t) => {
  const { server, client, clock, disconnects } = await setUp(t, { idleTimeoutMs: 5000 });
  await server.waitForStreams(1);
  await waitFor(() => client.isConnected, 'the connect');
  await clock.advance(4000);
  server.heartbeat();
  await waitFor(() => client.lastReceivedAt === clock.now(), 'the heartbeat');
  await clock.advance(4000);
  assert.equal(disconnects.length, 0);
  assert.equal(client.isConnected, true);
  await clock.advance(1000);
  await waitFor(() => disconnects.length === 1, 'the idle disconnect');
  assert.equal(disconnects[0]!.error.code, 'SL_STREAM_IDLE_TIMEOUT');
  await waitFor(() => clock.pendingTimers === 1, 'the backoff timer');
  await clock.runNext();
  await server.waitForStreams(2);
  assert.equal(server.requests.length, 2);
});

test('a connect that gets no answer times out after connectTimeoutMs and is retried', async (t) => {
  const { server, clock, disconnects } = await setUp(t, { connectTimeoutMs: 2000 });
  server.respondWith(200, { hang: true });
  await server.waitForRequest(1);
  await clock.advance(2000);
  await waitFor(() => disconnects.length === 1, 'the timeout');
  assert.equal(disconnects[0]!.error.code, 'SL_STREAM_CONNECT_TIMEOUT');
});

test('a wrong content type is not "connected" and is retried', async (t) => {
  const { server, clock, disconnects, client } = await setUp(t);
  server.respondWith(200, { contentType: 'text/html', body: '<html></html>' });
  await waitFor(() => disconnects.length === 1, 'the failure');
  assert.equal(disconnects[0]!.error.code, 'SL_STREAM_CONTENT_TYPE');
  assert.equal(disconnects[0]!.wasConnected, false);
  await waitFor(() => clock.pendingTimers === 1, 'the backoff');
  await clock.runNext();
  await waitFor(() => client.isConnected, 'the second connect');
});

test('a full queue drops the newest payloads, counts them and reports each to onDrop', async (t) => {
  const gate = deferred();
  const handled: string[] = [];
  const drops: DropEvent[] = [];
  const { server, client } = await setUp(t, { maxQueueSize: 3 }, {}, (client) =>
    client
      .onActions(async (payload) => {
        await gate.promise;
        handled.push(payload.actions[0]!.title);
      })
      .onDrop((drop) => void drops.push(drop)),
  );
  await server.waitForStreams(1);
  for (const title of ['1', '2', '3', '4', '5', '6']) server.send(actions(title === '1' ? 's1' : 's2', title));
  await waitFor(() => client.droppedCount === 3, 'three drops');
  assert.equal(client.queueSize, 3);
  assert.deepEqual(
    drops.map((drop) => [drop.reason, drop.totalDropped, (drop.payload as ActionsPayload).actions[0]!.title]),
    [
      ['queue_full', 1, '4'],
      ['queue_full', 2, '5'],
      ['queue_full', 3, '6'],
    ],
  );
  gate.resolve();
  await waitFor(() => handled.length === 3, 'the queued payloads');
  assert.deepEqual(handled.sort(), ['1', '2', '3']);
  assert.equal(client.queueSize, 0);
});

test('one session stays in order behind a slow callback while other sessions go on', async (t) => {
  const gate = deferred();
  const handled: string[] = [];
  const { server } = await setUp(t, {}, {}, (client) =>
    client.onActions(async (payload) => {
      const title = payload.actions[0]!.title;
      if (title === 'slow-1') await gate.promise;
      handled.push(title);
    }),
  );
  await server.waitForStreams(1);
  server.send(actions('slow', 'slow-1'));
  server.send(actions('slow', 'slow-2'));
  server.send(actions('fast', 'fast-1'));
  server.send(actions('slow', 'slow-3'));
  server.send(actions('fast', 'fast-2'));
  server.send(actions('acme-other', 'other-1', 'other-product'));
  await waitFor(() => handled.length === 3, 'the other sessions');
  assert.deepEqual(handled.filter((title) => title.startsWith('fast')), ['fast-1', 'fast-2']);
  assert.ok(handled.includes('other-1'));
  gate.resolve();
  await waitFor(() => handled.length === 6, 'the slow session');
  assert.deepEqual(handled.slice(3), ['slow-1', 'slow-2', 'slow-3']);
});

test('payloads without a session id are ordered by user id, then under _nosession', async (t) => {
  const gate = deferred();
  const handled: string[] = [];
  const { server } = await setUp(t, {}, {}, (client) =>
    client.onActions(async (payload) => {
      const title = payload.actions[0]!.title;
      if (title === 'u-1') await gate.promise;
      handled.push(title);
    }),
  );
  await server.waitForStreams(1);
  server.send(actions(null, 'u-1'));
  server.send(actions(null, 'u-2'));
  server.send(createActionsPayload({ product_id: 'acme', forwarded_at: 1, actions: [{ title: 'anonymous' }] }));
  await waitFor(() => handled.length === 1, 'the anonymous payload');
  assert.deepEqual(handled, ['anonymous']);
  gate.resolve();
  await waitFor(() => handled.length === 3, 'the user lane');
  assert.deepEqual(handled, ['anonymous', 'u-1', 'u-2']);
});

test('stop() aborts the stream, waits for queued payloads to be handled, then resolves start() too', async (t) => {
  const gate = deferred();
  const handled: string[] = [];
  const { server, client, run } = await setUp(t, {}, {}, (client) =>
    client.onActions(async (payload) => {
      await gate.promise;
      handled.push(payload.actions[0]!.title);
    }),
  );
  await server.waitForStreams(1);
  for (const title of ['a', 'b', 'c', 'd', 'e']) server.send(actions(title === 'e' ? 's2' : 's1', title));
  await waitFor(() => client.queueSize === 5, 'five queued payloads');
  let stopped = false;
  const stopping = client.stop().then(() => (stopped = true));
  await waitFor(() => server.openStreams === 0, 'the aborted request');
  assert.equal(stopped, false);
  gate.resolve();
  await stopping;
  await run;
  assert.deepEqual(handled.sort(), ['a', 'b', 'c', 'd', 'e']);
  assert.equal(client.droppedCount, 0);
  assert.equal(client.isConnected, false);
  assert.equal(server.requests.length, 1);
});

test('stop() gives up after drainTimeoutMs and reports what was left to onDrop as shutdown', async (t) => {
  const drops: DropEvent[] = [];
  const { server, client, clock } = await setUp(t, { drainTimeoutMs: 10_000 }, {}, (client) =>
    client.onActions(() => new Promise<void>(() => undefined)).onDrop((drop) => void drops.push(drop)),
  );
  await server.waitForStreams(1);
  server.send(actions('s1', 'stuck'));
  server.send(actions('s1', 'waiting-1'));
  server.send(actions('s1', 'waiting-2'));
  await waitFor(() => client.queueSize === 3, 'three queued payloads');
  let stopped = false;
  const stopping = client.stop().then(() => (stopped = true));
  await waitFor(() => clock.pendingTimers === 1, 'the drain deadline');
  await clock.advance(9_999);
  assert.equal(stopped, false);
  await clock.advance(1);
  await stopping;
  assert.deepEqual(
    drops.map((drop) => [drop.reason, (drop.payload as ActionsPayload).actions[0]!.title, drop.totalDropped]),
    [
      ['shutdown', 'waiting-1', 1],
      ['shutdown', 'waiting-2', 2],
    ],
  );
  assert.equal(client.droppedCount, 2);
});

test('malformed frames are skipped and counted; the connection stays up', async (t) => {
  const seen: string[] = [];
  const { server, client, logger } = await setUp(t, {}, {}, (client) => client.onActions((payload) => void seen.push(payload.actions[0]!.title)));
  await server.waitForStreams(1);
  server.sendRaw('data: {not json\n\n');
  server.sendRaw('data: [1, 2]\n\n');
  server.sendRaw('data: {"type":"actions","actions":5}\n\n');
  server.sendRaw('data: {"type":"actions","forwarded_at":"yesterday"}\n\n');
  server.send(actions('s1', 'valid'));
  await waitFor(() => seen.length === 1, 'the valid payload');
  assert.equal(client.malformedCount, 4);
  assert.equal(client.droppedCount, 0);
  assert.equal(server.requests.length, 1);
  assert.ok(logger.lines.some((line) => line.level === 'warn' && line.fields?.data === '{not json'));
});

test('an unfinished event past maxFrameLength breaks the connection (SL_STREAM_FRAME_TOO_LARGE) and the client reconnects', async (t) => {
  const seen: string[] = [];
  const { server, client, clock, disconnects } = await setUp(t, { maxFrameLength: 1024 }, {}, (client) =>
    client.onActions((payload) => void seen.push(payload.actions[0]!.title)),
  );
  await server.waitForStreams(1);
  server.send(actions('s1', 'small'), { id: '2-1' });
  await waitFor(() => seen.length === 1, 'the small payload');
  // An event the server never finishes: the client must not buffer it without bound.
  server.sendRaw(`id: 2-2\ndata: {"type":"actions","actions":[{"title":"${'x'.repeat(2000)}`);
  await waitFor(() => disconnects.length === 1 && clock.pendingTimers === 1, 'the disconnect');
  assert.equal(disconnects[0]!.error.code, 'SL_STREAM_FRAME_TOO_LARGE');
  assert.equal(disconnects[0]!.wasConnected, true);
  assert.deepEqual(seen, ['small']);
  await clock.runNext();
  assert.equal((await server.waitForRequest(2)).lastEventId, '2-1');
  await waitFor(() => client.isConnected, 'the reconnect');
});

test('a throwing callback is logged with its session and the stream goes on', async (t) => {
  const seen: string[] = [];
  const { server, logger } = await setUp(t, {}, {}, (client) =>
    client.onActions((payload) => {
      const title = payload.actions[0]!.title;
      if (title === 'boom') throw new Error('handler bug');
      seen.push(title);
    }),
  );
  await server.waitForStreams(1);
  server.send(actions('s1', 'boom'));
  server.send(actions('s1', 'next'));
  await waitFor(() => seen.length === 1, 'the next payload');
  const line = logger.lines.find((entry) => entry.level === 'error');
  assert.equal(line?.fields?.session_id, 's1');
  assert.equal(line?.fields?.product_id, 'acme');
});

test('gap frames reach onGap after the payloads before them, other types reach onEvent', async (t) => {
  const log: string[] = [];
  const gate = deferred();
  const harness = await setUp(t, {}, {}, (client) =>
    client
      .onActions(async (payload) => {
        const title = payload.actions[0]!.title;
        if (title === 'before') await gate.promise;
        log.push(title);
      })
      .onGap((payload) => void log.push(`gap:${payload.last_event_id}:${payload.reason}`))
      .onEvent((raw) => void log.push(`event:${String(raw.type)}`)),
  );
  const { server } = harness;
  await server.waitForStreams(1);
  server.send(actions('s1', 'before'), { id: '9-1' });
  server.send(createGapPayload({ product_id: 'acme', last_event_id: '3-4', resumed_from: '9-2', reason: 'expired', forwarded_at: 1 }));
  server.send(actions('s2', 'after'), { id: '9-2' });
  server.send({ type: 'usertour_trigger', product_id: 'acme', flow_id: 'f1', session_id: 's3' });
  const { client } = harness;
  await waitFor(() => client.queueSize === 4, 'all four accepted');
  assert.deepEqual(log, []);
  gate.resolve();
  await waitFor(() => log.length === 4, 'all four');
  assert.deepEqual(log.slice(0, 2), ['before', 'gap:3-4:expired']);
  assert.deepEqual(log.slice(2).sort(), ['after', 'event:usertour_trigger']);
});

test('an external AbortSignal stops the client and start() rejects with SL_STREAM_ABORTED', async (t) => {
  const controller = new AbortController();
  const { server, run } = await setUp(t, { signal: controller.signal });
  await server.waitForStreams(1);
  controller.abort(new Error('shutting down'));
  await assert.rejects(run, (error: unknown) => isSightlineError(error, 'SL_STREAM_ABORTED'));
  const already = new ConnectorClient({ url: server.streamUrl(), signal: controller.signal, logger: recordingLogger() });
  await assert.rejects(already.start(), (error: unknown) => isSightlineError(error, 'SL_STREAM_ABORTED'));
});

test('start() while running rejects with SL_CLIENT_ALREADY_STARTED; after stop() it can start again', async (t) => {
  const { server, client, run } = await setUp(t);
  await server.waitForStreams(1);
  await assert.rejects(client.start(), (error: unknown) => isSightlineError(error, 'SL_CLIENT_ALREADY_STARTED'));
  await client.stop();
  await run;
  const again = client.start();
  await server.waitForStreams(2);
  await client.stop();
  await again;
});

test('stop() during a backoff wait resolves at once', async (t) => {
  const { server, client, run, clock, disconnects } = await setUp(t);
  server.respondWith(503);
  await waitFor(() => disconnects.length === 1 && clock.pendingTimers === 1, 'the backoff');
  await client.stop();
  await run;
  assert.equal(clock.pendingTimers, 0);
  assert.equal(server.requests.length, 1);
});

test('stop() right as a large stream ends still resolves (the pending read is cancelled, not just aborted)', { timeout: 10_000 }, async (t) => {
  const total = 20_000;
  let handled = 0;
  let stopping: Promise<void> | undefined;
  const { server, run, client } = await setUp(t, {}, {}, (client) =>
    client.onActions(() => {
      if (++handled === total) stopping = client.stop();
    }),
  );
  await server.waitForStreams(1);
  const frame = actions('s1', 'bulk');
  for (let index = 0; index < total; index++) server.send(frame, { id: `1-${index}` });
  server.endStreams();
  await waitFor(() => stopping !== undefined, 'the last payload');
  await stopping;
  await run;
  assert.equal(client.isConnected, false);
});

test("the README's testing example runs as written", { timeout: 10_000 }, async () => {
  const server = await startSseTestServer({ token: 'sk_test' });
  const clock = new FakeClock();
  const client = new ConnectorClient({ url: server.streamUrl('acme'), token: 'sk_test', clock, logger: recordingLogger() });
  const handled = new Promise<void>((resolve) => client.onActions(() => resolve()));
  const disconnected = new Promise<void>((resolve) => client.onDisconnect(() => resolve()));
  void client.start();
  await server.waitForStreams(1);
  server.send(createActionsPayload({ product_id: 'acme', session_id: 's1', forwarded_at: 1 }), { id: '1-1' });
  await handled;
  server.dropConnections();
  await disconnected;
  await clock.advance(1100);
  assert.equal((await server.waitForRequest(2)).lastEventId, '1-1');
  await client.stop();
  await server.close();
});

test('an id fetch cannot send as a header is resumed through the last_event_id query parameter', async (t) => {
  const seen: string[] = [];
  const { server, clock, disconnects } = await setUp(t, {}, {}, (client) => client.onActions((payload) => void seen.push(payload.actions[0]!.title)));
  await server.waitForStreams(1);
  server.send(actions('s1', 'one'), { id: 'épique-☃' });
  await waitFor(() => seen.length === 1, 'the payload');
  server.dropConnections();
  await waitFor(() => disconnects.length === 1 && clock.pendingTimers === 1, 'the disconnect');
  await clock.runNext();
  const second = await server.waitForRequest(2);
  assert.equal(second.lastEventId, null);
  assert.equal(new URL(second.path, server.url).searchParams.get('last_event_id'), 'épique-☃');
});
