/**
 * The bridge's configuration: read from the environment (and `.env`), validated once at start, so a
 * missing or wrong value stops the bridge with one line that names the variable to set.
 */
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { MIN_SECRET_BITS, secretBits } from '@sightline/protocol/internal';
import { redactRedisUrl } from '@sightline/sdk/redis';
import { createError } from '../errors.ts';
import { resolveLlmSettings, type LlmSettings } from '../llm/chat-model.ts';
import { loadProactiveSettings, type ProactiveSettings } from '../proactive/proactive-settings.ts';
import { readEnvFile } from './env-file.ts';

/** Everything `startBridge` needs. Build it with {@link loadBridgeConfig} or by hand (tests, `sightline dev`). */
export interface BridgeConfig {
  /** The product's stream URL from the connector (`STREAM_URL`), e.g. `http://localhost:8080/stream/acme`. */
  streamUrl: string;
  /** The stream key sent as `Authorization: Bearer` (`STREAM_KEY`, or the tutorial's `UNKEY_API_KEY`). */
  streamKey: string;
  /** Interface to listen on (`HOST`, default `0.0.0.0`; any address but loopback needs the keys below or `insecure`). */
  host: string;
  /** Port to listen on (`PORT`, default 8090; 0 picks a free one). */
  port: number;
  /** The language model, or the offline responder (`LLM_PROVIDER`, `LLM_MODEL`, `LLM_BASE_URL`, provider keys). */
  llm: LlmSettings;
  /** Actions per session before the summarizer condenses them (`SUMMARY_THRESHOLD`, default 10). */
  summaryThreshold: number;
  /** How far back activity counts, in seconds, for the store and the user index (`LOOKBACK_SECONDS`, default 300). */
  lookbackSeconds: number;
  /** Most recent actions kept per session in a prompt (`MAX_ACTIONS`, default 30). */
  maxActions: number;
  /** Longest accepted chat query in characters (`MAX_QUERY_LENGTH`, default 2000). */
  maxQueryLength: number;
  /**
   * Browser origins allowed by CORS on HTTP and by the socket.io `Origin` check (`CORS_ORIGINS`, comma-separated).
   * Default none: only non-browser clients and same-origin pages. `*` is for loopback or `insecure` only.
   */
  corsOrigins: '*' | string[];
  /** Token for the admin routes (`ADMIN_TOKEN`); null disables them. */
  adminToken: string | null;
  /**
   * Keys of the server-to-server doors: `/reply`, the Rasa action server, `/metrics` and `/healthz` details
   * (`BRIDGE_API_KEY`, comma-separated so a key rotates without downtime). Empty leaves those doors open.
   */
  apiKeys: string[];
  /**
   * Secrets the product's backend signs user ids with (`IDENTITY_SECRET`, comma-separated; the first is current).
   * Empty takes user ids from browsers as given.
   */
  identitySecrets: string[];
  /** Start on a non-loopback address without keys, or with CORS `*` (`SIGHTLINE_INSECURE=1`, `--insecure`). */
  insecure: boolean;
  /** Serve `/metrics` without the key (`METRICS_PUBLIC`, default false). */
  metricsPublic: boolean;
  /** Proxy hops in front of the bridge whose `X-Forwarded-For` is trusted (`TRUST_PROXY_HOPS`, default 0). */
  trustProxyHops: number;
  /** Chat messages answered per user per minute, and in one burst (`CHAT_MESSAGES_PER_MINUTE`, default 20). */
  chatMessagesPerMinute: number;
  /** Turns (user and assistant messages) of conversation history kept and sent to the model (`HISTORY_TURNS`, default 10). */
  historyTurns: number;
  /** Most tokens of context in a reply prompt (`PROMPT_TOKEN_BUDGET`, default 3000; estimated as characters / 4). */
  promptTokenBudget: number;
  /** Conversations whose history and watermark are kept, least recently used evicted (`MAX_CONVERSATIONS`, default 10000). */
  maxConversations: number;
  /** Sessions (and users) tracked by the store, summarizer, user index and state table, least recently active dropped (`MAX_SESSIONS`, default 10000). */
  maxSessions: number;
  /** Newest sessions of a user read for a reply (`SESSIONS_PER_USER`, default 3). */
  sessionsPerUser: number;
  /** Idle seconds before a REACTIVE or PROACTIVE session returns to THINKING (`SESSION_INTERACTION_TIMEOUT_S`, default 60). */
  interactionTimeoutS: number;
  /** Seconds proactive offers stay blocked after that (`SESSION_COOLDOWN_S`, default 120). */
  cooldownPeriodS: number;
  /** Whether the socket.io channel keys conversations by the widget's `session_id` (`SOCKET_SESSION_PERSISTENCE`, default true). */
  socketSessionPersistence: boolean;
  /** pino log level (`LOG_LEVEL`, default `info`). */
  logLevel: string;
  /**
   * Redis for the bridge's state and socket.io rooms across bridges (`REDIS_URL`, `--redis`; `redis://` or `rediss://`,
   * credentials allowed and never printed). Null keeps everything in this process's memory.
   */
  redisUrl: string | null;
  /** What every Redis key starts with (`REDIS_PREFIX`, default `sightline:`). */
  redisPrefix: string;
  /** Proactive help (`PROACTIVE`, `PLAYBOOK_FILE`, `RASA_URL`, `PROACTIVE_WEBHOOK_URL`, …; docs/proactive.md); absent: off. */
  proactive?: ProactiveSettings;
  /** Seconds conversation history, socket bindings, senders and watermarks live in Redis after their last use (`HISTORY_TTL_SECONDS`, default 7 days). */
  historyTtlSeconds: number;
  /** The UI map learned from every user's paths (docs/knowledge.md, "UI map"). */
  uiMap: UiMapSettings;
  /** The help center (docs/knowledge.md, "Help center"); absent, or `dir` null, for none. */
  knowledge?: KnowledgeSettings;
  /**
   * The team's own Rasa action server, its webhook URL as in Rasa's `endpoints.yml` (`ACTION_SERVER_URL`, e.g.
   * `http://actions:5055/webhook`): action calls the bridge does not serve are forwarded there (docs/rasa-actions.md).
   * Null forwards nothing (unknown actions answer 404).
   */
  actionServerUrl: string | null;
  /** The team server's own credential, sent as `?token=` the way Rasa sends `endpoints.yml`'s `token:` (`ACTION_SERVER_TOKEN`). */
  actionServerToken: string | null;
  /** Seconds a forwarded call may take before Rasa gets a 502 (`ACTION_SERVER_TIMEOUT_S`, default 30; at most 240, under Rasa's own 300). */
  actionServerTimeoutS: number;
}

