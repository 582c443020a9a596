/**
 * Keeps an external agent's context (a helpdesk conversation's notes, an agent memory) up to date with the session
 * (docs/reference/wire-contract.md#agent-context-writer): raw actions are written as they arrive, and when a summary
 * lands it is written first and only then are the raw actions it replaces dropped. Sightline's differences: the
 * summary write is retried with backoff and the replaced actions are dropped only after it succeeds
 * (docs/decisions/D-27-summary-write-confirmed.md), pending debounced payloads are delivered by `flush()`/`close()`
 * (docs/decisions/D-28-flush-on-close.md), and the writer subscribes to the summarizer instead of overwriting its
 * callback (docs/decisions/D-24-summary-listeners.md).
 */
import { mergeActionsPayloads, payloadToText, systemClock, type ActionsPayload, type Clock, type TimerHandle } from '@sightline/protocol';
import { backoffDelay } from '@sightline/protocol';
import { createError } from '../errors.ts';
import { checkFunction, checkInteger, checkPositiveNumber } from '../options/option-checks.ts';
import { sessionKeyId, sessionKeyOf, type SessionKey } from '../session-key/session-key.ts';
import type { SessionSummarizer, SessionSummary } from '../summarizer/session-summarizer.ts';
import { KeyedSerialQueue } from './keyed-serial-queue.ts';

/** One batch to write: its session, its text (`payloadToText`) and the batch itself. */
export interface ActionsDelivery {
  productId: string;
  sessionId: string;
  /** `Session {id} — {n} actions` then one `[index] type: description — url` line per action. */
  text: string;
  payload: ActionsPayload;
}

/** Where a writer failure happened. */
export interface WriterErrorContext {
  stage: 'write-actions' | 'overwrite-summary' | 'drop-replaced-actions';
  productId: string;
  sessionId: string;
  /** 1-based attempt number of the failed call. */
  attempt: number;
  /** True when no further attempt will be made. */
  isFinal: boolean;
}

/** Options of {@link AgentContextWriter}. */
export interface AgentContextWriterOptions {
  // The three destination callbacks may be async: a returned promise is awaited (and a rejection
  // counts as a failure); any other return value is ignored.
  /** Receives every delivered batch (the writer feeds it) and reports summaries back (the writer subscribes). */
  summarizer: SessionSummarizer;
  /** Writes a batch's text to the destination. Failures are reported and do not stop the summarizer from counting it. */
  writeActions?: ((delivery: ActionsDelivery) => unknown) | null;
  /** Writes a summary to the destination. Retried with backoff until it succeeds or attempts run out. */
  overwriteWithSummary: (summary: SessionSummary) => unknown;
  /** Removes the raw-action writes a summary replaces; called only after `overwriteWithSummary` succeeded. */
  dropReplacedActions?: ((summary: SessionSummary) => unknown) | null;
  /**
   * Trailing-edge debounce per session, ms: batches arriving within this window of each other are
   * merged (`mergeActionsPayloads`) and delivered once. 0 delivers each batch at once. Default 0.
   */
  debounceMs?: number;
  /** Backoff of summary writes: `initialMs · 2^(attempt-1)` capped at `maxMs`, at most `maxAttempts` calls. Default 1,000 / 30,000 / 6. */
  summaryRetry?: { initialMs?: number; maxMs?: number; maxAttempts?: number };
  /** Time source for the debounce and the backoff. Default {@link systemClock}. */
  clock?: Clock;
  /** Reports failures; the writer never throws them. Default `console.warn`. */
  onError?: (error: unknown, context: WriterErrorContext) => void;
}

interface PendingBatches {
  key: SessionKey;
  payloads: ActionsPayload[];
  timer: TimerHandle;
}

function warn(error: unknown, context: WriterErrorContext): void {
  const reason = error instanceof Error ? error.message : String(error);
  const retry = context.isFinal ? 'giving up' : 'will retry';
  console.warn(`[sightline] agent context writer ${context.stage} failed for session ${context.sessionId} (${context.productId}), attempt ${context.attempt}, ${retry}: ${reason}`);
}

/**
 * Writes raw actions and summaries to an agent's context, summary first.
 *
 * @example
 * const writer = new AgentContextWriter({
 *   summarizer,
 *   writeActions: ({ sessionId, text }) => notes.post(sessionId, text),
 *   overwriteWithSummary: ({ sessionId, summary }) => notes.post(sessionId, summary),
 *   dropReplacedActions: ({ sessionId }) => notes.redactRawActions(sessionId),
 *   debounceMs: 500,
 * });
 * client.onActions((payload) => writer.add(payload));
 * await writer.close();
 */
export class AgentContextWriter {
  private readonly summarizer: SessionSummarizer;
  private readonly writeActions: AgentContextWriterOptions['writeActions'];
  private readonly overwriteWithSummary: AgentContextWriterOptions['overwriteWithSummary'];
  private readonly dropReplacedActions: AgentContextWriterOptions['dropReplacedActions'];
  private readonly debounceMs: number;
  private readonly retry: { initialMs: number; maxMs: number; maxAttempts: number };
  private readonly clock: Clock;
  private readonly reportError: (error: unknown, context: WriterErrorContext) => void;
  private readonly pending = new Map<string, PendingBatches>();
  private readonly deliveries = new KeyedSerialQueue();
  private readonly summaries = new KeyedSerialQueue();
  private readonly unsubscribe: () => void;
  private isClosed = false;

