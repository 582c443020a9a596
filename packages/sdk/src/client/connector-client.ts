/**
 * `ConnectorClient`: subscribes to one product's Sightline (or Autoplay) stream over `fetch` and
 * hands each payload to your callbacks. Wire-contract §2, §6, §8, §9 and decisions D-1…D-10, D-31.
 * Runs wherever `fetch` and `ReadableStream` do (Node ≥ 20, browsers, workers, Deno, Bun).
 */
import { createParser, type EventSourceMessage, type ParseError } from 'eventsource-parser';
import {
  SightlineError,
  isSightlineError,
  parsePayloadDetailed,
  type ActionsPayload,
  type GapPayload,
  type StreamPayload,
  type SummaryPayload,
} from '@sightline/protocol';
import type { Clock, TimerHandle } from '../clock.ts';
import { createError } from '../errors.ts';
import { jitteredDelay, nextBackoff } from './backoff.ts';
import { resolveClientOptions, type ConnectorClientOptions, type ResolvedClientOptions } from './client-options.ts';
import type { Logger } from './logger.ts';
import { SessionQueue, isThenable } from './session-queue.ts';

/** Facts about the frame a payload came in, passed to every payload callback as the second argument. */
export interface PayloadMeta {
  /** The frame's SSE `id` (`<epoch>-<seq>` on Sightline streams), or null when it had none (Autoplay). */
  id: string | null;
  /** When the client read the frame, epoch ms on the client's clock (use it for lookback windows, D-13). */
  receivedAt: number;
}

/** A JSON object from the stream whose `type` the client does not parse (e.g. `usertour_trigger`). */
export type UnknownPayload = Record<string, unknown>;

/**
 * A payload callback; may be async (a returned promise is awaited before the session's next payload;
 * any other return value is ignored, so `(payload) => store.add(payload)` fits). Errors are logged
 * and the stream goes on.
 */
export type PayloadHandler<P> = (payload: P, meta: PayloadMeta) => unknown;

/** Why a payload never reached its callback. */
export type DropReason = 'queue_full' | 'shutdown';

/** What `onDrop` receives (D-31). */
export interface DropEvent {
  /** The payload that was dropped, as parsed (or the raw object for an `onEvent` type). */
  payload: StreamPayload | UnknownPayload;
  /** `queue_full`: the queue held `maxQueueSize` payloads; `shutdown`: `stop()` hit its drain deadline. */
  reason: DropReason;
  /** {@link ConnectorClient.droppedCount} after this drop. */
  totalDropped: number;
}

/** What `onDisconnect` receives. */
export interface DisconnectInfo {
  /** What went wrong, with a stable code: `SL_STREAM_HTTP_STATUS`, `SL_STREAM_CONTENT_TYPE`, `SL_STREAM_NETWORK`, `SL_STREAM_CONNECT_TIMEOUT`, `SL_STREAM_IDLE_TIMEOUT`, `SL_STREAM_ENDED`, `SL_STREAM_FRAME_TOO_LARGE`. */
  error: SightlineError;
  /** Failed attempts in a row so far, this one included (0 after a healthy stream ended). */
  retryCount: number;
  /** Whether this attempt had got as far as a checked `text/event-stream` response. */
  wasConnected: boolean;
}

/** A lifecycle hook; a returned promise is awaited (until stop is requested), any other value ignored. */
type LifecycleHook<A extends unknown[]> = (...args: A) => unknown;

/** A payload's place in the order of the stream, for the stored position: done once its handling finished. */
interface PositionMark {
  id: string;
  done: boolean;
}

type QueueItem = (
  | { kind: 'actions'; payload: ActionsPayload; meta: PayloadMeta }
  | { kind: 'summary'; payload: SummaryPayload; meta: PayloadMeta }
  | { kind: 'gap'; payload: GapPayload; meta: PayloadMeta }
  | { kind: 'event'; payload: UnknownPayload; meta: PayloadMeta }
) & { mark?: PositionMark };