/** Settings of the UI map. */
export interface UiMapSettings {
  /** Distinct users (verified ones when `IDENTITY_SECRET` is set) an entry needs before it is used (`UI_MAP_MIN_USERS`, default 3). */
  minUsers: number;
  /** Days an entry lives after anyone last used it (`UI_MAP_DECAY_DAYS`, default 30). */
  decayDays: number;
  /** Words or phrases whose labels never enter the map (`UI_MAP_DENY`, comma-separated). */
  deny: string[];
  /** Count the demo's simulated users (`UI_MAP_DEMO_SEED`; only `sightline dev` sets it, for the demo product). Default false. */
  demoSeed: boolean;
}

/** Settings of the help center. */
export interface KnowledgeSettings {
  /** Folder of Markdown and HTML help articles, one folder per language or flat (`KNOWLEDGE_DIR`); null for none. */
  dir: string | null;
  /** Where its index is saved (`KNOWLEDGE_INDEX_PATH`); null for `<KNOWLEDGE_DIR>/.sightline/help-index.json`. */
  indexPath: string | null;
  /** Language of articles whose language is given nowhere and cannot be detected (`KNOWLEDGE_LANGUAGE`, default `en`). */
  defaultLanguage: string;
  /** Longest wait for the knowledge sources in a reply, ms (`KNOWLEDGE_TIMEOUT_MS`, default 300). */
  timeoutMs: number;
}

