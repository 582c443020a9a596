/**
 * `sightline bridge`: runs the bridge server on its own (configuration from the environment and `.env`).
 * A missing or wrong setting stops it at once with one line naming the variable to set.
 */
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { loadBridgeConfig, startBridge, type RunningBridge } from '@sightline/bridge';
import { isSightlineError } from '@sightline/protocol';
import { redactRedisUrl } from '@sightline/protocol/internal';
import { readRedisSetting, REDIS_HELP } from './redis-option.ts';

export const summary = 'run the bridge: grounded replies, Rasa action server, socket.io chat channel';

const HELP = `usage: sightline bridge [--port 8090] [--host 0.0.0.0] [--dotenv .env] [--redis URL] [--insecure]

Starts the Sightline bridge. It reads its configuration from the environment and .env:
  STREAM_URL, STREAM_KEY (or UNKEY_API_KEY)      the product's stream from the connector (required)
  BRIDGE_API_KEY                                 key of /reply, the Rasa action server and /metrics
  IDENTITY_SECRET                                what your backend signs user ids with (userHash)
  CORS_ORIGINS                                   your app's origins, e.g. https://app.example.com
  LLM_PROVIDER, LLM_MODEL, LLM_BASE_URL, OPENAI_API_KEY, ANTHROPIC_API_KEY, GOOGLE_GENERATIVE_AI_API_KEY
                                                 the language model (none: the offline responder)
  PROACTIVE (false), PLAYBOOK_FILE, RASA_URL, RASA_TOKEN, PROACTIVE_WEBHOOK_URL, PROACTIVE_WEBHOOK_SECRET
                                                 offer help before the user types (docs/proactive.md)
  SUMMARY_THRESHOLD (10), LOOKBACK_SECONDS (300), MAX_ACTIONS (30), PORT (8090), HOST (0.0.0.0),
  ADMIN_TOKEN, TRUST_PROXY_HOPS (0), LOG_LEVEL (info) … see packages/bridge/README.md for the full table.
On any address but loopback the bridge refuses to start without BRIDGE_API_KEY and IDENTITY_SECRET.

options:
  --port <n>        port to listen on (overrides PORT)
  --host <address>  interface to listen on (overrides HOST)
  --dotenv <path>   read this file instead of ./.env
${REDIS_HELP}
  --insecure        start without the keys on any address (SIGHTLINE_INSECURE=1); only when something
                    else guards the bridge
  -h, --help        show this help`;

function oneLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/\s*\n\s*/g, ' ');
}

/** Runs the bridge until SIGINT/SIGTERM (exit 0) or a fatal stream error (exit 1). */
export async function run(args: string[]): Promise<number> {
  let values: { port?: string; host?: string; dotenv?: string; redis?: string; 'redis-prefix'?: string; insecure?: boolean; help?: boolean };
  try {
    ({ values } = parseArgs({
      args,
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        dotenv: { type: 'string' },
        redis: { type: 'string' },
        'redis-prefix': { type: 'string' },
        insecure: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (error) {
    console.error(`sightline bridge: ${oneLine(error)}\n\n${HELP}`);
    return 2;
  }
  if (values.help) {
    console.log(HELP);
    return 0;
  }

  // A file named on purpose must exist; only the default ./.env is optional.
  if (values.dotenv !== undefined && !existsSync(values.dotenv)) {
    console.error(`sightline bridge: --dotenv ${values.dotenv}: no such file; fix the path or leave --dotenv out to read ./.env`);
    return 1;
  }
  const env: Record<string, string | undefined> = { ...process.env };
  if (values.port !== undefined) env['PORT'] = values.port;
  if (values.host !== undefined) env['HOST'] = values.host;
  if (values.insecure) env['SIGHTLINE_INSECURE'] = '1';
  // The flags become the bridge's own settings (REDIS_URL, REDIS_PREFIX), which its configuration checks.
  if (values.redis !== undefined) env['REDIS_URL'] = values.redis;
  if (values['redis-prefix'] !== undefined) env['REDIS_PREFIX'] = values['redis-prefix'];
  let redisNote = '';
  try {
    const redis = readRedisSetting({}, env);
    if (redis) redisNote = `, state on Redis at ${redactRedisUrl(redis.url)}`;
  } catch (error) {
    console.error(`sightline bridge: ${oneLine(error)}`);
    return 1;
  }
  let config;
  try {
    config = loadBridgeConfig(env, values.dotenv === undefined ? {} : { envFile: values.dotenv });
  } catch (error) {
    if (isSightlineError(error, 'SL_CONFIG_INVALID')) {
      console.error(`sightline bridge: ${oneLine(error)}`);
      return 1;
    }
    throw error;
  }

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
