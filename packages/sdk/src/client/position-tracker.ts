/**
 * The client's stream position: the stored id read at start, and the id of the latest payload handled with every
 * payload before it, written to the store in batches (every `everyPayloads` payloads or `everyMs`, and on stop).
 */
import type { Clock, TimerHandle } from '@sightline/protocol';
import type { ResolvedPositionOptions } from './client-options.ts';
import { describeError } from './describe-error.ts';
import type { Logger } from './logger.ts';

/** A payload's place in the order of the stream, for the stored position: done once its handling finished. */
export interface PositionMark {
  id: string;
  done: boolean;
}

/** Follows which payloads were handled, in stream order, and writes the position they reached. */
export class PositionTracker {
  private readonly position: ResolvedPositionOptions;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly url: string;

  /** Payloads with an id not yet handled, oldest first. */
  private readonly marks: PositionMark[] = [];
  /** The latest id handled with everything before it, not yet written, and how many payloads it stands for. */
  private unwrittenPosition: string | null = null;
  private unwrittenCount = 0;
  private positionTimer: TimerHandle | undefined;
  private positionWrite: Promise<void> = Promise.resolve();

  constructor(position: ResolvedPositionOptions, clock: Clock, logger: Logger, url: string) {
    this.position = position;
    this.clock = clock;
    this.logger = logger;
    this.url = url;
  }

  /** The stored position of the product, or null. */
  read(): Promise<string | null> {
    return this.position.store.read(this.position.productId);
  }

  /** Forgets the payloads of an earlier run. */
  reset(): void {
    this.marks.length = 0;
  }

  /** A payload with this id entered the queue: the position waits for it. */
  track(id: string): PositionMark {
    const mark = { id, done: false };
    this.marks.push(mark);
    return mark;
  }

  /** A payload's handling finished: the position moves over every finished payload at the head of the order. */
  markHandled(mark: PositionMark): void {
    mark.done = true;
    let moved = false;
    while (this.marks.length > 0 && this.marks[0]!.done) {
      this.unwrittenPosition = this.marks.shift()!.id;
      this.unwrittenCount++;
      moved = true;
    }
    if (!moved) return;
    const position = this.position;
    if (this.unwrittenCount >= position.everyPayloads) {
      void this.flush();
      return;
    }
    this.positionTimer ??= this.clock.setTimeout(() => {
      this.positionTimer = undefined;
      void this.flush();
    }, position.everyMs);
  }

  /** Writes the pending position (one write at a time, in order); failures are logged, the next write retries. */
  flush(): Promise<void> {
    const position = this.position;
    this.clock.clearTimeout(this.positionTimer);
    this.positionTimer = undefined;
    const id = this.unwrittenPosition;
    if (id === null) return this.positionWrite;
    this.unwrittenPosition = null;
    this.unwrittenCount = 0;
    this.positionWrite = this.positionWrite.then(() =>
      position.store.write(position.productId, id).catch((error: unknown) => {
        this.logger.error(`stream position not stored: ${describeError(error)}`, { url: this.url, last_event_id: id, error });
        this.unwrittenPosition ??= id;
      }),
    );
    return this.positionWrite;
  }
}