/** Defaults of every optional setting (one table, docs/decisions/D-49-one-defaults-table.md). */
export const BRIDGE_DEFAULTS = {
  host: '0.0.0.0',
  port: 8090,
  summaryThreshold: 10,
  lookbackSeconds: 300,
  maxActions: 30,
  maxQueryLength: 2000,
  corsOrigins: [] as string[],
  apiKeys: [] as string[],
  identitySecrets: [] as string[],
  insecure: false,
  metricsPublic: false,
  trustProxyHops: 0,
  chatMessagesPerMinute: 20,
  historyTurns: 10,
  promptTokenBudget: 3000,
  maxConversations: 10_000,
  maxSessions: 10_000,
  sessionsPerUser: 3,
  interactionTimeoutS: 60,
  cooldownPeriodS: 120,
  socketSessionPersistence: true,
  logLevel: 'info',
  redisUrl: null,
  redisPrefix: 'sightline:',
  historyTtlSeconds: 7 * 24 * 3600,
  uiMap: { minUsers: 3, decayDays: 30, deny: [] as string[], demoSeed: false },
  knowledge: { dir: null, indexPath: null, defaultLanguage: 'en', timeoutMs: 300 } as KnowledgeSettings,
  actionServerUrl: null,
  actionServerToken: null,
  actionServerTimeoutS: 30,
} as const;

type Env = Record<string, string | undefined>;

function invalid(option: string, reason: string): never {
  throw createError('SL_CONFIG_INVALID', { option, reason });
}

function text(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

function integer(env: Env, name: string, fallback: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const value = text(env, name);
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `${min} or more` : `from ${min} to ${max}`;
    invalid(name, `'${value}' is not a whole number ${range}; set ${name}=<number> or unset it for the default (${fallback})`);
  }
  return Number(value);
}

function positiveNumber(env: Env, name: string, fallback: number): number {
  const value = text(env, name);
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value) || !(parsed > 0)) {
    invalid(name, `'${value}' is not a number above 0; set ${name}=<seconds> or unset it for the default (${fallback})`);
  }
  return parsed;
}

function boolean(env: Env, name: string, fallback: boolean): boolean {
  const value = text(env, name)?.toLowerCase();
  if (value === undefined) return fallback;
  if (['1', 'true', 'yes', 'on'].includes(value)) return true;
  if (['0', 'false', 'no', 'off'].includes(value)) return false;
  return invalid(name, `'${value}' is not a boolean; set ${name}=true or ${name}=false`);
}

function streamUrl(env: Env): string {
  const value = text(env, 'STREAM_URL');
  if (value === undefined) {
    invalid('STREAM_URL', "is not set; set STREAM_URL to the product's stream_url from the connector (e.g. http://localhost:8080/stream/acme)");
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return invalid('STREAM_URL', `'${value}' is not a URL; set STREAM_URL to the product's stream_url (http:// or https://)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    invalid('STREAM_URL', `'${value}' must start with http:// or https://; set STREAM_URL to the product's stream_url`);
  }
  return value;
}

function redisUrl(env: Env): string | null {
  const value = text(env, 'REDIS_URL');
  if (value === undefined) return null;
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'redis:' && url.protocol !== 'rediss:')) {
    invalid('REDIS_URL', `'${redactRedisUrl(value)}' is not a Redis URL; set REDIS_URL=redis://[user:password@]host[:port][/db] (rediss:// for TLS) or unset it to keep state in memory`);
  }
  return value;
}

function redisPrefix(env: Env): string {
  const value = text(env, 'REDIS_PREFIX') ?? BRIDGE_DEFAULTS.redisPrefix;
  // A brace would start a hash tag of its own and split a product's keys across Redis Cluster slots.
  if (/[{}\s]/.test(value)) invalid('REDIS_PREFIX', `'${value}' contains a brace or a space; set REDIS_PREFIX to letters, digits and ':' (default ${BRIDGE_DEFAULTS.redisPrefix})`);
  return value;
}

/** Rasa waits 300 s for an action; a forwarded call must fail well before that, so Rasa hears our 502 and not its own timeout. */
const MAX_ACTION_SERVER_TIMEOUT_S = 240;

