/** The doctor's runner: which checks apply, in which order, and the masking of every secret in what they found. */
import { resolve } from 'node:path';
import type { BridgeConfig } from '@sightline/bridge';
import { warn, type DoctorCheck, type DoctorReport } from './doctor-check.ts';
import { defaultIo, type DoctorIo } from './doctor-io.ts';
import { passwordOf, scrub, secretsOf } from './mask-secret.ts';
import { checkBridge } from './checks/bridge.ts';
import { checkConfig, mergedEnvironment } from './checks/config.ts';
import { checkConnector } from './checks/connector.ts';
import { checkLlm } from './checks/llm.ts';
import { checkNode } from './checks/node.ts';
import { checkRasa } from './checks/rasa.ts';
import { checkRedis } from './checks/redis.ts';
import { checkSecretList } from './checks/secret-list.ts';
import { checkStream } from './checks/stream.ts';
import { readAdminToken } from '../read-admin-token.ts';

/** Seconds each HTTP check waits for its answer unless told otherwise. */
export const DEFAULT_TIMEOUT_S = 3;

/** The `connector` and `stream` checks; the stream is checked only when the connector answers. */
async function checkConnectorAndStream(
  io: DoctorIo,
  config: BridgeConfig | undefined,
  merged: Record<string, string | undefined>,
  adminToken: string | undefined,
  timeoutS: number,
): Promise<DoctorCheck[]> {
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
  const connector = await checkConnector(io, streamUrl, timeoutS);
  if (!connector.isReachable) return [connector.check, warn('stream', 'not checked: the connector is unreachable')];
  return [connector.check, await checkStream(io, streamUrl, streamKey, adminToken, timeoutS)];
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
  // Settings given under a former name still work; one check lists them, as the servers warn of them at start.
  const formerNames: string[] = [];
  const onFormerName = (message: string) => formerNames.push(message);
  const { check: configCheck, config } = checkConfig(io.env, envPath, options.dotenv !== undefined, fileError, onFormerName);
  checks.push(configCheck);
  checks.push(
    checkSecretList('BRIDGE_API_KEY', 'bridge-key', merged, '/reply, the Rasa action server and /metrics are open to anyone who reaches the bridge'),
    checkSecretList('IDENTITY_SECRET', 'identity', merged, "user ids from browsers are taken as given (whoever knows an id reads that user's activity)"),
  );
  checks.push(checkLlm(config, merged));

  const adminToken = options.adminToken?.trim() || readAdminToken(merged, 'connector', onFormerName);
  if (formerNames.length > 0) checks.push(warn('names', formerNames.join('; '), 'rename each setting to its new name (docs/configuration.md)'));
  // Of a list, the first key is the current one; any of them opens the doors.
  const apiKey = merged['BRIDGE_API_KEY']?.split(',').map((key) => key.trim()).find((key) => key !== '');
  const redisUrl = options.redis ?? (merged['REDIS_URL']?.trim() || undefined);
  const groups = await Promise.all([
    checkConnectorAndStream(fullIo, config, merged, adminToken, timeoutS),
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
