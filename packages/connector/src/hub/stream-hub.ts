/**
 * Fan-out of logged payloads to every open stream of a product: each subscriber gets every payload, through
 * its own bounded queue, and a heartbeat on a shared timer.
 */
import type { ServerResponse } from 'node:http';
import { encodePayloadFrame, systemClock, type Clock } from '@sightline/protocol';
import type { LoggedPayload } from '../log/event-log.ts';
import { preciseNow, SseSubscriber, type FrameRuns, type OutgoingFrame } from './sse-subscriber.ts';

/** Options of {@link StreamHub}. */
export interface StreamHubOptions {
  /** Live frames a subscriber may have waiting before it is cut. Default 256 (Autoplay's queue size). */
  queueSize?: number;
  /** Heartbeat period, ms. Default 15000. */
  heartbeatMs?: number;
  clock?: Clock;
  /** Called after a payload frame reaches a socket, with seconds since its events were received. */
  onDelivered?: (latencySeconds: number) => void;
  /** Called when a subscriber is cut for falling behind. */
  onCut?: (productId: string) => void;
  /** Called when the number of subscribers of a product changes. */
  onCount?: (productId: string, count: number) => void;
}

/**
 * The registry of open streams per product.
 *
 * @example
 * const hub = new StreamHub({ queueSize: 256, heartbeatMs: 15_000 });
 * const subscriber = hub.subscribe('acme', response);
 * await subscriber.replay(null, [], encode);
 * hub.publish('acme', loggedPayload, receivedAt);
 */
export class StreamHub {
  private readonly products = new Map<string, Set<SseSubscriber>>();
  private readonly queueSize: number;
  private readonly heartbeatMs: number;
  private readonly clock: Clock;
  private heartbeatTimer: unknown = null;
  private isClosed = false;
  /** Subscribers with queued frames, flushed together once per event-loop turn. */
  private readonly dirty = new Set<SseSubscriber>();
  private isFlushScheduled = false;

  constructor(private readonly options: StreamHubOptions = {}) {
    this.queueSize = options.queueSize ?? 256;
    this.heartbeatMs = options.heartbeatMs ?? 15_000;
    this.clock = options.clock ?? systemClock;
  }

  /** Registers an open SSE response (headers already sent). It starts in replay mode: call `replay` next. */
  subscribe(productId: string, response: ServerResponse): SseSubscriber {
    let set = this.products.get(productId);
    if (!set) {
      set = new Set();
      this.products.set(productId, set);
    }
    const subscriber = new SseSubscriber(productId, response, this.queueSize, {
      onCut: () => this.options.onCut?.(productId),
      onClose: (closed) => this.remove(closed),
      onWrite: (frame: OutgoingFrame) => {
        if (frame.ingestedAt !== null) this.options.onDelivered?.(Math.max(0, preciseNow() - frame.ingestedAt) / 1000);
      },
      requestFlush: (dirty) => this.scheduleFlush(dirty),
    });
    set.add(subscriber);
    this.options.onCount?.(productId, set.size);
    this.armHeartbeat();
    if (this.isClosed) subscriber.end();
    return subscriber;
  }

  /** Sends a logged payload to every subscriber of its product. `ingestedAt`: high-resolution epoch ms. */
  publish(productId: string, entry: LoggedPayload, ingestedAt: number | null = null): void {
    const set = this.products.get(productId);
    if (!set || set.size === 0) return;
    // Encoded once per payload, to JSON and on to UTF-8 bytes, and the same bytes are written to every
    // subscriber (a string would be re-encoded by each socket write).
    const frame: OutgoingFrame = { seq: entry.seq, frame: Buffer.from(encodePayloadFrame(entry.payload, entry.id), 'utf8'), ingestedAt };
    for (const subscriber of set) subscriber.push(frame);
  }

  /** Open subscribers of a product. */
  count(productId: string): number {
    return this.products.get(productId)?.size ?? 0;
  }

  /** Ends every stream of a product (removed, or its stream key rotated). */
  disconnect(productId: string): void {
    for (const subscriber of this.products.get(productId) ?? []) subscriber.end();
  }

  /** Ends every stream (after writing what is queued) and stops the heartbeat. */
  close(): void {
    this.isClosed = true;
    if (this.heartbeatTimer !== null) this.clock.clearTimeout(this.heartbeatTimer);
    this.heartbeatTimer = null;
    for (const set of this.products.values()) for (const subscriber of set) subscriber.end();
  }

  private scheduleFlush(subscriber: SseSubscriber): void {
    this.dirty.add(subscriber);
    if (this.isFlushScheduled) return;
    this.isFlushScheduled = true;
    // setImmediate runs after the I/O callbacks of this turn, so payloads from all requests read in one poll
    // phase go out in one write per subscriber. Not a timer: no clock involved.
    setImmediate(() => {
      this.isFlushScheduled = false;
      const subscribers = [...this.dirty];
      this.dirty.clear();
      const runs: FrameRuns = new Map();
      for (const dirty of subscribers) dirty.flush(runs);
    });
  }

  private remove(subscriber: SseSubscriber): void {
    this.dirty.delete(subscriber);
    const set = this.products.get(subscriber.productId);
    if (!set?.delete(subscriber)) return;
    if (set.size === 0) this.products.delete(subscriber.productId);
    this.options.onCount?.(subscriber.productId, set.size);
  }

  private armHeartbeat(): void {
    if (this.heartbeatTimer !== null || this.isClosed) return;
    this.heartbeatTimer = this.clock.setTimeout(() => {
      this.heartbeatTimer = null;
      let open = 0;
      for (const set of this.products.values()) {
        for (const subscriber of set) {
          subscriber.heartbeat();
          open += 1;
        }
      }
      // One shared timer for all connections; it stops when nobody listens.
      if (open > 0) this.armHeartbeat();
    }, this.heartbeatMs);
  }
}