function actionServerUrl(env: Env): string | null {
  const value = text(env, 'ACTION_SERVER_URL');
  if (value === undefined) return null;
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    invalid('ACTION_SERVER_URL', `'${value.replace(/\/\/[^@/]*@/, '//***@')}' is not an http(s) URL; set ACTION_SERVER_URL to your action server's webhook, e.g. http://actions:5055/webhook`);
  }
  if (url.username !== '' || url.password !== '') {
    invalid('ACTION_SERVER_URL', 'carries a user name or password; put the credential in ACTION_SERVER_TOKEN (sent as ?token=) and leave it out of the URL');
  }
  return value;
}

function uiMapSettings(env: Env): UiMapSettings {
  return {
    minUsers: integer(env, 'UI_MAP_MIN_USERS', BRIDGE_DEFAULTS.uiMap.minUsers, 1, 1000),
    decayDays: integer(env, 'UI_MAP_DECAY_DAYS', BRIDGE_DEFAULTS.uiMap.decayDays, 1, 3650),
    deny: list(env, 'UI_MAP_DENY'),
    demoSeed: boolean(env, 'UI_MAP_DEMO_SEED', BRIDGE_DEFAULTS.uiMap.demoSeed),
  };
}

function knowledgeSettings(env: Env): KnowledgeSettings {
  const dir = text(env, 'KNOWLEDGE_DIR');
  if (dir !== undefined) {
    let isFolder = false;
    try {
      isFolder = statSync(dir).isDirectory();
    } catch {
      isFolder = false;
    }
    if (!isFolder) invalid('KNOWLEDGE_DIR', `'${dir}' is not a folder; set KNOWLEDGE_DIR to the folder of your help articles (Markdown or HTML), or unset it`);
  }
  const language = text(env, 'KNOWLEDGE_LANGUAGE') ?? BRIDGE_DEFAULTS.knowledge.defaultLanguage;
  if (!/^[a-z]{2}$/i.test(language)) invalid('KNOWLEDGE_LANGUAGE', `'${language}' is not a two-letter language code; set it to en, es, fr, de, pt or another ISO 639-1 code`);
  return {
    dir: dir === undefined ? null : resolve(dir),
    indexPath: text(env, 'KNOWLEDGE_INDEX_PATH') === undefined ? null : resolve(text(env, 'KNOWLEDGE_INDEX_PATH')!),
    defaultLanguage: language.toLowerCase(),
    timeoutMs: integer(env, 'KNOWLEDGE_TIMEOUT_MS', BRIDGE_DEFAULTS.knowledge.timeoutMs, 10, 10_000),
  };
}

function list(env: Env, name: string): string[] {
  return (text(env, name) ?? '').split(',').map((item) => item.trim()).filter((item) => item !== '');
}

function corsOrigins(env: Env): '*' | string[] {
  const value = text(env, 'CORS_ORIGINS');
  if (value === undefined) return [];
  if (value === '*') return '*';
  const origins = value.split(',').map((origin) => origin.trim()).filter((origin) => origin !== '');
  for (const origin of origins) {
    let parsed: URL | undefined;
    try {
      parsed = new URL(origin);
    } catch {
      parsed = undefined;
    }
    if (!parsed || parsed.origin !== origin.replace(/\/$/, '')) {
      invalid('CORS_ORIGINS', `'${origin}' is not an origin like https://app.example.com; set CORS_ORIGINS to '*' or a comma-separated list of origins`);
    }
  }
  return origins.map((origin) => origin.replace(/\/$/, ''));
}

/**
 * Reads and validates the bridge's configuration. Variables in `env` win over those in the `.env`
 * file (read from the working directory unless `envFile` names another file or is `false`).
 * Throws a `SightlineError` with code `SL_CONFIG_INVALID` and `details.option` naming the variable.
 *
 * @example
 * const config = loadBridgeConfig({ STREAM_URL: 'http://localhost:8080/stream/acme', STREAM_KEY: 'sk_…' }, { envFile: false });
 * config.port; // 8090
 */
