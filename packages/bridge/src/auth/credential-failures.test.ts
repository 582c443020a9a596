import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import { CredentialGuard } from '@sightline/protocol/internal';
import { FakeClock } from '@sightline/sdk/testing';
import { BACKENDS, testBridgeRedis, type BackendName } from '../redis/__fixtures__/test-redis.ts';
import { guardFailures, type CredentialFailures } from './credential-failures.ts';
import { RedisCredentialFailures } from './redis-credential-failures.ts';

const OPTIONS = { freeFailures: 2, baseDelayMs: 100, maxDelayMs: 300, windowMs: 60_000 };

async function failuresOf(backend: BackendName, t: TestContext): Promise<CredentialFailures | null> {
  if (backend === 'memory') return guardFailures(new CredentialGuard(new FakeClock(), OPTIONS));
  const redis = await testBridgeRedis(t);
  return redis && new RedisCredentialFailures({ redis, ...OPTIONS });
}

for (const backend of BACKENDS) {
  test(`${backend}: an address's wrong values are free up to freeFailures, then slowed, doubling to the cap`, async (t) => {
    const failures = await failuresOf(backend, t);
    if (!failures) return;
    const delays: number[] = [];
    for (let attempt = 0; attempt < 6; attempt++) delays.push((await failures.recordFailure('bridge_key', '203.0.113.9', `fp-${attempt}`)).delayMs);
    assert.deepEqual(delays, [0, 0, 100, 200, 300, 300]);
    assert.equal((await failures.recordFailure('bridge_key', '198.51.100.1', 'fp-x')).delayMs, 0, 'another address starts free');
    assert.equal((await failures.recordFailure('admin_token', '203.0.113.9', 'fp-y')).delayMs, 0, 'each kind is counted apart');
    assert.equal((await failures.recordFailure('bridge_key', '203.0.113.9', 'fp-z')).retryAfterS, 60);
  });

  test(`${backend}: a value that failed is refused for the window; a value that never failed is not`, async (t) => {
    const failures = await failuresOf(backend, t);
    if (!failures) return;
    assert.equal(await failures.refusal('bridge_key', 'fp-1'), 0);
    await failures.recordFailure('bridge_key', '203.0.113.9', 'fp-1');
    const refusal = await failures.refusal('bridge_key', 'fp-1');
    assert.ok(refusal > 0 && refusal <= 60, `refused for the rest of the window (${refusal} s)`);
    assert.equal(await failures.refusal('admin_token', 'fp-1'), 0, 'per kind');
    assert.equal(await failures.refusal('bridge_key', 'fp-2'), 0);
  });
}

test('redis: failures counted through one bridge are seen through another, and their keys expire with the window', async (t) => {
  const redis = await testBridgeRedis(t);
  if (!redis) return;
  const first = new RedisCredentialFailures({ redis, ...OPTIONS });
  const second = new RedisCredentialFailures({ redis, ...OPTIONS });
  await first.recordFailure('bridge_key', '203.0.113.9', 'fp-1');
  await first.recordFailure('bridge_key', '203.0.113.9', 'fp-2');
  assert.ok((await second.refusal('bridge_key', 'fp-1')) > 0);
  assert.equal((await second.recordFailure('bridge_key', '203.0.113.9', 'fp-3')).delayMs, 100, 'the third failure of the address');
  const ttl = await redis.client.pttl(redis.key(['guard', 'address', 'bridge_key', '203.0.113.9']));
  assert.ok(ttl > 0 && ttl <= 60_000);
});
