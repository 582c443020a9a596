/**
 * Test-only SSE client over node:http (not exported): opens a stream, decodes frames with eventsource-parser (the
 * parser the SDK reads streams with), and lets a test await a condition on what arrived — driven by socket data,
 * never by sleeping.
 */
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { createParser } from 'eventsource-parser';

/** One dispatched SSE message, as an EventSource hands it over. */
export interface SseMessage {
  /** The data lines joined by `\n`. */
  data: string;
  /** The event name; `message` when the frame named none. */
  event: string;
  /** The last event id in effect when the message was dispatched (`""` when none). */
  id: string;
}

export interface OpenStream {
  status: number;
  headers: IncomingMessage['headers'];
  /** Every dispatched message, in order. */
  messages: SseMessage[];
  /** The raw text received (for byte-exact assertions). */
  raw(): string;
  /** Resolves when `predicate(messages)` holds, rejects after `timeoutMs` (a safety net, not a wait). */
  until(predicate: (messages: SseMessage[]) => boolean, timeoutMs?: number): Promise<SseMessage[]>;
  /** Resolves when the server ends or drops the connection. */
  ended: Promise<void>;
  /** Pauses reading (the socket backs up), or resumes. */
  pause(): void;
  resume(): void;
  close(): void;
  /** The JSON bodies of payload frames (heartbeats skipped). */
  payloads(): Array<Record<string, unknown>>;
  /** Body of a non-200 answer. */
  body: Promise<string>;
}

export function openStream(url: string, headers: Record<string, string> = {}): Promise<OpenStream> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(url, { headers: { accept: 'text/event-stream', ...headers } }, (response) => {
      const messages: SseMessage[] = [];
      // An id persists from frame to frame until another id line changes it (the EventSource rule).
      let lastEventId = '';
      const parser = createParser({
        onEvent: (message) => {
          if (message.id !== undefined) lastEventId = message.id;
          messages.push({ data: message.data, event: message.event || 'message', id: lastEventId });
        },
      });
      let text = '';
      const waiters = new Set<() => void>();
      let bodyResolve: (value: string) => void = () => undefined;
      const body = new Promise<string>((done) => (bodyResolve = done));
      const ended = new Promise<void>((done) => {
        response.on('close', () => {
          done();
          bodyResolve(text);
          for (const waiter of waiters) waiter();
        });
      });
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        text += chunk;
        if (response.statusCode === 200) parser.feed(chunk);
        for (const waiter of waiters) waiter();
      });
      response.on('error', () => undefined);
      resolve({
        status: response.statusCode ?? 0,
        headers: response.headers,
        messages,
        raw: () => text,
        ended,
        body,
        pause: () => response.pause(),
        resume: () => response.resume(),
        close: () => request.destroy(),
        payloads: () => messages.filter((message) => message.event !== 'heartbeat').map((message) => JSON.parse(message.data) as Record<string, unknown>),
        until(predicate, timeoutMs = 5000) {
          return new Promise((done, fail) => {
            const check = () => {
              if (predicate(messages)) {
                waiters.delete(check);
                clearTimeout(timer);
                done(messages);
              } else if (response.closed) {
                waiters.delete(check);
                clearTimeout(timer);
                fail(new Error(`stream ended before the condition held; got ${messages.length} messages`));
              }
            };
            const timer = setTimeout(() => {
              waiters.delete(check);
              fail(new Error(`condition not met in ${timeoutMs} ms; got ${messages.length} messages`));
            }, timeoutMs);
            waiters.add(check);
            check();
          });
        },
      });
    });
    request.on('error', reject);
    request.end();
  });
}
