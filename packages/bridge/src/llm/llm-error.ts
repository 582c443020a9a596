/**
 * Turns whatever a provider call threw into one coded {@link SightlineError}, so callers branch on codes.
 */
import { APICallError, NoContentGeneratedError, RetryError } from 'ai';
import { isSightlineError, type SightlineError } from '@sightline/protocol';
import { createError } from '../errors.ts';
import type { LlmProvider } from './llm-settings.ts';

/** What the caller knew when the call failed; the abort reason alone cannot tell a timeout from a cancel. */
export interface LlmFailureContext {
  provider: LlmProvider;
  /** The endpoint, for "could not reach" messages (never carries a key). */
  url: string;
  timeoutMs: number;
  hasTimedOut: boolean;
  isCancelled: boolean;
}

const PROVIDER_NAMES: Readonly<Record<LlmProvider, string>> = {
  openai: 'OpenAI',
  anthropic: 'Anthropic',
  google: 'Google Gemini',
  'openai-compatible': 'The OpenAI-compatible server',
  offline: 'The offline responder',
};

const KEY_OPTIONS: Readonly<Record<LlmProvider, string>> = {
  openai: 'OPENAI_API_KEY',
  anthropic: 'ANTHROPIC_API_KEY',
  google: 'GOOGLE_GENERATIVE_AI_API_KEY',
  'openai-compatible': 'LLM_API_KEY',
  offline: 'LLM_PROVIDER',
};

/** How error messages name a provider (`OpenAI`, `The OpenAI-compatible server`, …). */
export function llmProviderName(provider: LlmProvider): string {
  return PROVIDER_NAMES[provider];
}

/** Upstream error text is shown to operators, so keep it short: one line, bounded. */
function brief(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 200 ? `${line.slice(0, 199)}…` : line;
}

/** True when a failed attempt is worth one more try: HTTP 429 (rate limited) or 5xx (the
 * provider failed); any other status would fail the same way again. */
export function isRetryableLlmError(error: unknown): boolean {
  return APICallError.isInstance(error) && error.statusCode !== undefined && (error.statusCode === 429 || error.statusCode >= 500);
}

/**
 * Classifies a provider failure: `SL_LLM_TIMEOUT`, `SL_LLM_ABORTED`, `SL_LLM_AUTH` (401/403), `SL_LLM_RATE_LIMITED`
 * (429), `SL_LLM_UNREACHABLE` (no HTTP answer at all), `SL_LLM_EMPTY_REPLY`, else `SL_LLM_UPSTREAM_ERROR`.
 * The original error is kept as `cause`.
 */
export function toLlmError(error: unknown, context: LlmFailureContext): SightlineError {
  if (isSightlineError(error)) return error;
  const provider = PROVIDER_NAMES[context.provider];
  const cause = { cause: error };
  if (context.hasTimedOut) return createError('SL_LLM_TIMEOUT', { provider, timeoutMs: context.timeoutMs }, cause);
  if (context.isCancelled) return createError('SL_LLM_ABORTED', { provider }, cause);
  const inner = RetryError.isInstance(error) ? error.lastError : error;
  if (APICallError.isInstance(inner)) {
    const statusCode = inner.statusCode;
    if (statusCode === undefined) {
      return createError('SL_LLM_UNREACHABLE', { provider, url: context.url, reason: brief(inner.message) }, cause);
    }
    if (statusCode === 401 || statusCode === 403) {
      return createError('SL_LLM_AUTH', { provider, statusCode, option: KEY_OPTIONS[context.provider] }, cause);
    }
    if (statusCode === 429) return createError('SL_LLM_RATE_LIMITED', { provider, statusCode }, cause);
    return createError('SL_LLM_UPSTREAM_ERROR', { provider, statusCode, reason: brief(inner.message) }, cause);
  }
  if (NoContentGeneratedError.isInstance(inner)) return createError('SL_LLM_EMPTY_REPLY', { provider }, cause);
  if (inner instanceof TypeError) {
    // fetch() rejects with a TypeError when the connection fails before any HTTP answer.
    return createError('SL_LLM_UNREACHABLE', { provider, url: context.url, reason: brief(inner.message) }, cause);
  }
  const reason = inner instanceof Error ? brief(inner.message) : brief(String(inner));
  return createError('SL_LLM_UPSTREAM_ERROR', { provider, statusCode: 'none', reason }, cause);
}
