import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import { BACKENDS, testBridgeRedis, type BackendName } from '../redis/__fixtures__/test-redis.ts';
import { RedisSessionProducts } from './redis-session-products.ts';
import { MemorySessionProducts, type SessionProducts } from './session-products.ts';

async function productsOf(backend: BackendName, t: TestContext): Promise<SessionProducts | null> {
  if (backend === 'memory') return new MemorySessionProducts();
  const redis = await testBridgeRedis(t);
  return redis && new RedisSessionProducts({ redis, lookbackSeconds: 300 });
}

for (const backend of BACKENDS) {
  test(`${backend}: a session lists every product it was seen in, once each, and forgets them one by one`, async (t) => {
    const products = await productsOf(backend, t);
    if (!products) return;
    assert.deepEqual(await products.productsOf('s1'), []);
    await products.add('s1', 'acme');
    await products.add('s1', 'acme');
    await products.add('s1', 'beta');
    assert.deepEqual((await products.productsOf('s1')).sort(), ['acme', 'beta']);
    assert.equal(await products.remove('s1', 'acme'), true);
    assert.equal(await products.remove('s1', 'acme'), false);
    assert.deepEqual(await products.productsOf('s1'), ['beta']);
  });
}

test('redis: a session products key lives LOOKBACK_SECONDS', async (t) => {
  const redis = await testBridgeRedis(t);
  if (!redis) return;
  await new RedisSessionProducts({ redis, lookbackSeconds: 300 }).add('s1', 'acme');
  const ttl = await redis.client.pttl(redis.key(['session-products', 's1']));
  assert.ok(ttl > 0 && ttl <= 300_000);
});
