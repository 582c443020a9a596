/**
 * `/reply` under load: a zero-latency fake LLM, 10,000 tracked sessions, 200 concurrent users, beside
 * the same server answering a constant route (`GET /health`, the action server's) in the same run.
 * Two loads: 200 clients sending back to back (the most the server does; latency there is queueing,
 * 200 / throughput), and 200 users each sending a message every 200 ms (latency at a steady load).
 * The load generator runs in a worker thread on the same machine. The bridge runs as in production, with
 * BRIDGE_API_KEY on: every request carries the key, so its check is part of the figures.
 */
import { Worker } from 'node:worker_threads';
import { createActionsPayload } from '@sightline/protocol';
import { BRIDGE_DEFAULTS, createLlmResponder, resolveLlmSettings, startBridge } from '@sightline/bridge';
import type { Benchmark } from './harness.ts';

const SESSIONS = 10_000;
const USERS = 200;
/** Each simulated user sends a message every this many ms (open loop): 200 users → 1,000 requests/s offered. */
const USER_INTERVAL_MS = 200;
const WARMUP_MS = 3_000;
const MEASURE_MS = 6_000;
const SATURATION_MS = 4_000;
const API_KEY = 'bench-bridge-key-0123456789abcdefghijkl';

interface LoadResult {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
}

interface LoadJob {
  port: number;
  /** `{user}` is replaced by a user number. */
  path: string;
  users: number;
  sessions: number;
  durationMs: number;
  /** `closed`: each user sends again as soon as it has the answer (saturation); `open`: every `intervalMs` regardless. */
  mode: 'closed' | 'open';
  intervalMs: number;
  headers: Record<string, string>;
}

/**
 * The load generator runs in a worker thread, so it has its own core instead of competing with the
 * server's event loop. Plain JavaScript: the worker is evaluated from this string. In open mode a
 * request's latency counts from when it was due, so a slow server cannot hide queueing (no
 * coordinated omission).
 */
const LOAD_WORKER = `
const { parentPort, workerData: job } = require('node:worker_threads');
const { Agent, request } = require('node:http');
const agent = new Agent({ keepAlive: true, maxSockets: job.users });
const latencies = [];
let errors = 0;
function send(user, dueAt) {
  return new Promise((resolve) => {
    const outgoing = request({ host: '127.0.0.1', port: job.port, path: job.path.replace('{user}', String(user % job.sessions)), headers: job.headers, agent }, (response) => {
      response.resume();
      response.on('end', () => {
        if (response.statusCode === 200) latencies.push(performance.now() - dueAt);
        else errors++;
        resolve();
      });
    });
    outgoing.on('error', () => { errors++; resolve(); });
    outgoing.end();
  });
}
async function closedUser(user, deadline) {
  while (performance.now() < deadline) { await send(user, performance.now()); user += job.users; }
}
async function openUser(user, startAt, deadline) {
  const pending = [];
  for (let dueAt = startAt + Math.random() * job.intervalMs; dueAt < deadline; dueAt += job.intervalMs) {
    const wait = dueAt - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    pending.push(send(user, dueAt));
    user += job.users;
  }
  await Promise.all(pending);
}
(async () => {
  const startedAt = performance.now();
  const deadline = startedAt + job.durationMs;
  await Promise.all(Array.from({ length: job.users }, (_, user) => job.mode === 'closed' ? closedUser(user, deadline) : openUser(user, startedAt, deadline)));
  const elapsed = performance.now() - startedAt;
  agent.destroy();
  const sorted = Float64Array.from(latencies).sort();
  const at = (fraction) => sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))];
  parentPort.postMessage({ requestsPerSecond: latencies.length / elapsed * 1000, p50Ms: at(0.5), p99Ms: at(0.99), errors });
})();
`;

function load(job: LoadJob): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(LOAD_WORKER, { eval: true, workerData: job });
    worker.once('message', (result: LoadResult) => {
      resolve(result);
      void worker.terminate();
    });
    worker.once('error', reject);
  });
}