  constructor(options: AgentContextWriterOptions) {
    this.summarizer = options?.summarizer;
    if (!this.summarizer || typeof this.summarizer.onSummary !== 'function') {
      throw createError('SL_CONFIG_INVALID', { option: 'summarizer', reason: 'expected a SessionSummarizer' });
    }
    this.writeActions = options.writeActions ? checkFunction('writeActions', options.writeActions) : null;
    this.overwriteWithSummary = checkFunction('overwriteWithSummary', options.overwriteWithSummary);
    this.dropReplacedActions = options.dropReplacedActions ? checkFunction('dropReplacedActions', options.dropReplacedActions) : null;
    this.debounceMs = checkPositiveNumber('debounceMs', options.debounceMs ?? 0, true);
    this.retry = {
      initialMs: checkPositiveNumber('summaryRetry.initialMs', options.summaryRetry?.initialMs ?? 1_000),
      maxMs: checkPositiveNumber('summaryRetry.maxMs', options.summaryRetry?.maxMs ?? 30_000),
      maxAttempts: checkInteger('summaryRetry.maxAttempts', options.summaryRetry?.maxAttempts ?? 6),
    };
    this.clock = options.clock ?? systemClock;
    this.reportError = options.onError ?? warn;
    this.unsubscribe = this.summarizer.onSummary((summary) => {
      // Queued, not awaited: a slow destination must not hold up the summarizer's other listeners.
      void this.summaries.run(sessionKeyId(summary), () => this.deliverSummary(summary));
    });
  }

  /**
   * Delivers a batch: with no debounce, at once (resolves when written and counted); otherwise it
   * joins the session's pending batches and the window restarts. Anything but an `actions` batch
   * naming a session is ignored.
   *
   * @throws SightlineError `SL_WRITER_CLOSED` after {@link close}.
   */
  async add(payload: ActionsPayload): Promise<void> {
    if (this.isClosed) throw createError('SL_WRITER_CLOSED');
    const key = payload?.type === 'actions' ? sessionKeyOf(payload) : null;
    if (!key) return;
    const id = sessionKeyId(key);
    if (this.debounceMs === 0) {
      await this.deliveries.run(id, () => this.deliver(key, payload));
      return;
    }
    const entry = this.pending.get(id);
    if (entry) {
      this.clock.clearTimeout(entry.timer);
      entry.payloads.push(payload);
      entry.timer = this.clock.setTimeout(() => this.release(id), this.debounceMs);
    } else {
      this.pending.set(id, { key, payloads: [payload], timer: this.clock.setTimeout(() => this.release(id), this.debounceMs) });
    }
  }

  /** Number of sessions with batches waiting for their debounce window. */
  get pendingSessions(): number {
    return this.pending.size;
  }

  /**
   * Delivers every pending batch now and waits until all deliveries, the summaries they trigger and
   * the summary writes (retries included) have finished.
   */
  async flush(): Promise<void> {
    for (const id of [...this.pending.keys()]) {
      const entry = this.pending.get(id);
      if (entry) this.clock.clearTimeout(entry.timer);
      void this.release(id);
    }
    await this.deliveries.drain();
    await this.summarizer.flush();
    await this.summaries.drain();
  }

  /** Flushes, then stops: later `add()` calls are rejected and the summarizer is no longer listened to. */
  async close(): Promise<void> {
    this.isClosed = true;
    await this.flush();
    this.unsubscribe();
  }

  private release(id: string): Promise<void> {
    const entry = this.pending.get(id);
    if (!entry) return Promise.resolve();
    this.pending.delete(id);
    const merged = entry.payloads.length === 1 ? entry.payloads[0]! : mergeActionsPayloads(entry.payloads);
    return this.deliveries.run(id, () => this.deliver(entry.key, merged));
  }

  /** Never rejects. */
  private async deliver(key: SessionKey, payload: ActionsPayload): Promise<void> {
    if (this.writeActions) {
      try {
        await this.writeActions({ productId: key.productId, sessionId: key.sessionId, text: payloadToText(payload), payload });
      } catch (error) {
        this.report(error, { stage: 'write-actions', ...key, attempt: 1, isFinal: true });
      }
    }
    this.summarizer.add(payload);
  }

  /** Never rejects. The replaced actions are dropped only once the summary is confirmed written. */
  private async deliverSummary(summary: SessionSummary): Promise<void> {
    const key = { productId: summary.productId, sessionId: summary.sessionId };
    for (let attempt = 1; ; attempt++) {
      try {
        await this.overwriteWithSummary(summary);
        break;
      } catch (error) {
        const isFinal = attempt >= this.retry.maxAttempts;
        this.report(error, { stage: 'overwrite-summary', ...key, attempt, isFinal });
        if (isFinal) return;
        await this.sleep(backoffDelay(attempt, this.retry));
      }
    }
    if (!this.dropReplacedActions) return;
    try {
      await this.dropReplacedActions(summary);
    } catch (error) {
      this.report(error, { stage: 'drop-replaced-actions', ...key, attempt: 1, isFinal: true });
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => this.clock.setTimeout(resolve, ms));
  }

  private report(error: unknown, context: WriterErrorContext): void {
    try {
      this.reportError(error, context);
    } catch {
      // A failing reporter must not break delivery.
    }
  }
}
