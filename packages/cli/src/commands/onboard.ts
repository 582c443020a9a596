/**
 * `sightline onboard`: registers a product with a running connector (`POST /products` with the admin token)
 * and prints its credentials plus the `.env` lines the bridge needs.
 */
import { parseArgs } from 'node:util';
import type { ProductCredentials } from '@sightline/connector';

/** One-line summary for `sightline --help`. */
export const summary = 'register a product with a connector and print its credentials and .env lines';

const HELP = `usage: sightline onboard --connector URL --product-id ID --contact-email EMAIL [options]

Registers a product with a Sightline connector and prints its webhook, stream and capture credentials.

options:
  --connector URL         the connector's base URL, e.g. http://localhost:8080 (required)
  --product-id ID         stable product id: letters, digits, '.', '_' or '-' (required)
  --contact-email EMAIL   owner's email (required)
  --admin-token TOKEN     connector admin token (default: $SIGHTLINE_ADMIN_TOKEN)
  --allowed-origin URL    origin allowed to post through the capture door (repeatable; default: any)
  --force                 re-register an existing product: rotates its webhook secret and stream key
  --json                  print the registration result as JSON only
  -h, --help              show this help
`;

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

/** The human-readable summary: PostHog destination, posthog-js, stream, and `.env` lines. */
export function formatCredentials(credentials: Credentials, connectorUrl: string): string {
  return [
    `Product ${credentials.product_id} registered.`,
    '',
    'PostHog destination (HTTP Webhook):',
    `  URL:               ${credentials.webhook_url}`,
    `  X-PostHog-Secret:  ${credentials.webhook_secret}`,
    '  (or paste the secret into the destination\'s "Signing secret" field)',
    '',
    'posthog-js straight to the connector:',
    `  posthog.init('${credentials.capture_token}', { api_host: '${connectorUrl}' })`,
    '',
    'Stream:',
    `  GET ${credentials.stream_url}`,
    `  Authorization: Bearer ${credentials.stream_key}`,
    '  (the stream key is shown only now; re-register with --force to rotate it)',
    '',
    '.env for the bridge:',
    `STREAM_URL=${credentials.stream_url}`,
    `STREAM_KEY=${credentials.stream_key}`,
    '',
  ].join('\n');
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
  const adminToken = values['admin-token']?.trim() || io.env.SIGHTLINE_ADMIN_TOKEN?.trim();
  if (!adminToken) {
    io.stderr('sightline onboard: no admin token; pass --admin-token or set SIGHTLINE_ADMIN_TOKEN (the connector prints it at start and keeps it in <data-dir>/admin-token)\n');
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
  io.stdout(values.json ? `${JSON.stringify(credentials, null, 2)}\n` : formatCredentials(credentials, base));
  return 0;
}
