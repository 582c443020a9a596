/**
 * A tiny real SSE server on 127.0.0.1 (random port) for tests of code built on ConnectorClient:
 * it streams frames you push, records every request's headers, and can fail on demand. Node only
 * (node:http), which is why it lives in `@sightline/sdk/testing` and not in the main entry.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { HEARTBEAT_FRAME, encodePayloadFrame, encodeSseFrame, type StreamPayload } from '@sightline/protocol';

/** Options of {@link startSseTestServer}. */
export interface SseTestServerOptions {
  /** When set, a stream request without `Authorization: Bearer <token>` gets a 401, as a connector answers. */
  token?: string;
  /** Sends a heartbeat on every open stream at this interval (real time). Default: only when {@link SseTestServer.heartbeat} is called. */
  heartbeatIntervalMs?: number;
  /** How long `waitFor…` helpers wait before they reject, so a broken test fails instead of hanging. Default 5000 ms. */
  waitTimeoutMs?: number;
}

/** One request the server received. Header names are lower case. */
export interface RecordedRequest {
  method: string;
  /** Path and query, e.g. `/stream/acme`. */
  path: string;
  /** The `:productId` of `/stream/:productId`, or null for other paths. */
  productId: string | null;
  headers: Record<string, string>;
  /** The `Authorization` header, or null. */
  authorization: string | null;
  /** The `Last-Event-ID` header, or null. */
  lastEventId: string | null;
}

/** A scripted answer for upcoming stream requests (see {@link SseTestServer.respondWith}). */
export interface ScriptedResponseOptions {
  /** Response body. Default: a JSON error body for statuses ≥ 400, else empty. */
  body?: string;
  /** Content-Type of the body. Default `application/json`. */
  contentType?: string;
  /** Extra response headers. */
  headers?: Record<string, string>;
  /** How many requests in a row get this answer. Default 1. */
  times?: number;
  /** Accept the request but never answer (until dropConnections or close): tests a connect timeout. */
  hang?: boolean;
}

/** A running test server. Frames go to every open stream; with none open they wait for the next one. */
export interface SseTestServer {
  /** Base URL, e.g. `http://127.0.0.1:41234`. */
  readonly url: string;
  /** Every request received, in order. */
  readonly requests: readonly RecordedRequest[];
  /** Streams currently open. */
  readonly openStreams: number;
  /** The stream URL of a product (default `test-product`): `${url}/stream/<productId>`. */
  streamUrl(productId?: string): string;
  /** Sends one payload frame (no event name, `id:` first when given), encoded as the connector does. */
  send(payload: StreamPayload | Record<string, unknown>, options?: { id?: string }): void;
  /** Writes text to the streams as is (for malformed or hand-made frames). */
  sendRaw(text: string): void;
  /** Sends `event: heartbeat` with empty data. */
  heartbeat(): void;
  /** Answers the next stream request(s) with `status` instead of opening a stream. Scripts queue in order. */
  respondWith(status: number, options?: ScriptedResponseOptions): void;
  /** Ends every open stream cleanly (the client sees end of stream). */
  endStreams(): void;
  /** Destroys every open connection (the client sees a network error). */
  dropConnections(): void;
  /** Resolves with the `count`-th request (1-based) once it has arrived. */
  waitForRequest(count: number): Promise<RecordedRequest>;
  /** Resolves once `count` streams in total have been opened since start. */
  waitForStreams(count: number): Promise<void>;
  /** Closes every connection and the server. */
  close(): Promise<void>;
}

interface Script {
  status: number;
  options: ScriptedResponseOptions;
  remaining: number;
}

interface Waiter {
  ready: () => boolean;
  resolve: () => void;
}

function headerValue(value: string | string[] | undefined): string | null {
  if (value === undefined) return null;
  return Array.isArray(value) ? value.join(', ') : value;
}

function encodeFrame(payload: StreamPayload | Record<string, unknown>, id: string | undefined): string {
  const type = (payload as { type?: unknown }).type;
  if (type === 'actions' || type === 'summary' || type === 'gap') return encodePayloadFrame(payload as StreamPayload, id);
  return encodeSseFrame({ data: JSON.stringify(payload), ...(id === undefined ? {} : { id }) });
}

/**
 * Starts an SSE server on 127.0.0.1, port 0.
 *
 * @example
 * const server = await startSseTestServer({ token: 'sk_test' });
 * const client = new ConnectorClient({ url: server.streamUrl('acme'), token: 'sk_test' }).onActions(seen.push.bind(seen));
 * void client.start();
 * await server.waitForStreams(1);
 * server.send(createActionsPayload({ product_id: 'acme', forwarded_at: 1 }), { id: '1-1' });
 */
