/** The `redis` check: the shared Redis answers, and whether it keeps its data on disk. */
import { isSightlineError } from '@sightline/protocol';
import { redactRedisUrl } from '@sightline/protocol/internal';
import { inspectRedis, type RedisInspection } from '@sightline/connector/internal';
import type { DoctorIo } from '../doctor-io.ts';
import { fail, ok, oneLine, warn, type DoctorCheck } from '../doctor-check.ts';

/** PING, the version and the persistence settings of the shared Redis; the URL is shown without credentials. */
export async function checkRedis(io: DoctorIo, url: string, timeoutS: number): Promise<DoctorCheck> {
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
