/**
 * `sightline connector`: runs the event connector until SIGINT/SIGTERM, logging JSON (pino) to stdout.
 * The admin token comes from `SIGHTLINE_ADMIN_TOKEN`, else from `<data-dir>/admin-token` (generated on the
 * first start); it is printed at start unless it came from the environment.
 */
import { parseArgs } from 'node:util';
import { startConnector, type ConnectorOptions } from '@sightline/connector';
import { redactRedisUrl } from '@sightline/protocol/internal';
import { readRedisSetting, REDIS_HELP } from './redis-option.ts';

/** One-line summary for `sightline --help`. */
export const summary = 'run the event connector (PostHog in, UI actions out over SSE)';

const HELP = `usage: sightline connector [options]

Runs the Sightline event connector: PostHog webhooks and posthog-js in, UI actions out over SSE.

options:
  --port N              port to listen on (default: $PORT or 8080; 0 picks a free one)
  --host ADDRESS        address to bind (default 0.0.0.0)
  --data-dir DIR        where products and the admin token are kept (default .sightline)
  --public-url URL      base URL written into webhook_url / stream_url (default http://<host>:<port>)
  --heartbeat-ms N      SSE heartbeat period (default 15000)
  --batch-window-ms N   how long a session's first action waits for more before it is sent (default 250)
  --no-choice-labels    never name the option a user chose (a radio's, checkbox's, option's or tab's label)
  --queue-size N        live payloads a subscriber may lag behind before it is cut (default 256)
  --retention-count N   payloads kept per product for replay (default 1000)
  --retention-age-s N   seconds payloads are kept for replay (default 900)
  --trust-proxy HOPS    reverse proxies in front whose X-Forwarded-For entries are trusted; the client address
                        is the entry HOPS from the right (default 0: the header is ignored; a bare
                        --trust-proxy means 1)
  --public-metrics      serve /metrics without the admin token (its labels name every product)
${REDIS_HELP}
  --inbox-grace-s N     on Redis: seconds acknowledged events may wait unlogged before another connector takes
                        them over, their connector having died (default 30)
  --log-level LEVEL     pino level: fatal, error, warn, info, debug, trace (default: $SIGHTLINE_LOG_LEVEL or info)
  -h, --help            show this help

environment:
  SIGHTLINE_ADMIN_TOKEN  admin token for POST /products (default: generated once into <data-dir>/admin-token);
                         every connector on one Redis needs the same one
  REDIS_URL, REDIS_PREFIX  as --redis and --redis-prefix; on Redis, products of <data-dir> that Redis lacks are
                         imported at start (never overwriting)
`;

/** Where output goes and which environment is read (injectable for tests). */
export interface CommandIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
  /** Resolves when the command should stop (default: SIGINT or SIGTERM). */
  stopSignal?: Promise<void>;
}

const defaultIo = (): CommandIo => ({
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
});

function integer(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0) throw new Error(`--${name} must be a non-negative integer, got '${value}'`);
  return parsed;
}

/** A bare `--trust-proxy` (the old boolean flag) means one hop; with a number it is that many hops. */
function withTrustProxyHops(args: string[]): string[] {
  return args.flatMap((arg, index) => (arg === '--trust-proxy' && !/^\d+$/.test(args[index + 1] ?? '') ? ['--trust-proxy=1'] : [arg]));
}

function waitForSignal(): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

/**
 * Reads the command line and environment into connector options, or `null` for `--help`.
 *
 * @throws Error with a message that names the bad flag.
 */
export function parseConnectorArgs(args: string[], env: NodeJS.ProcessEnv): ConnectorOptions | null {
  const { values } = parseArgs({
    args: withTrustProxyHops(args),
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      'data-dir': { type: 'string' },
      'public-url': { type: 'string' },
      'heartbeat-ms': { type: 'string' },
      'batch-window-ms': { type: 'string' },
      'no-choice-labels': { type: 'boolean' },
      'queue-size': { type: 'string' },
      'retention-count': { type: 'string' },
      'retention-age-s': { type: 'string' },
      'trust-proxy': { type: 'string' },
      'public-metrics': { type: 'boolean' },
      redis: { type: 'string' },
      'redis-prefix': { type: 'string' },
      'inbox-grace-s': { type: 'string' },
      'log-level': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) return null;
  const retentionCount = integer('retention-count', values['retention-count']);
  const retentionAgeS = integer('retention-age-s', values['retention-age-s']);
  const optional = <T>(key: string, value: T | undefined) => (value === undefined ? {} : { [key]: value });
  const redis = readRedisSetting(values, env);
  return {
    port: integer('port', values.port ?? env.PORT) ?? 8080,
    host: values.host ?? '0.0.0.0',
    dataDir: values['data-dir'] ?? '.sightline',
    ...optional('adminToken', env.SIGHTLINE_ADMIN_TOKEN?.trim() || undefined),
    ...optional('publicUrl', values['public-url']),
    ...optional('heartbeatMs', integer('heartbeat-ms', values['heartbeat-ms'])),
    ...optional('batchWindowMs', integer('batch-window-ms', values['batch-window-ms'])),
    ...optional('captureChoiceLabels', values['no-choice-labels'] ? false : undefined),
    ...optional('subscriberQueueSize', integer('queue-size', values['queue-size'])),
    logRetention: { ...optional('maxEntries', retentionCount), ...optional('maxAgeMs', retentionAgeS === undefined ? undefined : retentionAgeS * 1000) },
    trustProxy: integer('trust-proxy', values['trust-proxy']) ?? 0,
    ...optional('publicMetrics', values['public-metrics'] ? true : undefined),
    ...optional('redis', redis),
    ...optional('inbox', values['inbox-grace-s'] === undefined ? undefined : { graceMs: integer('inbox-grace-s', values['inbox-grace-s'])! * 1000 }),
    logLevel: values['log-level'] ?? env.SIGHTLINE_LOG_LEVEL ?? 'info',
  };
}

/** Runs the connector; resolves to the exit code once it has shut down. */
export async function run(args: string[], io: CommandIo = defaultIo()): Promise<number> {
  let parsed: ConnectorOptions | null;
  try {
    parsed = parseConnectorArgs(args, io.env);
  } catch (error) {
    io.stderr(`sightline connector: ${(error as Error).message}\n\n${HELP}`);
    return 2;
  }
  if (parsed === null) {
    io.stdout(HELP);
    return 0;
  }
  const options = parsed;
  const stopSignal = io.stopSignal ?? waitForSignal();
  const connector = await startConnector(options);
  if (options.redis) io.stderr(`sightline connector: products on Redis at ${redactRedisUrl(options.redis.url)} (key prefix ${options.redis.prefix ?? 'sightline:'})\n`);
  if (connector.adminTokenSource !== 'option') {
    const where = `${options.dataDir}/admin-token`;
    io.stderr(`sightline connector: listening on ${connector.url}\n`
      + `sightline connector: admin token (${connector.adminTokenSource === 'generated' ? 'generated, saved to' : 'from'} ${where}): ${connector.adminToken}\n`
      + `sightline connector: register a product with: sightline onboard --connector ${connector.url} --product-id <id> --contact-email <email>\n`);
  } else {
    io.stderr(`sightline connector: listening on ${connector.url}\n`);
  }
  await stopSignal;
  await connector.close();
  return 0;
}
