/** The `llm` check: which language model the bridge would use, keys masked; no model is called. */
import { resolveLlmSettings, type BridgeConfig, type LlmSettings } from '@sightline/bridge';
import { ok, warn, type DoctorCheck } from '../doctor-check.ts';
import { displayUrl } from '@sightline/protocol/internal';
import { maskSecret } from '../mask-secret.ts';

function describeLlm(llm: LlmSettings, merged: Record<string, string | undefined>): DoctorCheck {
  if (llm.provider === 'offline') {
    const isChosen = ['offline', 'none', 'off'].includes(merged['LLM_PROVIDER']?.trim().toLowerCase() ?? '');
    return isChosen
      ? ok('llm', 'offline responder (LLM_PROVIDER=offline): replies are built from the activity without a model')
      : warn('llm', 'offline responder: no LLM key is set, so replies are built from the activity without a model',
        'set OPENAI_API_KEY, ANTHROPIC_API_KEY or GOOGLE_GENERATIVE_AI_API_KEY (or LLM_BASE_URL for a local server) for model answers');
  }
  const parts = [`provider ${llm.provider}`, `model ${llm.model}`];
  if (llm.baseUrl !== undefined) parts.push(`at ${displayUrl(new URL(llm.baseUrl))}`);
  parts.push(llm.apiKey === undefined ? 'no key' : `key ${maskSecret(llm.apiKey)}`);
  return ok('llm', `${parts.join(', ')} (not called by doctor)`);
}

/** The `llm` check from the loaded configuration, else from the merged settings alone. */
export function checkLlm(config: BridgeConfig | undefined, merged: Record<string, string | undefined>): DoctorCheck {
  // The model settings can still be shown when an unrelated setting is what broke the configuration.
  let llm: LlmSettings | undefined = config?.llm;
  if (!llm) {
    try {
      llm = resolveLlmSettings(merged);
    } catch {
      llm = undefined;
    }
  }
  return llm ? describeLlm(llm, merged) : warn('llm', 'not checked: the LLM settings do not load (see config)');
}
