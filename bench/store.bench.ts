/**
 * ContextStore throughput and memory at 10,000 sessions × 30 actions (6 batches of 5 per session,
 * each with a user id so the user index is fed too). Baseline, in the same run: a plain
 * `Map<string, ActionsPayload[]>` holding the same payloads, read with `formatActionList`.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createActionsPayload, formatActionList, type ActionsPayload } from '@sightline/protocol';
import { ContextStore } from '@sightline/sdk';
import type { Benchmark } from './harness.ts';

const SESSIONS = 10_000;
const BATCHES_PER_SESSION = 6;
const ACTIONS_PER_BATCH = 5;
const GETS = 50_000;

function makePayloads(): ActionsPayload[] {
  const payloads: ActionsPayload[] = [];
  const start = Date.now() / 1000;
  // Round-robin over sessions, as a live stream interleaves them.
  for (let round = 0; round < BATCHES_PER_SESSION; round++) {
    for (let session = 0; session < SESSIONS; session++) {
      payloads.push(
        createActionsPayload({
          product_id: 'bench',
          session_id: `ps_${session.toString(36).padStart(8, '0')}`,
          user_id: `user_${session}`,
          forwarded_at: start + round,
          actions: Array.from({ length: ACTIONS_PER_BATCH }, (_, offset) => {
            const index = round * ACTIONS_PER_BATCH + offset;
            return {
              index,
              type: offset === 0 ? 'pageview' : 'click',
              title: `Clicked 'Button ${index}'`,
              description: `User clicked Button ${index} on the Projects page`,
              canonical_url: `https://app.example.com/projects/:id/step/${index % 7}`,
              raw_url: `https://app.example.com/projects/${session}/step/${index % 7}?tab=1`,
              timestamp_start: start + index,
            };
          }),
        }),
      );
    }
  }
  return payloads;
}

function forceGc(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

function heapAfterGc(gc: () => void): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

const benchmark: Benchmark = {
  title: `ContextStore: ${SESSIONS.toLocaleString('en-US')} sessions × ${BATCHES_PER_SESSION * ACTIONS_PER_BATCH} actions`,
  async run(report) {
    const gc = forceGc();
    const keys = Array.from({ length: GETS }, (_, n) => ({
      productId: 'bench',
      sessionId: `ps_${((n * 7919) % SESSIONS).toString(36).padStart(8, '0')}`,
    }));

    // Baseline: a Map of arrays.
    let before = heapAfterGc(gc);
    let payloads = makePayloads();
    const map = new Map<string, ActionsPayload[]>();
    let started = performance.now();
    for (const payload of payloads) {
      const id = `${payload.product_id}\u001f${payload.session_id}`;
      const list = map.get(id);
      if (list) list.push(payload);
      else map.set(id, [payload]);
    }
    const baselineAddSeconds = (performance.now() - started) / 1000;
    payloads = [];
    const baselineHeap = (heapAfterGc(gc) - before) / SESSIONS;
    let checksum = 0;
    for (const key of keys.slice(0, 2_000)) checksum += formatActionList(map.get(`${key.productId}\u001f${key.sessionId}`) ?? []).length; // warm-up
    started = performance.now();
    for (const key of keys) checksum += formatActionList(map.get(`${key.productId}\u001f${key.sessionId}`) ?? []).length;
    const baselineGetSeconds = (performance.now() - started) / 1000;
    map.clear();

    // ContextStore with the memory backend and its user index.
    before = heapAfterGc(gc);
    payloads = makePayloads();
    const store = new ContextStore({ maxSessions: SESSIONS, maxActions: 30, lookbackSeconds: 300 });
    started = performance.now();
    for (const payload of payloads) await store.add(payload);
    const addSeconds = (performance.now() - started) / 1000;
    payloads = [];
    const storeHeap = (heapAfterGc(gc) - before) / SESSIONS;
    for (const key of keys.slice(0, 2_000)) checksum += (await store.get(key)).length; // warm-up
    started = performance.now();
    for (const key of keys) checksum += (await store.get(key)).length;
    const getSeconds = (performance.now() - started) / 1000;
    const users = Math.min(GETS, 10_000);
    started = performance.now();
    for (let n = 0; n < users; n++) checksum += (await store.forUser(`user_${(n * 7919) % SESSIONS}`)).text.length;
    const forUserSeconds = (performance.now() - started) / 1000;

    const adds = SESSIONS * BATCHES_PER_SESSION;
    report.row({ name: 'add (batch of 5 actions)', value: adds / addSeconds, unit: 'ops/s', baseline: adds / baselineAddSeconds, baselineName: 'Map of arrays push' });
    report.row({ name: 'get (30 actions rendered)', value: GETS / getSeconds, unit: 'ops/s', baseline: GETS / baselineGetSeconds, baselineName: 'formatActionList on Map' });
    report.row({ name: 'forUser (1 session, via user index)', value: users / forUserSeconds, unit: 'ops/s' });
    report.row({ name: 'heap per session (payloads included)', value: storeHeap, unit: 'bytes/session', baseline: baselineHeap, baselineName: 'Map of arrays' });
    report.note(`heap measured as heapUsed growth after forced gc (v8 --expose-gc at run time); checksum ${checksum}`);
    await store.close();
  },
};

export default benchmark;
