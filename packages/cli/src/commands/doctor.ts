/**
 * `sightline doctor`: checks a deployment end to end (Node, the bridge's configuration, the connector and
 * the product's stream, and optionally a running bridge and Rasa) and prints one line per check with
 * what to do next. It never prints a secret: every key and token it knows of is masked in its output.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { inspectRedis, redactRedisUrl, type RedisInspection } from '@sightline/connector';
import { BRIDGE_ACTION_NAMES, loadBridgeConfig, readEnvFile, resolveLlmSettings, type BridgeConfig, type HealthBody, type LlmSettings } from '@sightline/bridge';
import { isSightlineError, MIN_SECRET_BITS, secretBits } from '@sightline/protocol';
import { readRedisSetting } from './redis-option.ts';

/** One-line summary for `sightline --help`. */
export const summary = 'check Node, the bridge configuration, the connector stream, a running bridge and Rasa';

/** Oldest Node the packages support (`engines` in package.json). */
const MIN_NODE: readonly [number, number] = [20, 12];
const DEFAULT_TIMEOUT_S = 3;

const HELP = `usage: sightline doctor [--dotenv .env] [--bridge URL] [--rasa URL] [--redis URL] [--admin-token T] [--timeout 3] [--json]

Checks a Sightline deployment and prints one line per check: ok, warn or FAIL, with what to do next.
Exits 0 when nothing failed, 1 otherwise.

  node        Node.js ${MIN_NODE.join('.')} or later
  config      the bridge's configuration (environment and .env, read as 'sightline bridge' reads it)
  bridge-key  BRIDGE_API_KEY is set and each key holds ${MIN_SECRET_BITS} bits or more
  identity    IDENTITY_SECRET is set and each secret holds ${MIN_SECRET_BITS} bits or more
  llm         the language model the bridge would use (keys are masked; no model is called)
  connector   GET <connector>/healthz, the connector named by STREAM_URL
  stream      GET STREAM_URL with Authorization: Bearer STREAM_KEY answers 200 text/event-stream; on a
              refusal, the admin token tells an unknown product (GET /products/:id says 404) from a wrong key
  bridge      (with --bridge) GET <bridge>/healthz with BRIDGE_API_KEY: the bridge's own stream state
  metrics     (with --bridge) GET <bridge>/metrics answers with BRIDGE_API_KEY, and not without it
  actions     (with --bridge) GET <bridge>/actions lists the bridge's Rasa actions
  rasa        (with --rasa) GET <rasa>/ answers "Hello from Rasa: <version>"
  redis       (with --redis or REDIS_URL) PING and the version; warns when Redis keeps nothing on disk
              (CONFIG GET save empty and appendonly no), or says it could not tell (an ACL user without CONFIG)

options:
  --dotenv <path>       read this file instead of ./.env (like 'sightline bridge')
  --bridge <url>        a running bridge to check, e.g. http://localhost:8090
  --rasa <url>          a running Rasa server to check, e.g. http://localhost:5005
  --redis <url>         the Redis the servers share (default: $REDIS_URL); its password is never printed
  --admin-token <t>     the connector's admin token (default: $SIGHTLINE_ADMIN_TOKEN, else $CONNECTOR_ADMIN_TOKEN)
  --timeout <s>     seconds to wait for each HTTP answer (default ${DEFAULT_TIMEOUT_S})
  --json            print the checks as JSON only
  -h, --help        show this help
`;

/** How a check came out: `fail` makes the exit code 1, `warn` does not. */
export type DoctorStatus = 'ok' | 'warn' | 'fail';

/** One check's outcome, as printed (one line) and as emitted by `--json`. */
export interface DoctorCheck {
  /** Which check: `node`, `config`, `bridge-key`, `identity`, `llm`, `connector`, `stream`, `bridge`, `metrics`, `actions`, `rasa`, `rasa-actions`. */
  name: string;
  status: DoctorStatus;
  /** What was found. */
  message: string;
  /** What to do next, when there is something to do. */
  hint?: string;
}

/** The `--json` output: `ok` is true when no check failed. */
export interface DoctorReport {
  ok: boolean;
  checks: DoctorCheck[];
}

/** Where output goes, which environment is read, how HTTP is done and which Node is checked (injectable for tests). */
export interface DoctorIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
  fetch: typeof fetch;
  /** The Node version to check, e.g. `20.12.2`. Default: the running one. */
  nodeVersion: string;
  /** How Redis is inspected. Default: the connector's `inspectRedis`. */
  inspectRedis?: (url: string, options: { timeoutMs: number }) => Promise<RedisInspection>;
}

const defaultIo = (): DoctorIo => ({
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
  fetch: (input, init) => fetch(input, init),
  nodeVersion: process.versions.node,
});

