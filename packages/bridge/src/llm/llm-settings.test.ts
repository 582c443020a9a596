import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { isSightlineError } from '@sightline/protocol';
import { DEFAULT_LLM_MODELS, DEFAULT_LLM_TIMEOUT_MS, resolveLlmSettings } from './llm-settings.ts';

function configError(env: Record<string, string | undefined>): { option: unknown } {
  try {
    resolveLlmSettings(env);
  } catch (error) {
    assert.ok(isSightlineError(error, 'SL_CONFIG_INVALID'), String(error));
    return { option: error.details.option };
  }
  assert.fail('expected SL_CONFIG_INVALID');
}

describe('resolveLlmSettings', () => {
  test('no key at all means offline, even with the tutorial LLM_MODEL set', () => {
    assert.deepEqual(resolveLlmSettings({}), { provider: 'offline', model: '', timeoutMs: DEFAULT_LLM_TIMEOUT_MS });
    assert.equal(resolveLlmSettings({ LLM_MODEL: 'gpt-4o-mini' }).provider, 'offline');
  });

  test('OPENAI_API_KEY alone picks openai with the default model', () => {
    assert.deepEqual(resolveLlmSettings({ OPENAI_API_KEY: 'sk-1' }), {
      provider: 'openai',
      model: DEFAULT_LLM_MODELS.openai,
      apiKey: 'sk-1',
      timeoutMs: 20_000,
    });
  });

  test('inference order is openai, then anthropic, then google', () => {
    assert.equal(resolveLlmSettings({ ANTHROPIC_API_KEY: 'a', GOOGLE_GENERATIVE_AI_API_KEY: 'g' }).provider, 'anthropic');
    assert.equal(resolveLlmSettings({ OPENAI_API_KEY: 'o', ANTHROPIC_API_KEY: 'a' }).provider, 'openai');
    const google = resolveLlmSettings({ GEMINI_API_KEY: 'g' });
    assert.equal(google.provider, 'google');
    assert.equal(google.apiKey, 'g');
    assert.equal(google.model, DEFAULT_LLM_MODELS.google);
  });

  test('a model name picks its provider when that provider has a key', () => {
    const settings = resolveLlmSettings({ OPENAI_API_KEY: 'o', ANTHROPIC_API_KEY: 'a', LLM_MODEL: 'claude-sonnet-4-5' });
    assert.equal(settings.provider, 'anthropic');
    assert.equal(settings.apiKey, 'a');
    assert.equal(settings.model, 'claude-sonnet-4-5');
  });

  test('LLM_BASE_URL without LLM_PROVIDER picks openai-compatible', () => {
    const settings = resolveLlmSettings({ LLM_BASE_URL: 'http://127.0.0.1:8000/v1/', LLM_MODEL: 'qwen2.5' });
    assert.deepEqual(settings, { provider: 'openai-compatible', model: 'qwen2.5', baseUrl: 'http://127.0.0.1:8000/v1', timeoutMs: 20_000 });
  });

  test('LLM_PROVIDER=ollama defaults the base URL to the local Ollama endpoint', () => {
    const settings = resolveLlmSettings({ LLM_PROVIDER: 'Ollama', LLM_MODEL: 'llama3.2' });
    assert.equal(settings.provider, 'openai-compatible');
    assert.equal(settings.baseUrl, 'http://127.0.0.1:11434/v1');
  });

  test('LLM_API_KEY serves as the key of an explicit provider', () => {
    const settings = resolveLlmSettings({ LLM_PROVIDER: 'anthropic', LLM_API_KEY: 'generic' });
    assert.equal(settings.apiKey, 'generic');
    assert.equal(settings.model, DEFAULT_LLM_MODELS.anthropic);
  });

  test('LLM_PROVIDER=offline wins over a configured key', () => {
    assert.equal(resolveLlmSettings({ LLM_PROVIDER: 'offline', OPENAI_API_KEY: 'sk' }).provider, 'offline');
  });

  test('LLM_TIMEOUT_MS is read as milliseconds', () => {
    assert.equal(resolveLlmSettings({ LLM_TIMEOUT_MS: '8000' }).timeoutMs, 8000);
  });

  test('an explicit provider without its key names the key variable', () => {
    assert.equal(configError({ LLM_PROVIDER: 'openai' }).option, 'OPENAI_API_KEY');
    assert.equal(configError({ LLM_PROVIDER: 'anthropic', OPENAI_API_KEY: 'sk' }).option, 'ANTHROPIC_API_KEY');
    assert.equal(configError({ LLM_PROVIDER: 'gemini' }).option, 'GOOGLE_GENERATIVE_AI_API_KEY');
  });

  test('openai-compatible without a base URL or a model names the missing variable', () => {
    assert.equal(configError({ LLM_PROVIDER: 'openai-compatible', LLM_MODEL: 'x' }).option, 'LLM_BASE_URL');
    assert.equal(configError({ LLM_BASE_URL: 'http://127.0.0.1:8000/v1' }).option, 'LLM_MODEL');
  });

  test('an unknown provider, a bad URL or a bad timeout is a coded error', () => {
    assert.equal(configError({ LLM_PROVIDER: 'watson' }).option, 'LLM_PROVIDER');
    assert.equal(configError({ LLM_BASE_URL: 'localhost:11434', LLM_MODEL: 'x' }).option, 'LLM_BASE_URL');
    assert.equal(configError({ LLM_BASE_URL: 'ftp://host/v1', LLM_MODEL: 'x' }).option, 'LLM_BASE_URL');
    assert.equal(configError({ LLM_TIMEOUT_MS: '0' }).option, 'LLM_TIMEOUT_MS');
    assert.equal(configError({ LLM_TIMEOUT_MS: '2s' }).option, 'LLM_TIMEOUT_MS');
  });
});
