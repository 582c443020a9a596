/**
 * The Redis side of the stores' behaviour tables: a {@link BridgeRedis} on the test's own key prefix (from
 * `redisForTests`), or null when the test was skipped for want of a Redis.
 */
import type { TestContext } from 'node:test';
import { redisForTests } from '@sightline/sdk/testing';
import { bridgeRedis, type BridgeRedis } from '../bridge-redis.ts';

/** A Redis for one store test, product `acme`, keys deleted afterwards; null when skipped. */
export async function testBridgeRedis(t: TestContext, productId = 'acme'): Promise<BridgeRedis | null> {
  const redis = await redisForTests(t);
  return redis && bridgeRedis(redis.client, redis.prefix, productId);
}

/** The backends every store's behaviour table runs against. */
export const BACKENDS = ['memory', 'redis'] as const;
export type BackendName = (typeof BACKENDS)[number];
