import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createParser } from 'eventsource-parser';
import { isSightlineError } from '../sightline-error.ts';
import { createSummaryPayload } from '../wire-json.ts';
import { encodePayloadFrame, encodeSseFrame, HEARTBEAT_FRAME, type SseFrame } from './encode-frame.ts';

test('HEARTBEAT_FRAME is Autoplay\'s keep-alive byte for byte', () => {
  assert.equal(HEARTBEAT_FRAME, 'event: heartbeat\ndata:\n\n');
  assert.equal(encodeSseFrame({ event: 'heartbeat', data: '' }), HEARTBEAT_FRAME);
});

test('encodePayloadFrame writes the Appendix Sightline frame byte for byte', () => {
  const summary = createSummaryPayload({ product_id: 'prod_abc', session_id: 'ps_abc123', summary: '…', replaces: 12, forwarded_at: 1700000060 });
  assert.equal(
    encodePayloadFrame(summary, '1732230000-42'),
    'id: 1732230000-42\ndata: {"type":"summary","product_id":"prod_abc","session_id":"ps_abc123","summary":"…","replaces":12,"forwarded_at":1700000060.0}\n\n',
  );
  assert.equal(
    encodePayloadFrame(summary),
    'data: {"type":"summary","product_id":"prod_abc","session_id":"ps_abc123","summary":"…","replaces":12,"forwarded_at":1700000060.0}\n\n',
  );
});

test('encodeSseFrame splits data on CRLF, CR and LF into data: lines', () => {
  assert.equal(encodeSseFrame({ data: 'a\r\nb\rc\nd' }), 'data: a\ndata: b\ndata: c\ndata: d\n\n');
  assert.equal(encodeSseFrame({ data: 'x\n' }), 'data: x\ndata:\n\n');
  assert.equal(encodeSseFrame({ data: ' leading' }), 'data:  leading\n\n');
});

test('encodeSseFrame writes comment, id, event, retry, data in that order', () => {
  assert.equal(
    encodeSseFrame({ data: 'd', retry: 3000, event: 'e', id: '1-1', comment: 'hello\nworld' }),
    ': hello\n: world\nid: 1-1\nevent: e\nretry: 3000\ndata: d\n\n',
  );
  assert.equal(encodeSseFrame({ comment: '' }), ':\n\n');
  assert.equal(encodeSseFrame({ id: '' }), 'id:\n\n');
});

test('encodeSseFrame rejects line breaks in id and event, NUL in id and bad retry with SL_SSE_FIELD_INVALID', () => {
  const invalid: SseFrame[] = [
    { id: '1\n2', data: 'x' }, { id: '1\r2' }, { id: 'a\0b' }, { event: 'a\nb' }, { event: 'a\rb' },
    { retry: -1 }, { retry: 1.5 }, { retry: Number.NaN }, { retry: 2 ** 53 }, { data: 5 as unknown as string },
  ];
  for (const frame of invalid) {
    assert.throws(() => encodeSseFrame(frame), (error) => isSightlineError(error, 'SL_SSE_FIELD_INVALID') && error.status === 500, JSON.stringify(frame));
  }
  assert.equal(encodeSseFrame({ event: 'a\0b', data: '' }), 'event: a\0b\ndata:\n\n');
});

test('encodeSseFrame rejects an empty frame with SL_SSE_FRAME_EMPTY', () => {
  assert.throws(() => encodeSseFrame({}), (error) => isSightlineError(error, 'SL_SSE_FRAME_EMPTY'));
});

test('encoded frames decode back to the same message', () => {
  const frames: Array<{ frame: SseFrame; data: string; event: string; id: string; retry?: number }> = [
    { frame: { data: 'plain' }, data: 'plain', event: 'message', id: '' },
    { frame: { id: '7-1', data: 'a\nb\r\nc\rd' }, data: 'a\nb\nc\nd', event: 'message', id: '7-1' },
    { frame: { event: 'heartbeat', data: '' }, data: '', event: 'heartbeat', id: '7-1' },
    { frame: { data: '  two spaces', comment: 'note' }, data: '  two spaces', event: 'message', id: '7-1' },
    { frame: { data: 'x:y: z', event: 'named', retry: 1500 }, data: 'x:y: z', event: 'named', id: '7-1', retry: 1500 },
    { frame: { data: '\n', id: '' }, data: '\n', event: 'message', id: '' },
    { frame: { data: 'ünï 𝄞 \0' }, data: 'ünï 𝄞 \0', event: 'message', id: '' },
  ];
  // Decoded by eventsource-parser, the parser the SDK reads streams with; an id persists until another id line
  // changes it, and a retry line belongs to the frame it came in.
  const decoded: Array<{ data: string; event: string; id: string; retry?: number }> = [];
  let lastEventId = '';
  let retry: number | undefined;
  const parser = createParser({
    onRetry: (milliseconds) => (retry = milliseconds),
    onEvent: (message) => {
      if (message.id !== undefined) lastEventId = message.id;
      decoded.push(retry === undefined ? { data: message.data, event: message.event || 'message', id: lastEventId } : { data: message.data, event: message.event || 'message', id: lastEventId, retry });
      retry = undefined;
    },
  });
  parser.feed(frames.map(({ frame }) => encodeSseFrame(frame)).join(''));
  assert.deepEqual(decoded, frames.map(({ data, event, id, retry }) => (retry === undefined ? { data, event, id } : { data, event, id, retry })));
});
