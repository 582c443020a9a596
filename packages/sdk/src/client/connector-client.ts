/**
 * `ConnectorClient`: subscribes to one product's Sightline (or Autoplay) stream over `fetch` and
 * hands each payload to your callbacks. See docs/reference/wire-contract.md (stream frames, stream endpoint,
 * reconnecting, queues and drops); the decisions it follows are cited where they apply.
 * Runs wherever `fetch` and `ReadableStream` do (Node ≥ 20, browsers, workers, Deno, Bun).
 */
import type { EventSourceMessage } from 'eventsource-parser';
import { isSightlineError, type ActionsPayload, type Clock, type GapPayload, type SightlineError, type SummaryPayload, type TimerHandle } from '@sightline/protocol';
import { createError } from '../errors.ts';
import type { DisconnectInfo, DropEvent, LifecycleHook, PayloadHandler, PayloadMeta, UnknownPayload } from './client-callbacks.ts';
import { resolveClientOptions, type ConnectorClientOptions, type ResolvedClientOptions } from './client-options.ts';
import { describeError } from './describe-error.ts';
import type { Logger } from './logger.ts';
import { PayloadQueue } from './payload-queue.ts';
import { PositionTracker } from './position-tracker.ts';
import { readFrames } from './read-frames.ts';
import { planReconnect } from './reconnect-policy.ts';
import { routeFrame, type FrameSink, type QueueItem } from './route-frame.ts';
import { isThenable } from './session-queue.ts';
import { checkStreamAnswer, discardBody, streamRequest } from './stream-request.ts';

export type { DisconnectInfo, DropEvent, DropReason, PayloadHandler, PayloadMeta, UnknownPayload } from './client-callbacks.ts';

type AttemptOutcome =
  | { kind: 'stopped' }
  | { kind: 'fatal'; error: SightlineError }
  | { kind: 'failed'; error: SightlineError; connectedForMs: number | null; backoffBeforeConnect: number };

/** Marks an abort the client caused by `stop()` or the caller's signal, as opposed to a timeout. */
const STOPPED = Symbol('stopped');

