/**
 * One open `GET /stream/:product` response. Frames go straight to the socket while it keeps up; while the
 * socket is backed up (or a replay is still being written) live frames wait in a bounded queue, and a
 * subscriber whose queue overflows is cut: it reconnects with its last id and the log fills the hole
 * (wire-contract.md §9.1, D-8). The other subscribers never wait for it.
 */
import type { ServerResponse } from 'node:http';
import { HEARTBEAT_FRAME } from '@sightline/protocol';
import type { LoggedPayload } from '../log/event-log.ts';

/** A frame ready to write: the encoded text, its sequence number and when its events were received. */
export interface OutgoingFrame {
  seq: number;
  frame: string;
  /** High-resolution epoch ms of the earliest event behind it, or null when unknown. */
  ingestedAt: number | null;
}

/** Callbacks the hub gives a subscriber. */
export interface SubscriberHooks {
  /** Called once when the queue overflowed and the connection was cut. */
  onCut(subscriber: SseSubscriber): void;
  /** Called once when the response has closed for any reason. */
  onClose(subscriber: SseSubscriber): void;
  /** Called after each payload frame is handed to the socket. */
  onWrite(frame: OutgoingFrame): void;
}

/** High-resolution wall time in epoch milliseconds. */
export function preciseNow(): number {
  return performance.timeOrigin + performance.now();
}

export class SseSubscriber {
  /** Highest sequence written (or skipped as already delivered) on this connection. */
  private lastSeq = 0;
  private readonly queue: OutgoingFrame[] = [];
  private isReplaying = true;
  private isClosed = false;
  private wasCut = false;

  constructor(
    readonly productId: string,
    private readonly response: ServerResponse,
    private readonly queueSize: number,
    private readonly hooks: SubscriberHooks,
  ) {
    response.on('drain', () => this.flush());
    response.on('close', () => this.handleClose());
  }

  /** True once the response has ended. */
  get closed(): boolean {
    return this.isClosed;
  }

  /** Number of live frames waiting for the socket. */
  get queued(): number {
    return this.queue.length;
  }

  /**
   * Writes the gap frame (if any) and the replayed payloads, pacing on `drain`, then switches to live mode and
   * writes what queued up meanwhile. Call exactly once, also with nothing to replay.
   */
  async replay(gapFrame: string | null, entries: LoggedPayload[], encode: (entry: LoggedPayload) => string): Promise<void> {
    if (gapFrame !== null) await this.writePaced(gapFrame);
    for (const entry of entries) {
      if (this.isClosed) return;
      if (entry.seq <= this.lastSeq) continue;
      await this.writePaced(encode(entry));
      this.lastSeq = entry.seq;
    }
    this.isReplaying = false;
    this.flush();
  }

  /** Offers a live frame: written now when the socket keeps up, queued otherwise, cut when the queue is full. */
  push(frame: OutgoingFrame): void {
    if (this.isClosed || frame.seq <= this.lastSeq) return;
    if (!this.isReplaying && this.queue.length === 0 && !this.response.writableNeedDrain) {
      this.write(frame);
      return;
    }
    if (this.queue.length >= this.queueSize) {
      this.cut();
      return;
    }
    this.queue.push(frame);
  }

  /** Writes a heartbeat unless the socket is busy (a busy socket already proves the connection is alive). */
  heartbeat(): void {
    if (this.isClosed || this.isReplaying || this.queue.length > 0 || this.response.writableNeedDrain) return;
    this.response.write(HEARTBEAT_FRAME);
  }

  /** Ends the response cleanly (server shutdown, product removed). */
  end(): void {
    if (this.isClosed) return;
    this.queue.length = 0;
    this.response.end();
  }

  private write(frame: OutgoingFrame): void {
    this.lastSeq = frame.seq;
    this.response.write(frame.frame);
    this.hooks.onWrite(frame);
  }

  private flush(): void {
    if (this.isReplaying) return;
    while (this.queue.length > 0 && !this.isClosed && !this.response.writableNeedDrain) {
      const frame = this.queue.shift()!;
      if (frame.seq > this.lastSeq) this.write(frame);
    }
  }

  private writePaced(text: string): Promise<void> {
    if (this.isClosed) return Promise.resolve();
    if (this.response.write(text)) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        this.response.off('drain', done);
        this.response.off('close', done);
        resolve();
      };
      this.response.on('drain', done);
      this.response.on('close', done);
    });
  }

  private cut(): void {
    if (this.wasCut) return;
    this.wasCut = true;
    this.queue.length = 0;
    this.hooks.onCut(this);
    // destroy, not end: end would wait for the backed-up bytes to drain first.
    this.response.destroy();
  }

  private handleClose(): void {
    if (this.isClosed) return;
    this.isClosed = true;
    this.queue.length = 0;
    this.hooks.onClose(this);
  }
}