export async function startSseTestServer(options: SseTestServerOptions = {}): Promise<SseTestServer> {
  const waitTimeoutMs = options.waitTimeoutMs ?? 5000;
  const requests: RecordedRequest[] = [];
  const streams = new Set<ServerResponse>();
  const hanging = new Set<ServerResponse>();
  const sockets = new Set<Socket>();
  const scripts: Script[] = [];
  let backlog: string[] = [];
  let streamsOpened = 0;
  let waiters: Waiter[] = [];

  function wake(): void {
    const pending = waiters;
    waiters = [];
    for (const waiter of pending) {
      if (waiter.ready()) waiter.resolve();
      else waiters.push(waiter);
    }
  }

  function waitUntil(ready: () => boolean, what: string): Promise<void> {
    if (ready()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        waiters = waiters.filter((waiter) => waiter.resolve !== done);
        reject(new Error(`SseTestServer: timed out after ${waitTimeoutMs} ms waiting for ${what}`));
      }, waitTimeoutMs);
      const done = (): void => {
        clearTimeout(timer);
        resolve();
      };
      waiters.push({ ready, resolve: done });
    });
  }

  function write(text: string): void {
    if (streams.size === 0) {
      backlog.push(text);
      return;
    }
    for (const stream of streams) stream.write(text);
  }

  function answerScripted(response: ServerResponse, script: Script): void {
    if (script.options.hang) {
      hanging.add(response);
      response.on('close', () => hanging.delete(response));
      return;
    }
    const body =
      script.options.body ??
      (script.status >= 400 ? JSON.stringify({ error: { code: 'SL_TEST_SCRIPTED', message: `scripted ${script.status}` } }) : '');
    response.writeHead(script.status, { 'Content-Type': script.options.contentType ?? 'application/json', ...script.options.headers });
    response.end(body);
  }

  function handle(request: IncomingMessage, response: ServerResponse): void {
    const path = request.url ?? '/';
    const match = /^\/stream\/([^/?#]+)/.exec(path);
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(request.headers)) {
      const text = headerValue(value);
      if (text !== null) headers[name] = text;
    }
    requests.push({
      method: request.method ?? 'GET',
      path,
      productId: match ? decodeURIComponent(match[1]!) : null,
      headers,
      authorization: headers.authorization ?? null,
      lastEventId: headers['last-event-id'] ?? null,
    });
    // The body of a GET is ignored, but it must be consumed for the connection to be reusable.
    request.resume();
    try {
      if (!match || request.method !== 'GET') {
        response.writeHead(404, { 'Content-Type': 'application/json' });
        response.end(JSON.stringify({ error: { code: 'SL_TEST_NOT_FOUND', message: `no route for ${request.method} ${path}` } }));
        return;
      }
      const script = scripts[0];
      if (script) {
        if (--script.remaining === 0) scripts.shift();
        answerScripted(response, script);
        return;
      }
      if (options.token !== undefined && headers.authorization !== `Bearer ${options.token}`) {
        response.writeHead(401, { 'Content-Type': 'application/json' });
        response.end(JSON.stringify({ error: { code: 'SL_STREAM_KEY_INVALID', message: 'stream key missing or invalid' } }));
        return;
      }
      response.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache', Connection: 'keep-alive' });
      response.flushHeaders();
      streams.add(response);
      streamsOpened++;
      response.on('close', () => streams.delete(response));
      if (backlog.length > 0) {
        response.write(backlog.join(''));
        backlog = [];
      }
    } finally {
      wake();
    }
  }

  const server = createServer(handle);
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;
  const heartbeatTimer = options.heartbeatIntervalMs
    ? setInterval(() => {
        for (const stream of streams) stream.write(HEARTBEAT_FRAME);
      }, options.heartbeatIntervalMs)
    : undefined;
  heartbeatTimer?.unref();

  return {
    url,
    requests,
    get openStreams() {
      return streams.size;
    },
    streamUrl: (productId = 'test-product') => `${url}/stream/${encodeURIComponent(productId)}`,
    send: (payload, sendOptions = {}) => write(encodeFrame(payload, sendOptions.id)),
    sendRaw: (text) => write(text),
    heartbeat: () => write(HEARTBEAT_FRAME),
    respondWith(status, scriptOptions = {}) {
      const times = scriptOptions.times ?? 1;
      if (!Number.isInteger(status) || status < 100 || status > 599) throw new RangeError(`respondWith: not an HTTP status: ${status}`);
      if (!Number.isInteger(times) || times < 1) throw new RangeError(`respondWith: times must be an integer >= 1, got ${times}`);
      scripts.push({ status, options: scriptOptions, remaining: times });
    },
    endStreams() {
      for (const stream of streams) stream.end();
      streams.clear();
    },
    dropConnections() {
      for (const response of [...streams, ...hanging]) response.socket?.destroy();
      streams.clear();
      hanging.clear();
    },
    async waitForRequest(count) {
      await waitUntil(() => requests.length >= count, `request #${count}`);
      return requests[count - 1]!;
    },
    waitForStreams: (count) => waitUntil(() => streamsOpened >= count, `${count} streams`),
    async close() {
      if (heartbeatTimer) clearInterval(heartbeatTimer);
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
