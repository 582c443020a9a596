/**
 * Scale out on Redis (docs/scaling.md), proved in one test: two connectors, run as processes of the `sightline connector`
 * command, and two bridges share one Redis. A sender that retries like PostHog (a connection error or a 5xx is posted
 * again, to the next connector) posts PostHog webhook events round-robin to both connectors; mid-stream connector A is
 * killed with SIGKILL and started again on its port, and bridge X is closed and started again. Every event reaches the
 * shared state exactly once, both bridges give the same grounded reply, and a stream client that hops from A to B
 * (when A dies) and back to A with `Last-Event-ID` loses nothing, sees nothing twice and gets no `gap`.
 *
 * Connector A's first life batches with a window longer than the test, so when it is killed every event it
 * acknowledged is held in Redis and none is logged: B takes them over after the grace time and logs them once
 * (docs/scaling.md, "Nothing acknowledged is lost"), while the sender's posts to the dead A are retried on B.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { BRIDGE_DEFAULTS, resolveLlmSettings, startBridge, type BridgeConfig, type RunningBridge } from '@sightline/bridge';
import { createParser } from 'eventsource-parser';
import { compareEventIds, parseEventId, type EventId } from '@sightline/protocol';
import { redisForTests, type TestRedis } from '@sightline/sdk/testing';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CLI = join(ROOT, 'packages/cli/src/main.ts');
const PRODUCT = 'scale';
const CONNECTOR_ADMIN_TOKEN = randomBytes(24).toString('hex');
const BRIDGE_KEY = randomBytes(24).toString('hex');
const USERS = ['ann', 'bob', 'cid', 'dee', 'eve'];
/** Each user's workspace, in their URLs (a path segment naming the user would be redacted by the connector). */
const WORKSPACES: Record<string, string> = { ann: 'north', bob: 'south', cid: 'east', dee: 'west', eve: 'harbour' };
const PAGES = ['billing', 'invoices', 'team', 'settings', 'reports', 'exports', 'alerts', 'budgets', 'charts', 'domains', 'editor', 'feeds', 'goals', 'hooks'];
/** Events in posting order: each user's pages in turn, users interleaved (five users over two connectors, so each user's events reach both). */
const EVENTS = PAGES.flatMap((page) => USERS.map((user) => ({ user, session: `s-${user}`, url: `https://app.example.com/${WORKSPACES[user]}/${page}`, uuid: randomUUID() })));
/** Where, in posting order, each disruption happens. */
const KILL_A_AT = 20;
const RESTART_A_AT = 24;
const CLOSE_X_AT = 30;
const BACK_TO_A_AT = 40;
const START_X_AT = 45;

/** Generous: a loaded 2-core machine starts a connector process in seconds, and bridges reconnect with backoff. */
const DEADLINE_MS = 45_000;

