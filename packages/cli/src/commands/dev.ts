/**
 * `sightline dev` (what `npm start` runs): the whole loop in one process. Starts the connector,
 * registers the demo product on first start (and reuses it after), starts the bridge on that
 * product's stream with verification on (a bridge key and an identity secret generated once and kept
 * in the data dir; CORS is the demo's origin), serves the demo app, which signs its user on its
 * server, and prints what to open and what to try. Ctrl-C stops everything in reverse order.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadBridgeConfig, startBridge, type RunningBridge } from '@sightline/bridge';
import { readEnvFile } from '@sightline/bridge/internal';
import { startConnector, type RunningConnector } from '@sightline/connector';
import { redactRedisUrl, MIN_SECRET_BITS, secretBits } from '@sightline/protocol/internal';
import { demoHelpCenterDir, startDemoServer, type DemoServer } from '@sightline/demo';
import { destination, pino, type Logger } from 'pino';
import { generateSecret } from './onboard.ts';
import { readRedisSetting, REDIS_HELP, type RedisSetting } from './redis-option.ts';
import { findPrebuiltDemo } from './prebuilt-demo.ts';
import { seedDemoUiMap } from './seed-demo-ui-map.ts';

/** One-line summary shown by `sightline --help`. */
export const summary = 'run connector, bridge and the demo app together (what `npm start` runs)';

const DEMO_PRODUCT_ID = 'demo';
const DEMO_CONTACT_EMAIL = 'demo@example.com';
const PRODUCT_FILE = 'dev-product.json';
const KEYS_FILE = 'dev-keys.json';

const help = `usage: sightline dev [options]

Starts the connector, the bridge and the demo app in one process, with the demo product registered
on first start. Open the printed URL, click around, and ask the chat widget about it.

options:
  --connector-port <n>  connector port (default $CONNECTOR_PORT or 8080; 0 picks a free one)
  --bridge-port <n>     bridge port (default $BRIDGE_PORT or 8090; 0 picks a free one)
  --demo-port <n>       demo app port (default $DEMO_PORT or 3000; 0 picks a free one)
  --data-dir <path>     where products, the admin token, the demo credentials and the bridge's
                        generated BRIDGE_API_KEY and IDENTITY_SECRET (dev-keys.json) live (default .sightline)
  --host <address>      interface to bind (default 127.0.0.1: only this machine reaches the servers)
  --chat-url <url>      where the demo's chat widget connects (default: the bridge; e.g. Rasa at
                        http://localhost:5005 with integrations/rasa pointed at this bridge)
  --dotenv <path>       bridge settings file, e.g. LLM keys (default .env; missing is fine)
${REDIS_HELP}
  -h, --help            show this help

An LLM is used when a key is set (OPENAI_API_KEY, ANTHROPIC_API_KEY, GOOGLE_GENERATIVE_AI_API_KEY, or
LLM_PROVIDER with LLM_BASE_URL); without one the bridge answers offline from the user's activity.
The bridge verifies users as in production: the demo's server signs its user's id with the generated
IDENTITY_SECRET, and /reply, /metrics and Rasa's action calls need the generated BRIDGE_API_KEY. CORS
allows the demo's origin plus any listed in CORS_ORIGINS. Logs go to stderr at LOG_LEVEL (default warn).`;

/** The demo product's credentials as kept in the data dir between runs. */
interface DevProduct {
  product_id: string;
  stream_key: string;
  capture_token: string;
  webhook_url: string;
  webhook_secret: string;
}

/** The bridge's generated keys as kept in the data dir between runs (mode 0600). */
interface DevKeys {
  bridge_api_key: string;
  identity_secret: string;
}

interface DevOptions {
  connectorPort: number;
  bridgePort: number;
  demoPort: number;
  dataDir: string;
  host: string;
  envFile: string;
  chatUrl: string | null;
  redis: RedisSetting | undefined;
}

function port(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value) || Number(value) > 65_535) throw new Error(`--${name} must be a port from 0 to 65535, got '${value}'`);
  return Number(value);
}

