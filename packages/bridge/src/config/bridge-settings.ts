/**
 * Every setting of the bridge, once: its variable (whose words are also its `sightline bridge` flag), its schema, its
 * default and its help line (docs/configuration.md says the naming rule). `loadBridgeConfig` reads this table; the
 * language model's and proactive help's settings have tables of their own, beside the code that uses them, and are
 * part of this one.
 */
import { statSync } from 'node:fs';
import { decimal, list, maskUrlCredentials, onOff, required, SHARED_SETTINGS, text, urlSetting, wholeNumber, type SettingSpec, type SettingsTable } from '@sightline/protocol/settings';
import { z } from 'zod';
import { LLM_SETTINGS } from '../llm/llm-settings.ts';
import { PROACTIVE_SETTINGS } from '../proactive/proactive-settings.ts';
import { BRIDGE_DEFAULTS } from './bridge-defaults.ts';

/** Rasa waits 300 s for an action; a forwarded call must fail well before that, so Rasa hears our 502 and not its own timeout. */
export const MAX_ACTION_SERVER_TIMEOUT_S = 240;

/** Browser origins: `*`, or a list of `scheme://host[:port]` with no path. */
function corsOrigins(): Pick<SettingSpec<'*' | string[]>, 'schema' | 'expects'> {
  const schema = z
    .string()
    .transform((value, context): '*' | string[] => {
      if (value === '*') return '*';
      const origins = value.split(',').map((origin) => origin.trim().replace(/\/$/, '')).filter((origin) => origin !== '');
      for (const origin of origins) {
        let parsed: URL | null = null;
        try {
          parsed = new URL(origin);
        } catch {
          parsed = null;
        }
        if (parsed?.origin !== origin) {
          context.addIssue({ code: 'custom', message: `holds '${origin}', which is not an origin like https://app.example.com` });
          return z.NEVER;
        }
      }
      return origins;
    })
    .default([]);
  return { schema, expects: 'https://app.example.com[,https://…]' };
}

/** A folder that exists. */
function folder(expects: string): Pick<SettingSpec<string | undefined>, 'schema' | 'expects'> {
  const isFolder = (path: string) => {
    try {
      return statSync(path).isDirectory();
    } catch {
      return false;
    }
  };
  return { schema: z.string().refine(isFolder, { error: 'is not a folder' }).optional(), expects };
}

const ACTION_SERVER_URL = urlSetting(['http', 'https'], 'http://actions:5055/webhook');
const ACTION_SERVER_TIMEOUT_S = decimal({ min: 0, fallback: BRIDGE_DEFAULTS.actionServerTimeoutS });

const secret = (help: string) => ({ ...text({ expects: '<secret>' }), help, secret: true });