async function eventually(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = DEADLINE_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

interface ConnectorProcess {
  url: string;
  port: number;
  child: ChildProcess;
  exited: Promise<void>;
  /** The latest output of the process (for failure messages). */
  output(): string;
}

/** Starts `sightline connector` on Redis in a process of its own and resolves with its URL once it listens. */
async function spawnConnector(redis: TestRedis, dataDir: string, port: number, batchWindowMs = 0): Promise<ConnectorProcess> {
  const args = [
    '--conditions=source', '--import', import.meta.resolve('tsx'), CLI, 'connector',
    '--host', '127.0.0.1', '--port', String(port), '--data-dir', dataDir,
    '--redis', redis.url, '--redis-prefix', redis.prefix, '--batch-window-ms', String(batchWindowMs), '--inbox-grace-s', '1',
    '--log-level', 'warn',
  ];
  const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, CONNECTOR_ADMIN_TOKEN }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-8000)));
  child.stderr!.on('data', (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-8000);
    if (!stderr.includes('listening on')) stderr += chunk.toString();
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the connector did not listen within ${DEADLINE_MS} ms:\n${output}`)), DEADLINE_MS);
    const check = () => {
      const match = /listening on (http:\/\/\S+)/.exec(stderr);
      if (!match) return;
      clearTimeout(timer);
      child.stderr!.off('data', check);
      resolve(match[1]!);
    };
    child.stderr!.on('data', check);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`the connector exited (${code ?? signal}) before listening:\n${output}`));
    });
  });
  return { url, port: Number(new URL(url).port), child, exited, output: () => output };
}

async function stopConnector(connector: ConnectorProcess | undefined): Promise<void> {
  if (!connector || connector.child.exitCode !== null || connector.child.signalCode !== null) return;
  connector.child.kill('SIGTERM');
  const timer = setTimeout(() => connector.child.kill('SIGKILL'), 15_000);
  await connector.exited;
  clearTimeout(timer);
}

/** Posts each event until a connector takes it: a connection error or a 5xx is posted again to the next connector. */
class RetryingSender {
  retried = 0;
  private turn = 0;

  constructor(private readonly connectors: () => string[], private readonly webhookSecret: string) {}

  async send(event: (typeof EVENTS)[number]): Promise<void> {
    const body = JSON.stringify({ event: '$pageview', uuid: event.uuid, timestamp: new Date().toISOString(), session_id: event.session, distinct_id: event.user, current_url: event.url });
    const deadline = Date.now() + DEADLINE_MS;
    for (;;) {
      const urls = this.connectors();
      const url = `${urls[this.turn++ % urls.length]}/webhook/${PRODUCT}`;
      try {
        const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-posthog-secret': this.webhookSecret }, body });
        await response.arrayBuffer();
        if (response.status === 200) return;
        assert.ok(response.status >= 500, `${url} refused ${event.url} with ${response.status}`);
      } catch (error) {
        if (error instanceof assert.AssertionError) throw error;
        // A connection error: the connector is down; nothing was accepted.
      }
      this.retried += 1;
      if (Date.now() > deadline) assert.fail(`no connector took ${event.url}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

interface StreamFrame {
  id: string;
  payload: { type: string; actions?: Array<{ canonical_url?: string }> };
}

/** An SSE client of the product's stream that can move to another connector, resuming with `Last-Event-ID`. */
class HoppingStream {
  readonly frames: StreamFrame[] = [];
  readonly hops: string[] = [];
  lastEventId = '';
  private controller: AbortController | null = null;
  private reading: Promise<void> = Promise.resolve();

  constructor(private readonly streamKey: string) {}

  async connect(connectorUrl: string): Promise<void> {
    const controller = new AbortController();
    const headers: Record<string, string> = { accept: 'text/event-stream', authorization: `Bearer ${this.streamKey}` };
    if (this.lastEventId !== '') headers['last-event-id'] = this.lastEventId;
    const response = await fetch(`${connectorUrl}/stream/${PRODUCT}`, { headers, signal: controller.signal });
    assert.equal(response.status, 200, `the stream of ${connectorUrl} opens`);
    this.controller = controller;
    this.hops.push(connectorUrl);
    const text = new TextDecoder();
    const parser = createParser({
      onEvent: (message) => {
        if (message.event === 'heartbeat') return;
        // An id persists until another id line changes it (the EventSource rule); payload frames carry their own.
        if (message.id !== undefined) this.lastEventId = message.id;
        this.frames.push({ id: this.lastEventId, payload: JSON.parse(message.data) as StreamFrame['payload'] });
      },
    });
    this.reading = (async () => {
      try {
        const reader = response.body!.getReader();
        for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
          parser.feed(text.decode(chunk.value, { stream: true }));
        }
      } catch {
        // The connector died or the client moved on; what it got is kept, and the next connect resumes after it.
      }
    })();
  }

  /** Resolves when the current connection has ended (its connector went away). */
  ended(): Promise<void> {
    return this.reading;
  }

  async close(): Promise<void> {
    this.controller?.abort();
    await this.reading;
  }

  urls(): string[] {
    return this.frames.flatMap((frame) => (frame.payload.actions ?? []).map((action) => action.canonical_url ?? ''));
  }
}

