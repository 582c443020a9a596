/**
 * The proactive settings of the bridge (docs/proactive.md, "Configuration"), read from the same environment as the rest
 * of its configuration. `PROACTIVE` turns the feature on; `sightline dev` sets it, other deployments opt in.
 */
import { resolve } from 'node:path';
import { decimal, onOff, text, urlSetting, type SettingsTable, type SettingsValues } from '@sightline/protocol/settings';
import { z } from 'zod';
import { readBridgeSettings } from '../config/read-bridge-settings.ts';
import { createError } from '../errors.ts';

/** Everything the proactive service needs from the configuration. */
export interface ProactiveSettings {
  /** Offer help when a trigger fires (`PROACTIVE`, default false). */
  enabled: boolean;
  /** The playbook YAML file (`PLAYBOOK_FILE`), re-read when it changes; null for the built-in triggers only. */
  playbookFile: string | null;
  /** Most offers per user across tabs and sessions within {@link capWindowS} (`PROACTIVE_USER_CAP`, default 3). */
  userCap: number;
  /** The cap's window, seconds (`PROACTIVE_CAP_WINDOW_S`, default 86400). */
  capWindowS: number;
  /** How long an offer waits for the user's widget to connect before it is dropped (`PROACTIVE_HOLD_S`, default 10). */
  holdS: number;
  /** How long "Not now" keeps offers away from the user, doubled at each further "Not now", at most a day (`PROACTIVE_DISMISS_BACKOFF_S`, default 3600). */
  dismissBackoffS: number;
  /** The product's default language of offers (`PROACTIVE_LANGUAGE`, default `en`). */
  defaultLanguage: string;
  /** How recently a Rasa sender must have been seen in an action call to be sent an offer (`PROACTIVE_SENDER_RECENT_S`, default 1800). */
  senderRecentS: number;
  /** Rasa's HTTP API (`RASA_URL`, e.g. `http://rasa:5005`); null: no delivery through Rasa. */
  rasaUrl: string | null;
  /** Rasa's `--auth-token` (`RASA_TOKEN`), sent as `?token=`. */
  rasaToken: string | null;
  /** Where signed offers are POSTed for any other chatbot (`PROACTIVE_WEBHOOK_URL`); null: none. */
  webhookUrl: string | null;
  /** The Standard Webhooks secret, `whsec_` + base64 (`PROACTIVE_WEBHOOK_SECRET`); required with the URL. */
  webhookSecret: string | null;
}

/** Defaults of {@link ProactiveSettings}. */
export const PROACTIVE_DEFAULTS: Readonly<ProactiveSettings> = Object.freeze({
  enabled: false,
  playbookFile: null,
  userCap: 3,
  capWindowS: 86_400,
  holdS: 10,
  dismissBackoffS: 3600,
  defaultLanguage: 'en',
  senderRecentS: 1800,
  rasaUrl: null,
  rasaToken: null,
  webhookUrl: null,
  webhookSecret: null,
});

type Env = Readonly<Record<string, string | undefined>>;

/** The key bytes of a Standard Webhooks secret (`whsec_` + base64), or null when it is not one. */
export function webhookSecretBytes(secret: string): Buffer | null {
  const match = /^whsec_([A-Za-z0-9+/]+={0,2})$/.exec(secret.trim());
  if (!match) return null;
  const bytes = Buffer.from(match[1]!, 'base64');
  return bytes.length >= 16 ? bytes : null;
}

const count = (min: number, fallback: number, help: string) => ({ ...decimal({ min, inclusive: true, fallback }), help });
function httpUrl(expects: string, help: string) {
  const url = urlSetting(['http', 'https'], expects);
  return { ...url, help, schema: url.schema.transform((value) => value?.replace(/\/+$/, '')) };
}

