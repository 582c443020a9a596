/**
 * The bridge's configuration: read from the environment (and `.env`), validated once at start, so a
 * missing or wrong value stops the bridge with one line that names the variable to set.
 */
import { resolve } from 'node:path';
import { MIN_SECRET_BITS, secretBits } from '@sightline/protocol/internal';
import { createError } from '../errors.ts';
import { llmSettingsFrom, type LlmSettings } from '../llm/llm-settings.ts';
import { proactiveSettingsFrom, type ProactiveSettings } from '../proactive/proactive-settings.ts';
import { BRIDGE_SETTINGS } from './bridge-settings.ts';
import { readEnvFile } from './env-file.ts';
import { readBridgeSettings, type ReadBridgeSettingsOptions } from './read-bridge-settings.ts';

/** Everything `startBridge` needs. Build it with {@link loadBridgeConfig} or by hand (tests, `sightline dev`). */
export interface BridgeConfig {
  /** The product's stream URL from the connector (`STREAM_URL`), e.g. `http://localhost:8080/stream/acme`. */
  streamUrl: string;
  /** The stream key sent as `Authorization: Bearer` (`STREAM_KEY`, or the tutorial's `UNKEY_API_KEY`). */
  streamKey: string;
  /** Interface to listen on (`BRIDGE_HOST`, default `0.0.0.0`; any address but loopback needs the keys below or `insecure`). */
  host: string;
  /** Port to listen on (`BRIDGE_PORT`, default 8090; 0 picks a free one). */
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
  /** Token for the admin routes (`BRIDGE_ADMIN_TOKEN`); null disables them. */
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
  /** Start on a non-loopback address without keys, or with CORS `*` (`BRIDGE_INSECURE`, `--insecure`). */
  insecure: boolean;
  /** Serve `/metrics` without the key (`BRIDGE_METRICS_PUBLIC`, default false). */
  metricsPublic: boolean;
  /** Proxy hops in front of the bridge whose `X-Forwarded-For` is trusted (`BRIDGE_TRUST_PROXY_HOPS`, default 0). */
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

export { BRIDGE_DEFAULTS } from './bridge-defaults.ts';

type Env = Readonly<Record<string, string | undefined>>;

function invalid(option: string, reason: string): never {
  throw createError('SL_CONFIG_INVALID', { option, reason });
}

/** How {@link loadBridgeConfig} reads. */
export interface LoadBridgeConfigOptions extends ReadBridgeSettingsOptions {
  /** The `.env` file; default `./.env`; `false` reads none. */
  envFile?: string | false;
}

/**
 * Reads and validates the bridge's configuration (config/bridge-settings.ts lists every setting). Flags win over
 * variables in `env`, which win over those in the `.env` file (read from the working directory unless `envFile` names
 * another file or is `false`). A setting given under its former name is read, with a warning.
 * Throws a `SightlineError` with code `SL_CONFIG_INVALID` and `details.option` naming the variable.
 *
 * @example
 * const config = loadBridgeConfig({ STREAM_URL: 'http://localhost:8080/stream/acme', STREAM_KEY: 'sk_…' }, { envFile: false });
 * config.port; // 8090
 */
export function loadBridgeConfig(env: Env = process.env, options: LoadBridgeConfigOptions = {}): BridgeConfig {
  const fileValues = options.envFile === false ? {} : readEnvFile(resolve(options.envFile ?? '.env'));
  const merged: Record<string, string | undefined> = { ...fileValues };
  for (const [name, value] of Object.entries(env)) if (value !== undefined) merged[name] = value;
  const values = readBridgeSettings(BRIDGE_SETTINGS, merged, options);

  const config: BridgeConfig = {
    streamUrl: values.STREAM_URL,
    streamKey: values.STREAM_KEY,
    host: values.BRIDGE_HOST,
    port: values.BRIDGE_PORT,
    llm: llmSettingsFrom(values),
    summaryThreshold: values.SUMMARY_THRESHOLD,
    lookbackSeconds: values.LOOKBACK_SECONDS,
    maxActions: values.MAX_ACTIONS,
    maxQueryLength: values.MAX_QUERY_LENGTH,
    corsOrigins: values.CORS_ORIGINS,
    adminToken: values.BRIDGE_ADMIN_TOKEN ?? null,
    apiKeys: values.BRIDGE_API_KEY,
    identitySecrets: values.IDENTITY_SECRET,
    insecure: values.BRIDGE_INSECURE,
    metricsPublic: values.BRIDGE_METRICS_PUBLIC,
    trustProxyHops: values.BRIDGE_TRUST_PROXY_HOPS,
    chatMessagesPerMinute: values.CHAT_MESSAGES_PER_MINUTE,
    historyTurns: values.HISTORY_TURNS,
    promptTokenBudget: values.PROMPT_TOKEN_BUDGET,
    maxConversations: values.MAX_CONVERSATIONS,
    maxSessions: values.MAX_SESSIONS,
    sessionsPerUser: values.SESSIONS_PER_USER,
    interactionTimeoutS: values.SESSION_INTERACTION_TIMEOUT_S,
    cooldownPeriodS: values.SESSION_COOLDOWN_S,
    socketSessionPersistence: values.SOCKET_SESSION_PERSISTENCE,
    logLevel: values.LOG_LEVEL,
    redisUrl: values.REDIS_URL ?? null,
    redisPrefix: values.REDIS_PREFIX,
    proactive: proactiveSettingsFrom(values),
    historyTtlSeconds: values.HISTORY_TTL_SECONDS,
    uiMap: { minUsers: values.UI_MAP_MIN_USERS, decayDays: values.UI_MAP_DECAY_DAYS, deny: values.UI_MAP_DENY, demoSeed: values.UI_MAP_DEMO_SEED },
    knowledge: {
      dir: values.KNOWLEDGE_DIR === undefined ? null : resolve(values.KNOWLEDGE_DIR),
      indexPath: values.KNOWLEDGE_INDEX_PATH === undefined ? null : resolve(values.KNOWLEDGE_INDEX_PATH),
      defaultLanguage: values.KNOWLEDGE_LANGUAGE,
      timeoutMs: values.KNOWLEDGE_TIMEOUT_MS,
    },
    actionServerUrl: values.ACTION_SERVER_URL ?? null,
    actionServerToken: values.ACTION_SERVER_TOKEN ?? null,
    actionServerTimeoutS: values.ACTION_SERVER_TIMEOUT_S,
  };
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
    ['BRIDGE_ADMIN_TOKEN', config.adminToken === null ? [] : [config.adminToken]],
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
    invalid('BRIDGE_API_KEY', `is not set and ACTION_SERVER_URL is, so the bridge would relay anyone's calls to that server; set BRIDGE_API_KEY (${GENERATE_HINT}) and give it to Rasa (endpoints.yml token:), or pass --insecure (BRIDGE_INSECURE=true) if something else guards the bridge`);
  }
  if (isLoopbackHost(config.host)) return;
  const where = `the bridge listens on ${config.host}, where anyone who reaches it could read every user's activity`;
  const escape = 'or bind BRIDGE_HOST=127.0.0.1, or pass --insecure (BRIDGE_INSECURE=true) if something else guards it';
  if (config.apiKeys.length === 0) invalid('BRIDGE_API_KEY', `is not set and ${where}; set BRIDGE_API_KEY (${GENERATE_HINT}), ${escape}`);
  if (config.identitySecrets.length === 0) {
    invalid('IDENTITY_SECRET', `is not set and ${where}; set IDENTITY_SECRET and sign user ids on your backend (docs/security.md), ${escape}`);
  }
  if (config.corsOrigins === '*') {
    invalid('CORS_ORIGINS', `is '*' and ${where}; list your app's origins, e.g. CORS_ORIGINS=https://app.example.com, ${escape}`);
  }
}