function parseOptions(args: string[], env: NodeJS.ProcessEnv): DevOptions | 'help' {
  const { values } = parseArgs({
    args,
    strict: true,
    options: {
      'connector-port': { type: 'string' },
      'bridge-port': { type: 'string' },
      'demo-port': { type: 'string' },
      'data-dir': { type: 'string' },
      host: { type: 'string' },
      'chat-url': { type: 'string' },
      // Not --env-file: Node 20 claims that flag anywhere on its command line, even after the script.
      dotenv: { type: 'string' },
      redis: { type: 'string' },
      'redis-prefix': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return 'help';
  return {
    // The servers' own variables name the ports too, as the naming rule has it (CONNECTOR_PORT is --connector-port here).
    connectorPort: port('connector-port', values['connector-port'] ?? env['CONNECTOR_PORT'], 8080),
    bridgePort: port('bridge-port', values['bridge-port'] ?? env['BRIDGE_PORT'], 8090),
    demoPort: port('demo-port', values['demo-port'] ?? env['DEMO_PORT'], 3000),
    dataDir: resolve(values['data-dir'] ?? '.sightline'),
    host: values.host ?? '127.0.0.1',
    envFile: values.dotenv ?? '.env',
    chatUrl: values['chat-url'] ?? null,
    redis: readRedisSetting(values, env),
  };
}

async function readDevProduct(path: string): Promise<DevProduct | null> {
  try {
    const saved = JSON.parse(await readFile(path, 'utf8')) as Partial<DevProduct>;
    if (saved.product_id === DEMO_PRODUCT_ID && saved.stream_key && saved.capture_token) return saved as DevProduct;
  } catch {
    // missing or unreadable: register again
  }
  return null;
}

async function writePrivateJson(path: string, value: unknown): Promise<void> {
  await writeFile(`${path}.tmp`, `${JSON.stringify(value, null, 2)}\n`, { mode: 0o600 });
  await rename(`${path}.tmp`, path);
}

/** The bridge's key and identity secret: the saved ones when they are still strong enough, else fresh ones, saved. */
async function ensureDevKeys(dataDir: string): Promise<{ keys: DevKeys; path: string }> {
  const path = join(dataDir, KEYS_FILE);
  try {
    const saved = JSON.parse(await readFile(path, 'utf8')) as Partial<DevKeys>;
    const isStrong = (value: unknown): value is string => typeof value === 'string' && secretBits(value) >= MIN_SECRET_BITS;
    if (isStrong(saved.bridge_api_key) && isStrong(saved.identity_secret)) {
      return { keys: { bridge_api_key: saved.bridge_api_key, identity_secret: saved.identity_secret }, path };
    }
  } catch {
    // missing or unreadable: generate
  }
  const keys: DevKeys = { bridge_api_key: generateSecret(), identity_secret: generateSecret() };
  await writePrivateJson(path, keys);
  return { keys, path };
}

/** A port free on `host` right now: the demo's origin must be known before the bridge starts, for its CORS. */
async function freePort(host: string): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(0, host, resolveListen);
  });
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolveClose) => server.close(() => resolveClose()));
  return port;
}

/**
 * The origins a browser opens the demo from: both loopback names for loopback or every interface (other names of
 * this machine go in CORS_ORIGINS), else the host as given.
 */
function demoOrigins(host: string, port: number): string[] {
  if (['127.0.0.1', 'localhost', '0.0.0.0', '::'].includes(host)) return [`http://localhost:${port}`, `http://127.0.0.1:${port}`];
  return [`http://${host.includes(':') ? `[${host}]` : host}:${port}`];
}

/** Origins the operator listed in CORS_ORIGINS (environment over .env), kept beside the demo's; `*` is not carried over. */
function listedOrigins(envFile: string): string[] {
  const value = process.env['CORS_ORIGINS'] ?? readEnvFile(resolve(envFile))['CORS_ORIGINS'] ?? '';
  return value.split(',').map((origin) => origin.trim()).filter((origin) => origin !== '' && origin !== '*');
}

async function isRegistered(connector: RunningConnector, productId: string): Promise<boolean> {
  const response = await fetch(`${connector.url}/products/${encodeURIComponent(productId)}`, {
    headers: { authorization: `Bearer ${connector.adminToken}` },
  });
  await response.body?.cancel();
  return response.ok;
}

/**
 * The demo product's credentials: the saved ones when the connector still knows the product,
 * otherwise a fresh registration (forced when the product exists but its saved keys are gone,
 * since stream keys are stored hashed and cannot be read back).
 */
