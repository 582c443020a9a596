/** The UI map inside a running bridge: learned from the payloads the pipeline applies, shown on GET /ui-map, forgotten with the user. */
import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import type { ActionContainer } from '@sightline/protocol';
import { FakeClock } from '@sightline/sdk/testing';
import { signUserId } from '../../identity/user-hash.ts';
import { testBridgeConfig } from '../../server/__fixtures__/test-bridge.ts';
import { startBridge, type RunningBridge } from '../../server/start-bridge.ts';
import { journeyPayload, type JourneyStep } from './journey-payload.ts';

const API_KEY = 'bridge-key-for-ui-map-tests-0123456789ab';
const BRIDGE_ADMIN_TOKEN = 'admin-token-for-ui-map-tests-0123456789';
const IDENTITY_SECRET = 'identity-secret-for-ui-map-tests-012345';
const ASSIGN: ActionContainer = { kind: 'drawer', label: 'Assign ticket' };
const ASSIGN_TICKET: JourneyStep[] = [
  { go: 'Queue', path: '/queue' },
  { open: 'Assign' },
  { choose: 'Tier 2', role: 'option', container: ASSIGN },
  { click: 'Assign ticket', container: ASSIGN },
  { click: 'Refresh' },
];

async function get(bridge: RunningBridge, path: string, token: string | null = API_KEY) {
  const response = await fetch(`${bridge.url}${path}`, { headers: token === null ? {} : { authorization: `Bearer ${token}` } });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> & { error?: { code: string } } };
}

async function helpdeskBridge(t: TestContext, overrides: Parameters<typeof testBridgeConfig>[0] = {}, clock?: FakeClock): Promise<RunningBridge> {
  const bridge = await startBridge(
    testBridgeConfig({ streamUrl: 'http://127.0.0.1:9/stream/helpdesk', streamKey: 'sk_unused', apiKeys: [API_KEY], adminToken: BRIDGE_ADMIN_TOKEN, ...overrides }),
    { logger: false, connectStream: false, ...(clock ? { clock } : {}) },
  );
  t.after(() => bridge.close());
  return bridge;
}

test('GET /ui-map shows what the applied payloads taught, past the threshold, behind BRIDGE_API_KEY; forgetting a user takes theirs out', async (t) => {
  const bridge = await helpdeskBridge(t);
  for (const [position, user] of ['agent-1', 'agent-2', 'agent-3'].entries()) {
    const payload = journeyPayload({ productId: 'helpdesk', userId: user, sessionId: `s${position}` }, ASSIGN_TICKET);
    await bridge.pipeline.ingest(payload, { id: `1-${position}` });
    // A replay of the same event is not applied twice (and would not count twice anyway: users are distinct).
    await bridge.pipeline.ingest(payload, { id: `1-${position}` });
  }
  assert.deepEqual((await get(bridge, '/ui-map', null)).status, 401);
  assert.deepEqual((await get(bridge, '/ui-map', 'wrong-key-0123456789')).body.error?.code, 'SL_AUTH_REQUIRED');
  const answer = await get(bridge, '/ui-map');
  assert.equal(answer.status, 200);
  assert.equal(answer.body['product_id'], 'helpdesk');
  assert.equal(answer.body['min_users'], 3);
  assert.equal(answer.body['verified_users_only'], false);
  // Outside the demo nothing is demo data, and entries carry no demo counts.
  assert.equal(answer.body['demo_seed'], false);
  assert.deepEqual(answer.body['flows'], [
    {
      page: '/queue',
      page_title: 'Queue',
      goal: 'Assign ticket',
      steps: [
        { kind: 'open', label: 'Assign', page: '/queue' },
        { kind: 'submit', label: 'Assign ticket', page: '/queue' },
      ],
      users: 3,
    },
  ]);
  assert.deepEqual(answer.body['transitions'], [{ page: '/queue', label: 'Assign', to_page: null, to_dialog: 'Assign ticket', users: 3 }]);
  assert.ok(!JSON.stringify(answer.body).includes('Tier 2'), 'an option holds data, not a control');

  const other = await get(bridge, '/ui-map?product=bank');
  assert.deepEqual([other.status, other.body['flows']], [200, []]);
  const bad = await get(bridge, `/ui-map?product=${'x'.repeat(300)}`);
  assert.deepEqual([bad.status, bad.body.error?.code], [400, 'SL_QUERY_PARAMETER_INVALID']);

  const forgotten = await fetch(`${bridge.url}/admin/users/agent-2`, { method: 'DELETE', headers: { authorization: `Bearer ${BRIDGE_ADMIN_TOKEN}` } });
  const report = (await forgotten.json()) as { removed: { ui_map_entries: number } };
  assert.ok(report.removed.ui_map_entries >= 4, JSON.stringify(report));
  // The bridge reads the map at most every 10 s; the forget call cleared what it held.
  assert.deepEqual((await get(bridge, '/ui-map')).body['flows'], []);
});

test('with IDENTITY_SECRET, a user counts in the map once they proved their id at a chat door', async (t) => {
  const clock = new FakeClock({ now: Date.now() });
  const bridge = await helpdeskBridge(t, { identitySecrets: [IDENTITY_SECRET], uiMap: { minUsers: 2, decayDays: 30, deny: [], demoSeed: false } }, clock);
  for (const [position, user] of ['agent-1', 'agent-2'].entries()) {
    await bridge.pipeline.ingest(journeyPayload({ productId: 'helpdesk', userId: user, sessionId: `s${position}` }, ASSIGN_TICKET));
  }
  const before = await get(bridge, '/ui-map');
  assert.deepEqual([before.body['verified_users_only'], before.body['flows']], [true, []]);
  for (const user of ['agent-1', 'agent-2']) {
    const reply = await fetch(`${bridge.url}/reply/${user}?query=hi&user_hash=${signUserId(IDENTITY_SECRET, user)}`);
    assert.equal(reply.status, 200);
  }
  // Past the map's 10-second read cache.
  clock.set(clock.now() + 11_000);
  assert.equal(((await get(bridge, '/ui-map')).body['flows'] as unknown[]).length, 1);
});
