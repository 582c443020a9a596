/**
 * SseDecoder throughput on a realistic payload stream, beside eventsource-parser (the SDK's
 * dependency) on the same text and chunking, plus a worst case for linearity: one long line
 * delivered in tiny chunks.
 */
import { performance } from 'node:perf_hooks';
import { createParser } from 'eventsource-parser';
import { createActionsPayload, encodePayloadFrame, formatEventId, HEARTBEAT_FRAME, SseDecoder } from '@sightline/protocol';
import type { Benchmark } from './harness.ts';

function buildStream(frames: number): string {
  const parts: string[] = [];
  for (let seq = 0; seq < frames; seq += 1) {
    const payload = createActionsPayload({
      product_id: 'acme',
      session_id: `s${seq % 50}`,
      user_id: `u${seq % 50}`,
      forwarded_at: 1700000000 + seq,
      actions: Array.from({ length: 3 }, (_, index) => ({
        type: 'click',
        title: `Clicked 'Button ${index}'`,
        description: `User clicked Button ${index} on the Projects page`,
        canonical_url: '/projects/:id',
        raw_url: `https://app.example.com/projects/${seq}?tab=${index}`,
        timestamp_start: 1700000000 + seq + index,
      })),
    });
    parts.push(encodePayloadFrame(payload, formatEventId(1732230000, seq)));
    if (seq % 20 === 0) parts.push(HEARTBEAT_FRAME);
  }
  return parts.join('');
}

function chunk(text: string, size: number): string[] {
  const chunks: string[] = [];
  for (let position = 0; position < text.length; position += size) chunks.push(text.slice(position, position + size));
  return chunks;
}

function time(run: () => number): { ms: number; count: number } {
  const start = performance.now();
  const count = run();
  return { ms: performance.now() - start, count };
}

const benchmark: Benchmark = {
  title: 'SSE decoding (@sightline/protocol SseDecoder)',
  async run(report) {
    const frames = 50_000;
    const stream = buildStream(frames);
    const megabytes = stream.length / 1e6;
    for (const size of [16_384, 256]) {
      const chunks = chunk(stream, size);
      const ours = time(() => {
        const decoder = new SseDecoder();
        let count = 0;
        for (const piece of chunks) count += decoder.push(piece).length;
        return count;
      });
      const theirs = time(() => {
        let count = 0;
        const parser = createParser({ onEvent: () => (count += 1) });
        for (const piece of chunks) parser.feed(piece);
        return count;
      });
      if (ours.count !== theirs.count) report.note(`message counts differ: ${ours.count} vs ${theirs.count}`);
      report.row({
        name: `${frames.toLocaleString('en-US')} frames (${megabytes.toFixed(1)} MB), ${size}-char chunks`,
        value: megabytes / (ours.ms / 1000),
        unit: 'MB/s',
        baseline: megabytes / (theirs.ms / 1000),
        baselineName: 'eventsource-parser 3',
      });
    }
    const longLine = `data: ${'x'.repeat(2_000_000)}\n\n`;
    const tiny = chunk(longLine, 4);
    const worst = time(() => {
      const decoder = new SseDecoder();
      let count = 0;
      for (const piece of tiny) count += decoder.push(piece).length;
      return count;
    });
    report.row({ name: 'one 2 MB data line in 4-char chunks', value: worst.ms, unit: 'ms', goal: 'linear: about 2x the 1 MB time' });
    const half = chunk(`data: ${'x'.repeat(1_000_000)}\n\n`, 4);
    const halfTime = time(() => {
      const decoder = new SseDecoder();
      let count = 0;
      for (const piece of half) count += decoder.push(piece).length;
      return count;
    });
    report.row({ name: 'one 1 MB data line in 4-char chunks', value: halfTime.ms, unit: 'ms' });
  },
};

export default benchmark;
