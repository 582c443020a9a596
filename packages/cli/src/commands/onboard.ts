/**
 * `sightline onboard`: registers a product with a running connector (`POST /products` with the admin token),
 * prints its credentials, and writes the bridge's `.env`: the stream, plus a generated BRIDGE_API_KEY,
 * IDENTITY_SECRET and BRIDGE_ADMIN_TOKEN, each under a comment saying what it guards (docs/security.md).
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { ProductCredentials } from '@sightline/connector';
import { readAdminToken } from './read-admin-token.ts';

/** One-line summary for `sightline --help`. */
export const summary = 'register a product with a connector, print its credentials and write the bridge .env';

const HELP = `usage: sightline onboard --connector URL --product-id ID --contact-email EMAIL [options]

Registers a product with a Sightline connector, prints its webhook, stream and capture credentials, and
writes the bridge's .env (mode 0600): STREAM_URL and STREAM_KEY, and a generated BRIDGE_API_KEY,
IDENTITY_SECRET and BRIDGE_ADMIN_TOKEN. An existing file is never replaced without --force.

options:
  --connector URL         the connector's base URL, e.g. http://localhost:8080 (required)
  --product-id ID         stable product id: letters, digits, '.', '_' or '-' (required)
  --contact-email EMAIL   owner's email (required)
  --admin-token TOKEN     connector admin token (default: $CONNECTOR_ADMIN_TOKEN, formerly $SIGHTLINE_ADMIN_TOKEN)
  --allowed-origin URL    origin allowed to post through the capture door (repeatable; default: any)
  --dotenv <path>         where to write the bridge settings (default .env)
  --force                 re-register an existing product (rotates its webhook secret and stream key)
                          and replace an existing --dotenv file with fresh keys
  --json                  print the registration result as JSON only
  -h, --help              show this help
`;

/** Bytes of randomness in each generated key: 32, i.e. 256 bits, twice the least the servers accept. */
const GENERATED_SECRET_BYTES = 32;

/**
 * A fresh secret for a key or token: 32 random bytes as base64url (43 characters).
 *
 * @example
 * generateSecret(); // 'q7Vh3…' (43 characters)
 */
export function generateSecret(random: (size: number) => Buffer = randomBytes): string {
  return random(GENERATED_SECRET_BYTES).toString('base64url');
}

/** Where output goes, which environment is read and how HTTP is done (injectable for tests). */
export interface OnboardIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
  fetch: typeof fetch;
}

const defaultIo = (): OnboardIo => ({
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
  fetch: (input, init) => fetch(input, init),
});

/** The fields of the connector's `POST /products` answer that onboarding prints. */
type Credentials = Pick<
  ProductCredentials,
  'product_id' | 'webhook_url' | 'webhook_secret' | 'stream_url' | 'stream_key' | 'unkey_key' | 'capture_token'
>;

/** The human-readable summary: PostHog destination, posthog-js, stream, and where the bridge settings went. */
export function formatCredentials(credentials: Credentials, connectorUrl: string, envPath?: string): string {
  return [
    `Product ${credentials.product_id} registered.`,
    '',
    'PostHog destination (HTTP Webhook):',
    `  URL:               ${credentials.webhook_url}`,
    `  X-PostHog-Secret:  ${credentials.webhook_secret}`,
    '  (and, where the form has one, in its "Signing secret" field: integrations/posthog/README.md, step 3)',
    '',
    'posthog-js straight to the connector:',
    `  posthog.init('${credentials.capture_token}', { api_host: '${connectorUrl}' })`,
    '',
    'Stream:',
    `  GET ${credentials.stream_url}`,
    `  Authorization: Bearer ${credentials.stream_key}`,
    '  (the stream key is shown only now; re-register with --force to rotate it)',
    '',
    ...(envPath === undefined
      ? []
      : [
        `Bridge settings written to ${envPath} (mode 0600): STREAM_URL, STREAM_KEY, BRIDGE_API_KEY, IDENTITY_SECRET, BRIDGE_ADMIN_TOKEN.`,
        `  Start the bridge:   sightline bridge --dotenv ${envPath}`,
        `  Sign a user id:     sightline sign-user <user-id> --dotenv ${envPath}`,
        '  Your backend signs each user id with IDENTITY_SECRET and the page passes the hash beside it',
        '  (widget customData: { userId, userHash }); Rasa sends BRIDGE_API_KEY as endpoints.yml token:.',
        '  See docs/security.md.',
        '',
      ]),
  ].join('\n');
}

/** The generated secrets that go into the bridge's `.env` beside the stream credentials. */
export interface GeneratedBridgeSecrets {
  bridgeApiKey: string;
  identitySecret: string;
  adminToken: string;
}

