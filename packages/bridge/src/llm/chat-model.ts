/**
 * The one function type the bridge asks of a language model, and its implementations over the `ai` package:
 * OpenAI, Anthropic, Google, and any OpenAI-compatible server (Ollama, vLLM, llama.cpp server).
 */
import { APICallError, generateText, type LanguageModel } from 'ai';
import { createAnthropic } from '@ai-sdk/anthropic';
import { createGoogleGenerativeAI } from '@ai-sdk/google';
import { createOpenAI } from '@ai-sdk/openai';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import { displayUrl } from '@sightline/protocol/internal';
import { createError } from '../errors.ts';
import { isRetryableLlmError, llmProviderName, toLlmError } from './llm-error.ts';
import type { LlmProvider, LlmSettings } from './llm-settings.ts';

export { resolveLlmSettings, DEFAULT_LLM_MODELS, DEFAULT_LLM_TIMEOUT_MS } from './llm-settings.ts';
export type { LlmProvider, LlmSettings } from './llm-settings.ts';

/** One chat completion: a system prompt and one user message in, text out. */
export interface ChatRequest {
  system: string;
  prompt: string;
  /** Sampling temperature; the provider's default when omitted. */
  temperature?: number;
  /** Upper bound on the answer's length in tokens; the provider's default when omitted. */
  maxOutputTokens?: number;
  /** Cancels the call (e.g. the chat client went away); combined with the model's own timeout. */
  signal?: AbortSignal;
}

/**
 * The one function type every LLM provider implements: resolves with the model's text, or rejects with a
 * `SightlineError` whose code is one of `SL_LLM_TIMEOUT`, `SL_LLM_ABORTED`, `SL_LLM_AUTH`, `SL_LLM_RATE_LIMITED`,
 * `SL_LLM_UNREACHABLE`, `SL_LLM_EMPTY_REPLY`, `SL_LLM_UPSTREAM_ERROR`.
 */
export type ChatModel = (request: ChatRequest) => Promise<string>;

/** Tuning for {@link createChatModel}; the defaults suit production. */
export interface ChatModelOptions {
  /** Retries after an HTTP 429 or 5xx answer. Default 1. */
  maxRetries?: number;
  /** Wait before a retry when the server sends no `Retry-After`. Default 500 ms. */
  retryDelayMs?: number;
  /** The fetch implementation the provider uses (proxies, instrumentation). Default the global fetch. */
  fetch?: typeof globalThis.fetch;
}

const DEFAULT_BASE_URLS: Readonly<Record<Exclude<LlmProvider, 'offline'>, string>> = {
  openai: 'https://api.openai.com/v1',
  anthropic: 'https://api.anthropic.com/v1',
  google: 'https://generativelanguage.googleapis.com/v1beta',
  'openai-compatible': '',
};

function languageModel(settings: LlmSettings, fetch: typeof globalThis.fetch | undefined): LanguageModel {
  const common = {
    ...(settings.apiKey !== undefined ? { apiKey: settings.apiKey } : {}),
    ...(settings.baseUrl !== undefined ? { baseURL: settings.baseUrl } : {}),
    ...(fetch ? { fetch } : {}),
  };
  switch (settings.provider) {
    case 'openai':
      // Chat Completions rather than the Responses API: it is what proxies and Azure-style gateways also speak.
      return createOpenAI(common).chat(settings.model);
    case 'anthropic':
      return createAnthropic(common)(settings.model);
    case 'google':
      return createGoogleGenerativeAI(common)(settings.model);
    case 'openai-compatible':
      return createOpenAICompatible({ name: 'openai-compatible', baseURL: settings.baseUrl ?? '', ...common }).chatModel(
        settings.model,
      );
    case 'offline':
      throw new Error('offline has no language model');
  }
}

/** Milliseconds the server asked us to wait (`retry-after-ms`, `retry-after` in seconds or as a date), if any. */
function retryAfterMs(error: unknown, now: number): number | undefined {
  if (!APICallError.isInstance(error) || !error.responseHeaders) return undefined;
  const headers = Object.fromEntries(Object.entries(error.responseHeaders).map(([name, value]) => [name.toLowerCase(), value]));
  const milliseconds = Number(headers['retry-after-ms']);
  if (headers['retry-after-ms'] !== undefined && Number.isFinite(milliseconds) && milliseconds >= 0) return milliseconds;
  const value = headers['retry-after'];
  if (value === undefined) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function wait(milliseconds: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason as Error);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason as Error);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, milliseconds);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Builds the {@link ChatModel} for resolved settings, or `null` for `offline` (use the offline responder then).
 *
 * Each call has `settings.timeoutMs` in total, retry included, and is also cancelled by `request.signal`. An HTTP
 * 429 or 5xx answer is retried once (after `Retry-After` when the server sends one and it fits in the budget);
 * other failures are not retried. Failures reject with a coded `SightlineError` (see {@link ChatModel}).
 *
 * @example
 * const model = createChatModel(resolveLlmSettings(process.env));
 * if (model) console.log(await model({ system: 'Be brief.', prompt: 'Hello', temperature: 0.4, maxOutputTokens: 250 }));
 */
export function createChatModel(settings: LlmSettings, options: ChatModelOptions = {}): ChatModel | null {
  if (settings.provider === 'offline') return null;
  const model = languageModel(settings, options.fetch);
  const maxRetries = options.maxRetries ?? 1;
  const retryDelayMs = options.retryDelayMs ?? 500;
  const url = displayUrl(settings.baseUrl ?? DEFAULT_BASE_URLS[settings.provider]);

  return async (request) => {
    const timeout = AbortSignal.timeout(settings.timeoutMs);
    const signal = request.signal ? AbortSignal.any([timeout, request.signal]) : timeout;
    const deadline = Date.now() + settings.timeoutMs;
    for (let attempt = 0; ; attempt += 1) {
      try {
        const result = await generateText({
          model,
          system: request.system,
          prompt: request.prompt,
          ...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
          ...(request.maxOutputTokens !== undefined ? { maxOutputTokens: request.maxOutputTokens } : {}),
          // Retries are ours: the SDK's backoff ignores our budget and would retry errors the issue says not to.
          maxRetries: 0,
          abortSignal: signal,
        });
        const text = result.text.trim();
        if (!text) throw createError('SL_LLM_EMPTY_REPLY', { provider: llmProviderName(settings.provider) });
        return text;
      } catch (error) {
        const now = Date.now();
        const delay = retryAfterMs(error, now) ?? retryDelayMs;
        const canRetry = attempt < maxRetries && !signal.aborted && isRetryableLlmError(error) && now + delay < deadline;
        if (!canRetry) throw toLlmError(error, failure(timeout.aborted, request.signal?.aborted === true));
        try {
          await wait(delay, signal);
        } catch (abortError) {
          throw toLlmError(abortError, failure(timeout.aborted, request.signal?.aborted === true));
        }
      }
    }
  };

  function failure(hasTimedOut: boolean, isCancelled: boolean) {
    return { provider: settings.provider, url, timeoutMs: settings.timeoutMs, hasTimedOut, isCancelled };
  }
}
