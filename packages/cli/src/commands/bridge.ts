/**
 * `sightline bridge`: runs the bridge server on its own (configuration from the environment and `.env`).
 * A missing or wrong setting stops it at once with one line naming the variable to set.
 */
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { BRIDGE_PREFIX, BRIDGE_SETTINGS, loadBridgeConfig, startBridge, type RunningBridge } from '@sightline/bridge';
import { isSightlineError } from '@sightline/protocol';
import { redactRedisUrl } from '@sightline/protocol/internal';
import { settingsFlagOptions, settingsHelp } from '@sightline/protocol/settings';

export const summary = 'run the bridge: grounded replies, Rasa action server, socket.io chat channel';

const USAGE = `usage: sightline bridge [--dotenv .env] [options]

Starts the Sightline bridge. Every setting is an environment variable (or a line of .env) and, but for secrets, the
flag below with the same words; flags win over variables, variables over .env. STREAM_URL and STREAM_KEY are
required; on any address but loopback the bridge also needs BRIDGE_API_KEY and IDENTITY_SECRET (or --insecure when
something else guards it). packages/bridge/README.md and docs/configuration.md say more.

options:
  --dotenv <path>   read this file instead of ./.env
  -h, --help        show this help
`;

function help(): string {
  return `${USAGE}${settingsHelp(BRIDGE_SETTINGS, BRIDGE_PREFIX)}\n`;
}

function oneLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/\s*\n\s*/g, ' ');
}

/** Runs the bridge until SIGINT/SIGTERM (exit 0) or a fatal stream error (exit 1). */
export async function run(args: string[]): Promise<number> {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args,
      options: { ...settingsFlagOptions(BRIDGE_SETTINGS, BRIDGE_PREFIX), dotenv: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
      strict: true,
    }));
  } catch (error) {
    console.error(`sightline bridge: ${oneLine(error)}\n\n${USAGE}Run sightline bridge --help for every setting.`);
    return 2;
  }
  if (values['help']) {
    console.log(help());
    return 0;
  }

  // A file named on purpose must exist; only the default ./.env is optional.
  const dotenv = typeof values['dotenv'] === 'string' ? values['dotenv'] : undefined;
  if (dotenv !== undefined && !existsSync(dotenv)) {
    console.error(`sightline bridge: --dotenv ${dotenv}: no such file; fix the path or leave --dotenv out to read ./.env`);
    return 1;
  }
  let config;
  try {
    config = loadBridgeConfig(process.env, {
      ...(dotenv === undefined ? {} : { envFile: dotenv }),
      flags: values,
      onFormerName: (message) => console.error(`sightline bridge: warning: ${message}`),
    });
  } catch (error) {
    if (isSightlineError(error, 'SL_CONFIG_INVALID')) {
      console.error(`sightline bridge: ${oneLine(error)}`);
      return 1;
    }
    throw error;
  }
  const redisNote = config.redisUrl === null ? '' : `, state on Redis at ${redactRedisUrl(config.redisUrl)}`;

  let fatal: Error | undefined;
  let finish!: () => void;
  const finished = new Promise<void>((resolve) => (finish = resolve));
  // Listen for signals before anything is printed: a supervisor may stop us the moment we say we are up.
  const onSignal = () => finish();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  let bridge: RunningBridge;
  try {
    bridge = await startBridge(config, {
      onStreamFatal(error) {
        fatal = error;
        finish();
      },
    });
  } catch (error) {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    throw error;
  }
  // stderr, like the connector's notes: stdout carries only pino's JSON lines, so a log shipper can parse all of it.
  console.error(`sightline bridge: listening on ${bridge.url} (stream ${config.streamUrl}, responder ${config.llm.provider}${redisNote})`);
  await finished;
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
  await bridge.close();
  if (fatal) {
    console.error(`sightline bridge: the connector stream failed: ${oneLine(fatal)}`);
    return 1;
  }
  return 0;
}
