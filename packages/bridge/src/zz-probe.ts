import { Worker } from 'node:worker_threads';
import { readFileSync } from 'node:fs';
import { createActionsPayload } from '@sightline/protocol';
import { BRIDGE_DEFAULTS, createLlmResponder, resolveLlmSettings, startBridge } from './index.ts';
const src = readFileSync('bench/bridge.bench.ts', 'utf8');
const code = src.slice(src.indexOf('const LOAD_WORKER = `') + 21, src.indexOf('`;', src.indexOf('const LOAD_WORKER')));
const bridge = await startBridge({ ...BRIDGE_DEFAULTS, corsOrigins: '*', adminToken: null, streamUrl: 'http://127.0.0.1:9/stream/acme', streamKey: 'x', host: '127.0.0.1', port: 0, llm: resolveLlmSettings({}), maxSessions: 20000 }, { logger: false, connectStream: false, responder: createLlmResponder(async () => 'ok answer'), summaryLlm: async () => 's' });
const now = Date.now() / 1000;
for (let user = 0; user < 10000; user++) await bridge.pipeline.ingest(createActionsPayload({ product_id: 'acme', session_id: `s${user}`, user_id: `u-${user}`, email: 'ada.lovelace@example.com', forwarded_at: now, actions: [
  { type: 'click', title: "Clicked 'Invite member'", description: 'User clicked Invite member on the Team page', canonical_url: 'https://app.example.com/team', timestamp_start: now - 20 },
]}));
const load = (job: object) => new Promise((resolve) => { const w = new Worker(code, { eval: true, workerData: job }); w.once('message', (r) => { resolve(r); void w.terminate(); }); });
const mode = process.argv[2] ?? 'closed';
for (const path of ['/reply/u-{user}?query=how', '/health', '/reply/u-{user}?query=how', '/healthz']) {
  console.log(path, await load({ port: bridge.port, path, users: 200, sessions: 10000, durationMs: 4000, mode, intervalMs: 200 }));
}
await bridge.close();