const benchmark: Benchmark = {
  title: 'Bridge: /reply with 10,000 tracked sessions, 200 concurrent users, zero-latency fake LLM',
  async run(report) {
    const now = Date.now() / 1000;
    const bridge = await startBridge(
      {
        ...BRIDGE_DEFAULTS,
        corsOrigins: '*',
        adminToken: null,
        streamUrl: 'http://127.0.0.1:9/stream/bench',
        streamKey: 'unused',
        host: '127.0.0.1',
        port: 0,
        llm: resolveLlmSettings({}),
        maxSessions: SESSIONS * 2,
        maxConversations: SESSIONS * 2,
        apiKeys: [API_KEY],
        identitySecrets: ['bench-identity-secret-0123456789abcdefgh'],
        // The load is many users at once, not one user flooding: the per-user chat limit must not cut it.
        chatMessagesPerMinute: 1_000_000,
      },
      {
        logger: false,
        connectStream: false,
        // Zero latency: the model answers at once, so the figures are the bridge's own work (prompt assembly included).
        responder: createLlmResponder(async () => 'You are in the invite dialog: fill in the email and press Send.'),
        summaryLlm: async () => 'summary',
      },
    );
    try {
      for (let user = 0; user < SESSIONS; user++) {
        await bridge.pipeline.ingest(
          createActionsPayload({
            product_id: 'bench',
            session_id: `s-${user}`,
            user_id: `u-${user}`,
            email: `user${user}@example.com`,
            forwarded_at: now,
            actions: [
              { type: 'pageview', title: 'Viewed Team page', description: 'User viewed the Team page', canonical_url: 'https://app.example.com/team', timestamp_start: now - 30 },
              { type: 'click', title: "Clicked 'Invite member'", description: 'User clicked Invite member on the Team page', canonical_url: 'https://app.example.com/team', timestamp_start: now - 20 },
              { type: 'click', title: "Clicked 'Role'", description: 'User clicked Role on the Team page', canonical_url: 'https://app.example.com/team', timestamp_start: now - 10 },
            ],
          }),
        );
      }
      report.note(`tracked: ${bridge.pipeline.usersTracked()} users, ${bridge.pipeline.sessionsTracked()} sessions`);
      const job = { port: bridge.port, users: USERS, sessions: SESSIONS, intervalMs: USER_INTERVAL_MS, headers: { authorization: `Bearer ${API_KEY}` } };
      const replyPath = '/reply/u-{user}?query=how%20do%20I%20add%20a%20teammate%3F';
      const constantPath = '/health';
      const baselineName = 'GET /health (constant), same server';
      // Warm-up at the steady load: JIT, and the first full collection of the freshly filled heap.
      await load({ ...job, path: replyPath, mode: 'open', durationMs: WARMUP_MS });
      const reply = await load({ ...job, path: replyPath, mode: 'open', durationMs: MEASURE_MS });
      const constant = await load({ ...job, path: constantPath, mode: 'open', durationMs: MEASURE_MS });
      const replySaturated = await load({ ...job, path: replyPath, mode: 'closed', durationMs: SATURATION_MS });
      const constantSaturated = await load({ ...job, path: constantPath, mode: 'closed', durationMs: SATURATION_MS });
      report.row({
        name: `GET /reply, ${USERS} clients back to back (max)`,
        value: replySaturated.requestsPerSecond,
        unit: 'requests/s',
        baseline: constantSaturated.requestsPerSecond,
        baselineName,
      });
      report.row({ name: `GET /reply, ${USERS} users × 1 msg/${USER_INTERVAL_MS} ms`, value: reply.requestsPerSecond, unit: 'requests/s', baseline: constant.requestsPerSecond, baselineName });
      report.row({ name: '  p50', value: reply.p50Ms, unit: 'ms', baseline: constant.p50Ms, baselineName });
      report.row({ name: '  p99', value: reply.p99Ms, unit: 'ms', baseline: constant.p99Ms, baselineName, goal: 'p99 < 10 ms' });
      report.row({ name: `GET /reply p99, ${USERS} clients back to back`, value: replySaturated.p99Ms, unit: 'ms', baseline: constantSaturated.p99Ms, baselineName });
      const errors = [replySaturated, constantSaturated, reply, constant].reduce((sum, result) => sum + result.errors, 0);
      if (errors > 0) report.note(`non-200 answers or connection errors: ${errors}`);
    } finally {
      await bridge.close();
    }
  },
};

export default benchmark;