export function loadBridgeConfig(env: Env = process.env, options: { envFile?: string | false } = {}): BridgeConfig {
  const fileValues = options.envFile === false ? {} : readEnvFile(resolve(options.envFile ?? '.env'));
  const merged: Env = { ...fileValues };
  for (const [name, value] of Object.entries(env)) if (value !== undefined) merged[name] = value;

  const url = streamUrl(merged);
  const streamKey = text(merged, 'STREAM_KEY') ?? text(merged, 'UNKEY_API_KEY');
  if (streamKey === undefined) {
    invalid('STREAM_KEY', "is not set; set STREAM_KEY (or UNKEY_API_KEY) to the product's stream_key from the connector");
  }
  const adminToken = text(merged, 'ADMIN_TOKEN') ?? null;
  const logLevel = text(merged, 'LOG_LEVEL') ?? BRIDGE_DEFAULTS.logLevel;
  if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(logLevel)) {
    invalid('LOG_LEVEL', `'${logLevel}' is not a level; set LOG_LEVEL to one of fatal, error, warn, info, debug, trace, silent`);
  }
  const config: BridgeConfig = {
    streamUrl: url,
    streamKey,
    host: text(merged, 'HOST') ?? BRIDGE_DEFAULTS.host,
    port: integer(merged, 'PORT', BRIDGE_DEFAULTS.port, 0, 65_535),
    llm: resolveLlmSettings(merged),
    summaryThreshold: integer(merged, 'SUMMARY_THRESHOLD', BRIDGE_DEFAULTS.summaryThreshold, 1),
    lookbackSeconds: positiveNumber(merged, 'LOOKBACK_SECONDS', BRIDGE_DEFAULTS.lookbackSeconds),
    maxActions: integer(merged, 'MAX_ACTIONS', BRIDGE_DEFAULTS.maxActions, 1),
    maxQueryLength: integer(merged, 'MAX_QUERY_LENGTH', BRIDGE_DEFAULTS.maxQueryLength, 1, 100_000),
    corsOrigins: corsOrigins(merged),
    adminToken,
    apiKeys: list(merged, 'BRIDGE_API_KEY'),
    identitySecrets: list(merged, 'IDENTITY_SECRET'),
    insecure: boolean(merged, 'SIGHTLINE_INSECURE', BRIDGE_DEFAULTS.insecure),
    metricsPublic: boolean(merged, 'METRICS_PUBLIC', BRIDGE_DEFAULTS.metricsPublic),
    trustProxyHops: integer(merged, 'TRUST_PROXY_HOPS', BRIDGE_DEFAULTS.trustProxyHops, 0, 10),
    chatMessagesPerMinute: integer(merged, 'CHAT_MESSAGES_PER_MINUTE', BRIDGE_DEFAULTS.chatMessagesPerMinute, 1, 10_000),
    historyTurns: integer(merged, 'HISTORY_TURNS', BRIDGE_DEFAULTS.historyTurns, 0, 200),
    promptTokenBudget: integer(merged, 'PROMPT_TOKEN_BUDGET', BRIDGE_DEFAULTS.promptTokenBudget, 500, 200_000),
    maxConversations: integer(merged, 'MAX_CONVERSATIONS', BRIDGE_DEFAULTS.maxConversations, 1),
    maxSessions: integer(merged, 'MAX_SESSIONS', BRIDGE_DEFAULTS.maxSessions, 1),
    sessionsPerUser: integer(merged, 'SESSIONS_PER_USER', BRIDGE_DEFAULTS.sessionsPerUser, 1, 20),
    interactionTimeoutS: positiveNumber(merged, 'SESSION_INTERACTION_TIMEOUT_S', BRIDGE_DEFAULTS.interactionTimeoutS),
    cooldownPeriodS: positiveNumber(merged, 'SESSION_COOLDOWN_S', BRIDGE_DEFAULTS.cooldownPeriodS),
    socketSessionPersistence: boolean(merged, 'SOCKET_SESSION_PERSISTENCE', BRIDGE_DEFAULTS.socketSessionPersistence),
    logLevel,
    redisUrl: redisUrl(merged),
    redisPrefix: redisPrefix(merged),
    proactive: loadProactiveSettings(merged),
    historyTtlSeconds: integer(merged, 'HISTORY_TTL_SECONDS', BRIDGE_DEFAULTS.historyTtlSeconds, 1),
    uiMap: uiMapSettings(merged),
    knowledge: knowledgeSettings(merged),
    actionServerUrl: actionServerUrl(merged),
    actionServerToken: text(merged, 'ACTION_SERVER_TOKEN') ?? null,
    actionServerTimeoutS: positiveNumber(merged, 'ACTION_SERVER_TIMEOUT_S', BRIDGE_DEFAULTS.actionServerTimeoutS),
  };
  if (config.actionServerTimeoutS > MAX_ACTION_SERVER_TIMEOUT_S) {
    invalid('ACTION_SERVER_TIMEOUT_S', `${config.actionServerTimeoutS} is above ${MAX_ACTION_SERVER_TIMEOUT_S}; Rasa gives up on an action after 300 s, so set ACTION_SERVER_TIMEOUT_S to ${MAX_ACTION_SERVER_TIMEOUT_S} or less`);
  }
  if (config.actionServerToken !== null && config.actionServerUrl === null) {
    invalid('ACTION_SERVER_TOKEN', 'is set but ACTION_SERVER_URL is not; set ACTION_SERVER_URL to the action server the token is for, or unset ACTION_SERVER_TOKEN');
  }
  checkBridgeSecurity(config);
  return config;
}

