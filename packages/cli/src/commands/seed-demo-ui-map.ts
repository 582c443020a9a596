/**
 * The demo's seed for the UI map: when the demo product's map knows no flow yet, a few simulated users' sessions of
 * the demo app go through the connector's capture door, as posthog-js would send them, and the bridge learns from
 * them like from anyone's. Their ids carry the bridge's demo-seed prefix, which only a bridge started with
 * `UI_MAP_DEMO_SEED=true` counts (docs/knowledge.md, "The demo's seed").
 */
import { type RunningBridge } from '@sightline/bridge';
import { DEMO_SEED_USER_PREFIX } from '@sightline/bridge/internal';
import { DEMO_SEED_FLOW_COUNT, demoSeedBatches } from '@sightline/demo';

/** Options of {@link seedDemoUiMap}. */
export interface SeedDemoUiMapOptions {
  connectorUrl: string;
  captureToken: string;
  productId: string;
  bridge: Pick<RunningBridge, 'uiMap'>;
  /** How long to wait for the bridge to learn the flows, ms (default 10 000). */
  timeoutMs?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/** What {@link seedDemoUiMap} did: `kept` a map that already knew flows, `seeded` it, or sent the seed but saw no flow learned in time. */
export type SeedDemoUiMapResult = { outcome: 'kept' | 'seeded' | 'not-learned'; flows: number };

/**
 * Seeds the demo product's UI map unless it already knows a flow; resolves once the bridge shows the seeded flows
 * (or the time is up: a bridge whose threshold is above the number of simulated users never counts them).
 *
 * @example
 * await seedDemoUiMap({ connectorUrl: connector.url, captureToken, productId: 'demo', bridge });
 */
export async function seedDemoUiMap(options: SeedDemoUiMapOptions): Promise<SeedDemoUiMapResult> {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const before = await options.bridge.uiMap.known(options.productId, { fresh: true });
  if (before.flows.length > 0) return { outcome: 'kept', flows: before.flows.length };
  const batches = demoSeedBatches({ captureToken: options.captureToken, userIdPrefix: DEMO_SEED_USER_PREFIX, now: now() });
  for (const { body } of batches) {
    const response = await fetch(`${options.connectorUrl}/e/`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    await response.body?.cancel();
    if (!response.ok) throw new Error(`the connector refused the demo's seed sessions (HTTP ${response.status})`);
  }
  const deadline = now() + (options.timeoutMs ?? 10_000);
  for (;;) {
    const known = await options.bridge.uiMap.known(options.productId, { fresh: true });
    if (known.flows.length >= DEMO_SEED_FLOW_COUNT) return { outcome: 'seeded', flows: known.flows.length };
    if (now() >= deadline) return { outcome: 'not-learned', flows: known.flows.length };
    await sleep(50);
  }
}