async function ensureDemoProduct(connector: RunningConnector, dataDir: string): Promise<{ product: DevProduct; isNew: boolean }> {
  const path = join(dataDir, PRODUCT_FILE);
  const saved = await readDevProduct(path);
  if (saved && (await isRegistered(connector, saved.product_id))) return { product: saved, isNew: false };
  let credentials;
  try {
    credentials = await connector.registerProduct({ productId: DEMO_PRODUCT_ID, contactEmail: DEMO_CONTACT_EMAIL });
  } catch (error) {
    if (errorCode(error) !== 'SL_PRODUCT_EXISTS') throw error;
    credentials = await connector.registerProduct({ productId: DEMO_PRODUCT_ID, contactEmail: DEMO_CONTACT_EMAIL, force: true });
  }
  const product: DevProduct = {
    product_id: credentials.product_id,
    stream_key: credentials.stream_key,
    capture_token: credentials.capture_token,
    webhook_url: credentials.webhook_url,
    webhook_secret: credentials.webhook_secret,
  };
  await writePrivateJson(path, product);
  return { product, isNew: true };
}

function errorCode(error: unknown): unknown {
  // Read by shape: a bundled CLI may hold its own copy of SightlineError, so instanceof is unreliable.
  return typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined;
}

function browserUrl(url: string): string {
  // 127.0.0.1 and localhost reach the same loopback server; localhost reads better in a banner.
  return url.replace('://127.0.0.1:', '://localhost:');
}

function banner(demo: DemoServer, connector: RunningConnector, bridge: RunningBridge, model: string, options: DevOptions, isNew: boolean, keysPath: string, isProactive: boolean): string {
  const { dataDir, redis } = options;
  const proactive = isProactive
    ? ['  5. Without opening the chat, go Billing → Team → Billing → Team: the widget offers help on its own', '     (proactive help; PROACTIVE=false turns it off).']
    : [];
  const chat = demo.config.chatUrl === bridge.url ? [] : [`  Chat       ${demo.config.chatUrl}   (the widget connects here)`];
  const shared = redis === undefined ? [] : [`  Redis      ${redactRedisUrl(redis.url)}   key prefix ${redis.prefix} (connector and bridge state)`];
  return [
    '',
    'Sightline is running.',
    '',
    `  Open       ${browserUrl(demo.url)}`,
    '',
    `  Connector  ${connector.url}   product "${DEMO_PRODUCT_ID}" ${isNew ? 'registered' : 'reused'}, data in ${dataDir}`,
    `  Bridge     ${bridge.url}   ${model}`,
    ...chat,
    ...shared,
    `  Keys       BRIDGE_API_KEY and IDENTITY_SECRET are kept in ${keysPath} (the demo signs its user with the secret)`,
    '',
    'Try this:',
    '  1. Go to Team, click "Invite member", then open the chat (bottom right) and ask',
    '     "how do I add a teammate?" The answer starts from the dialog you have open.',
    '  2. Ask "what did I just do?" for a recap of your clicks.',
    '  3. Open Billing, click "Upgrade plan", pick a plan, and ask "what happens when I confirm?"',
    '  4. On the Dashboard, ask "how do I invite someone?" The answer is the path other users took',
    '     (simulated demo users, on a first start) or the steps of the demo\'s help center.',
    ...proactive,
    '',
    'Press Ctrl-C to stop.',
    '',
  ].join('\n');
}

function describeModel(bridgeConfig: ReturnType<typeof loadBridgeConfig>): string {
  const { provider, model } = bridgeConfig.llm;
  return provider === 'offline' ? 'offline responder (set OPENAI_API_KEY or another LLM key to use a model)' : `model ${provider}:${model}`;
}