const LOOPBACK = /^(127(\.\d{1,3}){3}|::1|localhost|::ffff:127(\.\d{1,3}){3})$/i;

/** Whether `host` is a loopback address, reachable only from this machine. */
export function isLoopbackHost(host: string): boolean {
  return LOOPBACK.test(host.trim().replace(/^\[(.*)\]$/, '$1'));
}

const GENERATE_HINT = 'generate one with `openssl rand -base64 32` (or `sightline onboard`, which writes them to .env)';

/**
 * Refuses a configuration that would expose users' activity: secrets shorter than 128 bits, and, on any address but
 * loopback, a bridge without `BRIDGE_API_KEY` and `IDENTITY_SECRET` or with CORS `*`, unless `insecure` says the
 * operator knows. Throws `SL_CONFIG_INVALID` naming the variable to set. `startBridge` calls it too.
 */
export function checkBridgeSecurity(config: BridgeConfig): void {
  const secrets: Array<[string, readonly string[]]> = [
    ['BRIDGE_API_KEY', config.apiKeys],
    ['IDENTITY_SECRET', config.identitySecrets],
    ['ADMIN_TOKEN', config.adminToken === null ? [] : [config.adminToken]],
  ];
  for (const [option, values] of secrets) {
    for (const value of values) {
      if (secretBits(value) < MIN_SECRET_BITS) {
        invalid(option, `a value is shorter than ${MIN_SECRET_BITS} bits (${secretBits(value)}); ${GENERATE_HINT}`);
      }
    }
  }
  if (config.insecure) return;
  if (config.actionServerUrl !== null && config.apiKeys.length === 0) {
    // Without the key anyone who reaches the bridge (a web page through the user's browser, too) could call into the
    // team's network through it.
    invalid('BRIDGE_API_KEY', `is not set and ACTION_SERVER_URL is, so the bridge would relay anyone's calls to that server; set BRIDGE_API_KEY (${GENERATE_HINT}) and give it to Rasa (endpoints.yml token:), or pass --insecure (SIGHTLINE_INSECURE=1) if something else guards the bridge`);
  }
  if (isLoopbackHost(config.host)) return;
  const where = `the bridge listens on ${config.host}, where anyone who reaches it could read every user's activity`;
  const escape = 'or bind HOST=127.0.0.1, or pass --insecure (SIGHTLINE_INSECURE=1) if something else guards it';
  if (config.apiKeys.length === 0) invalid('BRIDGE_API_KEY', `is not set and ${where}; set BRIDGE_API_KEY (${GENERATE_HINT}), ${escape}`);
  if (config.identitySecrets.length === 0) {
    invalid('IDENTITY_SECRET', `is not set and ${where}; set IDENTITY_SECRET and sign user ids on your backend (docs/security.md), ${escape}`);
  }
  if (config.corsOrigins === '*') {
    invalid('CORS_ORIGINS', `is '*' and ${where}; list your app's origins, e.g. CORS_ORIGINS=https://app.example.com, ${escape}`);
  }
}