const ok = (name: string, message: string, hint?: string): DoctorCheck => ({ name, status: 'ok', message, ...(hint ? { hint } : {}) });
const warn = (name: string, message: string, hint?: string): DoctorCheck => ({ name, status: 'warn', message, ...(hint ? { hint } : {}) });
const fail = (name: string, message: string, hint?: string): DoctorCheck => ({ name, status: 'fail', message, ...(hint ? { hint } : {}) });

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}

/** Shows the shape of a secret without the secret: a short one is all stars, a long one keeps 3 + 4 characters. */
export function maskSecret(secret: string): string {
  return secret.length < 16 ? '****' : `${secret.slice(0, 3)}…${secret.slice(-4)}`;
}

/** Values of variables whose names say they are secrets, longest first (so a key containing another is masked whole). */
function secretsOf(env: Record<string, string | undefined>): string[] {
  const values = Object.entries(env)
    .filter(([name, value]) => /(KEY|TOKEN|SECRET|PASSWORD)$/i.test(name) && value !== undefined && value.trim().length >= 4)
    .map(([, value]) => value!.trim());
  return [...new Set(values)].sort((a, b) => b.length - a.length);
}

function scrub(text: string, secrets: string[]): string {
  let result = text;
  for (const secret of secrets) result = result.split(secret).join(maskSecret(secret));
  return result;
}

/** A URL fit for printing: any password in it replaced. */
function displayUrl(url: URL): string {
  if (url.password === '') return url.href;
  const copy = new URL(url.href);
  copy.password = '****';
  return copy.href;
}

function checkNode(version: string): DoctorCheck {
  const [major = 0, minor = 0] = version.replace(/^v/, '').split('.').map((part) => Number.parseInt(part, 10) || 0);
  const isRecentEnough = major > MIN_NODE[0] || (major === MIN_NODE[0] && minor >= MIN_NODE[1]);
  return isRecentEnough
    ? ok('node', `Node.js ${version}`)
    : fail('node', `Node.js ${version} is older than ${MIN_NODE.join('.')}`, `install Node.js ${MIN_NODE.join('.')} or later (e.g. the current LTS)`);
}

function describeLlm(llm: LlmSettings, merged: Record<string, string | undefined>): DoctorCheck {
  if (llm.provider === 'offline') {
    const isChosen = ['offline', 'none', 'off'].includes(merged['LLM_PROVIDER']?.trim().toLowerCase() ?? '');
    return isChosen
      ? ok('llm', 'offline responder (LLM_PROVIDER=offline): replies are built from the activity without a model')
      : warn('llm', 'offline responder: no LLM key is set, so replies are built from the activity without a model',
        'set OPENAI_API_KEY, ANTHROPIC_API_KEY or GOOGLE_GENERATIVE_AI_API_KEY (or LLM_BASE_URL for a local server) for model answers');
  }
  const parts = [`provider ${llm.provider}`, `model ${llm.model}`];
  if (llm.baseUrl !== undefined) parts.push(`at ${displayUrl(new URL(llm.baseUrl))}`);
  parts.push(llm.apiKey === undefined ? 'no key' : `key ${maskSecret(llm.apiKey)}`);
  return ok('llm', `${parts.join(', ')} (not called by doctor)`);
}

/** Why a fetch threw, in a few words: refused, unknown host, no answer in time… */
function describeFailure(error: unknown, timeoutS: number): string {
  const failure = error as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (failure.name === 'TimeoutError' || failure.name === 'AbortError') return `no answer within ${timeoutS} s`;
  const code = failure.cause?.code;
  if (code === 'ECONNREFUSED') return 'connection refused';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'host not found';
  if (code === 'ECONNRESET') return 'connection reset';
  return oneLine(failure.cause?.message ?? failure.message ?? String(error));
}

type Probe = { response: Response; body: string } | { error: string };