/** Runs `sightline dev`; resolves with the exit code once everything has stopped. */
export async function run(args: string[]): Promise<number> {
  let options: DevOptions | 'help';
  try {
    options = parseOptions(args, process.env);
  } catch (error) {
    console.error(`sightline dev: ${error instanceof Error ? error.message : String(error)}\n\n${help}`);
    return 2;
  }
  if (options === 'help') {
    console.log(help);
    return 0;
  }
  const logger: Logger = pino({ level: process.env.LOG_LEVEL ?? 'warn' }, destination(2));
  await mkdir(options.dataDir, { recursive: true });

  const stops: Array<() => Promise<void>> = [];
  const stopAll = async (): Promise<void> => {
    // Reverse start order: the demo stops sending, the bridge drains its stream, then the connector.
    for (const stop of stops.splice(0).reverse()) {
      try {
        await stop();
      } catch (error) {
        logger.error({ err: error }, 'dev-stop-failed');
      }
    }
  };

  let fatal: ((error: Error) => void) | undefined;
  const failed = new Promise<Error>((resolveFailure) => (fatal = resolveFailure));
  try {
    const connector = await startConnector({
      port: options.connectorPort,
      host: options.host,
      dataDir: options.dataDir,
      ...(options.redis === undefined ? {} : { redis: options.redis }),
      logger: logger.child({ service: 'connector' }),
    });
    stops.push(() => connector.close());
    const { product, isNew } = await ensureDemoProduct(connector, options.dataDir);
    const { keys, path: keysPath } = await ensureDevKeys(options.dataDir);
    const demoPort = options.demoPort === 0 ? await freePort(options.host) : options.demoPort;
    const prebuilt = findPrebuiltDemo();

    // Settings (LLM keys, limits) come from the environment and .env; where the stream is, where to
    // listen, the keys and the browser origin are decided here.
    const bridgeConfig = loadBridgeConfig(
      {
        ...process.env,
        STREAM_URL: `${connector.url}/stream/${encodeURIComponent(product.product_id)}`,
        STREAM_KEY: product.stream_key,
        BRIDGE_HOST: options.host,
        BRIDGE_PORT: String(options.bridgePort),
        BRIDGE_API_KEY: keys.bridge_api_key,
        IDENTITY_SECRET: keys.identity_secret,
        CORS_ORIGINS: [...new Set([...demoOrigins(options.host, demoPort), ...listedOrigins(options.envFile)])].join(','),
        // The demo product's help center, unless the environment names another; its index lives with the dev data.
        ...(process.env['KNOWLEDGE_DIR'] ?? readEnvFile(resolve(options.envFile))['KNOWLEDGE_DIR']
          ? {}
          : { KNOWLEDGE_DIR: prebuilt?.helpCenterDir ?? demoHelpCenterDir(), KNOWLEDGE_INDEX_PATH: join(options.dataDir, 'help-index.json') }),
        // Proactive help is on in `sightline dev` (other deployments opt in); PROACTIVE=false in the environment or .env turns it off.
        PROACTIVE: process.env['PROACTIVE'] ?? readEnvFile(resolve(options.envFile))['PROACTIVE'] ?? 'true',
        // The demo's simulated users (seeded below) count in this bridge only.
        UI_MAP_DEMO_SEED: 'true',
        ...(options.redis === undefined ? {} : { REDIS_URL: options.redis.url, REDIS_PREFIX: options.redis.prefix }),
      },
      { envFile: options.envFile },
    );
    const bridge = await startBridge(bridgeConfig, {
      logger: logger.child({ service: 'bridge' }),
      onStreamFatal: (error) => fatal?.(error),
    });
    stops.push(() => bridge.close());
    // A first start has no users yet: a few simulated sessions give the UI map the demo's paths (demo data only).
    const seed = await seedDemoUiMap({ connectorUrl: connector.url, captureToken: product.capture_token, productId: product.product_id, bridge });
    if (seed.outcome === 'not-learned') logger.warn({ flows: seed.flows }, 'demo-seed-not-learned');
    else logger.info(seed, 'demo-seed-done');

    const demo = await startDemoServer({
      port: demoPort,
      host: options.host,
      connectorUrl: connector.url,
      captureToken: product.capture_token,
      chatUrl: options.chatUrl ?? bridge.url,
      identitySecret: keys.identity_secret,
      ...(prebuilt ? { assetsDir: prebuilt.assetsDir, buildAssets: false } : {}),
    });
    stops.push(() => demo.close());
    console.log(banner(demo, connector, bridge, describeModel(bridgeConfig), options, isNew, keysPath, bridgeConfig.proactive?.enabled ?? false));
  } catch (error) {
    await stopAll();
    console.error(`sightline dev: ${error instanceof Error ? error.message : String(error)}`);
    if (errorCode(error) === 'EADDRINUSE') {
      console.error('A port is taken: stop the other process or pick free ports with --connector-port, --bridge-port and --demo-port.');
    }
    return 1;
  }

  const signalled = new Promise<NodeJS.Signals>((resolveSignal) => {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => resolveSignal(signal));
  });
  const outcome = await Promise.race([signalled, failed]);
  // A second Ctrl-C while shutting down means "now". One Ctrl-C can arrive several times within
  // milliseconds (the terminal signals the whole process group and npm and scripts/run.mjs forward it
  // too), so only a press a moment later counts as the second one.
  const stoppingSince = Date.now();
  process.on('SIGINT', () => {
    if (Date.now() - stoppingSince > 1000) process.exit(130);
  });
  if (outcome instanceof Error) console.error(`sightline dev: the bridge lost the connector stream for good: ${outcome.message}`);
  else console.log('\nStopping Sightline…');
  await stopAll();
  return outcome instanceof Error ? 1 : 0;
}
