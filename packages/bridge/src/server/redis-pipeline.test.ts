/**
 * The pipeline on Redis (docs/scaling.md, "The pipeline on Redis"): a real connector, bridges sharing the SDK's stores
 * in one Redis. Two bridges reading the same stream store every action once and answer alike; a restarted bridge
 * resumes from the stored stream position, so what was posted while it was down reaches it and nothing is applied twice.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { startConnector } from '@sightline/connector';
import { redisForTests } from '@sightline/sdk/testing';
import type { BridgeConfig } from '../config/bridge-config.ts';
import { testBridgeConfig } from './__fixtures__/test-bridge.ts';
import { startBridge, type RunningBridge } from './start-bridge.ts';

const BRIDGE_ADMIN_TOKEN = 'admin-token-for-redis-pipeline-0123456789';
const PAGES = ['billing', 'invoices', 'team', 'settings', 'reports', 'exports'];

interface Setup {
  config: BridgeConfig;
  /** Posts a pageview of `page` for user ann in session s-ann and waits until the connector has emitted it. */
  visit(page: string): Promise<void>;
}

/** A connector with product `acme` and a bridge configuration on the test's Redis prefix; null without Redis. */
async function setup(t: TestContext): Promise<Setup | null> {
  const redis = await redisForTests(t);
  if (!redis) return null;
  const connector = await startConnector({ port: 0, dataDir: mkdtempSync(join(tmpdir(), 'sightline-redis-pipeline-')), logger: false, batchWindowMs: 5 });
  t.after(() => connector.close());
  const credentials = await connector.registerProduct({ productId: 'acme', contactEmail: 'owner@example.com' });
  const config = testBridgeConfig({ streamUrl: credentials.stream_url, streamKey: credentials.stream_key, redisUrl: redis.url, redisPrefix: redis.prefix, adminToken: BRIDGE_ADMIN_TOKEN });
  return {
    config,
    async visit(page) {
      const response = await fetch(credentials.webhook_url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-posthog-secret': credentials.webhook_secret },
        body: JSON.stringify({ event: '$pageview', timestamp: new Date().toISOString(), session_id: 's-ann', distinct_id: 'ann', current_url: `https://app.example.com/${page}` }),
      });
      assert.equal(response.status, 200);
      await connector.flush();
    },
  };
}

async function started(t: TestContext, config: BridgeConfig): Promise<RunningBridge> {
  const bridge = await startBridge(config, { logger: false });
  t.after(() => bridge.close());
  return bridge;
}

/** Waits for an asynchronous condition that depends on real I/O, with a deadline. */
async function eventually(condition: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** The URLs of ann's stored actions, oldest first, as a bridge reads them. */
async function storedUrls(bridge: RunningBridge): Promise<string[]> {
  const session = await bridge.pipeline.store.getSession({ productId: 'acme', sessionId: 's-ann' });
  return session.recentActions.map((action) => action.canonical_url ?? '');
}

async function ask(bridge: RunningBridge, conversationId: string): Promise<{ reply: string; has_activity: boolean }> {
  const response = await fetch(`${bridge.url}/reply`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ user_id: 'ann', query: 'where am I?', conversation_id: conversationId }),
  });
  assert.equal(response.status, 200);
  return (await response.json()) as { reply: string; has_activity: boolean };
}

async function payloadsReceived(bridge: RunningBridge): Promise<number> {
  const text = await (await fetch(`${bridge.url}/metrics`)).text();
  return Number(/^sightline_bridge_payloads_received_total\{type="actions"\} (\d+)$/m.exec(text)?.[1] ?? 0);
}

test('two bridges on one Redis reading one stream store every action once and give the same grounded reply', async (t) => {
  const context = await setup(t);
  if (!context) return;
  const bridges = [await started(t, context.config), await started(t, context.config)];
  await eventually(async () => bridges.every((bridge) => bridge.streamState().isConnected), 'both streams to connect');
  for (const page of PAGES) await context.visit(page);
  const expected = PAGES.map((page) => `https://app.example.com/${page}`);
  await eventually(async () => bridges.every((bridge) => bridge.streamState().lastEventId !== null), 'the payloads to reach both bridges');
  await eventually(async () => (await storedUrls(bridges[0]!)).length >= PAGES.length, 'every action to be stored');
  // Both bridges received every payload; the store kept each action once, in order.
  await eventually(async () => (await payloadsReceived(bridges[0]!)) === PAGES.length && (await payloadsReceived(bridges[1]!)) === PAGES.length, 'both bridges to handle every payload');
  for (const bridge of bridges) assert.deepEqual(await storedUrls(bridge), expected);

  const [first, second] = [await ask(bridges[0]!, 'c-first'), await ask(bridges[1]!, 'c-second')];
  assert.equal(first.has_activity, true);
  assert.match(first.reply, /exports/i);
  assert.equal(second.reply, first.reply);

  for (const bridge of bridges) {
    const health = (await (await fetch(`${bridge.url}/healthz`)).json()) as { users_tracked: number; sessions_tracked: number; redis: { connected: boolean } };
    assert.deepEqual([health.users_tracked, health.sessions_tracked, health.redis.connected], [1, 1, true]);
  }
  // Forgotten through one bridge, the user is gone from the counts (and the store) of both.
  const forgotten = await fetch(`${bridges[0]!.url}/admin/users/ann`, { method: 'DELETE', headers: { authorization: `Bearer ${BRIDGE_ADMIN_TOKEN}` } });
  assert.equal(forgotten.status, 200);
  assert.deepEqual(await bridges[1]!.pipeline.trackedCounts(), { users: 0, sessions: 0 });
  assert.deepEqual(await storedUrls(bridges[1]!), []);
});

test('a bridge restarted on Redis resumes from the stored position: what was posted while it was down arrives once', async (t) => {
  const context = await setup(t);
  if (!context) return;
  const before = await started(t, context.config);
  await eventually(async () => before.streamState().isConnected, 'the stream to connect');
  for (const page of PAGES.slice(0, 3)) await context.visit(page);
  await eventually(async () => (await storedUrls(before)).length === 3, 'the first actions');
  await before.close();

  for (const page of PAGES.slice(3)) await context.visit(page);
  const after = await started(t, context.config);
  await eventually(async () => (await storedUrls(after)).length >= PAGES.length, 'the actions posted while the bridge was down');
  assert.deepEqual(
    await storedUrls(after),
    PAGES.map((page) => `https://app.example.com/${page}`),
  );
  // Only what was posted while it was down came again: it resumed from the stored position, not from the start.
  assert.equal(await payloadsReceived(after), 3);
  const answer = await ask(after, 'c-after');
  assert.equal(answer.has_activity, true);
  assert.match(answer.reply, /exports/i);
});