/** The bridge's `.env`: every setting under a comment line saying what it guards. */
export function renderEnvFile(credentials: Pick<Credentials, 'product_id' | 'stream_url' | 'stream_key'>, secrets: GeneratedBridgeSecrets): string {
  return [
    `# Sightline bridge settings for product ${credentials.product_id}, written by 'sightline onboard'. Secret: keep it mode 0600, out of git.`,
    '# The product\'s event stream on the connector, which the bridge reads.',
    `STREAM_URL=${credentials.stream_url}`,
    '# Opens that stream; shown only once by the connector (\'sightline onboard --force\' rotates it).',
    `STREAM_KEY=${credentials.stream_key}`,
    '# Server-to-server key for the bridge: /reply, the Rasa action server (endpoints.yml token:) and /metrics. Comma-separate keys to rotate.',
    `BRIDGE_API_KEY=${secrets.bridgeApiKey}`,
    '# Signs user ids: your backend sends hex HMAC-SHA256(user id) with this secret as the user hash. Comma-separate to rotate; the first signs.',
    `IDENTITY_SECRET=${secrets.identitySecret}`,
    '# The bridge\'s admin routes (reset or forget a user); never give it to Rasa or a browser.',
    `BRIDGE_ADMIN_TOKEN=${secrets.adminToken}`,
    '',
  ].join('\n');
}

/** Writes the file with mode 0600: exclusively unless `replace`, then through a temporary file and a rename. */
async function writeSecretFile(path: string, text: string, replace: boolean): Promise<void> {
  if (!replace) {
    await writeFile(path, text, { mode: 0o600, flag: 'wx' });
    return;
  }
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, text, { mode: 0o600, flag: 'wx' });
  await rename(temporary, path);
}

/** Registers the product; resolves to the exit code (0 ok, 1 refused or unreachable, 2 usage). */
export async function run(args: string[], io: OnboardIo = defaultIo()): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        connector: { type: 'string' },
        'product-id': { type: 'string' },
        'contact-email': { type: 'string' },
        'admin-token': { type: 'string' },
        'allowed-origin': { type: 'string', multiple: true },
        // Not --env-file: Node 20 claims that flag anywhere on its command line, even after the script.
        dotenv: { type: 'string' },
        force: { type: 'boolean' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (error) {
    io.stderr(`sightline onboard: ${(error as Error).message}\n\n${HELP}`);
    return 2;
  }
  if (values.help) {
    io.stdout(HELP);
    return 0;
  }
  const missing = (['connector', 'product-id', 'contact-email'] as const).filter((name) => !values[name]?.trim());
  if (missing.length > 0) {
    io.stderr(`sightline onboard: missing ${missing.map((name) => `--${name}`).join(', ')}\n\n${HELP}`);
    return 2;
  }
  const adminToken = values['admin-token']?.trim() || readAdminToken(io.env, 'connector', (message) => io.stderr(`sightline onboard: warning: ${message}\n`));
  if (!adminToken) {
    io.stderr('sightline onboard: no admin token; pass --admin-token or set CONNECTOR_ADMIN_TOKEN (the connector prints it at start and keeps it in <data-dir>/admin-token)\n');
    return 2;
  }
  const envPath = resolve(values.dotenv ?? '.env');
  // Checked before registering: a stream key that cannot be saved is lost, since the connector shows it once.
  if (existsSync(envPath) && !values.force) {
    io.stderr(`sightline onboard: ${envPath} exists; pass --dotenv <new path>, or --force to re-register and replace it\n`);
    return 2;
  }
  const base = values.connector!.trim().replace(/\/+$/, '');
  let response: Response;
  try {
    response = await io.fetch(`${base}/products`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${adminToken}` },
      body: JSON.stringify({
        product_id: values['product-id']!.trim(),
        contact_email: values['contact-email']!.trim(),
        force_reregister: values.force ?? false,
        ...(values['allowed-origin'] ? { allowed_origins: values['allowed-origin'] } : {}),
      }),
      signal: AbortSignal.timeout(15_000),
    });
  } catch (error) {
    io.stderr(`sightline onboard: could not reach the connector at ${base} (${(error as Error).message}); check --connector\n`);
    return 1;
  }
  const text = await response.text();
  let body: unknown = null;
  try {
    body = JSON.parse(text);
  } catch {
    body = null;
  }
  if (response.status !== 201) {
    const error = (body as { error?: { code?: string; message?: string } } | null)?.error;
    const hint = response.status === 409 ? ' (add --force to re-register and rotate its secrets)' : '';
    io.stderr(`sightline onboard: connector returned HTTP ${response.status}${error?.code ? ` ${error.code}` : ''}: ${error?.message ?? text.slice(0, 200)}${hint}\n`);
    return 1;
  }
  const credentials = body as Credentials;
  const secrets: GeneratedBridgeSecrets = { bridgeApiKey: generateSecret(), identitySecret: generateSecret(), adminToken: generateSecret() };
  let writeError: Error | null = null;
  try {
    await writeSecretFile(envPath, renderEnvFile(credentials, secrets), values.force ?? false);
  } catch (error) {
    writeError = error as Error;
  }
  io.stdout(values.json ? `${JSON.stringify(credentials, null, 2)}\n` : formatCredentials(credentials, base, writeError ? undefined : envPath));
  if (writeError) {
    io.stderr(`sightline onboard: the product is registered, but ${envPath} could not be written (${writeError.message}); copy STREAM_URL and STREAM_KEY from above\n`);
    return 1;
  }
  return 0;
}
