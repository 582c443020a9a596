/**
 * The responder that asks a language model, grounded in the user's activity.
 */
import { isSightlineError } from '@sightline/protocol';
import { REDACTED, redactDocument, redactKnownValues } from '@sightline/protocol/internal';
import { createError } from '../errors.ts';
import type { ChatModel } from '../llm/chat-model.ts';
import { buildReplyPrompt, type ReplyPromptOptions } from '../prompts/reply-prompt.ts';
import type { Responder } from './reply-context.ts';

/** Options of {@link createLlmResponder}; prompt bounds as in {@link ReplyPromptOptions}. */
export interface LlmResponderOptions extends ReplyPromptOptions {
  /** Default 0.4 (the Autoplay tutorial's bridge). */
  temperature?: number;
  /** Default 250 (the tutorial's `max_tokens`). */
  maxOutputTokens?: number;
  /** What the user reads when the model fails. Default a one-line apology. */
  apology?: string;
  /** Called with each model failure, for logs and metrics; its own errors are ignored. */
  onError?: (error: unknown) => void;
}

/** A text sent to the model, with personal data and the join keys redacted (docs/privacy.md, "Bridge"). */
export function redactForModel(text: string, userId: string | null, email: string | null): string {
  const redacted = redactKnownValues(redactDocument(text), [email], REDACTED.email);
  return redactKnownValues(redacted, [userId], REDACTED.user);
}

/** The default apology: short, and it does not blame the user. */
export const DEFAULT_APOLOGY = "Sorry, I can't answer right now because my language model isn't responding. Please try again in a moment.";

/**
 * A responder that sends {@link buildReplyPrompt}'s system prompt and user block to `model` with temperature 0.4 and
 * at most 250 output tokens. It never rejects: when the model fails it resolves with the apology and `error`
 * (`{code, message}` of the coded failure, e.g. `SL_LLM_TIMEOUT`).
 *
 * @example
 * const responder = createLlmResponder(model);
 * const { reply, error } = await responder.respond(context, request.signal);
 */
export function createLlmResponder(model: ChatModel, options: LlmResponderOptions = {}): Responder {
  const temperature = options.temperature ?? 0.4;
  const maxOutputTokens = options.maxOutputTokens ?? 250;
  const apology = options.apology ?? DEFAULT_APOLOGY;
  return {
    kind: 'llm',
    async respond(context, signal) {
      // What leaves the bridge is redacted again: streams from other connectors are not redacted at the source, and
      // the user's own message and chat history may hold anything. The user id and email never reach the model.
      const built = buildReplyPrompt(context, options);
      const system = redactForModel(built.system, context.userId, context.email);
      const prompt = redactForModel(built.prompt, context.userId, context.email);
      try {
        const reply = await model({ system, prompt, temperature, maxOutputTokens, ...(signal ? { signal } : {}) });
        return { reply };
      } catch (error) {
        try {
          options.onError?.(error);
        } catch {
          // A failing logger must not turn an apology into a crash.
        }
        const coded = isSightlineError(error)
          ? error
          : createError('SL_LLM_UPSTREAM_ERROR', {
              provider: 'The language model',
              statusCode: 'none',
              reason: error instanceof Error ? error.message : String(error),
            });
        return { reply: apology, error: { code: coded.code, message: coded.message } };
      }
    },
  };
}
