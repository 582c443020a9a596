/**
 * Which language model the bridge talks to, read from the environment and checked once at start.
 */
import { oneOf, text, urlSetting, wholeNumber, type SettingsTable, type SettingsValues } from '@sightline/protocol/settings';
import { readBridgeSettings } from '../config/read-bridge-settings.ts';
import { createError } from '../errors.ts';

/** The providers the bridge can call; `offline` means the deterministic offline responder. */
export type LlmProvider = 'openai' | 'anthropic' | 'google' | 'openai-compatible' | 'offline';

/** Resolved LLM configuration: everything {@link createChatModel} needs. */
export interface LlmSettings {
  provider: LlmProvider;
  /** Model id sent to the provider (`''` for `offline`). */
  model: string;
  /** Overrides the provider's API base URL; required for `openai-compatible` (e.g. `http://127.0.0.1:11434/v1`). */
  baseUrl?: string;
  apiKey?: string;
  /** Budget for one chat call, retry included. Default {@link DEFAULT_LLM_TIMEOUT_MS}. */
  timeoutMs: number;
}

/** Default per-call budget for an LLM answer: 20 s (the Rasa action calling the bridge waits 12 s per the tutorial, so set lower there). */
export const DEFAULT_LLM_TIMEOUT_MS = 20_000;

/**
 * Model used when `LLM_MODEL` is not set. `openai-compatible` has none: a local server serves whatever it loaded,
 * so its name must be given.
 */
export const DEFAULT_LLM_MODELS: Readonly<Record<Exclude<LlmProvider, 'offline' | 'openai-compatible'>, string>> = {
  openai: 'gpt-4o-mini',
  anthropic: 'claude-haiku-4-5',
  google: 'gemini-2.5-flash',
};

/** Ollama's OpenAI-compatible endpoint, used when `LLM_PROVIDER=ollama` names no `LLM_BASE_URL`. */
const OLLAMA_BASE_URL = 'http://127.0.0.1:11434/v1';

const PROVIDER_ALIASES: Readonly<Record<string, LlmProvider | 'auto' | 'ollama'>> = {
  '': 'auto',
  auto: 'auto',
  openai: 'openai',
  anthropic: 'anthropic',
  claude: 'anthropic',
  google: 'google',
  gemini: 'google',
  'openai-compatible': 'openai-compatible',
  openai_compatible: 'openai-compatible',
  compatible: 'openai-compatible',
  vllm: 'openai-compatible',
  'llama.cpp': 'openai-compatible',
  llamacpp: 'openai-compatible',
  'llama-cpp': 'openai-compatible',
  ollama: 'ollama',
  offline: 'offline',
  none: 'offline',
  off: 'offline',
};

type Env = Readonly<Record<string, string | undefined>>;

const secretKey = (help: string, sharedNames: string[] = []) => ({ ...text({ expects: '<key>' }), help, secret: true, sharedNames });

/** The language model's settings, part of the bridge's table (config/bridge-settings.ts). */
export const LLM_SETTINGS = {
  LLM_PROVIDER: { ...oneOf(Object.keys(PROVIDER_ALIASES).filter((name) => name !== '') as [string, ...string[]], 'auto'), expects: 'openai|anthropic|google|openai-compatible|ollama|offline', help: 'which provider answers (default: inferred from the keys set; none: the offline responder)' },
  LLM_MODEL: { ...text({ expects: '<model id>' }), help: 'model id (default per provider; required for openai-compatible)' },
  LLM_BASE_URL: { ...urlSetting(['http', 'https'], 'http://127.0.0.1:11434/v1'), help: 'the API base URL: an OpenAI-compatible server (Ollama, vLLM, llama.cpp) or a proxy' },
  LLM_TIMEOUT_MS: { ...wholeNumber({ min: 1, fallback: DEFAULT_LLM_TIMEOUT_MS, unit: 'ms' }), help: 'budget of one model call, retry included' },
  OPENAI_API_KEY: secretKey('OpenAI key'),
  ANTHROPIC_API_KEY: secretKey('Anthropic key'),
  GOOGLE_GENERATIVE_AI_API_KEY: secretKey('Google Gemini key (GEMINI_API_KEY is read too)', ['GEMINI_API_KEY']),
  LLM_API_KEY: secretKey("any provider's key, when its own variable is unset (hosted OpenAI-compatible APIs)"),
} satisfies SettingsTable;

type LlmValues = SettingsValues<typeof LLM_SETTINGS>;

function invalid(option: string, reason: string) {
  return createError('SL_CONFIG_INVALID', { option, reason });
}

const KEY_VARIABLES = {
  openai: ['OPENAI_API_KEY', 'LLM_API_KEY'],
  anthropic: ['ANTHROPIC_API_KEY', 'LLM_API_KEY'],
  google: ['GOOGLE_GENERATIVE_AI_API_KEY', 'LLM_API_KEY'],
  // Local servers usually need no key; hosted OpenAI-compatible APIs (OpenRouter, Together, Groq) do.
  'openai-compatible': ['LLM_API_KEY', 'OPENAI_API_KEY'],
} as const;

function keyFor(values: LlmValues, provider: keyof typeof KEY_VARIABLES): string | undefined {
  for (const name of KEY_VARIABLES[provider]) {
    const value = values[name];
    if (value) return value;
  }
  return undefined;
}

