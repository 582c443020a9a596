import type { LlmFunction, SummaryInput } from '../llm.ts';

/** One recorded call of a {@link FakeLlm}. */
export interface FakeLlmCall {
  prompt: string;
  /** The structured input the summarizer passed beside the prompt, if any. */
  input?: SummaryInput;
}

/**
 * A scriptable LLM for tests: answers with queued replies (or a function of the prompt), records
 * every prompt, and can fail on demand.
 *
 * @example
 * const llm = new FakeLlm({ reply: (prompt) => `summary of ${prompt.length} chars` });
 * const summarizer = new SessionSummarizer({ llm: llm.fn, threshold: 3 });
 * llm.failNext(new Error('rate limited'));
 */
export class FakeLlm {
  /** Every call so far, oldest first. */
  readonly calls: FakeLlmCall[] = [];
  private readonly queued: Array<string | Error> = [];
  private readonly reply: (prompt: string, input?: SummaryInput) => string | Promise<string>;
  private gate: Promise<void> | undefined;

  /** @param options.reply the answer when nothing is queued: a fixed text or a function of the prompt (and the summarizer's input). Default `'fake summary'`. */
  constructor(options: { reply?: string | ((prompt: string, input?: SummaryInput) => string | Promise<string>) } = {}) {
    const reply = options.reply ?? 'fake summary';
    this.reply = typeof reply === 'string' ? () => reply : reply;
  }

  /** The function to hand to the SDK. */
  readonly fn: LlmFunction = async (prompt, input) => {
    this.calls.push(input === undefined ? { prompt } : { prompt, input });
    if (this.gate) await this.gate;
    const next = this.queued.shift();
    if (next instanceof Error) throw next;
    if (next !== undefined) return next;
    return this.reply(prompt, input);
  };

  /** The next call answers `text`. */
  replyNext(text: string): this {
    this.queued.push(text);
    return this;
  }

  /** The next call rejects with `error`. */
  failNext(error: Error = new Error('fake LLM failure')): this {
    this.queued.push(error);
    return this;
  }

  /** Holds every call until the returned function is called (to test concurrency and ordering). */
  hold(): () => void {
    let release!: () => void;
    this.gate = new Promise<void>((resolve) => {
      release = () => {
        this.gate = undefined;
        resolve();
      };
    });
    return release;
  }
}
