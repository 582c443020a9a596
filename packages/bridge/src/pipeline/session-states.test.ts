import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import { SessionStateName } from '@sightline/sdk';
import { FakeClock } from '@sightline/sdk/testing';
import { BACKENDS, testBridgeRedis, type BackendName } from '../redis/__fixtures__/test-redis.ts';
import { RedisSessionStateBackend } from './redis-session-states.ts';
import { MemorySessionStateBackend, SessionStates } from './session-states.ts';

const key = { productId: 'acme', sessionId: 's1' };

async function statesOf(backend: BackendName, t: TestContext, clock: FakeClock): Promise<SessionStates | null> {
  const options = { clock, interactionTimeoutS: 60, cooldownPeriodS: 120, pulseMs: 5_000 };
  if (backend === 'memory') return new SessionStates(options);
  const redis = await testBridgeRedis(t);
  return redis && new SessionStates({ ...options, backend: new RedisSessionStateBackend({ redis, lookbackSeconds: 300, clock }) });
}

for (const backend of BACKENDS) {
  test(`${backend}: a chat marks the session REACTIVE and it returns to THINKING after the idle timeout, with no payload`, async (t) => {
    const clock = new FakeClock();
    const states = await statesOf(backend, t, clock);
    if (!states) return;
    states.start();
    assert.equal((await states.touch(key)).state, SessionStateName.THINKING);
    await states.markReactive(key);
    assert.equal((await states.get(key))?.state, SessionStateName.REACTIVE);
    await clock.advance(55_000);
    await states.markReactive(key); // a second message resets the idle timer
    await clock.advance(55_000);
    assert.equal((await states.get(key))?.state, SessionStateName.REACTIVE);
    await clock.advance(10_000);
    assert.equal((await states.get(key))?.state, SessionStateName.THINKING, 'timed out without a payload');
    assert.equal((await states.get(key))?.isCooldownActive, true);
    states.stop();
    assert.equal(clock.pendingTimers, 0);
  });

  // docs/decisions/D-38-reply-to-an-offer.md
  test(`${backend}: a reply to a proactive offer moves PROACTIVE to REACTIVE`, async (t) => {
    const clock = new FakeClock();
    const states = await statesOf(backend, t, clock);
    if (!states) return;
    const state = await states.touch(key);
    assert.equal(state.transitionToProactive('ping-pong'), true);
    // The pipeline never offers on its own yet; an embedder that does stores the change with touch's state.
    await states.touch(key);
    await states.markReactive(key);
    assert.equal((await states.get(key))?.state, SessionStateName.REACTIVE);
  });

  test(`${backend}: the table counts states and forgets a session`, async (t) => {
    const clock = new FakeClock();
    const states = await statesOf(backend, t, clock);
    if (!states) return;
    await states.touch({ productId: 'acme', sessionId: 'a' });
    await states.markReactive({ productId: 'acme', sessionId: 'b' });
    assert.deepEqual(await states.counts(), { thinking: 1, proactive_assistance: 0, reactive_assistance: 1 });
    assert.equal(await states.delete({ productId: 'acme', sessionId: 'b' }), true);
    assert.equal(await states.get({ productId: 'acme', sessionId: 'b' }), undefined);
    assert.equal(await states.delete({ productId: 'acme', sessionId: 'b' }), false);
    assert.deepEqual(await states.counts(), { thinking: 1, proactive_assistance: 0, reactive_assistance: 0 });
  });
}

test('memory: the table is bounded (least recently touched dropped)', async () => {
  const backend = new MemorySessionStateBackend({ maxSessions: 2 });
  const states = new SessionStates({ clock: new FakeClock(), backend });
  await states.touch({ productId: 'acme', sessionId: 'a' });
  await states.markReactive({ productId: 'acme', sessionId: 'b' });
  await states.touch({ productId: 'acme', sessionId: 'c' });
  assert.equal(backend.size, 2);
  assert.equal(await states.get({ productId: 'acme', sessionId: 'a' }), undefined);
});

test('redis: two bridges share a session state; its key lives LOOKBACK_SECONDS as a "v":1 record', async (t) => {
  const redis = await testBridgeRedis(t);
  if (!redis) return;
  const clock = new FakeClock();
  const first = new SessionStates({ clock, backend: new RedisSessionStateBackend({ redis, lookbackSeconds: 300, clock }) });
  const second = new SessionStates({ clock, backend: new RedisSessionStateBackend({ redis, lookbackSeconds: 300, clock }) });
  await first.markReactive(key);
  assert.equal((await second.get(key))?.state, SessionStateName.REACTIVE);
  const stored = JSON.parse((await redis.client.get(`${redis.prefix}{acme}:session-state:s1`))!) as { v: number; snapshot: { _v: number } };
  assert.deepEqual([stored.v, stored.snapshot._v], [1, 2]);
  const ttl = await redis.client.pttl(`${redis.prefix}{acme}:session-state:s1`);
  assert.ok(ttl > 0 && ttl <= 300_000);
});
