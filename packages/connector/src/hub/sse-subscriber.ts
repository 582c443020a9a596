/**
 * One open `GET /stream/:product` response. Live frames wait in a bounded queue until the next flush (once per
 * event-loop turn) or until the socket drains (or a replay finishes); a subscriber whose queue overflows is cut: it
 * reconnects with its last id and the log fills the hole (docs/reference/wire-contract.md#queues-and-drops,
 * docs/decisions/D-8-resume-by-id.md). The other subscribers never wait for it.
 */
import type { ServerResponse } from 'node:http';
import { HEARTBEAT_FRAME } from '@sightline/protocol';
import type { LoggedPayload } from '../log/event-log.ts';

/** A frame ready to write: its UTF-8 bytes (shared by every subscriber), sequence number and when its events were received. */
export interface OutgoingFrame {
  seq: number;
  frame: Buffer;
  /** High-resolution epoch ms of the earliest event behind it, or null when unknown. */
  ingestedAt: number | null;
}

/**
 * The bytes of the runs of frames written in one flush turn, by the run's first frame. Every subscriber of a
 * product is offered the same frames in the same order, and a queue only ever loses a prefix of them (frames
 * already replayed), so a run is known by its first and last frame: the subscribers that owe the same run share one
 * buffer instead of each concatenating its own (with 100 subscribers, most flushes carry several frames).
 */
export type FrameRuns = Map<OutgoingFrame, { last: OutgoingFrame; bytes: Buffer }>;

/** Callbacks the hub gives a subscriber. */
export interface SubscriberHooks {
  /** Called once when the queue overflowed and the connection was cut. */
  onCut(subscriber: SseSubscriber): void;
  /** Called once when the response has closed for any reason. */
  onClose(subscriber: SseSubscriber): void;
  /** Called after each payload frame is handed to the socket. */
  onWrite(frame: OutgoingFrame): void;
  /** Asks for {@link SseSubscriber.flush} to be called soon (once per event-loop turn, shared by all subscribers). */
  requestFlush(subscriber: SseSubscriber): void;
}

/** High-resolution wall time in epoch milliseconds. */
export function preciseNow(): number {
  return performance.timeOrigin + performance.now();
}

export class SseSubscriber {
  /** Highest sequence written on this connection (replayed or live). */
  private lastWrittenSeq = 0;
  /** Highest sequence accepted into the queue, so a frame offered twice is queued once. */
  private lastQueuedSeq = 0;
  /** Live frames not yet handed to the socket, oldest first. */
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
      if (entry.seq <= this.lastWrittenSeq) continue;
      await this.writePaced(encode(entry));
      this.lastWrittenSeq = entry.seq;
    }
    this.isReplaying = false;
    this.flush();
  }

  /**
   * Offers a live frame. It waits in the queue until the next flush, which writes everything queued in one
   * socket write; a subscriber whose queue is full is cut.
   */
  push(frame: OutgoingFrame): void {
    if (this.isClosed || frame.seq <= this.lastQueuedSeq || frame.seq <= this.lastWrittenSeq) return;
    if (this.queue.length >= this.queueSize) {
      this.cut();
      return;
    }
    this.queue.push(frame);
    this.lastQueuedSeq = frame.seq;
    if (this.queue.length === 1 && !this.isReplaying) this.hooks.requestFlush(this);
  }

  /** Writes a heartbeat unless the socket is busy (a busy socket already proves the connection is alive). */
  heartbeat(): void {
    if (this.isClosed || this.isReplaying || this.queue.length > 0 || this.response.writableNeedDrain) return;
    this.response.write(HEARTBEAT_FRAME);
  }

  /** Ends the response cleanly (server shutdown, product removed), after what is queued. */
  end(): void {
    if (this.isClosed) return;
    if (!this.isReplaying) this.flush();
    this.queue.length = 0;
    this.response.end();
  }

  /**
   * Hands every queued frame to the socket in one write (fewer syscalls when many payloads arrive in one
   * event-loop turn). Does nothing while replaying or while the socket is backed up; `drain` calls it again.
   * `runs`: the buffers of this flush turn's runs of several frames, shared with the other subscribers.
   */
  flush(runs: FrameRuns | null = null): void {
    if (this.isReplaying || this.isClosed || this.queue.length === 0 || this.response.writableNeedDrain) return;
    const frames = this.queue.splice(0, this.queue.length).filter((frame) => frame.seq > this.lastWrittenSeq);
    if (frames.length === 0) return;
    const last = frames[frames.length - 1]!;
    this.lastWrittenSeq = last.seq;
    this.response.write(frames.length === 1 ? frames[0]!.frame : bytesOfRun(frames, last, runs));
    for (const frame of frames) this.hooks.onWrite(frame);
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

/** The bytes of several frames in a row, concatenated once per flush turn for every subscriber that owes them. */
function bytesOfRun(frames: OutgoingFrame[], last: OutgoingFrame, runs: FrameRuns | null): Buffer {
  const first = frames[0]!;
  const known = runs?.get(first);
  if (known !== undefined && known.last === last) return known.bytes;
  const bytes = Buffer.concat(frames.map((frame) => frame.frame));
  runs?.set(first, { last, bytes });
  return bytes;
}
