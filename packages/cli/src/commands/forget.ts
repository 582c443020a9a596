/**
 * `sightline forget <user-id> [--product <id>] [--email <email>]`: forgets one user on the connector (its retained
 * event log and pending batches) and on the bridge (every store: activity, stories, conversations, chat addresses),
 * and prints what each removed (docs/forget-a-user.md). Each server is called on its own: one that cannot be reached
 * is reported and the other is still asked.
 */
import { readAdminToken } from './read-admin-token.ts';
import { readCommandLine } from './command-line.ts';

/** One-line summary for `sightline --help`. */
export const summary = 'forget a user on the connector and the bridge, and print what each removed';

const DEFAULT_TIMEOUT_S = 10;

const HELP = `usage: sightline forget <user-id> [--product <id>] [--email <email>] [options]

Forgets <user-id> everywhere Sightline keeps anything: on the connector, the user's payloads in the retained
event log (and their sessions' summaries) and their batches not sent yet; on the bridge, their sessions,
summaries, tabs, conversations, chat watermarks and chat addresses. Prints what each server removed.

options:
  --product <id>              the connector product to forget the user in (default: every registered product)
  --email <email>             also forget connector payloads carrying this email (e.g. before the user was identified)
  --connector-url <url>       the connector (default: CONNECTOR_URL)
  --connector-admin-token <t> the connector's admin token (default: CONNECTOR_ADMIN_TOKEN)
  --bridge-url <url>          the bridge (default: BRIDGE_URL)
  --bridge-admin-token <t>    the bridge's admin token (default: BRIDGE_ADMIN_TOKEN)
  --timeout <s>               seconds to wait for each answer (default ${DEFAULT_TIMEOUT_S})
  -h, --help                  show this help

A server whose URL or token is not given is skipped (and said so). The former names of the tokens still
work, with a warning: SIGHTLINE_ADMIN_TOKEN, ADMIN_TOKEN and --admin-token. Exit status: 0 when every server asked
answered, 1 when one could not be reached or refused, 2 on a usage error.
`;

/** Where output goes, which environment is read, and how HTTP is done (injectable for tests). */
export interface ForgetIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
  fetch: typeof fetch;
}

const defaultIo = (): ForgetIo => ({
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
  fetch: (input, init) => fetch(input, init),
});

/** What one server said. */
type Outcome = { ok: true; body: Record<string, unknown> } | { ok: false; message: string };