/** The provider a model name clearly belongs to, so `LLM_MODEL=claude-…` picks Anthropic when several keys are set. */
function providerOfModel(model: string | undefined): 'openai' | 'anthropic' | 'google' | undefined {
  if (!model) return undefined;
  if (/^(gpt-|o\d|chatgpt-)/i.test(model)) return 'openai';
  if (/^claude/i.test(model)) return 'anthropic';
  if (/^gemini/i.test(model)) return 'google';
  return undefined;
}

function inferProvider(values: LlmValues, model: string | undefined): LlmProvider {
  // An explicit server address is the strongest signal: someone pointed us at Ollama, vLLM or llama.cpp.
  if (values.LLM_BASE_URL) return 'openai-compatible';
  const hinted = providerOfModel(model);
  if (hinted && keyFor(values, hinted)) return hinted;
  if (values.OPENAI_API_KEY) return 'openai';
  if (values.ANTHROPIC_API_KEY) return 'anthropic';
  if (values.GOOGLE_GENERATIVE_AI_API_KEY) return 'google';
  if (hinted && values.LLM_API_KEY) return hinted;
  return 'offline';
}

/**
 * Reads the LLM configuration from environment variables and validates it.
 *
 * - `LLM_PROVIDER`: `openai`, `anthropic`, `google` (alias `gemini`), `openai-compatible` (aliases `vllm`,
 *   `llama.cpp`), `ollama` (openai-compatible at `http://127.0.0.1:11434/v1` unless `LLM_BASE_URL` says otherwise),
 *   `offline`, or unset/`auto`.
 * - Unset/`auto` infers, in order: `LLM_BASE_URL` set → openai-compatible; a model name (`gpt-…`, `claude-…`,
 *   `gemini-…`) whose provider has a key → that provider; then the first of `OPENAI_API_KEY`, `ANTHROPIC_API_KEY`,
 *   `GOOGLE_GENERATIVE_AI_API_KEY`/`GEMINI_API_KEY`; else `offline`. `LLM_MODEL` alone (as in the Autoplay tutorial's
 *   `.env`) does not leave offline mode.
 * - Keys: the provider's own variable first, then `LLM_API_KEY` (for openai-compatible: `LLM_API_KEY`, then
 *   `OPENAI_API_KEY`, and none is needed for a local server).
 * - `LLM_MODEL` (default per provider, {@link DEFAULT_LLM_MODELS}; required for openai-compatible), `LLM_BASE_URL`
 *   (also overrides the hosted providers' endpoint, e.g. a proxy), `LLM_TIMEOUT_MS` (default 20000).
 *
 * @throws SightlineError `SL_CONFIG_INVALID` whose `option` detail names the variable to set or fix.
 * @example
 * resolveLlmSettings({ OPENAI_API_KEY: 'sk-…' }); // { provider: 'openai', model: 'gpt-4o-mini', apiKey: 'sk-…', timeoutMs: 20000 }
 * resolveLlmSettings({ LLM_PROVIDER: 'ollama', LLM_MODEL: 'llama3.2' }); // openai-compatible at 127.0.0.1:11434
 */
export function resolveLlmSettings(env: Env): LlmSettings {
  return llmSettingsFrom(readBridgeSettings(LLM_SETTINGS, env));
}

/** The model the checked settings name: the provider inferred when not given, its key, model and address. */
export function llmSettingsFrom(values: LlmValues): LlmSettings {
  const alias = PROVIDER_ALIASES[values.LLM_PROVIDER]!;
  const model = values.LLM_MODEL;
  const timeoutMs = values.LLM_TIMEOUT_MS;
  let baseUrl = values.LLM_BASE_URL?.replace(/\/+$/, '');
  let provider: LlmProvider;
  if (alias === 'ollama') {
    provider = 'openai-compatible';
    baseUrl ??= OLLAMA_BASE_URL;
  } else if (alias === 'auto') {
    provider = inferProvider(values, model);
  } else {
    provider = alias;
  }

  if (provider === 'offline') return { provider, model: '', timeoutMs };

  const apiKey = keyFor(values, provider);
  if (provider === 'openai-compatible') {
    if (!baseUrl) {
      throw invalid('LLM_BASE_URL', 'LLM_PROVIDER=openai-compatible needs the server URL, e.g. http://127.0.0.1:8000/v1');
    }
    if (!model) {
      throw invalid('LLM_MODEL', `set the model name the server at ${baseUrl} serves (e.g. llama3.2 for Ollama)`);
    }
    return { provider, model, baseUrl, ...(apiKey ? { apiKey } : {}), timeoutMs };
  }

  if (!apiKey) {
    const [option] = KEY_VARIABLES[provider];
    throw invalid(option, `LLM_PROVIDER=${provider} needs an API key in ${KEY_VARIABLES[provider].join(' or ')}`);
  }
  return { provider, model: model ?? DEFAULT_LLM_MODELS[provider], ...(baseUrl ? { baseUrl } : {}), apiKey, timeoutMs };
}

/**
 * What an operator reads when no language model is configured: in the start-up log and on `/healthz`, never in a
 * chat reply (end users cannot set environment variables).
 */
export const OFFLINE_OPERATOR_HINT =
  'No language model is configured, so replies come from the offline responder. To use one, set OPENAI_API_KEY, ANTHROPIC_API_KEY or GOOGLE_GENERATIVE_AI_API_KEY, or LLM_PROVIDER=openai-compatible with LLM_BASE_URL (Ollama, vLLM, llama.cpp), and restart the bridge.';
