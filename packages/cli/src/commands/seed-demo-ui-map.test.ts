/**
 * The demo's seed through a real connector and bridge: the simulated sessions go in through the capture door and the
 * bridge learns the demo's flows from them, marked as demo data; a bridge not started for the demo never counts them.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { BRIDGE_DEFAULTS, resolveLlmSettings, startBridge, type RunningBridge } from '@sightline/bridge';
import { startConnector } from '@sightline/connector';
import { DEMO_SEED_FLOW_COUNT } from '@sightline/demo';
import { seedDemoUiMap } from './seed-demo-ui-map.ts';

async function demoStack(t: TestContext, demoSeed: boolean): Promise<{ connectorUrl: string; captureToken: string; bridge: RunningBridge }> {
  const dataDir = await mkdtemp(join(tmpdir(), 'sightline-seed-'));
  const connector = await startConnector({ port: 0, host: '127.0.0.1', dataDir, logger: false, defaultMetrics: false, batchWindowMs: 0 });
  const credentials = await connector.registerProduct({ productId: 'demo', contactEmail: 'qa@example.com' });
  const bridge = await startBridge(
    {
      ...BRIDGE_DEFAULTS,
      streamUrl: credentials.stream_url,
      streamKey: credentials.stream_key,
      host: '127.0.0.1',
      port: 0,
      adminToken: null,
      llm: resolveLlmSettings({ LLM_PROVIDER: 'offline' }),
      uiMap: { ...BRIDGE_DEFAULTS.uiMap, demoSeed },
    },
    { logger: false },
  );
  t.after(async () => {
    await bridge.close();
    await connector.close();
    await rm(dataDir, { recursive: true, force: true });
  });
  return { connectorUrl: connector.url, captureToken: credentials.capture_token, bridge };
}

test('a demo bridge learns every flow of the seed, marked demo data; a second start keeps the map', async (t) => {
  const stack = await demoStack(t, true);
  const seeded = await seedDemoUiMap({ ...stack, productId: 'demo' });
  assert.deepEqual(seeded, { outcome: 'seeded', flows: DEMO_SEED_FLOW_COUNT });
  const known = await stack.bridge.uiMap.known('demo');
  assert.deepEqual(known.flows.map((flow) => flow.goal).sort(), ['Confirm upgrade', 'Create project', 'Save changes', 'Send invite']);
  assert.ok(known.flows.every((flow) => flow.isDemoData && flow.demoUsers === flow.users));
  const invite = known.flows.find((flow) => flow.goal === 'Send invite')!;
  assert.deepEqual(invite.steps.map((step) => step.label), ['Invite member', 'Send invite']);
  assert.ok(known.transitions.some((transition) => transition.page === '/dashboard' && transition.label === 'Team' && transition.toPage === '/team'));
  assert.deepEqual(await seedDemoUiMap({ ...stack, productId: 'demo' }), { outcome: 'kept', flows: DEMO_SEED_FLOW_COUNT });
});

test('a bridge not started for the demo drops the simulated users: nothing is learned', async (t) => {
  const stack = await demoStack(t, false);
  const result = await seedDemoUiMap({ ...stack, productId: 'demo', timeoutMs: 1_500 });
  assert.deepEqual(result, { outcome: 'not-learned', flows: 0 });
  // The sessions did reach the bridge (its user index holds the four simulated users); the map has nothing of them.
  assert.equal((await stack.bridge.pipeline.trackedCounts()).users, 4);
  assert.deepEqual((await stack.bridge.uiMap.known('demo', { fresh: true })).pages, []);
});