/** Calls one admin route; never throws: an unreachable server or an error answer becomes a message. */
async function call(io: ForgetIo, method: string, url: string, token: string, timeoutMs: number): Promise<Outcome> {
  let response: Response;
  try {
    response = await io.fetch(url, { method, headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).name;
    return { ok: false, message: `unreachable at ${new URL(url).origin} (${cause})` };
  }
  let body: Record<string, unknown> = {};
  try {
    body = (await response.json()) as Record<string, unknown>;
  } catch {
    // An answer that is not JSON is described by its status alone.
  }
  if (response.ok) return { ok: true, body };
  const error = body['error'] as { code?: string; message?: string } | undefined;
  return { ok: false, message: `HTTP ${response.status}${error?.code ? ` ${error.code}: ${error.message ?? ''}` : ''}`.trim() };
}

/** `log_payloads: 3` → "3 log payloads", over every count of a `removed` object. */
function describeRemoved(removed: unknown): string {
  if (typeof removed !== 'object' || removed === null) return 'nothing reported';
  const parts = Object.entries(removed as Record<string, unknown>).map(([name, count]) => `${String(count)} ${name.replaceAll('_', ' ')}`);
  return parts.length === 0 ? 'nothing' : parts.join(', ');
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}

/** Forgets on the connector: in one product, or in every registered one. Resolves to whether all calls succeeded. */
async function forgetOnConnector(io: ForgetIo, base: string, token: string, userId: string, options: { product?: string; email?: string; timeoutMs: number }): Promise<boolean> {
  let products: string[];
  if (options.product !== undefined) products = [options.product];
  else {
    const listed = await call(io, 'GET', `${base}/products`, token, options.timeoutMs);
    if (!listed.ok) {
      io.stderr(`connector: ${listed.message}\n`);
      return false;
    }
    products = ((listed.body['products'] as Array<{ product_id: string }> | undefined) ?? []).map((product) => product.product_id);
    if (products.length === 0) io.stdout('connector: no product is registered; nothing to forget\n');
  }
  let isOk = true;
  const query = options.email === undefined ? '' : `?email=${encodeURIComponent(options.email)}`;
  for (const product of products) {
    const url = `${base}/products/${encodeURIComponent(product)}/users/${encodeURIComponent(userId)}${query}`;
    const outcome = await call(io, 'DELETE', url, token, options.timeoutMs);
    if (outcome.ok) io.stdout(`connector (product ${product}): removed ${describeRemoved(outcome.body['removed'])}\n`);
    else {
      io.stderr(`connector (product ${product}): ${outcome.message}\n`);
      isOk = false;
    }
  }
  return isOk;
}

/** Runs the command; resolves to the exit code. */
export async function run(args: string[], io: ForgetIo = defaultIo()): Promise<number> {
  const line = readCommandLine(args, {
    product: { type: 'string' },
    email: { type: 'string' },
    'connector-url': { type: 'string' },
    'connector-admin-token': { type: 'string' },
    'bridge-url': { type: 'string' },
    'bridge-admin-token': { type: 'string' },
    // The former name of --bridge-admin-token.
    'admin-token': { type: 'string' },
    timeout: { type: 'string' },
  }, { name: 'sightline forget', help: HELP, io });
  if ('exitCode' in line) return line.exitCode;
  const { values, positionals } = line;
  const userId = positionals[0]?.trim() ?? '';
  if (positionals.length !== 1 || userId === '') {
    io.stderr(`give exactly one user id\n\n${HELP}`);
    return 2;
  }
  const timeoutS = values.timeout === undefined ? DEFAULT_TIMEOUT_S : Number(values.timeout);
  if (!(Number.isFinite(timeoutS) && timeoutS > 0)) {
    io.stderr(`--timeout must be a number of seconds above 0 (got ${values.timeout})\n`);
    return 2;
  }
  const email = values.email?.trim();
  if (email === '') {
    io.stderr('--email is empty\n');
    return 2;
  }
  const nonBlank = (value: string | undefined) => (value === undefined || value.trim() === '' ? undefined : value.trim());
  const warnFormer = (message: string) => io.stderr(`warning: ${message}\n`);
  if (values['admin-token'] !== undefined && values['bridge-admin-token'] === undefined) warnFormer('--admin-token is the former name of --bridge-admin-token; use --bridge-admin-token (the former name still works for now)');
  const connectorUrl = nonBlank(values['connector-url'] ?? io.env['CONNECTOR_URL']);
  const connectorToken = values['connector-admin-token'] === undefined ? readAdminToken(io.env, 'connector', warnFormer) : nonBlank(values['connector-admin-token']);
  const bridgeUrl = nonBlank(values['bridge-url'] ?? io.env['BRIDGE_URL']);
  const bridgeFlag = values['bridge-admin-token'] ?? values['admin-token'];
  const bridgeToken = bridgeFlag === undefined ? readAdminToken(io.env, 'bridge', warnFormer) : nonBlank(bridgeFlag);
  for (const [name, url] of [['--connector-url', connectorUrl], ['--bridge-url', bridgeUrl]] as const) {
    if (url !== undefined && !URL.canParse(url)) {
      io.stderr(`${name} is not a URL (got ${url})\n`);
      return 2;
    }
  }
  const hasConnector = connectorUrl !== undefined && connectorToken !== undefined;
  const hasBridge = bridgeUrl !== undefined && bridgeToken !== undefined;
  if (!hasConnector && !hasBridge) {
    io.stderr('nothing to call: give the connector (CONNECTOR_URL and CONNECTOR_ADMIN_TOKEN) and/or the bridge (BRIDGE_URL and BRIDGE_ADMIN_TOKEN)\n');
    return 2;
  }
  const timeoutMs = timeoutS * 1000;
  let isOk = true;
  if (hasConnector) {
    const options = { timeoutMs, ...(values.product === undefined ? {} : { product: values.product }), ...(email === undefined ? {} : { email }) };
    isOk = (await forgetOnConnector(io, trimSlash(connectorUrl), connectorToken, userId, options)) && isOk;
  } else io.stdout('connector: skipped (set CONNECTOR_URL and CONNECTOR_ADMIN_TOKEN, or --connector-url and --connector-admin-token)\n');
  if (hasBridge) {
    const outcome = await call(io, 'DELETE', `${trimSlash(bridgeUrl)}/admin/users/${encodeURIComponent(userId)}`, bridgeToken, timeoutMs);
    if (outcome.ok) io.stdout(`bridge: removed ${describeRemoved(outcome.body['removed'])}\n`);
    else {
      io.stderr(`bridge: ${outcome.message}\n`);
      isOk = false;
    }
  } else io.stdout('bridge: skipped (set BRIDGE_URL and BRIDGE_ADMIN_TOKEN, or --bridge-url and --bridge-admin-token)\n');
  return isOk ? 0 : 1;
}