type AttemptOutcome =
  | { kind: 'stopped' }
  | { kind: 'fatal'; error: SightlineError }
  | { kind: 'failed'; error: SightlineError; connectedForMs: number | null; backoffBeforeConnect: number };

/** 401, 403 and 404 mean the URL or key is wrong: retrying cannot help (wire-contract §6). */
const FATAL_STATUSES = new Set([401, 403, 404]);

/** Marks an abort the client caused by `stop()` or the caller's signal, as opposed to a timeout. */
const STOPPED = Symbol('stopped');

const NO_SESSION = '_nosession';

/** Header values fetch accepts: Latin-1 without control characters that would break the header. */
const HEADER_SAFE = /^[\t\x20-\x7e\x80-\xff]*$/;

function isEventStream(contentType: string | null): boolean {
  return (contentType ?? '').split(';', 1)[0]!.trim().toLowerCase() === 'text/event-stream';
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as { cause?: unknown }).cause;
    return cause instanceof Error && cause.message ? `${error.message} (${cause.message})` : error.message;
  }
  return String(error);
}

function stringOr(value: unknown, fallback: string): string {
  return typeof value === 'string' && value !== '' ? value : fallback;
}

/** The lane a payload is ordered in: product plus session, else user, else `_nosession`. */
function sessionKey(productId: unknown, sessionId: unknown, userId: unknown): string {
  return `${stringOr(productId, '')}\u0000${stringOr(sessionId, stringOr(userId, NO_SESSION))}`;
}

/**
 * Streams one product's payloads into callbacks.
 *
 * - Sends `Authorization: Bearer <token>` and `Last-Event-ID` (the last id seen) on every (re)connect;
 *   checks the status and content type before it counts as connected (D-1). 401/403/404 make
 *   `start()` reject with `SL_STREAM_FATAL_STATUS` (`.status` is the HTTP status) without a retry.
 * - Anything else (another status, a wrong content type, a network error, an idle stream, the server
 *   closing the stream) reconnects after 1 s doubling to 30 s, plus 0–10 % jitter. A successful
 *   connect resets the backoff and the retry count; `maxRetries: N` allows N + 1 failed attempts
 *   in a row, then `start()` rejects with `SL_STREAM_RETRIES_EXHAUSTED`.
 * - Heartbeats are skipped, malformed frames are skipped and counted ({@link malformedCount}),
 *   `gap` frames go to `onGap`, other unknown types to `onEvent`.
 * - A bounded queue (`maxQueueSize`, 500) sits between the reader and the callbacks. Callbacks for
 *   one session (product + session id, else user id) run strictly in arrival order; different
 *   sessions run concurrently. When the queue is full the newest payload is dropped, counted
 *   ({@link droppedCount}) and passed to `onDrop`. A callback that throws is logged; the stream goes on.
 * - `onGap` runs after every payload received before the gap has been handled and before any
 *   payload received after it, so it can reset derived state safely.
 *
 * Registering a callback again replaces the previous one.
 *
 * @example
 * const client = new ConnectorClient({ url: process.env.STREAM_URL!, token: process.env.STREAM_KEY })
 *   .onActions((payload) => store.add(payload))
 *   .onSummary((payload) => store.add(payload))
 *   .onDrop(({ reason, totalDropped }) => metrics.dropped(reason, totalDropped));
 * const running = client.start();   // resolves after stop()
 * // … later
 * await client.stop();
 */
export class ConnectorClient {
  private readonly options: ResolvedClientOptions;
  private readonly clock: Clock;
  private readonly logger: Logger;

  private actionsHandler: PayloadHandler<ActionsPayload> | undefined;
  private summaryHandler: PayloadHandler<SummaryPayload> | undefined;
  private gapHandler: PayloadHandler<GapPayload> | undefined;
  private eventHandler: PayloadHandler<UnknownPayload> | undefined;
  private dropHandler: ((drop: DropEvent) => void) | undefined;
  private connectHandler: LifecycleHook<[]> | undefined;
  private disconnectHandler: LifecycleHook<[DisconnectInfo]> | undefined;

