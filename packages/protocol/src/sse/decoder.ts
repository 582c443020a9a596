/**
 * Incremental Server-Sent Events decoder following the HTML Living Standard's event stream
 * interpretation: BOM at stream start, CRLF/LF/CR line ends (a CRLF may straddle chunks),
 * comments, `field: value` split on the first colon with one optional space stripped, `data`
 * lines joined by LF, `id` with NUL ignored, `retry` digits only, dispatch on a blank line,
 * and a last event id that persists across events until an `id` line changes it.
 *
 * Linear in the input: every character is scanned once and partial lines are kept as parts,
 * never re-concatenated per chunk.
 */

/** One dispatched SSE message. */
export interface SseMessage {
  /** The data lines joined by `\n` (no trailing newline). */
  data: string;
  /** The event name; `message` when the frame had no (or an empty) `event:` line. */
  event: string;
  /** The last event id in effect when this message was dispatched (`""` when none). */
  id: string;
  /** Set when this message's frame carried a valid `retry:` line (milliseconds). */
  retry?: number;
}

const LF = '\n';
const CR = '\r';

/**
 * Decodes a text/event-stream incrementally. Feed decoded text (for bytes use a streaming
 * `TextDecoder`, which keeps multi-byte characters intact across chunks).
 *
 * @example
 * const decoder = new SseDecoder();
 * decoder.push('id: 1-1\ndata: {"type"'); // []
 * decoder.push(':"summary"}\n\n');        // [{ data: '{"type":"summary"}', event: 'message', id: '1-1' }]
 */
export class SseDecoder {
  #lastEventId = '';
  #retry: number | undefined;
  // Per-connection parse state.
  #isAtStreamStart = true;
  #skipLeadingLf = false;
  #lineParts: string[] = [];
  #dataLines: string[] = [];
  #hasData = false;
  #eventType = '';
  #eventIdBuffer: string;
  #frameRetry: number | undefined;

  /** @param lastEventId The id to start from, e.g. one kept from an earlier connection. */
  constructor(lastEventId = '') {
    this.#lastEventId = lastEventId;
    this.#eventIdBuffer = lastEventId;
  }

  /** The last event id set by the stream (what a reconnect sends as `Last-Event-ID`); `""` when none. */
  get lastEventId(): string {
    return this.#lastEventId;
  }

  /** The latest reconnection time (ms) from a `retry:` line, or `undefined` when the stream sent none. */
  get retry(): number | undefined {
    return this.#retry;
  }

  /** Feeds one chunk of text; returns the messages it completed, in order. */
  push(chunk: string): SseMessage[] {
    const messages: SseMessage[] = [];
    let start = 0;
    if (chunk.length === 0) return messages;
    if (this.#isAtStreamStart) {
      this.#isAtStreamStart = false;
      if (chunk.charCodeAt(0) === 0xfeff) start = 1;
    }
    if (this.#skipLeadingLf) {
      this.#skipLeadingLf = false;
      if (chunk[start] === LF) start += 1;
    }
    // Next CR and LF positions are cached so each is searched for once per occurrence (linear).
    let nextCr = chunk.indexOf(CR, start);
    let nextLf = chunk.indexOf(LF, start);
    while (start < chunk.length) {
      if (nextCr !== -1 && nextCr < start) nextCr = chunk.indexOf(CR, start);
      if (nextLf !== -1 && nextLf < start) nextLf = chunk.indexOf(LF, start);
      let end: number;
      if (nextCr === -1 && nextLf === -1) break;
      else if (nextCr === -1) end = nextLf;
      else if (nextLf === -1) end = nextCr;
      else end = Math.min(nextCr, nextLf);
      let lineText = chunk.slice(start, end);
      if (this.#lineParts.length > 0) {
        this.#lineParts.push(lineText);
        lineText = this.#lineParts.join('');
        this.#lineParts = [];
      }
      if (chunk[end] === CR) {
        if (end + 1 < chunk.length) {
          start = chunk[end + 1] === LF ? end + 2 : end + 1;
        } else {
          // A CR ending the chunk: an LF starting the next one belongs to the same line end.
          this.#skipLeadingLf = true;
          start = end + 1;
        }
      } else {
        start = end + 1;
      }
      this.#processLine(lineText, messages);
    }
    if (start < chunk.length) this.#lineParts.push(chunk.slice(start));
    return messages;
  }

  /**
   * Ends the stream. Per the standard, an event not closed by a blank line is discarded, so this
   * returns no messages (the array is for symmetry with {@link push}). Parse state is reset so the
   * decoder can read the next connection's stream; `lastEventId` and `retry` are kept, as an
   * EventSource keeps them across reconnects.
   */
  end(): SseMessage[] {
    this.#isAtStreamStart = true;
    this.#skipLeadingLf = false;
    this.#lineParts = [];
    this.#resetEvent();
    this.#eventIdBuffer = this.#lastEventId;
    return [];
  }

  #resetEvent(): void {
    this.#dataLines = [];
    this.#hasData = false;
    this.#eventType = '';
    this.#frameRetry = undefined;
  }

  #processLine(lineText: string, messages: SseMessage[]): void {
    if (lineText === '') {
      this.#dispatch(messages);
      return;
    }
    const colon = lineText.indexOf(':');
    if (colon === 0) return; // comment
    let name: string;
    let value: string;
    if (colon === -1) {
      name = lineText;
      value = '';
    } else {
      name = lineText.slice(0, colon);
      value = lineText.charCodeAt(colon + 1) === 0x20 ? lineText.slice(colon + 2) : lineText.slice(colon + 1);
    }
    switch (name) {
      case 'event':
        this.#eventType = value;
        break;
      case 'data':
        this.#dataLines.push(value);
        this.#hasData = true;
        break;
      case 'id':
        if (!value.includes('\0')) this.#eventIdBuffer = value;
        break;
      case 'retry':
        if (/^[0-9]+$/.test(value)) {
          const retry = Number(value);
          if (Number.isSafeInteger(retry)) {
            this.#retry = retry;
            this.#frameRetry = retry;
          }
        }
        break;
      default:
        break; // unknown fields are ignored
    }
  }

  #dispatch(messages: SseMessage[]): void {
    // The standard sets the last event id on every blank line, even when nothing is dispatched.
    this.#lastEventId = this.#eventIdBuffer;
    if (!this.#hasData) {
      this.#resetEvent();
      return;
    }
    const message: SseMessage = { data: this.#dataLines.join(LF), event: this.#eventType || 'message', id: this.#lastEventId };
    if (this.#frameRetry !== undefined) message.retry = this.#frameRetry;
    messages.push(message);
    this.#resetEvent();
  }
}
