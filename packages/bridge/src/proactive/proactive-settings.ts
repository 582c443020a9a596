/**
 * The proactive settings of the bridge (docs/proactive.md, "Configuration"), read from the same environment as the rest
 * of its configuration. `PROACTIVE` turns the feature on; `sightline dev` sets it, other deployments opt in.
 */
import { resolve } from 'node:path';
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

type Env = Record<string, string | undefined>;

function invalid(option: string, reason: string): never {
  throw createError('SL_CONFIG_INVALID', { option, reason });
}

function text(env: Env, name: string): string | null {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? null : value;
}

function flag(env: Env, name: string, fallback: boolean): boolean {
  const value = text(env, name)?.toLowerCase();
  if (value === undefined || value === null) return fallback;
  if (['1', 'true', 'yes', 'on'].includes(value)) return true;
  if (['0', 'false', 'no', 'off'].includes(value)) return false;
  return invalid(name, `'${value}' is not a boolean; set ${name}=true or ${name}=false`);
}

function count(env: Env, name: string, fallback: number, min: number): number {
  const value = text(env, name);
  if (value === null) return fallback;
  if (!/^\d+(\.\d+)?$/.test(value) || Number(value) < min) invalid(name, `'${value}' is not a number of ${min} or more; set ${name}=<number> or unset it for the default (${fallback})`);
  return Number(value);
}

function httpUrl(env: Env, name: string): string | null {
  const value = text(env, name);
  if (value === null) return null;
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) invalid(name, `'${value.slice(0, 200)}' is not an http(s) URL`);
  return value.replace(/\/+$/, '');
}

/** The key bytes of a Standard Webhooks secret (`whsec_` + base64), or null when it is not one. */
export function webhookSecretBytes(secret: string): Buffer | null {
  const match = /^whsec_([A-Za-z0-9+/]+={0,2})$/.exec(secret.trim());
  if (!match) return null;
  const bytes = Buffer.from(match[1]!, 'base64');
  return bytes.length >= 16 ? bytes : null;
}

/**
 * Reads and checks the proactive settings. Throws `SL_CONFIG_INVALID` naming the variable to fix.
 *
 * @example
 * loadProactiveSettings({ PROACTIVE: 'true', PLAYBOOK_FILE: 'playbook.yaml' }).enabled; // true
 */
export function loadProactiveSettings(env: Env): ProactiveSettings {
  const playbook = text(env, 'PLAYBOOK_FILE');
  const webhookUrl = httpUrl(env, 'PROACTIVE_WEBHOOK_URL');
  const webhookSecret = text(env, 'PROACTIVE_WEBHOOK_SECRET');
  if (webhookUrl !== null && webhookSecret === null) {
    invalid('PROACTIVE_WEBHOOK_SECRET', 'is not set but PROACTIVE_WEBHOOK_URL is; set it to whsec_ followed by a base64 key of 24 bytes or more (openssl rand -base64 32)');
  }
  if (webhookSecret !== null && webhookSecretBytes(webhookSecret) === null) {
    invalid('PROACTIVE_WEBHOOK_SECRET', 'is not whsec_ followed by a base64 key of 16 bytes or more; generate one with: echo whsec_$(openssl rand -base64 32)');
  }
  const language = text(env, 'PROACTIVE_LANGUAGE') ?? PROACTIVE_DEFAULTS.defaultLanguage;
  if (!/^[a-z]{2,3}([-_][A-Za-z0-9]{2,8})?$/.test(language)) invalid('PROACTIVE_LANGUAGE', `'${language}' is not a language code such as en, es, pt-BR`);
  return {
    enabled: flag(env, 'PROACTIVE', PROACTIVE_DEFAULTS.enabled),
    playbookFile: playbook === null ? null : resolve(playbook),
    userCap: count(env, 'PROACTIVE_USER_CAP', PROACTIVE_DEFAULTS.userCap, 1),
    capWindowS: count(env, 'PROACTIVE_CAP_WINDOW_S', PROACTIVE_DEFAULTS.capWindowS, 1),
    holdS: count(env, 'PROACTIVE_HOLD_S', PROACTIVE_DEFAULTS.holdS, 0),
    dismissBackoffS: count(env, 'PROACTIVE_DISMISS_BACKOFF_S', PROACTIVE_DEFAULTS.dismissBackoffS, 1),
    defaultLanguage: language,
    senderRecentS: count(env, 'PROACTIVE_SENDER_RECENT_S', PROACTIVE_DEFAULTS.senderRecentS, 1),
    rasaUrl: httpUrl(env, 'RASA_URL'),
    rasaToken: text(env, 'RASA_TOKEN'),
    webhookUrl,
    webhookSecret,
  };
}
