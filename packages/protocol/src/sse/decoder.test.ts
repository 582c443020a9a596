import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SseDecoder, type SseMessage } from './decoder.ts';

const APPENDIX_ACTIONS =
  '{"type":"actions","product_id":"prod_abc","session_id":"ps_abc123","user_id":"distinct_id_xyz","email":"user@example.com","count":1,"forwarded_at":1700000000.0,"actions":[{"index":0,"type":"pageview","title":"Page Load: Dashboard","description":"User landed on the dashboard page","timestamp_start":1700000000.0,"timestamp_end":1700000000.0,"raw_url":"https://app.example.com/dashboard?ref=email","canonical_url":"https://app.example.com/dashboard","session_id":"ps_abc123","user_id":"distinct_id_xyz","email":"user@example.com"}]}';
const APPENDIX_SUMMARY =
  '{"type":"summary","product_id":"prod_abc","session_id":"ps_abc123","summary":"The user navigated to the Dashboard, exported a CSV report, then opened billing settings.","replaces":12,"forwarded_at":1700000060.0}';
const APPENDIX_TOUR = '{"type":"usertour_trigger","product_id":"prod_abc","flow_id":"cmolleaj6028o13fcrnne0tsy","session_id":"ps_abc123"}';
const APPENDIX_STREAM = `data: ${APPENDIX_ACTIONS}\n\ndata: ${APPENDIX_SUMMARY}\n\nevent: heartbeat\ndata:\n\ndata: ${APPENDIX_TOUR}\n\n`;
const APPENDIX_MESSAGES: SseMessage[] = [
  { data: APPENDIX_ACTIONS, event: 'message', id: '' },
  { data: APPENDIX_SUMMARY, event: 'message', id: '' },
  { data: '', event: 'heartbeat', id: '' },
  { data: APPENDIX_TOUR, event: 'message', id: '' },
];

function decodeAll(chunks: readonly string[], decoder = new SseDecoder()): SseMessage[] {
  const messages: SseMessage[] = [];
  for (const chunk of chunks) messages.push(...decoder.push(chunk));
  messages.push(...decoder.end());
  return messages;
}

test('decodes the Appendix excerpt in one chunk', () => {
  assert.deepEqual(decodeAll([APPENDIX_STREAM]), APPENDIX_MESSAGES);
});

test('decodes the Appendix excerpt split in two at every position', () => {
  for (let split = 0; split <= APPENDIX_STREAM.length; split += 1) {
    assert.deepEqual(decodeAll([APPENDIX_STREAM.slice(0, split), APPENDIX_STREAM.slice(split)]), APPENDIX_MESSAGES, `split at ${split}`);
  }
});

test('decodes the Appendix excerpt with CRLF and with CR line ends, split at every position', () => {
  for (const ending of ['\r\n', '\r']) {
    const stream = APPENDIX_STREAM.replaceAll('\n', ending);
    for (let split = 0; split <= stream.length; split += 1) {
      assert.deepEqual(decodeAll([stream.slice(0, split), stream.slice(split)]), APPENDIX_MESSAGES, `${JSON.stringify(ending)} split at ${split}`);
    }
  }
});

test('decodes the Appendix excerpt fed one character at a time', () => {
  assert.deepEqual(decodeAll([...APPENDIX_STREAM]), APPENDIX_MESSAGES);
});

test('a CR ending one chunk and an LF starting the next are one line end', () => {
  const decoder = new SseDecoder();
  assert.deepEqual(decoder.push('data: a\r'), []);
  assert.deepEqual(decoder.push('\ndata: b\r'), []);
  assert.deepEqual(decoder.push(''), []);
  assert.deepEqual(decoder.push('\n\r'), [{ data: 'a\nb', event: 'message', id: '' }]);
  assert.deepEqual(decoder.push('\n'), [], 'the LF after a lone CR line end is skipped, not a blank line');
});

test('two CRs are two line ends, so CR CR dispatches', () => {
  assert.deepEqual(decodeAll(['data: x\r', '\r']), [{ data: 'x', event: 'message', id: '' }]);
});

