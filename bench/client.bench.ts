/**
 * ConnectorClient throughput: a local node:http SSE server streams 100,000 real payload frames
 * (encodePayloadFrame, one click per payload, 100 sessions) to (a) a ConnectorClient with a no-op
 * onActions and (b) a baseline that fetches the same URL and reads and discards the same bytes
 * over the same kind of loopback socket. The ratio is the client's share of the raw transport speed.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createParser } from 'eventsource-parser';
import { createActionsPayload, encodePayloadFrame, formatEventId, parsePayloadDetailed } from '@sightline/protocol';
import { ConnectorClient, silentLogger } from '@sightline/sdk';
import type { Benchmark } from './harness.ts';

const PAYLOADS = 100_000;
const SESSIONS = 100;
const ROUNDS = 3;
const CHUNK_BYTES = 64 * 1024;

/** All frames once, cut into socket-sized chunks, so both readers get identical bytes and the server does no encoding work. */
function encodeStream(): { chunks: Buffer[]; bytes: number } {
  const epoch = 1_732_230_000;
  const chunks: Buffer[] = [];
  let pending: string[] = [];
  let pendingLength = 0;
  let bytes = 0;
  for (let seq = 1; seq <= PAYLOADS; seq++) {
    const session = `ps_${seq % SESSIONS}`;
    const at = 1_700_000_000 + seq / 10;
    const frame = encodePayloadFrame(
      createActionsPayload({
        product_id: 'bench',
        session_id: session,
        user_id: `user_${seq % SESSIONS}`,
        email: null,
        forwarded_at: at,
        actions: [
          {
            title: `Clicked 'Invite member'`,
            description: 'User clicked Invite member on the Team page',
            type: 'click',
            canonical_url: '/settings/team',
            raw_url: 'https://app.example.com/settings/team?tab=members',
            index: seq,
            timestamp_start: at,
            timestamp_end: at,
          },
        ],
      }),
      formatEventId(epoch, seq),
    );
    pending.push(frame);
    pendingLength += frame.length;
    if (pendingLength >= CHUNK_BYTES || seq === PAYLOADS) {
      const chunk = Buffer.from(pending.join(''));
      chunks.push(chunk);
      bytes += chunk.length;
      pending = [];
      pendingLength = 0;
    }
  }
  return { chunks, bytes };
}

async function startServer(chunks: Buffer[]): Promise<{ server: Server; url: string }> {
  const server = createServer((request, response) => {
    response.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' });
    let index = 0;
    const pump = (): void => {
      while (index < chunks.length) {
        if (!response.write(chunks[index++]!)) {
          response.once('drain', pump);
          return;
        }
      }
      response.end();
    };
    request.resume();
    pump();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/stream/bench` };
}

/** Seconds for the client to hand all payloads to onActions (or drop them). */
async function runClient(url: string): Promise<{ seconds: number; dropped: number; malformed: number }> {
  let handled = 0;
  let finish!: () => void;
  const done = new Promise<void>((resolve) => (finish = resolve));
  const client = new ConnectorClient({ url, token: 'bench', logger: silentLogger });
  const count = (): void => {
    if (++handled === PAYLOADS) finish();
  };
  client.onActions(count).onDrop(count);
  const started = performance.now();
  const running = client.start();
  await done;
  const seconds = (performance.now() - started) / 1000;
  await client.stop();
  await running;
  return { seconds, dropped: client.droppedCount, malformed: client.malformedCount };
}

/** Seconds to decode, SSE-parse, JSON.parse and validate the same bytes in memory: the floor of the client's per-payload work. */
function runParseOnly(chunks: Buffer[]): number {
  let parsed = 0;
  const parser = createParser({
    onEvent: (message) => {
      if (parsePayloadDetailed(JSON.parse(message.data)).payload) parsed++;
    },
  });
  const decoder = new TextDecoder();
  const started = performance.now();
  for (const chunk of chunks) parser.feed(decoder.decode(chunk, { stream: true }));
  const seconds = (performance.now() - started) / 1000;
  if (parsed !== PAYLOADS) throw new Error(`parse-only saw ${parsed} payloads, expected ${PAYLOADS}`);
  return seconds;
}

/** Seconds to fetch the same stream and read and discard every byte. */
async function runBaseline(url: string, expectedBytes: number): Promise<number> {
  const started = performance.now();
  const response = await fetch(url, { headers: { Accept: 'text/event-stream', Authorization: 'Bearer bench' } });
  const reader = response.body!.getReader();
  let bytes = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    bytes += value.byteLength;
  }
  if (bytes !== expectedBytes) throw new Error(`baseline read ${bytes} bytes, expected ${expectedBytes}`);
  return (performance.now() - started) / 1000;
}

const benchmark: Benchmark = {
  title: 'ConnectorClient: 100,000 payloads from a local SSE server',
  async run(report) {
    const { chunks, bytes } = encodeStream();
    const { server, url } = await startServer(chunks);
    try {
      // One warm-up of each so JIT and socket setup do not favour whichever runs second.
      await runBaseline(url, bytes);
      await runClient(url);
      const clientSeconds: number[] = [];
      const baselineSeconds: number[] = [];
      const parseSeconds: number[] = [];
      let dropped = 0;
      let malformed = 0;
      for (let round = 0; round < ROUNDS; round++) {
        baselineSeconds.push(await runBaseline(url, bytes));
        parseSeconds.push(runParseOnly(chunks));
        const result = await runClient(url);
        clientSeconds.push(result.seconds);
        dropped += result.dropped;
        malformed += result.malformed;
      }
      const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
      const clientRate = PAYLOADS / median(clientSeconds);
      const baselineRate = PAYLOADS / median(baselineSeconds);
      report.row({
        name: 'ConnectorClient, no-op onActions (default queue 500)',
        value: clientRate,
        unit: 'payloads/s',
        baseline: baselineRate,
        baselineName: 'fetch read-and-discard, same bytes',
      });
      report.row({
        name: 'in-memory decode + SSE parse + JSON.parse + validate (no socket, no queue)',
        value: PAYLOADS / median(parseSeconds),
        unit: 'payloads/s',
        baseline: baselineRate,
        baselineName: 'fetch read-and-discard, same bytes',
      });
      report.row({ name: 'ConnectorClient throughput', value: (bytes / median(clientSeconds)) / 2 ** 20, unit: 'MiB/s' });
      report.row({ name: 'read-and-discard throughput', value: (bytes / median(baselineSeconds)) / 2 ** 20, unit: 'MiB/s' });
      report.note(
        `${(bytes / 2 ** 20).toFixed(1)} MiB per run (${Math.round(bytes / PAYLOADS)} B/frame); median of ${ROUNDS} runs after one warm-up each; ` +
          `dropped ${dropped}, malformed ${malformed} over all measured client runs; server in the same process.`,
      );
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  },
};

export default benchmark;
