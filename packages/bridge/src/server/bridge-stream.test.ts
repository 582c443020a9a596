/**
 * The bridge and its stream: it keeps answering while the stream is down, reconnects with the last
 * event id, and reports a fatal answer (bad key) instead of retrying forever.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createActionsPayload } from '@sightline/protocol';
import { FakeClock, startSseTestServer } from '@sightline/sdk/testing';
import type { BridgeConfig } from '../config/bridge-config.ts';
import { testBridgeConfig, until } from './__fixtures__/test-bridge.ts';
import { startBridge } from './start-bridge.ts';

function config(streamUrl: string): BridgeConfig {
  return testBridgeConfig({ corsOrigins: '*', streamUrl, streamKey: 'sk_test' });
}

test('a lost stream reconnects with Last-Event-ID while replies keep coming', async (t) => {
  const server = await startSseTestServer();
  const clock = new FakeClock({ now: Date.now() });
  const bridge = await startBridge(config(server.streamUrl('acme')), { logger: false, clock });
  t.after(async () => {
    await bridge.close();
    await server.close();
  });
  const first = await server.waitForRequest(1);
  assert.equal(first.authorization, 'Bearer sk_test');
  await until(() => bridge.streamState().isConnected, 'the first connect');
  const idle = (await (await fetch(`${bridge.url}/healthz`)).json()) as { status: string; stream: { last_event_age_s: number | null } };
  assert.equal(idle.status, 'ok');
  assert.equal(idle.stream.last_event_age_s, null, 'connected but no payload yet: no event age');
  const ready = await fetch(`${bridge.url}/readyz`);
  assert.equal(ready.status, 200);
  assert.deepEqual(await ready.json(), { status: 'ready', waiting_for: [] });

  server.send(
    createActionsPayload({
      product_id: 'acme',
      session_id: 's1',
      user_id: 'u-1',
      email: 'grace@example.com',
      forwarded_at: clock.now() / 1000,
      actions: [{ type: 'click', title: "Clicked 'Export CSV'", description: 'User clicked Export CSV on the Reports page', canonical_url: 'https://app.example.com/reports', timestamp_start: clock.now() / 1000 }],
    }),
    { id: '7-1' },
  );
  await until(() => bridge.pipeline.usersTracked() === 1, 'the payload');
  await clock.advance(3_000);
  const fresh = (await (await fetch(`${bridge.url}/healthz`)).json()) as { stream: { last_event_age_s: number | null } };
  assert.equal(fresh.stream.last_event_age_s, 3, 'seconds since the payload, on the bridge clock');

  server.dropConnections();
  await until(() => !bridge.streamState().isConnected, 'the disconnect');
  const whileDown = (await (await fetch(`${bridge.url}/reply/u-1?query=${encodeURIComponent('what did I just do?')}`)).json()) as {
    reply: string;
    has_activity: boolean;
  };
  assert.equal(whileDown.has_activity, true);
  assert.match(whileDown.reply, /Export CSV/);
  const health = (await (await fetch(`${bridge.url}/healthz`)).json()) as { status: string; stream: { connected: boolean; disconnects: number } };
  assert.equal(health.status, 'degraded');
  assert.equal(health.stream.disconnects, 1);
  // Alive, but not ready for grounded answers: a probe takes it out of rotation without restarting it.
  const notReady = await fetch(`${bridge.url}/readyz`);
  assert.equal(notReady.status, 503);
  assert.deepEqual(await notReady.json(), { status: 'not_ready', waiting_for: ['stream'] });
  assert.equal((await fetch(`${bridge.url}/livez`)).status, 200);

  // The first reconnect waits 1 s plus up to 10 % jitter, on the bridge's clock.
  await clock.advance(1_200);
  const second = await server.waitForRequest(2);
  assert.equal(second.lastEventId, '7-1');
  await until(() => bridge.streamState().isConnected, 'the reconnect');
});

test('a rejected stream key is reported once as fatal and the bridge keeps serving', async (t) => {
  const server = await startSseTestServer();
  server.respondWith(401);
  let fatal: Error | undefined;
  const bridge = await startBridge(config(server.streamUrl('acme')), { logger: false, onStreamFatal: (error) => (fatal = error) });
  t.after(async () => {
    await bridge.close();
    await server.close();
  });
  await until(() => fatal !== undefined, 'the fatal error');
  assert.equal((fatal as Error & { code?: string }).code, 'SL_STREAM_FATAL_STATUS');
  const health = (await (await fetch(`${bridge.url}/healthz`)).json()) as { status: string; stream: { state: string; error: string | null } };
  assert.equal(health.status, 'error');
  assert.equal(health.stream.state, 'failed');
  assert.ok(health.stream.error);
  const reply = await fetch(`${bridge.url}/reply/u-1?query=hi`);
  assert.equal(reply.status, 200);
});
