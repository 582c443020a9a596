/** Reads an event stream's body into SSE events, until the body ends or the attempt is aborted. */
import { createParser, type EventSourceMessage, type ParseError } from 'eventsource-parser';
import type { SightlineError } from '@sightline/protocol';
import { createError } from '../errors.ts';
import type { Logger } from './logger.ts';

/** What {@link readFrames} reads with and reports to. */
export interface ReadFramesOptions {
  url: string;
  /** Longest frame accepted; a longer one fails the read with `SL_STREAM_FRAME_TOO_LARGE`. */
  maxFrameLength: number;
  logger: Logger;
  /** Bytes arrived (payloads or heartbeats). */
  onBytes(): void;
  /** One SSE event. */
  onMessage(message: EventSourceMessage): void;
}

/** Reads the body until it ends (returns) or fails (throws, with the abort reason when `signal` fired). */
export async function readFrames(body: ReadableStream<Uint8Array>, signal: AbortSignal, options: ReadFramesOptions): Promise<void> {
  const { url, maxFrameLength, logger } = options;
  let frameError: SightlineError | undefined;
  const parser = createParser({
    onEvent: (message) => options.onMessage(message),
    onError: (error: ParseError) => {
      if (error.type === 'max-buffer-size-exceeded') frameError ??= createError('SL_STREAM_FRAME_TOO_LARGE', { url, maxFrameLength });
      else logger.debug(`SSE line ignored: ${error.message}`, { url });
    },
    maxBufferSize: maxFrameLength,
  });
  const reader = body.getReader();
  const decoder = new TextDecoder();
  // Cancelling the reader settles a pending read() at once. Aborting the fetch alone is not enough:
  // Node 20's fetch leaves that read pending forever when the body had already fully arrived.
  const cancelOnAbort = (): void => void reader.cancel(signal.reason).catch(() => undefined);
  signal.addEventListener('abort', cancelOnAbort, { once: true });
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (signal.aborted) throw signal.reason;
      if (done) {
        parser.feed(decoder.decode());
        return;
      }
      options.onBytes();
      parser.feed(decoder.decode(value, { stream: true }));
      if (frameError) throw frameError;
    }
  } finally {
    signal.removeEventListener('abort', cancelOnAbort);
    reader.cancel().catch(() => undefined);
  }
}