/** GET with a bounded wait covering headers and body. */
async function get(io: DoctorIo, url: string, timeoutS: number, headers: Record<string, string> = {}): Promise<Probe> {
  try {
    const response = await io.fetch(url, { headers, signal: AbortSignal.timeout(timeoutS * 1000), redirect: 'follow' });
    return { response, body: await response.text() };
  } catch (error) {
    return { error: describeFailure(error, timeoutS) };
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The `{"error": {"code", "message"}}` a Sightline server answers, when it is one. */
function errorOf(body: string): { code?: string; message?: string } {
  const error = (parseJson(body) as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
  return {
    ...(typeof error?.code === 'string' ? { code: error.code } : {}),
    ...(typeof error?.message === 'string' ? { message: error.message } : {}),
  };
}

/** Where the connector lives and which product a stream URL names (`<base>/stream/<product>`). */
function streamTarget(streamUrl: URL): { base: string; productId: string | null } {
  const match = /^(.*)\/stream\/([^/]+)\/?$/.exec(streamUrl.pathname);
  if (!match) return { base: streamUrl.origin, productId: null };
  let productId: string;
  try {
    productId = decodeURIComponent(match[2]!);
  } catch {
    productId = match[2]!;
  }
  return { base: `${streamUrl.origin}${match[1]}`, productId };
}

async function checkConnector(io: DoctorIo, streamUrl: URL, timeoutS: number): Promise<{ check: DoctorCheck; isReachable: boolean }> {
  const { base } = streamTarget(streamUrl);
  const url = `${base}/healthz`;
  const probe = await get(io, url, timeoutS);
  if ('error' in probe) {
    return {
      check: fail('connector', `GET ${url}: ${probe.error}`, "start the connector ('sightline connector' or 'sightline dev'), or fix STREAM_URL to point at it"),
      isReachable: false,
    };
  }
  const { response, body } = probe;
  if (response.status >= 500) {
    return { check: fail('connector', `GET ${url} answered HTTP ${response.status}`, "read the connector's log; restart it"), isReachable: true };
  }
  const health = parseJson(body) as { status?: unknown; epoch?: unknown; products?: unknown } | undefined;
  if (response.status !== 200 || health?.status !== 'ok') {
    return {
      check: warn('connector', `GET ${url} answered HTTP ${response.status} without a Sightline health body`,
        'STREAM_URL may point at a proxy or a connector other than Sightline; the stream check below still tells whether it works'),
      isReachable: true,
    };
  }
  const redis = (health as { redis?: { connected?: unknown } }).redis;
  if (redis?.connected === false) {
    return { check: warn('connector', `${url} is up but has lost Redis (status degraded)`, 'check the connector\'s REDIS_URL and that Redis runs; see the redis check'), isReachable: true };
  }
  const facts = [
    typeof health.epoch === 'number' ? `epoch ${health.epoch}` : null,
    typeof health.products === 'number' ? `${health.products} product(s)` : null,
    redis?.connected === true ? 'on Redis' : null,
  ];
  const detail = facts.filter((fact) => fact !== null).join(', ');
  return { check: ok('connector', `${url} is up${detail ? ` (${detail})` : ''}`), isReachable: true };
}

/** PING, the version and the persistence settings of the shared Redis; the URL is shown without credentials. */
async function checkRedis(io: DoctorIo, url: string, timeoutS: number): Promise<DoctorCheck> {
  const target = redactRedisUrl(url);
  let found: RedisInspection;
  try {
    found = await (io.inspectRedis ?? inspectRedis)(url, { timeoutMs: timeoutS * 1000 });
  } catch (error) {
    const reason = isSightlineError(error, 'SL_REDIS_UNAVAILABLE') ? String(error.details['reason']) : (error as Error).message;
    return fail('redis', `${target} does not answer: ${oneLine(reason)}`, 'start Redis, or fix REDIS_URL (--redis): user, password, host, port, rediss:// for TLS');
  }
  const answers = `${target} answers PING (Redis ${found.version ?? 'version not readable'})`;
  if (found.persistenceUnknown !== null) {
    return warn('redis', `${answers}; could not tell whether it keeps data on disk (CONFIG GET refused: ${oneLine(found.persistenceUnknown)})`,
      'make sure the server runs with appendonly yes or a save schedule: the products live only there');
  }
  if (found.snapshots === false && found.appendOnly === false) {
    return warn('redis', `${answers}, but it keeps nothing on disk (save is empty, appendonly no): a restart of Redis loses the products and the event log`,
      'set appendonly yes in redis.conf (or CONFIG SET appendonly yes, then CONFIG REWRITE)');
  }
  const kept = [found.appendOnly ? 'append-only file' : null, found.snapshots ? 'RDB snapshots' : null].filter((part) => part !== null).join(' and ');
  return ok('redis', `${answers}; on disk: ${kept}`);
}

/**
 * Whether the connector knows the product, asked with its admin token (`GET /products/:id`): the stream door answers
 * 401 for an unknown product and for a wrong key alike, so only the admin view tells them apart.
 */
type ProductLookup = 'registered' | 'unknown' | 'no-token' | 'token-refused' | 'unanswered';

async function lookUpProduct(io: DoctorIo, base: string, productId: string | null, adminToken: string | undefined, timeoutS: number): Promise<ProductLookup> {
  if (productId === null) return 'unanswered';
  if (adminToken === undefined) return 'no-token';
  const probe = await get(io, `${base}/products/${encodeURIComponent(productId)}`, timeoutS, { authorization: `Bearer ${adminToken}` });
  if ('error' in probe) return 'unanswered';
  if (probe.response.status === 200) return 'registered';
  if (probe.response.status === 404) return 'unknown';
  if (probe.response.status === 401 || probe.response.status === 403 || probe.response.status === 429) return 'token-refused';
  return 'unanswered';
}

/** What a refused stream means and what to run next, by status, the connector's error code and the admin view. */
function explainStreamRefusal(status: number, code: string | undefined, base: string, productId: string | null, lookup: ProductLookup): { message: string; hint: string } {
  const product = productId ?? '<product_id>';
  const onboard = `sightline onboard --connector ${base} --product-id ${product} --contact-email <you>`;
  if (status === 401 && code === 'SL_STREAM_KEY_MISSING') {
    return { message: 'no stream key reached the connector', hint: 'set STREAM_KEY (or UNKEY_API_KEY) to the stream_key from onboarding; check no proxy strips the Authorization header' };
  }
  if ([401, 403, 404, 429].includes(status) && lookup === 'unknown') {
    return { message: `product ${product} is not registered on this connector (a new data dir, or another connector)`, hint: `re-run '${onboard}' and update STREAM_URL and STREAM_KEY` };
  }
  if (status === 429) {
    return {
      message: 'the connector refuses this key at once: it already failed from somewhere (a repeated wrong key is not looked up again)',
      hint: 'fix STREAM_KEY (re-run onboarding with --force if it was rotated); a correct key is always looked up',
    };
  }
  if (status === 401 && lookup === 'registered') {
    return { message: `wrong stream key for product ${product}: it was mistyped or rotated by a re-registration`, hint: `re-run '${onboard} --force' and put the new STREAM_KEY in .env` };
  }
  if (status === 401) {
    const why = lookup === 'no-token'
      ? 'pass --admin-token (or set SIGHTLINE_ADMIN_TOKEN) and doctor tells which'
      : lookup === 'token-refused' ? 'the admin token was refused too, so doctor cannot tell which' : 'the admin view did not answer, so doctor cannot tell which';
    return {
      message: `wrong stream key, or product ${product} is not registered on this connector (the connector answers 401 for both; ${why})`,
      hint: `re-run '${onboard} --force' and put the new STREAM_URL and STREAM_KEY in .env`,
    };
  }
  if (status === 403) {
    return { message: `the stream key is the key of another product than ${product}`, hint: `use the STREAM_URL that came with this key, or this product's own key ('${onboard} --force' rotates it)` };
  }
  if (status === 404 && code === 'SL_ROUTE_NOT_FOUND') {
    return { message: 'the connector has no stream at this path', hint: `set STREAM_URL to <connector>/stream/<product_id>, the stream_url printed by 'sightline onboard'` };
  }
  if (status === 404) {
    return { message: `product ${product} is not registered on this connector (a new data dir, or another connector)`, hint: `re-run '${onboard}' and update STREAM_URL and STREAM_KEY` };
  }
  return { message: `unexpected answer`, hint: "read the connector's log" };
}

async function checkStream(io: DoctorIo, streamUrl: URL, streamKey: string, adminToken: string | undefined, timeoutS: number): Promise<DoctorCheck> {
  const { base, productId } = streamTarget(streamUrl);
  const shown = displayUrl(streamUrl);
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new DOMException('timed out', 'TimeoutError')), timeoutS * 1000);
  try {
    let response: Response;
    try {
      response = await io.fetch(streamUrl.href, {
        headers: { authorization: `Bearer ${streamKey}`, accept: 'text/event-stream' },
        signal: controller.signal,
      });
    } catch (error) {
      return fail('stream', `GET ${shown}: ${describeFailure(controller.signal.reason ?? error, timeoutS)}`, 'check STREAM_URL and that the connector is up');
    }
    const contentType = response.headers.get('content-type') ?? '';
    if (response.status === 200) {
      // A stream never ends by itself: the headers are all this check needs.
      controller.abort();
      if (!/^text\/event-stream\b/i.test(contentType)) {
        return fail('stream', `GET ${shown} answered 200 with content-type '${contentType || 'none'}', not text/event-stream`,
          'STREAM_URL must be the stream_url printed by onboarding; a proxy in between must pass event streams through');
      }
      return ok('stream', `${shown} opens with key ${maskSecret(streamKey)} (200 text/event-stream)`);
    }
    let body = '';
    try {
      body = await response.text();
    } catch {
      body = '';
    }
    const error = errorOf(body);
    const lookup = [401, 403, 404, 429].includes(response.status) && error.code !== 'SL_STREAM_KEY_MISSING' && error.code !== 'SL_ROUTE_NOT_FOUND'
      ? await lookUpProduct(io, base, productId, adminToken, timeoutS)
      : 'unanswered';
    const { message, hint } = explainStreamRefusal(response.status, error.code, base, productId, lookup);
    return fail('stream', `GET ${shown} answered ${response.status}${error.code ? ` ${error.code}` : ''}: ${message}`, hint);
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
}

function describeAge(seconds: number | null): string {
  if (seconds === null) return 'no events yet';
  return `last event ${Math.round(seconds)} s ago`;
}

const KEY_HINT = "set BRIDGE_API_KEY (environment or --dotenv file) to one of the bridge's keys";

async function checkBridge(io: DoctorIo, bridgeUrl: string, apiKey: string | undefined, timeoutS: number): Promise<DoctorCheck[]> {
  const url = `${bridgeUrl}/healthz`;
  const probe = await get(io, url, timeoutS, apiKey === undefined ? {} : { authorization: `Bearer ${apiKey}` });
  if ('error' in probe) {
    return [
      fail('bridge', `GET ${url}: ${probe.error}`, "start the bridge ('sightline bridge'), or fix --bridge"),
      warn('metrics', 'not checked: the bridge is unreachable'),
      warn('actions', 'not checked: the bridge is unreachable'),
    ];
  }
  const health = parseJson(probe.body) as Partial<HealthBody> | undefined;
  const stream = health?.stream;
  let healthCheck: DoctorCheck;
  if (probe.response.status === 200 && typeof health?.status === 'string' && stream === undefined) {
    // A bridge with keys shows a caller without its key only whether it is up.
    healthCheck = apiKey === undefined
      ? warn('bridge', `${bridgeUrl} is up (status ${health.status}); its details need the bridge key`, KEY_HINT)
      : fail('bridge', `${bridgeUrl} is up (status ${health.status}) but did not take BRIDGE_API_KEY ${maskSecret(apiKey)}`, `${KEY_HINT}; the key here is not one of them`);
  } else if (probe.response.status !== 200 || typeof stream !== 'object' || stream === null || typeof stream.state !== 'string') {
    healthCheck = fail('bridge', `GET ${url} answered HTTP ${probe.response.status} without a Sightline bridge health body`, '--bridge must be the bridge\'s base URL, e.g. http://localhost:8090');
  } else {
    const tracked = `${health?.users_tracked ?? 0} user(s), ${health?.sessions_tracked ?? 0} session(s)`;
    const llm = health?.llm ? `, llm ${health.llm.provider}${health.llm.model ? ` ${health.llm.model}` : ''}` : '';
    const trouble = [stream.gaps ? `${stream.gaps} gap(s)` : null, stream.dropped ? `${stream.dropped} dropped` : null, stream.malformed ? `${stream.malformed} malformed` : null]
      .filter((item) => item !== null);
    const extra = trouble.length > 0 ? `; ${trouble.join(', ')}` : '';
    switch (stream.state) {
      case 'connected':
        healthCheck = ok('bridge', `${bridgeUrl} stream connected (${describeAge(stream.last_event_age_s ?? null)}; ${tracked}${llm}${extra})`);
        break;
      case 'connecting':
      case 'reconnecting':
        healthCheck = warn('bridge', `${bridgeUrl} stream ${stream.state} (${stream.disconnects ?? 0} disconnect(s)${stream.error ? `: ${oneLine(stream.error)}` : ''})`,
          "check that the connector named by the bridge's STREAM_URL is up and reachable from the bridge");
        break;
      case 'failed':
        healthCheck = fail('bridge', `${bridgeUrl} stream failed: ${oneLine(stream.error ?? 'no reason given')}`,
          "fix the bridge's STREAM_URL / STREAM_KEY (re-run 'sightline onboard' if the key was rotated) and restart the bridge");
        break;
      default:
        healthCheck = fail('bridge', `${bridgeUrl} stream ${stream.state}`, 'the bridge is shutting down or was stopped; restart it');
    }
  }
  return [healthCheck, await checkMetrics(io, bridgeUrl, apiKey, timeoutS), await checkActions(io, bridgeUrl, timeoutS)];
}

/** `/metrics` should answer with the key and refuse without it (unless the operator opened it with METRICS_PUBLIC). */
async function checkMetrics(io: DoctorIo, bridgeUrl: string, apiKey: string | undefined, timeoutS: number): Promise<DoctorCheck> {
  const url = `${bridgeUrl}/metrics`;
  const open = await get(io, url, timeoutS);
  if ('error' in open) return fail('metrics', `GET ${url}: ${open.error}`, 'check --bridge');
  const isOpen = open.response.status === 200;
  if (apiKey === undefined) {
    return isOpen
      ? warn('metrics', `${url} answers without a key`, 'set BRIDGE_API_KEY on the bridge (METRICS_PUBLIC=true opens the metrics on purpose)')
      : warn('metrics', `${url} answered ${open.response.status} without a key, as it should; not read`, KEY_HINT);
  }
  const keyed = await get(io, url, timeoutS, { authorization: `Bearer ${apiKey}` });
  if ('error' in keyed) return fail('metrics', `GET ${url}: ${keyed.error}`, 'check --bridge');
  if (keyed.response.status !== 200) {
    const { code } = errorOf(keyed.body);
    return fail('metrics', `${url} answered ${keyed.response.status}${code ? ` ${code}` : ''} to BRIDGE_API_KEY ${maskSecret(apiKey)}`, `${KEY_HINT}; the key here is not one of them`);
  }
  return isOpen
    ? warn('metrics', `${url} answers with the key, and also without it`, 'the bridge has METRICS_PUBLIC=true or no BRIDGE_API_KEY; unset METRICS_PUBLIC unless a scraper needs it open')
    : ok('metrics', `${url} answers with the key and refuses callers without it`);
}

async function checkActions(io: DoctorIo, bridgeUrl: string, timeoutS: number): Promise<DoctorCheck> {
  const url = `${bridgeUrl}/actions`;
  const probe = await get(io, url, timeoutS);
  if ('error' in probe) return fail('actions', `GET ${url}: ${probe.error}`, 'check --bridge');
  const listed = parseJson(probe.body);
  const names = Array.isArray(listed) ? listed.map((item) => (item as { name?: unknown } | null)?.name).filter((name): name is string => typeof name === 'string') : [];
  const missing = BRIDGE_ACTION_NAMES.filter((name) => !names.includes(name));
  if (probe.response.status !== 200 || missing.length > 0) {
    return fail('actions', `GET ${url} (HTTP ${probe.response.status}) lacks ${missing.join(', ')}`, '--bridge must point at a Sightline bridge, which serves these Rasa actions');
  }
  return ok('actions', `${url} lists ${[...BRIDGE_ACTION_NAMES].sort().join(', ')}`);
}

async function checkRasa(io: DoctorIo, rasaUrl: string, bridgeUrl: string | undefined, timeoutS: number): Promise<DoctorCheck[]> {
  const url = `${rasaUrl}/`;
  const probe = await get(io, url, timeoutS);
  let check: DoctorCheck;
  if ('error' in probe) {
    check = fail('rasa', `GET ${url}: ${probe.error}`, "start Rasa (e.g. 'docker compose up rasa' in integrations/rasa) or fix --rasa");
  } else {
    const version = /Hello from Rasa:\s*(\S+)/.exec(probe.body)?.[1];
    check = probe.response.status === 200 && version
      ? ok('rasa', `${rasaUrl} is Rasa ${version}`)
      : fail('rasa', `GET ${url} answered HTTP ${probe.response.status}, not "Hello from Rasa"`, '--rasa must be the Rasa server, e.g. http://localhost:5005');
  }
  const webhook = bridgeUrl ? `${bridgeUrl}/webhook` : 'http://<bridge>:8090/webhook';
  // Rasa does not expose its endpoints.yml over HTTP, so this can only be a reminder.
  const reminder = warn('rasa-actions', "cannot read Rasa's action_endpoint from outside",
    `make sure endpoints.yml has action_endpoint.url: ${webhook} (as Rasa's container reaches the bridge) and restart Rasa after changing it`);
  return [check, reminder];
}

/** The loopback names: a bridge there is reachable only from this machine. */
function isLoopback(host: string): boolean {
  return /^(127(\.\d{1,3}){3}|::1|localhost)$/i.test(host.replace(/^\[(.*)\]$/, '$1'));
}

/**
 * Whether a comma-separated secret list is set and each secret strong enough. Unset is a warning on loopback or with
 * SIGHTLINE_INSECURE (the bridge starts, with that door open) and a failure elsewhere (the bridge refuses to start).
 */
function checkSecretList(name: string, check: string, merged: Record<string, string | undefined>, whatIsOpen: string): DoctorCheck {
  const values = (merged[name] ?? '').split(',').map((value) => value.trim()).filter((value) => value !== '');
  const generate = "generate one with 'openssl rand -hex 32' (or 'sightline onboard', which writes it to .env)";
  if (values.length === 0) {
    const host = merged['HOST']?.trim() || '0.0.0.0';
    const isInsecure = ['1', 'true', 'yes', 'on'].includes(merged['SIGHTLINE_INSECURE']?.trim().toLowerCase() ?? '');
    const message = `${name} is not set: ${whatIsOpen}`;
    return isLoopback(host) || isInsecure
      ? warn(check, `${message} (allowed on ${isInsecure ? 'SIGHTLINE_INSECURE' : `loopback ${host}`})`, `set ${name}; ${generate}`)
      : fail(check, `${message}, so a bridge on ${host} refuses to start`, `set ${name}; ${generate}`);
  }
  const weak = values.filter((value) => secretBits(value) < MIN_SECRET_BITS).length;
  if (weak > 0) {
    return fail(check, `${weak} of ${values.length} value(s) in ${name} hold under ${MIN_SECRET_BITS} bits, so the bridge refuses to start`, `replace them; ${generate}`);
  }
  return ok(check, `${name} is set (${values.length} value(s), each ${MIN_SECRET_BITS} bits or more)`);
}

/** The merged environment as the bridge sees it: the `.env` file under the process environment. */
function mergedEnvironment(env: NodeJS.ProcessEnv, envPath: string): { merged: Record<string, string | undefined>; fileError: string | null } {
  let fileValues: Record<string, string> = {};
  let fileError: string | null = null;
  try {
    fileValues = readEnvFile(envPath);
  } catch (error) {
    fileError = oneLine((error as Error).message);
  }
  const merged: Record<string, string | undefined> = { ...fileValues };
  for (const [name, value] of Object.entries(env)) if (value !== undefined) merged[name] = value;
  return { merged, fileError };
}

function parseBaseUrl(option: string, value: string | undefined): string | undefined | Error {
  if (value === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    return new Error(`--${option} '${value}' is not a URL, e.g. http://localhost:${option === 'rasa' ? 5005 : 8090}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return new Error(`--${option} must start with http:// or https://`);
  return url.href.replace(/\/+$/, '');
}

/**
 * Runs every check that applies and returns them in order. `run` prints them; this is for embedding.
 *
 * @example
 * const report = await diagnose({ dotenv: '.env', bridge: 'http://localhost:8090' });
 * if (!report.ok) console.log(report.checks.filter((check) => check.status === 'fail'));
 */
export async function diagnose(
  options: { dotenv?: string; bridge?: string; rasa?: string; redis?: string; adminToken?: string; timeoutS?: number },
  io: Pick<DoctorIo, 'env' | 'fetch' | 'nodeVersion' | 'inspectRedis'> = defaultIo(),
): Promise<DoctorReport> {
  const timeoutS = options.timeoutS ?? DEFAULT_TIMEOUT_S;
  const fullIo: DoctorIo = { stdout: () => undefined, stderr: () => undefined, ...io };
  const checks: DoctorCheck[] = [checkNode(io.nodeVersion)];

  const envPath = resolve(options.dotenv ?? '.env');
  const { merged, fileError } = mergedEnvironment(io.env, envPath);
  const source = existsSync(envPath) ? `the environment and ${envPath}` : `the environment (no ${envPath})`;
  let config: BridgeConfig | undefined;
  if (fileError !== null) {
    checks.push(fail('config', `cannot read ${envPath}: ${fileError}`, 'fix the file\'s permissions or pass --dotenv <path>'));
  } else {
    try {
      config = loadBridgeConfig(io.env, { envFile: envPath });
      // The bridge quietly skips a missing .env; a file named on purpose and missing is most likely a typo.
      checks.push(options.dotenv !== undefined && !existsSync(envPath)
        ? warn('config', `bridge configuration loads, but ${envPath} does not exist`, 'fix the --dotenv path if the settings should come from a file')
        : ok('config', `bridge configuration loads from ${source}`));
    } catch (error) {
      if (!isSightlineError(error, 'SL_CONFIG_INVALID')) throw error;
      checks.push(fail('config', oneLine(error.message), `set ${String(error.details['option'] ?? 'it')} in ${envPath} or the environment`));
    }
  }
  checks.push(
    checkSecretList('BRIDGE_API_KEY', 'bridge-key', merged, '/reply, the Rasa action server and /metrics are open to anyone who reaches the bridge'),
    checkSecretList('IDENTITY_SECRET', 'identity', merged, "user ids from browsers are taken as given (whoever knows an id reads that user's activity)"),
  );
  // The model settings can still be shown when an unrelated setting is what broke the configuration.
  let llm: LlmSettings | undefined = config?.llm;
  if (!llm) {
    try {
      llm = resolveLlmSettings(merged);
    } catch {
      llm = undefined;
    }
  }
  checks.push(llm ? describeLlm(llm, merged) : warn('llm', 'not checked: the LLM settings do not load (see config)'));

  const adminToken = options.adminToken?.trim() || merged['SIGHTLINE_ADMIN_TOKEN']?.trim() || merged['CONNECTOR_ADMIN_TOKEN']?.trim() || undefined;
  // Of a list, the first key is the current one; any of them opens the doors.
  const apiKey = merged['BRIDGE_API_KEY']?.split(',').map((key) => key.trim()).find((key) => key !== '');
  const connectorChecks = async (): Promise<DoctorCheck[]> => {
    // The stream can be checked even when an unrelated setting (say LOG_LEVEL) is wrong.
    const rawUrl = config?.streamUrl ?? merged['STREAM_URL']?.trim();
    const streamKey = config?.streamKey ?? (merged['STREAM_KEY']?.trim() || merged['UNKEY_API_KEY']?.trim());
    let streamUrl: URL | undefined;
    try {
      streamUrl = rawUrl ? new URL(rawUrl) : undefined;
    } catch {
      streamUrl = undefined;
    }
    if (!streamUrl || !/^https?:$/.test(streamUrl.protocol) || !streamKey) {
      return [warn('connector', 'not checked: STREAM_URL or STREAM_KEY is missing or invalid'), warn('stream', 'not checked: STREAM_URL or STREAM_KEY is missing or invalid')];
    }
    const connector = await checkConnector(fullIo, streamUrl, timeoutS);
    if (!connector.isReachable) return [connector.check, warn('stream', 'not checked: the connector is unreachable')];
    return [connector.check, await checkStream(fullIo, streamUrl, streamKey, adminToken, timeoutS)];
  };
  const redisUrl = options.redis ?? (merged['REDIS_URL']?.trim() || undefined);
  const groups = await Promise.all([
    connectorChecks(),
    options.bridge ? checkBridge(fullIo, options.bridge, apiKey, timeoutS) : Promise.resolve([]),
    options.rasa ? checkRasa(fullIo, options.rasa, options.bridge, timeoutS) : Promise.resolve([]),
    redisUrl ? checkRedis(fullIo, redisUrl, timeoutS).then((check) => [check]) : Promise.resolve([]),
  ]);
  checks.push(...groups.flat());

  const redisPassword = redisUrl === undefined ? undefined : passwordOf(redisUrl);
  const secrets = secretsOf({
    ...merged,
    ...(adminToken === undefined ? {} : { DOCTOR_ADMIN_TOKEN: adminToken }),
    ...(redisPassword === undefined ? {} : { DOCTOR_REDIS_PASSWORD: redisPassword }),
  });
  const safe = checks.map((check) => ({
    ...check,
    message: scrub(check.message, secrets),
    ...(check.hint !== undefined ? { hint: scrub(check.hint, secrets) } : {}),
  }));
  return { ok: safe.every((check) => check.status !== 'fail'), checks: safe };
}

const LABELS: Record<DoctorStatus, string> = { ok: 'ok  ', warn: 'warn', fail: 'FAIL' };

/** One printed line: `ok   stream     …`, `FAIL stream     … → what to do`. */
export function formatCheck(check: DoctorCheck): string {
  return `${LABELS[check.status]} ${check.name.padEnd(12)} ${check.message}${check.hint ? ` → ${check.hint}` : ''}`;
}

function passwordOf(url: string): string | undefined {
  try {
    return decodeURIComponent(new URL(url).password) || undefined;
  } catch {
    return undefined;
  }
}

/** Runs the checks and prints them; resolves to 0 when none failed, 1 when one did, 2 on a usage error. */
export async function run(args: string[], io: DoctorIo = defaultIo()): Promise<number> {
  let values: { dotenv?: string; bridge?: string; rasa?: string; redis?: string; 'admin-token'?: string; timeout?: string; json?: boolean; help?: boolean };
  try {
    ({ values } = parseArgs({
      args,
      options: {
        dotenv: { type: 'string' },
        bridge: { type: 'string' },
        rasa: { type: 'string' },
        redis: { type: 'string' },
        'admin-token': { type: 'string' },
        timeout: { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (error) {
    io.stderr(`sightline doctor: ${oneLine((error as Error).message)}\n\n${HELP}`);
    return 2;
  }
  if (values.help) {
    io.stdout(HELP);
    return 0;
  }
  const timeoutS = values.timeout === undefined ? DEFAULT_TIMEOUT_S : Number(values.timeout);
  if (!(Number.isFinite(timeoutS) && timeoutS > 0 && timeoutS <= 600)) {
    io.stderr(`sightline doctor: --timeout '${values.timeout}' is not a number of seconds from 0 to 600\n`);
    return 2;
  }
  const bridge = parseBaseUrl('bridge', values.bridge);
  const rasa = parseBaseUrl('rasa', values.rasa);
  for (const parsed of [bridge, rasa]) {
    if (parsed instanceof Error) {
      io.stderr(`sightline doctor: ${parsed.message}\n`);
      return 2;
    }
  }

  let redis: string | undefined;
  try {
    redis = values.redis === undefined ? undefined : readRedisSetting({ redis: values.redis }, {})?.url;
  } catch (error) {
    io.stderr(`sightline doctor: ${(error as Error).message}\n`);
    return 2;
  }
  const report = await diagnose(
    {
      timeoutS,
      ...(values.dotenv !== undefined ? { dotenv: values.dotenv } : {}),
      ...(typeof bridge === 'string' ? { bridge } : {}),
      ...(typeof rasa === 'string' ? { rasa } : {}),
      ...(redis === undefined ? {} : { redis }),
      ...(values['admin-token'] !== undefined ? { adminToken: values['admin-token'] } : {}),
    },
    io,
  );
  if (values.json) {
    io.stdout(`${JSON.stringify(report, null, 2)}\n`);
  } else {
    const failed = report.checks.filter((check) => check.status === 'fail').length;
    const warned = report.checks.filter((check) => check.status === 'warn').length;
    const verdict = failed > 0 ? `${failed} failed, ${warned} warning(s)` : warned > 0 ? `no failures, ${warned} warning(s)` : 'all checks passed';
    io.stdout(`${report.checks.map(formatCheck).join('\n')}\n\nsightline doctor: ${verdict}\n`);
  }
  return report.ok ? 0 : 1;
}
