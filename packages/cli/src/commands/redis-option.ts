/**
 * The Redis setting the commands that host more than one server read (`sightline dev`, `sightline doctor`), from the
 * same entries of the settings tables as the servers: `--redis` / `REDIS_URL`, `--redis-prefix` / `REDIS_PREFIX`.
 */
import { readSettings, settingsHelp, SHARED_SETTINGS, SettingError } from '@sightline/protocol/settings';

/** Where a server keeps its shared state; absent means memory, one process. */
export interface RedisSetting {
  url: string;
  /** Start of every key. */
  prefix: string;
}

const REDIS_SETTINGS = { REDIS_URL: SHARED_SETTINGS.REDIS_URL, REDIS_PREFIX: SHARED_SETTINGS.REDIS_PREFIX };

/** Help lines of the two flags. */
export const REDIS_HELP = settingsHelp(REDIS_SETTINGS, '').split('\n\nsecrets')[0]!;

/**
 * The flag over the environment; undefined when neither is set.
 *
 * @throws Error naming the setting and the flag when the URL is not a redis:// or rediss:// URL (its password masked).
 */
export function readRedisSetting(flags: { redis?: string | undefined; 'redis-prefix'?: string | undefined }, env: NodeJS.ProcessEnv): RedisSetting | undefined {
  let values;
  try {
    values = readSettings(REDIS_SETTINGS, { env, flags, serverPrefix: '' });
  } catch (error) {
    if (error instanceof SettingError) throw new Error(error.message);
    throw error;
  }
  return values.REDIS_URL === undefined ? undefined : { url: values.REDIS_URL, prefix: values.REDIS_PREFIX };
}
