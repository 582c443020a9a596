/**
 * The bridge's defaults, one table (docs/decisions/D-49-one-defaults-table.md): the settings table applies them and
 * programs that build a configuration by hand start from them.
 */
import type { KnowledgeSettings } from './bridge-config.ts';

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