/** Proactive help's settings, part of the bridge's table (config/bridge-settings.ts). */
export const PROACTIVE_SETTINGS = {
  PROACTIVE: { ...onOff(PROACTIVE_DEFAULTS.enabled), help: 'offer help when a trigger fires (sightline dev turns it on)' },
  PLAYBOOK_FILE: { ...text({ expects: '<playbook.yaml>' }), help: 'YAML rules of your own, re-read when the file changes' },
  PROACTIVE_USER_CAP: count(1, PROACTIVE_DEFAULTS.userCap, 'most offers per user across tabs and sessions in the window'),
  PROACTIVE_CAP_WINDOW_S: count(1, PROACTIVE_DEFAULTS.capWindowS, "the cap's window, seconds"),
  PROACTIVE_HOLD_S: count(0, PROACTIVE_DEFAULTS.holdS, "seconds an offer waits for the user's widget to connect"),
  PROACTIVE_DISMISS_BACKOFF_S: count(1, PROACTIVE_DEFAULTS.dismissBackoffS, 'seconds "Not now" keeps offers away, doubled each time'),
  PROACTIVE_LANGUAGE: {
    schema: z.string().regex(/^[a-z]{2,3}([-_][A-Za-z0-9]{2,8})?$/, { error: 'is not a language code such as en, es, pt-BR' }).default(PROACTIVE_DEFAULTS.defaultLanguage),
    expects: 'en',
    help: "the product's default language of offers",
  },
  PROACTIVE_SENDER_RECENT_S: count(1, PROACTIVE_DEFAULTS.senderRecentS, 'how recently a Rasa sender must have been seen to be sent an offer'),
  RASA_URL: httpUrl('http://rasa:5005', "Rasa's HTTP API, for offers through trigger_intent"),
  RASA_TOKEN: { ...text({ expects: '<token>' }), help: "Rasa's --auth-token, sent as ?token=", secret: true },
  PROACTIVE_WEBHOOK_URL: httpUrl('https://bot.example.com/sightline', 'where signed offers are POSTed for any other chatbot'),
  PROACTIVE_WEBHOOK_SECRET: {
    schema: z.string().refine((value) => webhookSecretBytes(value) !== null, { error: 'is not whsec_ followed by a base64 key of 16 bytes or more' }).optional(),
    expects: 'whsec_$(openssl rand -base64 32)',
    help: 'the Standard Webhooks secret of that URL',
    secret: true,
  },
} satisfies SettingsTable;

/**
 * Reads and checks the proactive settings. Throws `SL_CONFIG_INVALID` naming the variable to fix.
 *
 * @example
 * loadProactiveSettings({ PROACTIVE: 'true', PLAYBOOK_FILE: 'playbook.yaml' }).enabled; // true
 */
export function loadProactiveSettings(env: Env): ProactiveSettings {
  return proactiveSettingsFrom(readBridgeSettings(PROACTIVE_SETTINGS, env));
}

/** The proactive settings from the checked values; a webhook URL needs its secret. */
export function proactiveSettingsFrom(values: SettingsValues<typeof PROACTIVE_SETTINGS>): ProactiveSettings {
  const webhookUrl = values.PROACTIVE_WEBHOOK_URL ?? null;
  const webhookSecret = values.PROACTIVE_WEBHOOK_SECRET ?? null;
  if (webhookUrl !== null && webhookSecret === null) {
    throw createError('SL_CONFIG_INVALID', {
      option: 'PROACTIVE_WEBHOOK_SECRET',
      reason: 'is not set but PROACTIVE_WEBHOOK_URL is; set it to whsec_ followed by a base64 key of 24 bytes or more (openssl rand -base64 32)',
    });
  }
  return {
    enabled: values.PROACTIVE,
    playbookFile: values.PLAYBOOK_FILE === undefined ? null : resolve(values.PLAYBOOK_FILE),
    userCap: values.PROACTIVE_USER_CAP,
    capWindowS: values.PROACTIVE_CAP_WINDOW_S,
    holdS: values.PROACTIVE_HOLD_S,
    dismissBackoffS: values.PROACTIVE_DISMISS_BACKOFF_S,
    defaultLanguage: values.PROACTIVE_LANGUAGE,
    senderRecentS: values.PROACTIVE_SENDER_RECENT_S,
    rasaUrl: values.RASA_URL ?? null,
    rasaToken: values.RASA_TOKEN ?? null,
    webhookUrl,
    webhookSecret,
  };
}
