/**
 * Every setting of the connector, once: its variable (whose words are also its `sightline connector` flag, the
 * connector's name left out), its schema and its help line (docs/configuration.md says the naming rule). The CLI reads
 * this table into {@link ConnectorOptions}; a program that embeds the connector passes options directly.
 */
import { readSettings, SettingError, SHARED_SETTINGS, onOff, text, urlSetting, wholeNumber, type SettingsTable } from '@sightline/protocol/settings';
import { createError } from '../errors.ts';
import type { ConnectorOptions } from './start-connector.ts';

/** The connector's name in its variables: `CONNECTOR_PORT` is `sightline connector --port`. */
export const CONNECTOR_PREFIX = 'CONNECTOR';

/** Every setting of the connector. */
export const CONNECTOR_SETTINGS = {
  CONNECTOR_PORT: { ...wholeNumber({ min: 0, max: 65_535, fallback: 8080, unit: 'port' }), help: 'port to listen on (0 picks a free one); PORT, as platforms set it, is read too', sharedNames: ['PORT'] },
  CONNECTOR_HOST: { ...text({ fallback: '0.0.0.0', expects: '<address>' }), help: 'address to bind' },
  CONNECTOR_DATA_DIR: { ...text({ fallback: '.sightline', expects: '<folder>' }), help: 'where products and the admin token are kept' },
  CONNECTOR_PUBLIC_URL: { ...urlSetting(['http', 'https'], 'https://events.example.com'), help: 'base URL written into webhook_url and stream_url (default http://<host>:<port>)' },
  CONNECTOR_HEARTBEAT_MS: { ...wholeNumber({ min: 1, unit: 'ms' }), help: 'SSE heartbeat period (default 15000)' },
  CONNECTOR_BATCH_WINDOW_MS: { ...wholeNumber({ min: 0, unit: 'ms' }), help: "how long a session's first action waits for more before it is sent (default 250)" },
  CONNECTOR_CHOICE_LABELS: { ...onOff(true), help: "name the option a user chose (a radio's, checkbox's, option's or tab's label); off for products whose options say something personal" },
  CONNECTOR_QUEUE_SIZE: { ...wholeNumber({ min: 1 }), help: 'live payloads a subscriber may lag behind before it is cut (default 256)' },
  CONNECTOR_RETENTION_COUNT: { ...wholeNumber({ min: 1 }), help: 'payloads kept per product for replay (default 1000)' },
  CONNECTOR_RETENTION_AGE_S: { ...wholeNumber({ min: 1, unit: 'seconds' }), help: 'seconds payloads are kept for replay (default 900)' },
  CONNECTOR_TRUST_PROXY_HOPS: {
    ...wholeNumber({ min: 0, max: 10, fallback: 0, unit: 'hops' }),
    help: "reverse proxies in front whose X-Forwarded-For entries are trusted; the client address is the entry this many hops from the right (0: the header is ignored)",
    formerFlags: ['trust-proxy'],
  },
  CONNECTOR_METRICS_PUBLIC: { ...onOff(false), help: 'serve /metrics without the admin token (its labels name every product)', formerFlags: ['public-metrics'] },
  ...SHARED_SETTINGS,
  LOG_LEVEL: { ...SHARED_SETTINGS.LOG_LEVEL, formerNames: ['SIGHTLINE_LOG_LEVEL'] },
  CONNECTOR_INBOX_GRACE_S: { ...wholeNumber({ min: 1, unit: 'seconds' }), help: 'on Redis: seconds acknowledged events may wait unlogged before another connector takes them over, theirs having died (default 30)' },
  CONNECTOR_ADMIN_TOKEN: {
    ...text({ expects: '<token>' }),
    help: 'admin token of /products (default: generated once into <data dir>/admin-token); every connector on one Redis needs the same one',
    secret: true,
    formerNames: ['SIGHTLINE_ADMIN_TOKEN'],
  },
} satisfies SettingsTable;

/** How {@link loadConnectorOptions} reads. */
export interface LoadConnectorOptionsOptions {
  /** Flag values as `parseArgs` gives them (`sightline connector`). */
  flags?: Readonly<Record<string, string | boolean | undefined>>;
  /** Told when a setting is given under its former name; default a process warning (code `SIGHTLINE_SETTING_RENAMED`). */
  onFormerName?: (message: string) => void;
}

/**
 * Reads the connector's settings from flags and variables into options of `startConnector`.
 *
 * @throws SightlineError `SL_CONFIG_INVALID` whose `option` detail names the variable to fix.
 * @example
 * const options = loadConnectorOptions(process.env, { flags: { port: '9000' } });
 * options.port; // 9000
 */
export function loadConnectorOptions(env: Readonly<Record<string, string | undefined>>, options: LoadConnectorOptionsOptions = {}): ConnectorOptions {
  let values;
  try {
    values = readSettings(CONNECTOR_SETTINGS, {
      env,
      serverPrefix: CONNECTOR_PREFIX,
      ...(options.onFormerName ? { onFormerName: options.onFormerName } : {}),
      ...(options.flags ? { flags: options.flags } : {}),
    });
  } catch (error) {
    if (error instanceof SettingError) throw createError('SL_CONFIG_INVALID', { option: error.setting, reason: error.reason });
    throw error;
  }
  const optional = <K extends keyof ConnectorOptions>(key: K, value: ConnectorOptions[K] | undefined) => (value === undefined ? {} : { [key]: value });
  return {
    port: values.CONNECTOR_PORT,
    host: values.CONNECTOR_HOST,
    dataDir: values.CONNECTOR_DATA_DIR,
    ...optional('adminToken', values.CONNECTOR_ADMIN_TOKEN),
    ...optional('publicUrl', values.CONNECTOR_PUBLIC_URL),
    ...optional('heartbeatMs', values.CONNECTOR_HEARTBEAT_MS),
    ...optional('batchWindowMs', values.CONNECTOR_BATCH_WINDOW_MS),
    captureChoiceLabels: values.CONNECTOR_CHOICE_LABELS,
    ...optional('subscriberQueueSize', values.CONNECTOR_QUEUE_SIZE),
    logRetention: {
      ...(values.CONNECTOR_RETENTION_COUNT === undefined ? {} : { maxEntries: values.CONNECTOR_RETENTION_COUNT }),
      ...(values.CONNECTOR_RETENTION_AGE_S === undefined ? {} : { maxAgeMs: values.CONNECTOR_RETENTION_AGE_S * 1000 }),
    },
    trustProxy: values.CONNECTOR_TRUST_PROXY_HOPS,
    publicMetrics: values.CONNECTOR_METRICS_PUBLIC,
    ...optional('redis', values.REDIS_URL === undefined ? undefined : { url: values.REDIS_URL, prefix: values.REDIS_PREFIX }),
    ...optional('inbox', values.CONNECTOR_INBOX_GRACE_S === undefined ? undefined : { graceMs: values.CONNECTOR_INBOX_GRACE_S * 1000 }),
    logLevel: values.LOG_LEVEL,
  };
}