  private queue: SessionQueue<QueueItem>;
  private dropped = 0;
  private malformed = 0;
  private connected = false;
  private currentLastEventId: string | undefined;
  private lastReceived: number | null = null;

  private running: Promise<void> | undefined;
  private stopRequested = false;
  private abortedBySignal = false;
  private readonly stopWaiters = new Set<() => void>();
  private attemptController: AbortController | undefined;
  private idleTimer: TimerHandle | undefined;

  /** Payloads with an id not yet handled, oldest first, when a position store is set. */
  private readonly marks: PositionMark[] = [];
  /** The latest id handled with everything before it, not yet written, and how many payloads it stands for. */
  private unwrittenPosition: string | null = null;
  private unwrittenCount = 0;
  private positionTimer: TimerHandle | undefined;
  private positionWrite: Promise<void> = Promise.resolve();

  /** @throws SightlineError `SL_CONFIG_INVALID` for a missing or wrong option. */
  constructor(options: ConnectorClientOptions) {
    this.options = resolveClientOptions(options);
    this.clock = this.options.clock;
    this.logger = this.options.logger;
    this.currentLastEventId = this.options.lastEventId;
    this.queue = this.createQueue();
  }

  /** Handles `actions` payloads. */
  onActions(handler: PayloadHandler<ActionsPayload>): this {
    this.actionsHandler = handler;
    return this;
  }

  /** Handles `summary` payloads. */
  onSummary(handler: PayloadHandler<SummaryPayload>): this {
    this.summaryHandler = handler;
    return this;
  }

  /** Handles `gap` frames: payloads between `last_event_id` and `resumed_from` were not delivered. */
  onGap(handler: PayloadHandler<GapPayload>): this {
    this.gapHandler = handler;
    return this;
  }

  /** Handles JSON objects of any other `type` (e.g. `usertour_trigger`), unparsed; ordered per session like payloads. */
  onEvent(handler: PayloadHandler<UnknownPayload>): this {
    this.eventHandler = handler;
    return this;
  }

  /** Told about every payload that will never reach its callback (D-31). Runs on the reader: keep it quick. */
  onDrop(handler: (drop: DropEvent) => void): this {
    this.dropHandler = handler;
    return this;
  }

  /** Runs after every successful (re)connect, before that connection's frames are read. */
  onConnect(handler: LifecycleHook<[]>): this {
    this.connectHandler = handler;
    return this;
  }

  /** Runs after every failed attempt or lost stream that will be retried; not after `stop()` or a fatal status. */
  onDisconnect(handler: LifecycleHook<[DisconnectInfo]>): this {
    this.disconnectHandler = handler;
    return this;
  }

  /** Payloads dropped so far (queue full or shutdown); never decreases. */
  get droppedCount(): number {
    return this.dropped;
  }

  /** Frames skipped because their data was not JSON, not an object, or a malformed payload; never decreases. */
  get malformedCount(): number {
    return this.malformed;
  }

  /** Payloads accepted and not yet handled (waiting or running). */
  get queueSize(): number {
    return this.queue.size;
  }

  /** True while a checked event stream is open. */
  get isConnected(): boolean {
    return this.connected;
  }

  /** The last SSE event id seen (or the `lastEventId` option before any), sent as `Last-Event-ID` on reconnect. */
  get lastEventId(): string | null {
    return this.currentLastEventId ?? null;
  }

  /** When bytes last arrived (payloads or heartbeats), epoch ms on the client's clock; null before the first connect. */
  get lastReceivedAt(): number | null {
    return this.lastReceived;
  }