/**
 * Streams one product's payloads into callbacks.
 *
 * - Sends `Authorization: Bearer <token>` and `Last-Event-ID` (the last id seen) on every (re)connect;
 *   checks the status and content type before it counts as connected (docs/decisions/D-1-status-before-connected.md). 401/403/404 make
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

  private readonly payloads: PayloadQueue;
  private readonly positions: PositionTracker | undefined;
  private readonly frameSink: FrameSink;
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

  /** @throws SightlineError `SL_CONFIG_INVALID` for a missing or wrong option. */
  constructor(options: ConnectorClientOptions) {
    this.options = resolveClientOptions(options);
    this.clock = this.options.clock;
    this.logger = this.options.logger;
    this.currentLastEventId = this.options.lastEventId;
    const { url, position } = this.options;
    this.positions = position ? new PositionTracker(position, this.clock, this.logger, url) : undefined;
    this.payloads = new PayloadQueue({
      capacity: this.options.maxQueueSize,
      drainTimeoutMs: this.options.drainTimeoutMs,
      url,
      clock: this.clock,
      logger: this.logger,
      positions: this.positions,
      dispatch: (item) => this.dispatch(item),
      dropHandler: () => this.dropHandler,
    });
    this.frameSink = {
      url,
      logger: this.logger,
      hasHandler: (kind) => this.hasHandler(kind),
      enqueue: (key, item) => this.payloads.enqueue(key, item),
      countMalformed: () => {
        this.malformed++;
      },
    };
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

  /** Told about every payload that will never reach its callback (docs/decisions/D-31-one-drop-callback.md). Runs on the reader: keep it quick. */
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
    return this.payloads.droppedCount;
  }

  /** Frames skipped because their data was not JSON, not an object, or a malformed payload; never decreases. */
  get malformedCount(): number {
    return this.malformed;
  }

  /** Payloads accepted and not yet handled (waiting or running). */
  get queueSize(): number {
    return this.payloads.size;
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
    this.payloads.reset();
    this.positions?.reset();
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
    await this.payloads.drain();
    await this.positions?.flush();
    if (this.abortedBySignal) throw this.abortError();
    if (failure !== undefined) throw failure;
    this.logger.info('stream stopped', { url: this.options.url });
  }

  private async connectLoop(): Promise<void> {
    const { maxRetries, url } = this.options;
    let state = { backoff: this.options.initialBackoffMs, retryCount: 0 };
    while (!this.stopRequested) {
      const outcome = await this.attempt(state.backoff);
      if (outcome.kind === 'stopped') return;
      if (outcome.kind === 'fatal') {
        this.logger.error(`fatal HTTP ${outcome.error.status} from the stream; check the URL and the token`, { url, http_status: outcome.error.status });
        throw outcome.error;
      }
      const { error, connectedForMs } = outcome;
      const { retryCount, delay, exhausted, nextBackoff } = planReconnect(state, outcome, this.options, this.options.random);
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
      state = { backoff: nextBackoff, retryCount };
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
      this.logger.error(`${name} hook failed: ${describeError(error)}`, { url: this.options.url, error });
    }
  }

  private async attempt(backoffBeforeConnect: number): Promise<AttemptOutcome> {
    const { url, token, connectTimeoutMs } = this.options;
    const controller = new AbortController();
    this.attemptController = controller;
    const { requestUrl, headers } = streamRequest(url, token, this.currentLastEventId);
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
      const answer = checkStreamAnswer(response, url);
      if (answer.kind === 'fatal') return answer;
      if (answer.kind === 'failed') return failed(answer.error);
      this.clock.clearTimeout(connectTimer);
      connectedAt = this.clock.now();
      this.connected = true;
      this.lastReceived = connectedAt;
      this.logger.info('connected', { url, http_status: response.status });
      await this.callHook('onConnect', this.connectHandler, []);
      if (this.stopRequested) {
        discardBody(response);
        return { kind: 'stopped' };
      }
      await this.read(answer.body, controller);
      return failed(createError('SL_STREAM_ENDED', { url }));
    } catch (error) {
      if (this.stopRequested) return { kind: 'stopped' };
      const reason: unknown = controller.signal.aborted ? controller.signal.reason : error;
      if (isSightlineError(reason)) return failed(reason);
      return failed(createError('SL_STREAM_NETWORK', { url, reason: describeError(reason) }, { cause: reason }));
    } finally {
      this.clock.clearTimeout(connectTimer);
      this.clock.clearTimeout(this.idleTimer);
      this.idleTimer = undefined;
      this.connected = false;
      if (this.attemptController === controller) this.attemptController = undefined;
      if (!controller.signal.aborted) controller.abort(STOPPED);
    }
  }

  /** Reads the body until it ends (returns) or fails (throws), watching for an idle stream when asked to. */
  private async read(body: ReadableStream<Uint8Array>, controller: AbortController): Promise<void> {
    const { url, maxFrameLength, idleTimeoutMs } = this.options;
    if (idleTimeoutMs !== undefined) this.armIdleTimer(controller, idleTimeoutMs, idleTimeoutMs);
    await readFrames(body, controller.signal, {
      url,
      maxFrameLength,
      logger: this.logger,
      onBytes: () => {
        this.lastReceived = this.clock.now();
      },
      onMessage: (message) => this.handleMessage(message),
    });
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

  /** One SSE event, in the order of docs/reference/wire-contract.md#client-parsing-order. Runs on the reader: never awaits a callback. */
  private handleMessage(message: EventSourceMessage): void {
    // An `id:` line (even an empty one, which resets it) moves the resume point, whatever the frame holds.
    if (message.id !== undefined) this.currentLastEventId = message.id === '' ? undefined : message.id;
    if (message.event === 'heartbeat') return;
    const meta: PayloadMeta = { id: message.id || null, receivedAt: this.lastReceived ?? this.clock.now() };
    routeFrame(message, meta, this.frameSink);
  }

  /** The stored position becomes the first `Last-Event-ID`, unless the `lastEventId` option or an earlier run set one. */
  private async readPosition(): Promise<void> {
    const positions = this.positions;
    if (!positions || this.currentLastEventId !== undefined) return;
    const stored = await positions.read();
    if (stored && this.currentLastEventId === undefined) {
      this.currentLastEventId = stored;
      this.logger.info('resuming from the stored stream position', { url: this.options.url, last_event_id: stored });
    }
  }

  /** Whether a handler is registered now for this kind of payload (a kind without one is not queued). */
  private hasHandler(kind: QueueItem['kind']): boolean {
    switch (kind) {
      case 'actions':
        return Boolean(this.actionsHandler);
      case 'summary':
        return Boolean(this.summaryHandler);
      case 'gap':
        return Boolean(this.gapHandler);
      case 'event':
        return Boolean(this.eventHandler);
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
}