/** The bridge's own settings, beside those of the language model and of proactive help. */
const CORE_SETTINGS = {
  STREAM_URL: {
    ...required(urlSetting(['http', 'https'], 'http://localhost:8080/stream/<product id>')),
    help: "the product's stream_url from the connector (required)",
  },
  STREAM_KEY: {
    ...required(text({ expects: "<the product's stream_key from the connector>" })),
    help: "the product's stream_key, sent as Authorization: Bearer (required); UNKEY_API_KEY, the tutorial's name, is read too",
    secret: true,
    sharedNames: ['UNKEY_API_KEY'],
  },
  BRIDGE_HOST: { ...text({ fallback: BRIDGE_DEFAULTS.host, expects: '<address>' }), help: 'interface to listen on; any address but loopback needs BRIDGE_API_KEY and IDENTITY_SECRET', formerNames: ['HOST'] },
  BRIDGE_PORT: { ...wholeNumber({ min: 0, max: 65_535, fallback: BRIDGE_DEFAULTS.port, unit: 'port' }), help: 'port to listen on (0 picks a free one); PORT, as platforms set it, is read too', sharedNames: ['PORT'] },
  BRIDGE_API_KEY: { ...list('<key>[,<next key>]'), help: 'keys of /reply, the Rasa action server, /metrics and /healthz details; comma-separated to rotate', secret: true },
  IDENTITY_SECRET: { ...list('<secret>[,<next secret>]'), help: "what your backend signs user ids with (userHash); comma-separated, the first is current", secret: true },
  CORS_ORIGINS: { ...corsOrigins(), help: "browser origins allowed on HTTP and socket.io; '*' only on loopback or with BRIDGE_INSECURE" },
  BRIDGE_ADMIN_TOKEN: { ...secret('token of the admin routes (forgetting a user); unset disables them'), formerNames: ['ADMIN_TOKEN'] },
  BRIDGE_INSECURE: { ...onOff(BRIDGE_DEFAULTS.insecure), help: 'start on any address without the keys, or with CORS *; only when something else guards the bridge', formerNames: ['SIGHTLINE_INSECURE'] },
  BRIDGE_METRICS_PUBLIC: { ...onOff(BRIDGE_DEFAULTS.metricsPublic), help: 'serve /metrics without the key', formerNames: ['METRICS_PUBLIC'] },
  BRIDGE_TRUST_PROXY_HOPS: { ...wholeNumber({ min: 0, max: 10, fallback: BRIDGE_DEFAULTS.trustProxyHops, unit: 'hops' }), help: 'reverse proxies in front whose X-Forwarded-For is trusted', formerNames: ['TRUST_PROXY_HOPS'] },
  SUMMARY_THRESHOLD: { ...wholeNumber({ min: 1, fallback: BRIDGE_DEFAULTS.summaryThreshold }), help: 'actions per session before the summarizer condenses them' },
  LOOKBACK_SECONDS: { ...decimal({ min: 0, fallback: BRIDGE_DEFAULTS.lookbackSeconds }), help: 'how far back activity counts, for the store and the user index' },
  MAX_ACTIONS: { ...wholeNumber({ min: 1, fallback: BRIDGE_DEFAULTS.maxActions }), help: 'most recent actions per session in a prompt' },
  MAX_QUERY_LENGTH: { ...wholeNumber({ min: 1, max: 100_000, fallback: BRIDGE_DEFAULTS.maxQueryLength, unit: 'characters' }), help: 'longest accepted chat message' },
  CHAT_MESSAGES_PER_MINUTE: { ...wholeNumber({ min: 1, max: 10_000, fallback: BRIDGE_DEFAULTS.chatMessagesPerMinute }), help: 'chat messages answered per user per minute, and in one burst' },
  HISTORY_TURNS: { ...wholeNumber({ min: 0, max: 200, fallback: BRIDGE_DEFAULTS.historyTurns }), help: 'turns of conversation history kept and sent to the model' },
  PROMPT_TOKEN_BUDGET: { ...wholeNumber({ min: 500, max: 200_000, fallback: BRIDGE_DEFAULTS.promptTokenBudget, unit: 'tokens' }), help: 'most tokens of context in a reply prompt (estimated as characters / 4)' },
  MAX_CONVERSATIONS: { ...wholeNumber({ min: 1, fallback: BRIDGE_DEFAULTS.maxConversations }), help: 'conversations whose history is kept in memory, least recently used evicted' },
  MAX_SESSIONS: { ...wholeNumber({ min: 1, fallback: BRIDGE_DEFAULTS.maxSessions }), help: 'sessions tracked in memory, least recently active dropped' },
  SESSIONS_PER_USER: { ...wholeNumber({ min: 1, max: 20, fallback: BRIDGE_DEFAULTS.sessionsPerUser }), help: "newest sessions of a user read for a reply" },
  SESSION_INTERACTION_TIMEOUT_S: { ...decimal({ min: 0, fallback: BRIDGE_DEFAULTS.interactionTimeoutS }), help: 'idle seconds before a conversation returns to THINKING' },
  SESSION_COOLDOWN_S: { ...decimal({ min: 0, fallback: BRIDGE_DEFAULTS.cooldownPeriodS }), help: 'seconds proactive offers stay blocked after that' },
  SOCKET_SESSION_PERSISTENCE: { ...onOff(BRIDGE_DEFAULTS.socketSessionPersistence), help: "key socket.io conversations by the widget's session_id" },
  ...SHARED_SETTINGS,
  HISTORY_TTL_SECONDS: { ...wholeNumber({ min: 1, fallback: BRIDGE_DEFAULTS.historyTtlSeconds, unit: 'seconds' }), help: 'how long history, bindings and watermarks live in Redis after their last use' },
  UI_MAP_MIN_USERS: { ...wholeNumber({ min: 1, max: 1000, fallback: BRIDGE_DEFAULTS.uiMap.minUsers }), help: 'distinct users a path needs before the UI map uses it' },
  UI_MAP_DECAY_DAYS: { ...wholeNumber({ min: 1, max: 3650, fallback: BRIDGE_DEFAULTS.uiMap.decayDays, unit: 'days' }), help: 'days a UI map entry lives after anyone last used it' },
  UI_MAP_DENY: { ...list('<word>[,<phrase>]'), help: 'words or phrases whose labels never enter the UI map' },
  UI_MAP_DEMO_SEED: { ...onOff(BRIDGE_DEFAULTS.uiMap.demoSeed), help: "count the demo's simulated users (sightline dev sets it)" },
  KNOWLEDGE_DIR: { ...folder('<folder of your Markdown or HTML help articles>'), help: 'the help center: a folder of articles, flat or one folder per language' },
  KNOWLEDGE_INDEX_PATH: { ...text({ expects: '<file>' }), help: 'where the help index is saved (default <KNOWLEDGE_DIR>/.sightline/help-index.json)' },
  KNOWLEDGE_LANGUAGE: {
    schema: z.string().regex(/^[a-z]{2}$/i, { error: 'is not a two-letter language code' }).transform((value) => value.toLowerCase()).default(BRIDGE_DEFAULTS.knowledge.defaultLanguage),
    expects: 'en',
    help: 'language of articles whose language is given nowhere',
  },
  KNOWLEDGE_TIMEOUT_MS: { ...wholeNumber({ min: 10, max: 10_000, fallback: BRIDGE_DEFAULTS.knowledge.timeoutMs, unit: 'ms' }), help: 'longest wait for the knowledge sources in a reply' },
  ACTION_SERVER_URL: {
    ...ACTION_SERVER_URL,
    schema: ACTION_SERVER_URL.schema.refine((value) => value === undefined || !/^[a-z]+:\/\/[^/]*@/i.test(value), {
      error: 'carries a user name or password; put the credential in ACTION_SERVER_TOKEN and leave it out of the URL',
    }),
    show: maskUrlCredentials,
    help: "your own Rasa action server's webhook: calls for actions the bridge does not serve go there",
  },
  ACTION_SERVER_TOKEN: secret("your action server's token, sent as ?token= the way Rasa sends it"),
  ACTION_SERVER_TIMEOUT_S: {
    ...ACTION_SERVER_TIMEOUT_S,
    schema: ACTION_SERVER_TIMEOUT_S.schema.refine((value) => value <= MAX_ACTION_SERVER_TIMEOUT_S, {
      error: `is above ${MAX_ACTION_SERVER_TIMEOUT_S}; Rasa gives up on an action after 300 s`,
    }),
    help: 'seconds a forwarded action call may take before Rasa gets a 502',
  },
} satisfies SettingsTable;

/** Every setting of the bridge. */
export const BRIDGE_SETTINGS = { ...CORE_SETTINGS, ...LLM_SETTINGS, ...PROACTIVE_SETTINGS } satisfies SettingsTable;