  /**
   * Connects and keeps the stream going. Resolves after {@link stop} once queued payloads are handled.
   * Rejects with `SL_STREAM_FATAL_STATUS` (401/403/404), `SL_STREAM_RETRIES_EXHAUSTED`,
   * `SL_STREAM_ABORTED` (the `signal` option fired) or `SL_CLIENT_ALREADY_STARTED`.
   * It may be called again once it has settled.
   */
  start(): Promise<void> {
    if (this.running) return Promise.reject(createError('SL_CLIENT_ALREADY_STARTED'));
    const signal = this.options.signal;
    if (signal?.aborted) return Promise.reject(this.abortError());
    this.stopRequested = false;
    this.abortedBySignal = false;
    this.queue = this.createQueue();
    this.marks.length = 0;
    const onAbort = (): void => {
      this.abortedBySignal = true;
      this.requestStop();
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    const running = this.run().finally(() => {
      signal?.removeEventListener('abort', onAbort);
      this.running = undefined;
    });
    this.running = running;
    return running;
  }

  /**
   * Aborts the request in flight, cancels any backoff wait, lets the queued payloads be handled
   * (up to `drainTimeoutMs`, then the rest go to `onDrop` as `shutdown`) and resolves. `start()`
   * resolves at the same time. Safe to call when not running.
   */
  stop(): Promise<void> {
    const running = this.running;
    if (!running) return Promise.resolve();
    this.requestStop();
    return running.then(
      () => undefined,
      () => undefined,
    );
  }

  private createQueue(): SessionQueue<QueueItem> {
    return new SessionQueue<QueueItem>({
      capacity: this.options.maxQueueSize,
      handle: (item) => {
        if (!item.mark) return this.dispatch(item);
        const mark = item.mark;
        let result: unknown;
        try {
          result = this.dispatch(item);
        } catch (error) {
          this.markHandled(mark);
          throw error;
        }
        if (!isThenable(result)) {
          this.markHandled(mark);
          return result;
        }
        return Promise.resolve(result).finally(() => this.markHandled(mark));
      },
      onError: (item, error) =>
        this.logger.error(`${item.kind} callback failed: ${describe(error)}`, {
          event_type: item.kind === 'event' ? item.payload.type : item.kind,
          product_id: item.payload.product_id,
          session_id: stringOr((item.payload as { session_id?: unknown }).session_id, NO_SESSION),
          error,
        }),
    });
  }

  private requestStop(): void {
    this.stopRequested = true;
    this.attemptController?.abort(STOPPED);
    const waiters = [...this.stopWaiters];
    this.stopWaiters.clear();
    for (const wake of waiters) wake();
  }

  private abortError(): SightlineError {
    return createError('SL_STREAM_ABORTED', { url: this.options.url }, { cause: this.options.signal?.reason });
  }

  /**
   * Settles like `work`, or resolves early when stop is requested. The waiter is removed once `work`
   * settles, so a long-running client does not pile up stop listeners.
   */
  private untilStopped(work: PromiseLike<unknown>): Promise<void> {
    if (this.stopRequested) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const wake = (): void => resolve();
      this.stopWaiters.add(wake);
      Promise.resolve(work).then(
        () => {
          this.stopWaiters.delete(wake);
          resolve();
        },
        (error: unknown) => {
          this.stopWaiters.delete(wake);
          reject(error);
        },
      );
    });
  }

  private async run(): Promise<void> {
    let failure: unknown;
    try {
      await this.readPosition();
      await this.connectLoop();
    } catch (error) {
      failure = error;
    }
    await this.drainQueue();
    await this.flushPosition();
    if (this.abortedBySignal) throw this.abortError();
    if (failure !== undefined) throw failure;
    this.logger.info('stream stopped', { url: this.options.url });
  }

  private async connectLoop(): Promise<void> {
    const { initialBackoffMs, maxBackoffMs, maxRetries, healthyStreamMs, url } = this.options;
    let backoff = initialBackoffMs;
    let retryCount = 0;
    while (!this.stopRequested) {
      const outcome = await this.attempt(backoff);
      if (outcome.kind === 'stopped') return;
      if (outcome.kind === 'fatal') {
        this.logger.error(`fatal HTTP ${outcome.error.status} from the stream; check the URL and the token`, { url, http_status: outcome.error.status });
        throw outcome.error;
      }
      const { error, connectedForMs } = outcome;
      const healthy = connectedForMs !== null && connectedForMs >= healthyStreamMs;
      if (connectedForMs !== null) {
        // The connect reset both counters; a stream that died young keeps backing off (D-2).
        retryCount = 0;
        backoff = healthy ? initialBackoffMs : outcome.backoffBeforeConnect;
      }
      if (!healthy) retryCount++;
      const delay = healthy ? 0 : jitteredDelay(backoff, this.options.random);
      const exhausted = maxRetries !== undefined && retryCount > maxRetries;
      const plan = exhausted ? 'no retries left' : `retrying in ${delay} ms (attempt ${retryCount})`;
      this.logger.warn(`connection lost (${error.code}): ${error.message}; ${plan}`, {
        url,
        retry_count: retryCount,
        http_status: error.details.status,
      });
      await this.callHook('onDisconnect', this.disconnectHandler, [{ error, retryCount, wasConnected: connectedForMs !== null }]);
      if (this.stopRequested) return;
      if (exhausted) {
        this.logger.error(`maxRetries=${maxRetries} exhausted after ${retryCount} attempts`, { url, retry_count: retryCount });
        throw createError('SL_STREAM_RETRIES_EXHAUSTED', { url, maxRetries, attempts: retryCount, lastCode: error.code }, { cause: error });
      }
      if (!healthy) backoff = nextBackoff(backoff, maxBackoffMs);
      if (delay > 0) await this.sleep(delay);
    }
  }

  /** Waits `delayMs` on the clock, or less if stop is requested. */
  private async sleep(delayMs: number): Promise<void> {
    let timer: TimerHandle | undefined;
    const elapsed = new Promise<void>((resolve) => {
      timer = this.clock.setTimeout(resolve, delayMs);
    });
    await this.untilStopped(elapsed);
    this.clock.clearTimeout(timer);
  }

  /** Runs a lifecycle hook; errors are logged, and a hook still running when stop is requested is no longer waited for. */
  private async callHook<A extends unknown[]>(name: string, hook: LifecycleHook<A> | undefined, args: A): Promise<void> {
    if (!hook) return;
    try {
      const result = hook(...args);
      if (isThenable(result)) await this.untilStopped(result);
    } catch (error) {
      this.logger.error(`${name} hook failed: ${describe(error)}`, { url: this.options.url, error });
    }
  }

  private async attempt(backoffBeforeConnect: number): Promise<AttemptOutcome> {
    const { url, token, connectTimeoutMs } = this.options;
    const controller = new AbortController();
    this.attemptController = controller;
    const headers: Record<string, string> = { Accept: 'text/event-stream' };
    if (token) headers.Authorization = `Bearer ${token}`;
    let requestUrl = url;
    const resumeAfter = this.currentLastEventId;
    if (resumeAfter && HEADER_SAFE.test(resumeAfter)) {
      headers['Last-Event-ID'] = resumeAfter;
    } else if (resumeAfter) {
      // An id fetch cannot put in a header (non-Latin-1) would fail every reconnect: use the query form instead.
      const withQuery = new URL(url);
      withQuery.searchParams.set('last_event_id', resumeAfter);
      requestUrl = withQuery.href;
    }
    this.logger.info('connecting', { url, last_event_id: this.currentLastEventId ?? null });
    const connectTimer = this.clock.setTimeout(
      () => controller.abort(createError('SL_STREAM_CONNECT_TIMEOUT', { url, timeoutMs: connectTimeoutMs })),
      connectTimeoutMs,
    );
    let connectedAt: number | null = null;
    const failed = (error: SightlineError): AttemptOutcome => ({
      kind: 'failed',
      error,
      connectedForMs: connectedAt === null ? null : this.clock.now() - connectedAt,
      backoffBeforeConnect,
    });
    try {
      if (this.stopRequested) return { kind: 'stopped' };
      const response = await this.options.fetch(requestUrl, { method: 'GET', headers, signal: controller.signal });
      const status = response.status;
      if (FATAL_STATUSES.has(status)) {
        discardBody(response);
        const template = createError('SL_STREAM_FATAL_STATUS', { url, status });
        // The catalogue's status is a placeholder: this error carries the status the server answered.
        return { kind: 'fatal', error: new SightlineError(template.code, status, template.message, template.details) };
      }
      if (status < 200 || status > 299) {
        discardBody(response);
        return failed(createError('SL_STREAM_HTTP_STATUS', { url, status }));
      }
      const contentType = response.headers.get('content-type');
      if (!isEventStream(contentType)) {
        discardBody(response);
        return failed(createError('SL_STREAM_CONTENT_TYPE', { url, status, contentType: contentType ?? '(none)' }));
      }
      if (!response.body) return failed(createError('SL_STREAM_NETWORK', { url, reason: 'the response has no body' }));
      this.clock.clearTimeout(connectTimer);
      connectedAt = this.clock.now();
      this.connected = true;
      this.lastReceived = connectedAt;
      this.logger.info('connected', { url, http_status: status });
      await this.callHook('onConnect', this.connectHandler, []);
      if (this.stopRequested) {
        discardBody(response);
        return { kind: 'stopped' };
      }
      await this.read(response.body, controller);
      return failed(createError('SL_STREAM_ENDED', { url }));
    } catch (error) {
      if (this.stopRequested) return { kind: 'stopped' };
      const reason: unknown = controller.signal.aborted ? controller.signal.reason : error;
      if (isSightlineError(reason)) return failed(reason);
      return failed(createError('SL_STREAM_NETWORK', { url, reason: describe(reason) }, { cause: reason }));
    } finally {
      this.clock.clearTimeout(connectTimer);
      this.clock.clearTimeout(this.idleTimer);
      this.idleTimer = undefined;
      this.connected = false;
      if (this.attemptController === controller) this.attemptController = undefined;
      if (!controller.signal.aborted) controller.abort(STOPPED);
    }
  }

  /** Reads the body until it ends (returns) or fails (throws). */
  private async read(body: ReadableStream<Uint8Array>, controller: AbortController): Promise<void> {
    const { url, maxFrameLength, idleTimeoutMs } = this.options;
    let frameError: SightlineError | undefined;
    const parser = createParser({
      onEvent: (message) => this.handleMessage(message),
      onError: (error: ParseError) => {
        if (error.type === 'max-buffer-size-exceeded') frameError ??= createError('SL_STREAM_FRAME_TOO_LARGE', { url, maxFrameLength });
        else this.logger.debug(`SSE line ignored: ${error.message}`, { url });
      },
      maxBufferSize: maxFrameLength,
    });
    if (idleTimeoutMs !== undefined) this.armIdleTimer(controller, idleTimeoutMs, idleTimeoutMs);
    const reader = body.getReader();
    const decoder = new TextDecoder();
    // Cancelling the reader settles a pending read() at once. Aborting the fetch alone is not enough:
    // Node 20's fetch leaves that read pending forever when the body had already fully arrived.
    const cancelOnAbort = (): void => void reader.cancel(controller.signal.reason).catch(() => undefined);
    controller.signal.addEventListener('abort', cancelOnAbort, { once: true });
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (controller.signal.aborted) throw controller.signal.reason;
        if (done) {
          parser.feed(decoder.decode());
          return;
        }
        this.lastReceived = this.clock.now();
        parser.feed(decoder.decode(value, { stream: true }));
        if (frameError) throw frameError;
      }
    } finally {
      controller.signal.removeEventListener('abort', cancelOnAbort);
      reader.cancel().catch(() => undefined);
    }
  }

  /**
   * The idle check re-arms itself for the remaining time instead of resetting a timer per chunk,
   * which keeps a fast stream from churning timers.
   */
  private armIdleTimer(controller: AbortController, idleTimeoutMs: number, delayMs: number): void {
    this.idleTimer = this.clock.setTimeout(() => {
      if (controller.signal.aborted) return;
      const silentFor = this.clock.now() - (this.lastReceived ?? 0);
      if (silentFor >= idleTimeoutMs) {
        controller.abort(createError('SL_STREAM_IDLE_TIMEOUT', { url: this.options.url, idleTimeoutMs }));
      } else {
        this.armIdleTimer(controller, idleTimeoutMs, idleTimeoutMs - silentFor);
      }
    }, delayMs);
  }

  /** One SSE event, in the order of wire-contract §2.3. Runs on the reader: never awaits a callback. */
  private handleMessage(message: EventSourceMessage): void {
    // An `id:` line (even an empty one, which resets it) moves the resume point, whatever the frame holds.
    if (message.id !== undefined) this.currentLastEventId = message.id === '' ? undefined : message.id;
    if (message.event === 'heartbeat') return;
    const meta: PayloadMeta = { id: message.id || null, receivedAt: this.lastReceived ?? this.clock.now() };
    let raw: unknown;
    try {
      raw = JSON.parse(message.data);
    } catch {
      this.malformed++;
      this.logger.warn('malformed frame skipped: data is not JSON', { url: this.options.url, data: message.data.slice(0, 200), event_id: meta.id });
      return;
    }
    const result = parsePayloadDetailed(raw);
    if (result.payload === null) {
      if (result.reason === 'unknown_type') {
        const object = raw as UnknownPayload;
        if (this.eventHandler) {
          this.enqueue(sessionKey(object.product_id, object.session_id, object.user_id), { kind: 'event', payload: object, meta });
        } else {
          this.logger.debug(`frame of type ${result.detail ?? '?'} skipped (no onEvent handler)`, { event_type: result.detail });
        }
        return;
      }
      this.malformed++;
      const log = result.reason === 'not_object' ? this.logger.debug : this.logger.warn;
      log.call(this.logger, `malformed frame skipped (${result.reason}): ${result.detail ?? ''}`, { url: this.options.url, event_id: meta.id });
      return;
    }
    const payload = result.payload;
    switch (payload.type) {
      case 'actions':
        if (this.actionsHandler) this.enqueue(sessionKey(payload.product_id, payload.session_id, payload.user_id), { kind: 'actions', payload, meta });
        return;
      case 'summary':
        if (this.summaryHandler) this.enqueue(sessionKey(payload.product_id, payload.session_id, null), { kind: 'summary', payload, meta });
        return;
      case 'gap':
        this.logger.warn(`the stream could not resume after ${payload.last_event_id} (${payload.reason}); payloads were missed`, {
          url: this.options.url,
          product_id: payload.product_id,
        });
        if (this.gapHandler) this.enqueue(null, { kind: 'gap', payload, meta });
        return;
    }
  }

  /** The stored position becomes the first `Last-Event-ID`, unless the `lastEventId` option or an earlier run set one. */
  private async readPosition(): Promise<void> {
    const position = this.options.position;
    if (!position || this.currentLastEventId !== undefined) return;
    const stored = await position.store.read(position.productId);
    if (stored && this.currentLastEventId === undefined) {
      this.currentLastEventId = stored;
      this.logger.info('resuming from the stored stream position', { url: this.options.url, last_event_id: stored });
    }
  }

  /** A payload's handling finished: the position moves over every finished payload at the head of the order. */
  private markHandled(mark: PositionMark): void {
    mark.done = true;
    let moved = false;
    while (this.marks.length > 0 && this.marks[0]!.done) {
      this.unwrittenPosition = this.marks.shift()!.id;
      this.unwrittenCount++;
      moved = true;
    }
    if (!moved) return;
    const position = this.options.position!;
    if (this.unwrittenCount >= position.everyPayloads) {
      void this.flushPosition();
      return;
    }
    this.positionTimer ??= this.clock.setTimeout(() => {
      this.positionTimer = undefined;
      void this.flushPosition();
    }, position.everyMs);
  }

  /** Writes the pending position (one write at a time, in order); failures are logged, the next write retries. */
  private flushPosition(): Promise<void> {
    const position = this.options.position;
    if (!position) return Promise.resolve();
    this.clock.clearTimeout(this.positionTimer);
    this.positionTimer = undefined;
    const id = this.unwrittenPosition;
    if (id === null) return this.positionWrite;
    this.unwrittenPosition = null;
    this.unwrittenCount = 0;
    this.positionWrite = this.positionWrite.then(() =>
      position.store.write(position.productId, id).catch((error: unknown) => {
        this.logger.error(`stream position not stored: ${describe(error)}`, { url: this.options.url, last_event_id: id, error });
        this.unwrittenPosition ??= id;
      }),
    );
    return this.positionWrite;
  }

  /** Offers an item to the queue (`key` null: as a barrier); a refusal is a counted, reported drop. */
  private enqueue(key: string | null, item: QueueItem): void {
    if (this.options.position && item.meta.id) {
      item.mark = { id: item.meta.id, done: false };
      this.marks.push(item.mark);
    }
    const accepted = key === null ? this.queue.offerBarrier(item) : this.queue.offer(key, item);
    if (accepted) return;
    // A payload that will never be handled must not hold the position back.
    if (item.mark) this.markHandled(item.mark);
    const reason: DropReason = this.queue.isClosed ? 'shutdown' : 'queue_full';
    this.reportDrop(item, reason);
  }

  private reportDrop(item: QueueItem, reason: DropReason): void {
    this.dropped++;
    const fields = {
      event_type: item.kind === 'event' ? item.payload.type : item.kind,
      product_id: item.payload.product_id,
      session_id: stringOr((item.payload as { session_id?: unknown }).session_id, NO_SESSION),
      total_dropped: this.dropped,
    };
    this.logger.warn(reason === 'queue_full' ? 'queue full — dropping payload' : 'shutting down — payload not handled', fields);
    const handler = this.dropHandler;
    if (!handler) return;
    try {
      const result: unknown = handler({ payload: item.payload, reason, totalDropped: this.dropped });
      if (isThenable(result)) Promise.resolve(result).catch((error: unknown) => this.logger.error(`onDrop failed: ${describe(error)}`, { error }));
    } catch (error) {
      this.logger.error(`onDrop failed: ${describe(error)}`, { error });
    }
  }

  /** Calls the handler registered for the item now (registering later replaces it); its result is awaited by the lane. */
  private dispatch(item: QueueItem): unknown {
    switch (item.kind) {
      case 'actions':
        return this.actionsHandler?.(item.payload, item.meta);
      case 'summary':
        return this.summaryHandler?.(item.payload, item.meta);
      case 'gap':
        return this.gapHandler?.(item.payload, item.meta);
      case 'event':
        return this.eventHandler?.(item.payload, item.meta);
    }
  }

  private async drainQueue(): Promise<void> {
    const leftovers = await this.queue.drain(this.options.drainTimeoutMs, this.clock);
    if (leftovers.length === 0) return;
    this.logger.warn(`drain deadline of ${this.options.drainTimeoutMs} ms passed; ${leftovers.length} payloads not handled, ${this.queue.size} callbacks abandoned`, {
      url: this.options.url,
    });
    for (const item of leftovers) this.reportDrop(item, 'shutdown');
  }
}

/** Frees the connection of a response we will not read. */
function discardBody(response: Response): void {
  response.body?.cancel().catch(() => undefined);
}
