import type { SlimAction } from '@sightline/protocol';

/**
 * What the summarizer knows about the summary it asks for, handed to the model function beside the
 * prompt so that a stand-in (an extractive summary, a test double) never has to parse the prompt back.
 */
export interface SummaryInput {
  /** The session's story so far (its previous rolling summary), or null before the first summary. */
  previousSummary: string | null;
  /** The actions to fold into the story, oldest first. */
  actions: SlimAction[];
  productId: string;
  sessionId: string;
}

/**
 * The one function type the SDK needs from a language model: a prompt in, the model's text out.
 * The summarizer also passes {@link SummaryInput} as a second argument; a model ignores it (a
 * one-argument function is a valid `LlmFunction`), an offline stand-in builds its text from it.
 * Rejections are retried or reported by the caller (the summarizer restores and retries later).
 *
 * @example
 * const llm: LlmFunction = (prompt) => callModel(prompt);
 * const offline: LlmFunction = async (_prompt, input) => `Did ${input?.actions.length ?? 0} things.`;
 */
export type LlmFunction = (prompt: string, input?: SummaryInput) => Promise<string>;
