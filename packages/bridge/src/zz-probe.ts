import { Worker } from 'node:worker_threads';
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import { readFileSync } from 'node:fs';
import { createActionsPayload } from '@sightline/protocol';
import { BRIDGE_DEFAULTS, createLlmResponder, resolveLlmSettings, startBridge } from './index.ts';
const src = readFileSync('bench/bridge.bench.ts', 'utf8');
const code = src.slice(src.indexOf('const LOAD_WORKER = `') + 21, src.indexOf('`;', src.indexOf('const LOAD_WORKER')));
const bridge = await startBridge({ ...BRIDGE_DEFAULTS, corsOrigins: '*', adminToken: null, streamUrl: 'http://127.0.0.1:9/stream/acme', streamKey: 'x', host: '127.0.0.1', port: 0, llm: resolveLlmSettings({}), maxSessions: 20000, maxConversations: 20000 }, { logger: false, connectStream: false, responder: createLlmResponder(async () => 'ok answer'), summaryLlm: async () => 's' });
const now = Date.now() / 1000;
for (let user = 0; user < 10000; user++) await bridge.pipeline.ingest(createActionsPayload({ product_id: 'acme', session_id: `s${user}`, user_id: `u-${user}`, email: 'ada.lovelace@example.com', forwarded_at: now, actions: [
  { type: 'pageview', title: 'Viewed Team page', description: 'User viewed the Team page', canonical_url: 'https://app.example.com/team', timestamp_start: now - 30 },
  { type: 'click', title: "Clicked 'Invite member'", description: 'User clicked Invite member on the Team page', canonical_url: 'https://app.example.com/team', timestamp_start: now - 20 },
]}));
const load = (job: object) => new Promise((resolve) => { const w = new Worker(code, { eval: true, workerData: job }); w.once('message', (r) => { resolve(r); void w.terminate(); }); });
const gcs: number[] = [];
new PerformanceObserver((list) => { for (const e of list.getEntries()) gcs.push(e.duration); }).observe({ entryTypes: ['gc'] });
for (const path of ['/reply/u-{user}?query=how%20do%20I%20add%20a%20teammate', '/health', '/reply/u-{user}?query=how%20do%20I%20add%20a%20teammate']) {
  const h = monitorEventLoopDelay({ resolution: 5 }); h.enable(); gcs.length = 0;
  const r = await load({ port: bridge.port, path, users: 200, sessions: 10000, durationMs: 5000, mode: 'open', intervalMs: 200 });
  h.disable();
  console.log(path.slice(0, 8), JSON.stringify(r), 'loop p99', (h.percentile(99) / 1e6).toFixed(1), 'max', (h.max / 1e6).toFixed(1), 'gc count', gcs.length, 'gc max', Math.max(0, ...gcs).toFixed(1), 'gc sum', gcs.reduce((a, b) => a + b, 0).toFixed(0));
}
await bridge.close();
