/** The admin routes over HTTP, on a real bridge fed by a real connector. */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { startConnector } from '@sightline/connector';
import { testBridgeConfig, until } from '../server/__fixtures__/test-bridge.ts';
import { startBridge } from '../server/start-bridge.ts';

const BRIDGE_ADMIN_TOKEN = 'admin-token-for-tests-0123456789abcdef';

const config = testBridgeConfig;

async function call(url: string, method: string, token?: string) {
  const response = await fetch(url, { method, headers: token === undefined ? {} : { authorization: `Bearer ${token}` } });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> & { error?: { code: string } } };
}

test('DELETE /admin/users/:userId forgets the user the stream told about, behind the admin token', async (t) => {
  const connector = await startConnector({ port: 0, dataDir: mkdtempSync(join(tmpdir(), 'sightline-admin-')), logger: false, batchWindowMs: 5 });
  t.after(() => connector.close());
  const credentials = await connector.registerProduct({ productId: 'acme', contactEmail: 'owner@example.com' });
  const bridge = await startBridge(config({ streamUrl: credentials.stream_url, streamKey: credentials.stream_key, adminToken: BRIDGE_ADMIN_TOKEN }), { logger: false });
  t.after(() => bridge.close());
  await until(() => bridge.streamState().isConnected, 'the stream to connect');
  for (const [user, session] of [['ann', 's-ann'], ['bob', 's-bob']]) {
    const response = await fetch(credentials.webhook_url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-posthog-secret': credentials.webhook_secret },
      body: JSON.stringify({ event: '$pageview', timestamp: new Date().toISOString(), session_id: session, distinct_id: user, email: '', current_url: 'https://app.example.com/billing' }),
    });
    assert.equal(response.status, 200);
  }
  await connector.flush();
  await until(() => bridge.pipeline.usersTracked() === 2, 'both users to reach the bridge');

  assert.equal((await call(`${bridge.url}/admin/users/ann`, 'DELETE')).json.error?.code, 'SL_ADMIN_TOKEN_INVALID');
  assert.equal((await call(`${bridge.url}/admin/users/ann`, 'DELETE', 'wrong-token')).status, 401);
  const forgotten = await call(`${bridge.url}/admin/users/ann`, 'DELETE', BRIDGE_ADMIN_TOKEN);
  assert.equal(forgotten.status, 200);
  assert.deepEqual(forgotten.json, {
    user_id: 'ann',
    removed: { sessions: 1, tabs: 1, session_states: 1, session_products: 1, conversations: 0, watermarks: 0, senders: 0, socket_bindings: 0, ui_map_entries: 1 },
  });
  assert.equal(bridge.pipeline.usersTracked(), 1);
  // The older name still works and answers the same report beside its status.
  const alias = await call(`${bridge.url}/admin/reset/ann`, 'POST', BRIDGE_ADMIN_TOKEN);
  assert.deepEqual([alias.status, alias.json.status, alias.json.user_id, alias.json.removed], [
    200, 'ok', 'ann', { sessions: 0, tabs: 0, session_states: 0, session_products: 0, conversations: 0, watermarks: 0, senders: 0, socket_bindings: 0, ui_map_entries: 0 },
  ]);
  const blank = await call(`${bridge.url}/admin/users/%20`, 'DELETE', BRIDGE_ADMIN_TOKEN);
  assert.deepEqual([blank.status, blank.json.error?.code], [400, 'SL_USER_ID_INVALID']);
});

test('without BRIDGE_ADMIN_TOKEN the admin routes are disabled', async (t) => {
  const bridge = await startBridge(config({ adminToken: null, streamUrl: 'http://127.0.0.1:9/stream/acme', streamKey: 'k' }), { logger: false, connectStream: false });
  t.after(() => bridge.close());
  const answer = await call(`${bridge.url}/admin/users/ann`, 'DELETE', BRIDGE_ADMIN_TOKEN);
  assert.deepEqual([answer.status, answer.json.error?.code], [404, 'SL_ADMIN_DISABLED']);
});
