/**
 * The one function type the SDK needs from a language model: a prompt in, the model's text out.
 * Rejections are retried or reported by the caller (the summarizer restores and retries later).
 */
export type LlmFunction = (prompt: string) => Promise<string>;
