import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isSightlineError } from '@sightline/protocol';
import { PROACTIVE_DEFAULTS, loadProactiveSettings } from './proactive-settings.ts';

const SECRET = `whsec_${Buffer.from('a-webhook-key-of-thirty-two-byte').toString('base64')}`;

function settingError(env: Record<string, string>): { code: string; option: unknown } {
  try {
    loadProactiveSettings(env);
  } catch (error) {
    assert.ok(isSightlineError(error));
    return { code: error.code, option: error.details['option'] };
  }
  assert.fail('expected a configuration error');
}

test('off by default, with the documented defaults', () => {
  assert.deepEqual(loadProactiveSettings({}), PROACTIVE_DEFAULTS);
  assert.deepEqual(
    { ...PROACTIVE_DEFAULTS },
    { enabled: false, playbookFile: null, userCap: 3, capWindowS: 86_400, holdS: 10, dismissBackoffS: 3600, defaultLanguage: 'en', senderRecentS: 1800, rasaUrl: null, rasaToken: null, webhookUrl: null, webhookSecret: null },
  );
});

test('each setting is read under its documented name', () => {
  const settings = loadProactiveSettings({
    PROACTIVE: 'yes',
    PLAYBOOK_FILE: '/etc/sightline/playbook.yaml',
    PROACTIVE_USER_CAP: '5',
    PROACTIVE_CAP_WINDOW_S: '3600',
    PROACTIVE_HOLD_S: '0',
    PROACTIVE_DISMISS_BACKOFF_S: '600',
    PROACTIVE_LANGUAGE: 'pt-BR',
    PROACTIVE_SENDER_RECENT_S: '60',
    RASA_URL: 'http://rasa:5005/',
    RASA_TOKEN: 'rasa-token',
    PROACTIVE_WEBHOOK_URL: 'https://bot.example.com/hooks/sightline',
    PROACTIVE_WEBHOOK_SECRET: SECRET,
  });
  assert.deepEqual(settings, {
    enabled: true,
    playbookFile: '/etc/sightline/playbook.yaml',
    userCap: 5,
    capWindowS: 3600,
    holdS: 0,
    dismissBackoffS: 600,
    defaultLanguage: 'pt-BR',
    senderRecentS: 60,
    rasaUrl: 'http://rasa:5005',
    rasaToken: 'rasa-token',
    webhookUrl: 'https://bot.example.com/hooks/sightline',
    webhookSecret: SECRET,
  });
});

test('a wrong value is a configuration error naming the setting to fix', () => {
  for (const [option, env] of [
    ['PROACTIVE', { PROACTIVE: 'maybe' }],
    ['PROACTIVE_USER_CAP', { PROACTIVE_USER_CAP: '0' }],
    ['PROACTIVE_HOLD_S', { PROACTIVE_HOLD_S: '-1' }],
    ['PROACTIVE_LANGUAGE', { PROACTIVE_LANGUAGE: 'English' }],
    ['RASA_URL', { RASA_URL: 'rasa:5005' }],
    ['PROACTIVE_WEBHOOK_URL', { PROACTIVE_WEBHOOK_URL: 'ftp://bot.example.com' }],
    ['PROACTIVE_WEBHOOK_SECRET', { PROACTIVE_WEBHOOK_URL: 'https://bot.example.com/hook' }],
    ['PROACTIVE_WEBHOOK_SECRET', { PROACTIVE_WEBHOOK_URL: 'https://bot.example.com/hook', PROACTIVE_WEBHOOK_SECRET: 'not-a-whsec' }],
    ['PROACTIVE_WEBHOOK_SECRET', { PROACTIVE_WEBHOOK_SECRET: `whsec_${Buffer.from('short').toString('base64')}` }],
  ] as const) {
    assert.deepEqual(settingError(env), { code: 'SL_CONFIG_INVALID', option }, JSON.stringify(env));
  }
});