test('two connectors and two bridges on one Redis: a connector killed and a bridge restarted lose nothing and repeat nothing', { timeout: 110_000 }, async (t) => {
  const redis = await redisForTests(t);
  if (!redis) return;
  const dataDirs = [await mkdtemp(join(tmpdir(), 'sightline-scale-a-')), await mkdtemp(join(tmpdir(), 'sightline-scale-b-'))] as const;
  const running: { a?: ConnectorProcess; b?: ConnectorProcess; bridges: RunningBridge[]; stream?: HoppingStream } = { bridges: [] };
  t.after(async () => {
    await running.stream?.close();
    await Promise.all(running.bridges.map((bridge) => bridge.close()));
    await Promise.all([stopConnector(running.a), stopConnector(running.b)]);
    await Promise.all(dataDirs.map((dir) => rm(dir, { recursive: true, force: true })));
  });

  // A's first life never ends a batching window: what it acknowledges stays held until it dies.
  const [a, b] = await Promise.all([spawnConnector(redis, dataDirs[0], 0, 3_600_000), spawnConnector(redis, dataDirs[1], 0)]);
  running.a = a;
  running.b = b;
  const admin = { authorization: `Bearer ${CONNECTOR_ADMIN_TOKEN}`, 'content-type': 'application/json' };
  const registered = await fetch(`${a.url}/products`, { method: 'POST', headers: admin, body: JSON.stringify({ product_id: PRODUCT, contact_email: 'owner@example.com' }) });
  const registeredBody = await registered.text();
  assert.equal(registered.status, 201, registeredBody);
  const credentials = JSON.parse(registeredBody) as { stream_key: string; webhook_secret: string };
  await eventually(async () => (await fetch(`${b.url}/products/${PRODUCT}`, { headers: admin })).status === 200, 'connector B to learn of the product registered on A');

  // Bridge X reads the stream of B, bridge Y the stream of A (so Y goes through A's death and comes back).
  const bridgeConfig = (connectorUrl: string): BridgeConfig => ({
    ...BRIDGE_DEFAULTS,
    host: '127.0.0.1',
    port: 0,
    adminToken: null,
    apiKeys: [BRIDGE_KEY],
    llm: resolveLlmSettings({ LLM_PROVIDER: 'offline' }),
    streamUrl: `${connectorUrl}/stream/${PRODUCT}`,
    streamKey: credentials.stream_key,
    redisUrl: redis.url,
    redisPrefix: redis.prefix,
  });
  let x = await startBridge(bridgeConfig(b.url), { logger: false });
  running.bridges.push(x);
  const y = await startBridge(bridgeConfig(a.url), { logger: false });
  running.bridges.push(y);
  await eventually(() => x.streamState().isConnected && y.streamState().isConnected, 'both bridges to connect');

  const stream = new HoppingStream(credentials.stream_key);
  running.stream = stream;
  await stream.connect(a.url);

  let connectors = [a.url, b.url];
  const sender = new RetryingSender(() => connectors, credentials.webhook_secret);
  let restartingA: Promise<ConnectorProcess> | null = null;
  for (const [position, event] of EVENTS.entries()) {
    if (position === KILL_A_AT) {
      // A has acknowledged events it never logged; it dies mid-stream with them.
      const held = await redis.client.hlen(`${redis.prefix}{${PRODUCT}}:inbox`);
      assert.ok(held >= 5, `A acknowledged events it has not logged (${held} held)`);
      a.child.kill('SIGKILL');
      await a.exited;
      await stream.ended();
      await stream.connect(b.url);
    }
    if (position === RESTART_A_AT) {
      // The sender has met the dead A by now (its posts there were retried on B); A comes back on its port.
      restartingA = spawnConnector(redis, dataDirs[0], a.port);
    }
    if (position === CLOSE_X_AT) {
      await x.close();
      running.bridges.splice(running.bridges.indexOf(x), 1);
    }
    if (position === BACK_TO_A_AT) {
      const restarted = await restartingA!;
      running.a = restarted;
      connectors = [restarted.url, b.url];
      await stream.close();
      await stream.connect(restarted.url);
    }
    if (position === START_X_AT) {
      x = await startBridge(bridgeConfig(b.url), { logger: false });
      running.bridges.push(x);
      await eventually(() => x.streamState().isConnected, 'the restarted bridge to connect');
    }
    await sender.send(event);
  }
  assert.ok(sender.retried > 0, 'posts to the killed connector were retried');

  // The stream client, after A → B → A: every event once, in increasing id order, and no gap.
  await eventually(() => stream.urls().length >= EVENTS.length, `the stream client to read all ${EVENTS.length} events`);
  assert.deepEqual(stream.hops, [a.url, b.url, running.a!.url]);
  assert.deepEqual(stream.frames.filter((frame) => frame.payload.type === 'gap'), [], 'no gap frame');
  assert.deepEqual([...stream.urls()].sort(), EVENTS.map((event) => event.url).sort(), 'every event once');
  const ids = stream.frames.map((frame) => parseEventId(frame.id));
  assert.ok(ids.every((id): id is EventId => id !== null), 'every payload carries an event id');
  for (let index = 1; index < ids.length; index++) assert.ok(compareEventIds(ids[index - 1]!, ids[index]!) < 0, `ids increase: ${stream.frames[index - 1]!.id} < ${stream.frames[index]!.id}`);
  // The shared log itself holds each event once: no retry was logged twice.
  assert.equal(await redis.client.xlen(`${redis.prefix}{${PRODUCT}}:log`), EVENTS.length);

  // Both bridges read to the end: Y across A's death, X after its restart (from the stored position).
  const lastId = stream.lastEventId;
  await eventually(() => [x, y].every((bridge) => bridge.streamState().lastEventId === lastId), `both bridges to reach ${lastId}`);

  // The shared state holds every action exactly once, whichever bridge reads it.
  for (const bridge of [x, y]) {
    for (const user of USERS) {
      const expected = EVENTS.filter((event) => event.user === user).map((event) => event.url).sort();
      const stored = async () => (await bridge.pipeline.store.getSession({ productId: PRODUCT, sessionId: `s-${user}` })).recentActions.map((action) => action.canonical_url ?? '').sort();
      await eventually(async () => (await stored()).length >= expected.length, `${user}'s actions to be stored`);
      assert.deepEqual(await stored(), expected, `${user}'s actions, each once`);
    }
    assert.deepEqual(await bridge.pipeline.trackedCounts(), { users: USERS.length, sessions: USERS.length });
  }

  // The same grounded reply from both bridges (asked at the same moment, in new conversations, until no summary is
  // being written between the two reads).
  let attempt = 0;
  let replies: Array<{ reply: string; has_activity: boolean }> = [];
  await eventually(async () => {
    attempt += 1;
    replies = await Promise.all([x, y].map(async (bridge, index) => {
      const response = await fetch(`${bridge.url}/reply`, {
        method: 'POST',
        headers: { authorization: `Bearer ${BRIDGE_KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify({ user_id: 'ann', query: 'where am I?', conversation_id: `c-${attempt}-${index}` }),
      });
      assert.equal(response.status, 200);
      return (await response.json()) as { reply: string; has_activity: boolean };
    }));
    return replies[0]!.reply === replies[1]!.reply;
  }, 'both bridges to give the same reply');
  assert.equal(replies[0]!.has_activity, true);
  assert.match(replies[0]!.reply, /hooks/i, 'the reply names the page ann is on');
});
