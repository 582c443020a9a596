/**
 * `npm run attack:load -- --rate 400 --seconds 300`: sends posthog-js capture requests (one click each, spread over
 * `--sessions` sessions) to a real connector at a steady rate while a real SSE reader counts what arrives, and checks
 * that nothing is lost and memory stays flat (docs/attack-figures.md). Prints the figures; exits 1 when a property
 * fails.
 */
import { randomUUID } from 'node:crypto';
import { posthogJsEvents } from '@sightline/connector/testing';
import { heapMiB, integerOptions, printTable, startRig, verdict, waitFor } from './harness.ts';

const options = integerOptions(process.argv.slice(2), { rate: 400, seconds: 300, sessions: 200, 'drain-seconds': 60, 'flat-mib': 32 });
if (options.rate === 0 || options.seconds === 0) {
  console.error('--rate and --seconds must be above 0');
  process.exit(2);
}

const TICK_MS = 50;
const rig = await startRig();
const { connector, credentials } = rig;
const click = posthogJsEvents.buttonClick.batch[0]! as { properties: Record<string, unknown> } & Record<string, unknown>;

let sent = 0;
let accepted = 0;
const statuses = new Map<number, number>();
let failures = 0;
let inFlight = 0;
let maxInFlight = 0;
const heap: Array<{ atS: number; mib: number }> = [];

async function sendOne(sequence: number): Promise<void> {
  const event = {
    ...click,
    uuid: randomUUID(),
    timestamp: new Date().toISOString(),
    properties: { ...click.properties, token: credentials.capture_token, $session_id: `load-session-${sequence % options.sessions}`, distinct_id: `load-user-${sequence % options.sessions}`, $elements_chain: `button:text="Step ${sequence}"nth-child="1"nth-of-type="1"` },
  };
  inFlight++;
  maxInFlight = Math.max(maxInFlight, inFlight);
  try {
    const response = await fetch(`${connector.url}/e/`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ api_key: credentials.capture_token, batch: [event], sent_at: new Date().toISOString() }),
    });
    await response.arrayBuffer();
    statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
    if (response.status === 200) accepted++;
  } catch {
    failures++;
  } finally {
    inFlight--;
  }
}

const startedAt = Date.now();
const durationMs = options.seconds * 1000;
heap.push({ atS: 0, mib: heapMiB() });
let nextHeapAt = 1000;
// Each tick sends what the rate owes since the start, so a slow tick is caught up rather than lost.
await new Promise<void>((done) => {
  const timer = setInterval(() => {
    const elapsed = Date.now() - startedAt;
    const owed = Math.floor((Math.min(elapsed, durationMs) / 1000) * options.rate);
    while (sent < owed) void sendOne(sent++);
    if (elapsed >= nextHeapAt) {
      heap.push({ atS: Math.round(elapsed / 1000), mib: heapMiB() });
      nextHeapAt += Math.max(1000, Math.floor(durationMs / 20));
    }
    if (elapsed >= durationMs) {
      clearInterval(timer);
      done();
    }
  }, TICK_MS);
});
await waitFor(() => inFlight === 0, options['drain-seconds'] * 1000);
const sendSeconds = (Date.now() - startedAt) / 1000;
await connector.flush();
const receivedActions = () => rig.received.actions;
await waitFor(() => receivedActions() >= accepted, options['drain-seconds'] * 1000);
const received = receivedActions();
const heapEnd = heapMiB();
heap.push({ atS: Math.round((Date.now() - startedAt) / 1000), mib: heapEnd });
await rig.close();

const middle = heap[Math.floor(heap.length / 2)]!;
const start = heap[0]!;
const peak = Math.max(...heap.map((reading) => reading.mib));
console.log(`load: ${options.rate} events/s for ${options.seconds} s over ${options.sessions} sessions (sent in ${sendSeconds.toFixed(1)} s)`);
printTable('requests', ['status', 'count'], [...[...statuses].sort(([a], [b]) => a - b).map(([status, count]) => [String(status), count]), ['failed connections', failures]]);
printTable('events and memory', ['figure', 'value'], [
  ['events sent', sent],
  ['events accepted (200)', accepted],
  ['actions received on the stream', received],
  ['payloads received', rig.received.payloads],
  ['gap frames on the stream', rig.gaps],
  ['most requests in flight', maxInFlight],
  [`heap at start (${start.atS} s), MiB`, start.mib],
  [`heap at middle (${middle.atS} s), MiB`, middle.mib],
  ['heap at end, MiB', heapEnd],
  ['heap peak of the readings, MiB', peak],
]);
process.exitCode = verdict([
  { name: 'every event accepted', holds: accepted === sent && failures === 0, detail: `${accepted} of ${sent} answered 200, ${failures} failed connections` },
  { name: 'nothing lost', holds: received === accepted && rig.gaps === 0, detail: `${received} actions received for ${accepted} events accepted, ${rig.gaps} gaps` },
  { name: 'flat memory', holds: heapEnd - middle.mib <= options['flat-mib'], detail: `heap ${middle.mib} MiB at the middle, ${heapEnd} MiB at the end (allowed growth ${options['flat-mib']} MiB)` },
]);
