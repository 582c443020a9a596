import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BRIDGE_DEFAULTS, resolveLlmSettings, startBridge } from '@sightline/bridge';
import { startConnector } from '@sightline/connector';
import { run, type ForgetIo } from './forget.ts';

const BRIDGE_ADMIN_TOKEN = 'bridge-admin-token-for-tests-0123456789';

function capture(env: NodeJS.ProcessEnv = {}): ForgetIo & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, env, fetch: (input, init) => fetch(input, init), stdout: (text) => out.push(text), stderr: (text) => err.push(text) };
}

/** A loopback port nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as { port: number };
  await new Promise((done) => server.close(done));
  return port;
}

/** Waits for a condition that depends on real I/O (the stream delivering), with a deadline. */
async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

async function startBoth(t: { after(fn: () => Promise<void>): void }) {
  const dataDir = await mkdtemp(join(tmpdir(), 'sightline-forget-'));
  const connector = await startConnector({ port: 0, dataDir, logger: false, defaultMetrics: false, batchWindowMs: 5 });
  t.after(async () => {
    await connector.close();
    await rm(dataDir, { recursive: true, force: true });
  });
  const credentials = await connector.registerProduct({ productId: 'acme', contactEmail: 'owner@example.com' });
  const bridge = await startBridge(
    // One user is enough for the UI map here, so the test can see the page it learned before forgetting it.
    { ...BRIDGE_DEFAULTS, host: '127.0.0.1', port: 0, adminToken: BRIDGE_ADMIN_TOKEN, streamUrl: credentials.stream_url, streamKey: credentials.stream_key, llm: resolveLlmSettings({}), uiMap: { ...BRIDGE_DEFAULTS.uiMap, minUsers: 1 } },
    { logger: false },
  );
  t.after(() => bridge.close());
  await until(() => bridge.streamState().isConnected, 'the stream to connect');
  const response = await fetch(credentials.webhook_url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-posthog-secret': credentials.webhook_secret },
    body: JSON.stringify({ event: '$pageview', timestamp: new Date().toISOString(), session_id: 's-ann', distinct_id: 'ann', email: '', current_url: 'https://app.example.com/billing' }),
  });
  assert.equal(response.status, 200);
  await connector.flush();
  await until(() => bridge.pipeline.usersTracked() === 1, 'the user to reach the bridge');
  // The UI map learns after the tracker: wait for the page it learned, which the report then counts.
  const deadline = Date.now() + 10_000;
  while ((await bridge.uiMap.known('acme', { fresh: true })).pages.length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
  return { connector, bridge };
}

test('forget calls both servers and prints what each removed', async (t) => {
  const { connector, bridge } = await startBoth(t);
  const io = capture({ CONNECTOR_URL: connector.url, CONNECTOR_ADMIN_TOKEN: connector.adminToken, BRIDGE_URL: bridge.url, BRIDGE_ADMIN_TOKEN });
  assert.equal(await run(['ann'], io), 0, io.err.join(''));
  assert.deepEqual(io.out, [
    'connector (product acme): removed 1 log payloads, 1 log sessions, 1 sessions, 0 pending sessions, 0 pending actions\n',
    'bridge: removed 1 sessions, 1 tabs, 1 session states, 1 session products, 0 conversations, 0 watermarks, 0 senders, 0 socket bindings, 1 ui map entries\n',
  ]);
  assert.equal(bridge.pipeline.usersTracked(), 0);
  // Flags stand in for the environment, and a second run finds nothing left.
  const again = capture();
  const flags = ['--product', 'acme', '--email', 'ann@example.com', '--connector-url', connector.url, '--connector-admin-token', connector.adminToken, '--bridge-url', bridge.url, '--bridge-admin-token', BRIDGE_ADMIN_TOKEN];
  assert.equal(await run(['ann', ...flags], again), 0);
  assert.match(again.out[0]!, /^connector \(product acme\): removed 0 log payloads/);
});

test('the former SIGHTLINE_ADMIN_TOKEN and ADMIN_TOKEN, and the former --admin-token, still work, each with a warning', async (t) => {
  const { connector, bridge } = await startBoth(t);
  const io = capture({ CONNECTOR_URL: connector.url, SIGHTLINE_ADMIN_TOKEN: connector.adminToken, BRIDGE_URL: bridge.url, ADMIN_TOKEN: BRIDGE_ADMIN_TOKEN });
  assert.equal(await run(['ann'], io), 0, io.err.join(''));
  assert.match(io.out[0]!, /^connector \(product acme\): removed 1 log payloads/);
  assert.match(io.out[1]!, /^bridge: removed 1 sessions/);
  const warnings = io.err.join('');
  assert.match(warnings, /SIGHTLINE_ADMIN_TOKEN is the former name of CONNECTOR_ADMIN_TOKEN/);
  assert.match(warnings, /\bADMIN_TOKEN is the former name of BRIDGE_ADMIN_TOKEN/);

  const flag = capture({ BRIDGE_ADMIN_TOKEN: BRIDGE_ADMIN_TOKEN });
  assert.equal(await run(['ann', '--bridge-url', bridge.url, '--admin-token', 'wrong-token'], flag), 1, 'the former flag is read, and wins over the variable');
  assert.match(flag.err.join(''), /--admin-token is the former name of --bridge-admin-token/);
  assert.match(flag.err.join(''), /bridge: HTTP 401 SL_ADMIN_TOKEN_INVALID/);
});

test('an unreachable bridge is reported, the connector is still asked, and the exit status is 1', async (t) => {
  const { connector } = await startBoth(t);
  const io = capture({ CONNECTOR_URL: connector.url, CONNECTOR_ADMIN_TOKEN: connector.adminToken, BRIDGE_URL: `http://127.0.0.1:${await closedPort()}`, BRIDGE_ADMIN_TOKEN: 'x' });
  assert.equal(await run(['ann'], io), 1);
  assert.match(io.out[0]!, /^connector \(product acme\): removed 1 log payloads/);
  assert.match(io.err.join(''), /^bridge: unreachable at http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\)/);
});

test('a refused token is reported with its code; only the bridge given means the connector is skipped', async (t) => {
  const { bridge } = await startBoth(t);
  const io = capture({ BRIDGE_URL: bridge.url, BRIDGE_ADMIN_TOKEN: 'wrong-token' });
  assert.equal(await run(['ann'], io), 1);
  assert.match(io.out[0]!, /^connector: skipped/);
  assert.match(io.err.join(''), /^bridge: HTTP 401 SL_ADMIN_TOKEN_INVALID/);
});

test('usage errors exit 2', async () => {
  assert.equal(await run([], capture()), 2);
  assert.equal(await run(['a', 'b'], capture({ BRIDGE_URL: 'http://127.0.0.1:9', BRIDGE_ADMIN_TOKEN: 't' })), 2);
  assert.equal(await run(['ann'], capture()), 2);
  assert.equal(await run(['ann', '--timeout', '0'], capture({ BRIDGE_URL: 'http://127.0.0.1:9', BRIDGE_ADMIN_TOKEN: 't' })), 2);
  assert.equal(await run(['ann', '--bridge-url', 'not a url', '--bridge-admin-token', 't'], capture()), 2);
  assert.equal(await run(['--help'], capture()), 0);
});