test('strips a BOM at stream start only', () => {
  assert.deepEqual(decodeAll(['\uFEFFdata: a\n\n']), [{ data: 'a', event: 'message', id: '' }]);
  assert.deepEqual(decodeAll(['', '\uFEFF', 'data: a\n\n']), [{ data: 'a', event: 'message', id: '' }]);
  // A second BOM is part of the field name, which is then unknown and ignored.
  assert.deepEqual(decodeAll(['\uFEFF\uFEFFdata: a\n\n']), []);
  assert.deepEqual(decodeAll(['data: a\n\n\uFEFFdata: b\n\n']), [{ data: 'a', event: 'message', id: '' }]);
});

test('splits field and value on the first colon and strips exactly one space', () => {
  assert.deepEqual(decodeAll(['data:no space\n\ndata:  two\n\ndata: a: b:c\n\ndata\n\ndata:\n\n']), [
    { data: 'no space', event: 'message', id: '' },
    { data: ' two', event: 'message', id: '' },
    { data: 'a: b:c', event: 'message', id: '' },
    { data: '', event: 'message', id: '' },
    { data: '', event: 'message', id: '' },
  ]);
});

test('joins data lines with LF and ignores comments and unknown fields', () => {
  assert.deepEqual(decodeAll([': comment\ndata: one\n:another\nfoo: bar\nData: ignored\ndata: two\ndata:\n\n']), [
    { data: 'one\ntwo\n', event: 'message', id: '' },
  ]);
});

test('the event name applies to one message, and an empty name means message', () => {
  assert.deepEqual(decodeAll(['event: a\ndata: 1\n\ndata: 2\n\nevent:\ndata: 3\n\nevent: x\nevent: y\ndata: 4\n\n']), [
    { data: '1', event: 'a', id: '' },
    { data: '2', event: 'message', id: '' },
    { data: '3', event: 'message', id: '' },
    { data: '4', event: 'y', id: '' },
  ]);
});

test('a frame without data is not dispatched and its event name does not leak', () => {
  assert.deepEqual(decodeAll(['event: lonely\n\ndata: next\n\n']), [{ data: 'next', event: 'message', id: '' }]);
});

test('the last event id persists across messages until an id line changes it', () => {
  const decoder = new SseDecoder();
  const messages = decodeAll(['id: 1-1\ndata: a\n\ndata: b\n\nid: 1-2\n\ndata: c\n\nid:\ndata: d\n\nid: 5\ndata: e\n\nid\ndata: f\n\n'], decoder);
  assert.deepEqual(messages.map((message) => [message.data, message.id]), [['a', '1-1'], ['b', '1-1'], ['c', '1-2'], ['d', ''], ['e', '5'], ['f', '']]);
  assert.equal(decoder.lastEventId, '');
});

test('an id containing NUL is ignored', () => {
  const decoder = new SseDecoder();
  assert.deepEqual(decodeAll(['id: 1-1\ndata: a\n\nid: 2\0\ndata: b\n\n'], decoder).map((message) => message.id), ['1-1', '1-1']);
  assert.equal(decoder.lastEventId, '1-1');
});

test('lastEventId only moves when a blank line ends the frame', () => {
  const decoder = new SseDecoder();
  decoder.push('id: 3-3\ndata: x\n');
  assert.equal(decoder.lastEventId, '');
  decoder.push('\n');
  assert.equal(decoder.lastEventId, '3-3');
});

test('retry accepts ASCII digits only', () => {
  const decoder = new SseDecoder();
  const messages = decodeAll(['retry: 1000\ndata: a\n\nretry: 1a\ndata: b\n\nretry: -5\nretry:\nretry: ٣\nretry: 1.5\ndata: c\n\nretry:250\n\n'], decoder);
  assert.deepEqual(messages, [
    { data: 'a', event: 'message', id: '', retry: 1000 },
    { data: 'b', event: 'message', id: '' },
    { data: 'c', event: 'message', id: '' },
  ]);
  assert.equal(decoder.retry, 250);
});

test('an unterminated final event is not dispatched, and end() readies the decoder for the next connection', () => {
  const decoder = new SseDecoder();
  assert.deepEqual(decoder.push('id: 9-9\ndata: done\n\nid: 9-10\ndata: partial\n'), [{ data: 'done', event: 'message', id: '9-9' }]);
  assert.deepEqual(decoder.end(), []);
  assert.equal(decoder.lastEventId, '9-9');
  assert.deepEqual(decoder.push('\uFEFFdata: fresh\n\n'), [{ data: 'fresh', event: 'message', id: '9-9' }]);
  assert.deepEqual(decodeAll(['data: never\ndata: ends']), []);
});

