/**
 * A Redis for one test: the server at `REDIS_URL` (default redis://127.0.0.1:6379) with a key prefix of the test's own,
 * whose keys are deleted afterwards. The server is shared (other tests, other runs), so nothing is ever flushed.
 * Without a reachable server the test is skipped with the reason, unless `SIGHTLINE_REQUIRE` names `redis`: then it
 * fails.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { TestContext } from 'node:test';
import { Redis } from 'ioredis';

/** What {@link redisForTests} hands a test. */
export interface TestRedis {
  /** The server's URL. */
  url: string;
  /** A prefix no other test uses, e.g. `sightline-test:3f9a…:`; every key the test writes must start with it. */
  prefix: string;
  /** A connected client for assertions (closed after the test). */
  client: Redis;
}

function isRequired(): boolean {
  return (process.env['SIGHTLINE_REQUIRE'] ?? '').split(',').some((name) => name.trim().toLowerCase() === 'redis');
}

/** Deletes every key that starts with `prefix`, in batches (SCAN, never KEYS or FLUSHDB). */
export async function deleteKeysWithPrefix(client: Redis, prefix: string): Promise<number> {
  let cursor = '0';
  let deleted = 0;
  do {
    const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix.replace(/[*?[\]\\]/g, '\\$&')}*`, 'COUNT', 500);
    cursor = next;
    if (keys.length > 0) deleted += await client.unlink(...keys);
  } while (cursor !== '0');
  return deleted;
}

/**
 * Connects for one test, or skips it (fails under `SIGHTLINE_REQUIRE=redis`) when no Redis answers.
 *
 * @example
 * test('the log survives a restart', async (t) => {
 *   const redis = await redisForTests(t);
 *   if (!redis) return;
 *   const log = new RedisEventLog({ url: redis.url, prefix: redis.prefix });
 * });
 */
export async function redisForTests(t: TestContext): Promise<TestRedis | null> {
  const url = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1, connectTimeout: 2000, retryStrategy: () => null });
  try {
    await client.connect();
    await client.ping();
  } catch (error) {
    client.disconnect();
    const reason = `no Redis answers at ${url.replace(/\/\/[^@/]*@/, '//')} (${(error as Error).message})`;
    if (isRequired()) assert.fail(`SIGHTLINE_REQUIRE names redis, but ${reason}`);
    console.log(`# skipped Redis test: ${reason}`);
    t.skip(reason);
    return null;
  }
  const prefix = `sightline-test:${randomBytes(6).toString('hex')}:`;
  const cleanUp = async () => {
    await deleteKeysWithPrefix(client, prefix);
    client.disconnect();
  };
  // Hooks run in the order they were added, and the test adds its own (closing the servers that still write) after
  // this call; a hook added while hooks run goes last, so the keys are deleted once every server has stopped.
  t.after(() => t.after(cleanUp));
  return { url, prefix, client };
}
