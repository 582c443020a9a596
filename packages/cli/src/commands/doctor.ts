/**
 * `sightline doctor`: checks a deployment end to end (Node, the bridge's configuration, the connector and
 * the product's stream, and optionally a running bridge and Rasa) and prints one line per check with
 * what to do next. It never prints a secret: every key and token it knows of is masked in its output.
 */
import { parseArgs } from 'node:util';
import { MIN_SECRET_BITS } from '@sightline/protocol/internal';
import { formatCheck, oneLine } from './doctor/doctor-check.ts';
import { defaultIo, type DoctorIo } from './doctor/doctor-io.ts';
import { DEFAULT_TIMEOUT_S, diagnose } from './doctor/diagnose.ts';
import { MIN_NODE } from './doctor/checks/node.ts';
import { readRedisSetting } from './redis-option.ts';

export { diagnose } from './doctor/diagnose.ts';
export { formatCheck, type DoctorCheck, type DoctorReport, type DoctorStatus } from './doctor/doctor-check.ts';
export type { DoctorIo } from './doctor/doctor-io.ts';
export { maskSecret } from './doctor/mask-secret.ts';

/** One-line summary for `sightline --help`. */
export const summary = 'check Node, the bridge configuration, the connector stream, a running bridge and Rasa';

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
  --admin-token <t>     the connector's admin token (default: $CONNECTOR_ADMIN_TOKEN, formerly $SIGHTLINE_ADMIN_TOKEN)
  --timeout <s>     seconds to wait for each HTTP answer (default ${DEFAULT_TIMEOUT_S})
  --json            print the checks as JSON only
  -h, --help        show this help
`;

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