test('a decoder can start from a saved last event id', () => {
  assert.deepEqual(decodeAll(['data: x\n\n'], new SseDecoder('4-2')), [{ data: 'x', event: 'message', id: '4-2' }]);
});

test('a very long line fed one character per chunk is reassembled', () => {
  const value = 'x'.repeat(50_000);
  const decoder = new SseDecoder();
  const messages: SseMessage[] = [];
  for (const character of `data: ${value}\n\n`) messages.push(...decoder.push(character));
  assert.equal(messages.length, 1);
  assert.equal(messages[0]!.data, value);
});

// Seeded PRNG (mulberry32) so a failure reproduces.
function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)]!;
}

function randomStream(random: () => number): string {
  const pieces = ['a', 'b', ' ', ':', '\0', 'é', '𝄞', '1', '0', '-', '\uFEFF'];
  const endings = ['\n', '\r\n', '\r'];
  const fields = ['data', 'data', 'data', 'id', 'event', 'retry', '', 'unknown', 'dat'];
  let stream = random() < 0.3 ? '\uFEFF' : '';
  const lineCount = 1 + Math.floor(random() * 40);
  for (let line = 0; line < lineCount; line += 1) {
    if (random() < 0.25) {
      stream += pick(random, endings);
      continue;
    }
    let value = '';
    const length = Math.floor(random() * 6);
    for (let index = 0; index < length; index += 1) value += pick(random, pieces);
    const shape = random();
    const field = pick(random, fields);
    stream += shape < 0.7 ? `${field}:${random() < 0.5 ? ' ' : ''}${value}` : shape < 0.85 ? field : `:${value}`;
    if (random() < 0.95) stream += pick(random, endings);
  }
  return stream;
}

/** An independent, whole-stream reading of the same rules, to check the incremental decoder against. */
function referenceDecode(stream: string): { messages: SseMessage[]; lastEventId: string } {
  const text = stream.startsWith('\uFEFF') ? stream.slice(1) : stream;
  const lines = text.split(/\r\n|\r|\n/);
  lines.pop(); // text after the final line end is an incomplete line
  const messages: SseMessage[] = [];
  let data = '';
  let event = '';
  let idBuffer = '';
  let lastEventId = '';
  let retry: number | undefined;
  for (const line of lines) {
    if (line === '') {
      lastEventId = idBuffer;
      if (data !== '') {
        const message: SseMessage = { data: data.slice(0, -1), event: event || 'message', id: lastEventId };
        if (retry !== undefined) message.retry = retry;
        messages.push(message);
      }
      data = '';
      event = '';
      retry = undefined;
      continue;
    }
    if (line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const name = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (name === 'data') data += `${value}\n`;
    else if (name === 'event') event = value;
    else if (name === 'id' && !value.includes('\0')) idBuffer = value;
    else if (name === 'retry' && /^[0-9]+$/.test(value)) retry = Number(value);
  }
  return { messages, lastEventId };
}

test('random streams decode the same under random chunkings, and as the reference reading (seeded)', () => {
  const random = createRandom(0x5eed);
  for (let iteration = 0; iteration < 300; iteration += 1) {
    const stream = randomStream(random);
    const expected = referenceDecode(stream);
    const whole = new SseDecoder();
    assert.deepEqual(decodeAll([stream], whole), expected.messages, `iteration ${iteration}: ${JSON.stringify(stream)}`);
    assert.equal(whole.lastEventId, expected.lastEventId);
    for (let chunking = 0; chunking < 5; chunking += 1) {
      const chunks: string[] = [];
      let position = 0;
      while (position < stream.length) {
        const size = Math.floor(random() * 8);
        chunks.push(stream.slice(position, position + size));
        position += size;
      }
      const decoder = new SseDecoder();
      assert.deepEqual(decodeAll(chunks, decoder), expected.messages, `iteration ${iteration} chunks ${JSON.stringify(chunks)}`);
      assert.equal(decoder.lastEventId, expected.lastEventId);
    }
  }
});
