/**
 * `sightline connector`: runs the event connector until SIGINT/SIGTERM, logging JSON (pino) to stdout.
 * The admin token comes from `CONNECTOR_ADMIN_TOKEN`, else from `<data-dir>/admin-token` (generated on the
 * first start); it is printed at start unless it came from the environment.
 */
import { parseArgs } from 'node:util';
import { CONNECTOR_PREFIX, CONNECTOR_SETTINGS, loadConnectorOptions, startConnector, type ConnectorOptions } from '@sightline/connector';
import { isSightlineError } from '@sightline/protocol';
import { redactRedisUrl } from '@sightline/protocol/internal';
import { settingsFlagOptions, settingsHelp } from '@sightline/protocol/settings';

/** One-line summary for `sightline --help`. */
export const summary = 'run the event connector (PostHog in, UI actions out over SSE)';

const USAGE = `usage: sightline connector [options]

Runs the Sightline event connector: PostHog webhooks and posthog-js in, UI actions out over SSE. Every setting is an
environment variable and, but for the admin token, the flag below with the same words (the connector's name left
out: CONNECTOR_PORT is --port); flags win over variables. On Redis, products of the data dir that Redis lacks are
imported at start (never overwriting). docs/configuration.md says more.

options:
  -h, --help            show this help
`;

function help(): string {
  return `${USAGE}${settingsHelp(CONNECTOR_SETTINGS, CONNECTOR_PREFIX)}\n`;
}

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

/** The former `--trust-proxy` took no value (one hop); bare, it still means one. */
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
 * @throws Error naming the bad flag, or SightlineError `SL_CONFIG_INVALID` naming the setting.
 */
export function parseConnectorArgs(args: string[], env: NodeJS.ProcessEnv, onFormerName?: (message: string) => void): ConnectorOptions | null {
  const { values } = parseArgs({
    args: withTrustProxyHops(args),
    options: { ...settingsFlagOptions(CONNECTOR_SETTINGS, CONNECTOR_PREFIX), help: { type: 'boolean', short: 'h' } },
    strict: true,
  });
  if (values['help']) return null;
  return loadConnectorOptions(env, { flags: values, ...(onFormerName ? { onFormerName } : {}) });
}

/** Runs the connector; resolves to the exit code once it has shut down. */
export async function run(args: string[], io: CommandIo = defaultIo()): Promise<number> {
  let parsed: ConnectorOptions | null;
  try {
    parsed = parseConnectorArgs(args, io.env, (message) => io.stderr(`sightline connector: warning: ${message}\n`));
  } catch (error) {
    if (isSightlineError(error, 'SL_CONFIG_INVALID')) {
      io.stderr(`sightline connector: ${error.message}\n`);
      return 1;
    }
    io.stderr(`sightline connector: ${(error as Error).message}\n\n${USAGE}Run sightline connector --help for every setting.\n`);
    return 2;
  }
  if (parsed === null) {
    io.stdout(help());
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
