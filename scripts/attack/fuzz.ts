/**
 * `npm run attack:fuzz -- --requests 100000 --seed 1`: fuzzes the connector's five doors (webhook, capture, remote
 * config, stream, product admin) with seeded junk and mutated fixtures, on a real connector, and checks that it never
 * crashes, never answers 5xx, and loses none of the valid events sent beside the junk (docs/attack-figures.md).
 * Prints a table of the figures; exits 1 when a property fails.
 */
import { FUZZ_DOORS, fuzzRound, prng, type FuzzDoor, type FuzzRequest, type FuzzTarget } from '@sightline/connector/testing';
import { heapMiB, integerOptions, printTable, startRig, verdict, waitFor } from './harness.ts';

const options = integerOptions(process.argv.slice(2), { requests: 100_000, seed: 1, concurrency: 16, 'drain-seconds': 60 });

interface DoorFigures {
  requests: number;
  statuses: Map<number, number>;
  crashes: number;
}

const rig = await startRig({ batchWindowMs: 50 });
const { connector, credentials } = rig;
const target: FuzzTarget = {
  url: connector.url,
  epoch: connector.epoch,
  adminToken: connector.adminToken,
  productId: credentials.product_id,
  webhookUrl: credentials.webhook_url,
  webhookSecret: credentials.webhook_secret,
  captureToken: credentials.capture_token,
  streamUrl: credentials.stream_url,
  streamKey: credentials.stream_key,
};
const figures = new Map<FuzzDoor, DoorFigures>(FUZZ_DOORS.map((door) => [door, { requests: 0, statuses: new Map(), crashes: 0 }]));
const validSessions = new Set<string>();
let validRejected = 0;
const crashSamples: string[] = [];
const serverErrorSamples: string[] = [];

/** Sends one request; a stream that opens is closed at once. A network failure counts as a crash of the door. */
async function send(request: FuzzRequest): Promise<void> {
  const door = figures.get(request.door)!;
  door.requests++;
  const abort = new AbortController();
  try {
    const response = await fetch(request.url, { method: request.method, headers: request.headers, signal: abort.signal, ...(request.body ? { body: new Uint8Array(request.body) } : {}) });
    door.statuses.set(response.status, (door.statuses.get(response.status) ?? 0) + 1);
    if (request.door === 'stream') abort.abort();
    else {
      const text = await response.text();
      if (response.status >= 500 && serverErrorSamples.length < 5) {
        serverErrorSamples.push(`${request.door} ${request.method} ${request.url.slice(0, 120)} → ${response.status} ${text.slice(0, 200)}; body ${request.body?.toString('latin1').slice(0, 300) ?? ''}`);
      }
      if (request.validSession !== undefined) {
        if (response.status === 200) validSessions.add(request.validSession);
        else validRejected++;
      }
    }
  } catch (error) {
    if (abort.signal.aborted) return;
    door.crashes++;
    if (crashSamples.length < 5) crashSamples.push(`${request.door} ${request.method} ${request.url.slice(0, 120)}: ${String((error as Error).cause ?? error)}`);
  }
}

const random = prng(options.seed);
const heapStart = heapMiB();
let heapMiddle = heapStart;
let sent = 0;
let round = 0;
const startedAt = Date.now();
const inFlight = new Set<Promise<void>>();
// Round-robin over the doors; each round of a door is one or two requests, so the count stops within one of the goal.
outer: while (true) {
  for (const door of FUZZ_DOORS) {
    for (const request of fuzzRound(target, door, round, random)) {
      if (sent >= options.requests) break outer;
      sent++;
      const pending = send(request).finally(() => inFlight.delete(pending));
      inFlight.add(pending);
      if (inFlight.size >= options.concurrency) await Promise.race(inFlight);
      if (sent === Math.floor(options.requests / 2)) heapMiddle = heapMiB();
    }
  }
  round++;
}
await Promise.all(inFlight);
const sendSeconds = (Date.now() - startedAt) / 1000;
await connector.flush();
const sessions = rig.received.sessions;
await waitFor(() => [...validSessions].every((session) => sessions.has(session)), options['drain-seconds'] * 1000);
const lost = [...validSessions].filter((session) => !sessions.has(session)).length + validRejected;
const healthz = await fetch(`${connector.url}/healthz`).then((response) => response.status, () => 0);
const heapEnd = heapMiB();
await rig.close();

const allStatuses = [...new Set([...figures.values()].flatMap((door) => [...door.statuses.keys()]))].sort((a, b) => a - b);
const rows = [...figures.entries()].map(([door, figure]) => [door, figure.requests, ...allStatuses.map((status) => figure.statuses.get(status) ?? 0), figure.crashes]);
const total = (pick: (figure: DoorFigures) => number) => [...figures.values()].reduce((sum, figure) => sum + pick(figure), 0);
const fiveXx = total((figure) => [...figure.statuses].filter(([status]) => status >= 500).reduce((sum, [, count]) => sum + count, 0));
const crashes = total((figure) => figure.crashes) + (healthz === 200 ? 0 : 1);
console.log(`fuzz: ${sent} requests, seed ${options.seed}, concurrency ${options.concurrency}, ${sendSeconds.toFixed(1)} s`);
printTable('requests per door and status', ['door', 'requests', ...allStatuses.map(String), 'crashes'], [...rows, ['total', sent, ...allStatuses.map((status) => total((figure) => figure.statuses.get(status) ?? 0)), total((figure) => figure.crashes)]]);
printTable('valid events and memory', ['figure', 'value'], [
  ['valid events sent (answered 200)', validSessions.size],
  ['valid events refused', validRejected],
  ['valid events received on the stream', validSessions.size - (lost - validRejected)],
  ['gap frames on the stream', rig.gaps],
  ['heap at start, MiB', heapStart],
  ['heap at middle, MiB', heapMiddle],
  ['heap at end, MiB', heapEnd],
  ['/healthz after the run', healthz],
]);
for (const sample of crashSamples) console.log(`crash sample: ${sample}`);
for (const sample of serverErrorSamples) console.log(`5xx sample: ${sample}`);
process.exitCode = verdict([
  { name: 'no crash', holds: crashes === 0, detail: `${crashes} failed connections (and /healthz ${healthz})` },
  { name: 'no 5xx', holds: fiveXx === 0, detail: `${fiveXx} answers of 500 or more` },
  { name: 'no valid event lost', holds: lost === 0, detail: `${lost} of ${validSessions.size + validRejected} valid events lost or refused` },
]);
