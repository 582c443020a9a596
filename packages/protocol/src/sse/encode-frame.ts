/**
 * Server-Sent Events frame encoding (HTML Living Standard, "event stream interpretation", read in
 * reverse): one frame per message, `field: value` lines, a blank line to dispatch.
 */
import { createError } from '../errors.ts';
import type { StreamPayload } from '../types.ts';
import { toWireJson } from '../wire-json.ts';

/** The parts of one SSE frame. At least one must be given. */
export interface SseFrame {
  /** Message data; line breaks (CRLF, CR or LF) become several `data:` lines. */
  data?: string;
  /** `id:` value; may not contain CR, LF or NUL (a NUL makes clients ignore the line). */
  id?: string;
  /** `event:` name; may not contain CR or LF. Omit for payload frames (EventSource.onmessage). */
  event?: string;
  /** `retry:` reconnection time in milliseconds, a non-negative integer. */
  retry?: number;
  /** Comment text, written as `: …` lines first; clients ignore it (keep-alives, debugging). */
  comment?: string;
}

const LINE_BREAK = /\r\n|\r|\n/;

/**
 * Autoplay's keep-alive, byte for byte: a named `heartbeat` event with empty data. Carries no id,
 * so it never moves a client's `Last-Event-ID`.
 */
export const HEARTBEAT_FRAME = 'event: heartbeat\ndata:\n\n';

function line(field: string, value: string): string {
  // `field:` alone for an empty value; otherwise one space, which decoders strip (exactly one).
  return value === '' ? `${field}:\n` : `${field}: ${value}\n`;
}

function checkSingleLine(field: 'id' | 'event', value: string): void {
  if (typeof value !== 'string') throw createError('SL_SSE_FIELD_INVALID', { field, reason: 'must be a string' });
  if (/[\r\n]/.test(value)) throw createError('SL_SSE_FIELD_INVALID', { field, reason: 'contains a line break' });
  if (field === 'id' && value.includes('\0')) throw createError('SL_SSE_FIELD_INVALID', { field, reason: 'contains NUL' });
}

/**
 * Encodes one SSE frame: comment lines, then `id:`, `event:`, `retry:`, then `data:` lines, then a
 * blank line. Uses LF line ends.
 *
 * @throws SightlineError `SL_SSE_FIELD_INVALID` for an `id`/`event` with a line break (or an `id`
 * with NUL) or a `retry` that is not a non-negative integer; `SL_SSE_FRAME_EMPTY` when nothing is given.
 * @example encodeSseFrame({ id: '1-1', data: 'a\nb' }) // 'id: 1-1\ndata: a\ndata: b\n\n'
 */
export function encodeSseFrame(frame: SseFrame): string {
  const { data, id, event, retry, comment } = frame;
  if (data === undefined && id === undefined && event === undefined && retry === undefined && comment === undefined) {
    throw createError('SL_SSE_FRAME_EMPTY');
  }
  let out = '';
  if (comment !== undefined) {
    for (const text of String(comment).split(LINE_BREAK)) out += text === '' ? ':\n' : `: ${text}\n`;
  }
  if (id !== undefined) {
    checkSingleLine('id', id);
    out += line('id', id);
  }
  if (event !== undefined) {
    checkSingleLine('event', event);
    out += line('event', event);
  }
  if (retry !== undefined) {
    if (!Number.isSafeInteger(retry) || retry < 0) throw createError('SL_SSE_FIELD_INVALID', { field: 'retry', reason: `must be a non-negative integer, got ${String(retry)}` });
    out += line('retry', String(retry));
  }
  if (data !== undefined) {
    if (typeof data !== 'string') throw createError('SL_SSE_FIELD_INVALID', { field: 'data', reason: 'must be a string' });
    for (const text of data.split(LINE_BREAK)) out += line('data', text);
  }
  return `${out}\n`;
}

/**
 * Encodes a payload frame: unnamed (so `EventSource.onmessage` sees it), `id:` first when given,
 * then one `data:` line of {@link toWireJson}.
 *
 * @example encodePayloadFrame(summary, '1732230000-42') // 'id: 1732230000-42\ndata: {"type":"summary",…}\n\n'
 */
export function encodePayloadFrame(payload: StreamPayload, id?: string): string {
  return encodeSseFrame(id === undefined ? { data: toWireJson(payload) } : { id, data: toWireJson(payload) });
}
