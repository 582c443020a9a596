import { test } from 'node:test';
import assert from 'node:assert/strict';
import { planReconnect, type ReconnectOptions } from './reconnect-policy.ts';

const options: ReconnectOptions = { initialBackoffMs: 1000, maxBackoffMs: 30_000, maxRetries: 2, healthyStreamMs: 30_000 };
const noJitter = (): number => 0;

test('an attempt that never connected waits the backoff, counts a retry and doubles the next step', () => {
  const plan = planReconnect({ backoff: 4000, retryCount: 1 }, { connectedForMs: null, backoffBeforeConnect: 4000 }, options, noJitter);
  assert.deepEqual(plan, { healthy: false, retryCount: 2, delay: 4000, exhausted: false, nextBackoff: 8000 });
});

test('a healthy stream reconnects at once with the backoff and the retry count reset', () => {
  const plan = planReconnect({ backoff: 16_000, retryCount: 3 }, { connectedForMs: 30_000, backoffBeforeConnect: 16_000 }, options, noJitter);
  assert.deepEqual(plan, { healthy: true, retryCount: 0, delay: 0, exhausted: false, nextBackoff: 1000 });
});

test('a stream that died young restarts the retry count but keeps backing off from the step it connected with', () => {
  const plan = planReconnect({ backoff: 8000, retryCount: 2 }, { connectedForMs: 500, backoffBeforeConnect: 8000 }, options, noJitter);
  assert.deepEqual(plan, { healthy: false, retryCount: 1, delay: 8000, exhausted: false, nextBackoff: 16_000 });
});

test('retries are exhausted once the failures in a row pass maxRetries', () => {
  const plan = planReconnect({ backoff: 4000, retryCount: 2 }, { connectedForMs: null, backoffBeforeConnect: 4000 }, options, noJitter);
  assert.equal(plan.exhausted, true);
  assert.equal(plan.retryCount, 3);
  assert.equal(planReconnect({ backoff: 4000, retryCount: 2 }, { connectedForMs: null, backoffBeforeConnect: 4000 }, { ...options, maxRetries: undefined }, noJitter).exhausted, false);
});

test('the wait carries the jitter drawn from the random source', () => {
  const plan = planReconnect({ backoff: 1000, retryCount: 0 }, { connectedForMs: null, backoffBeforeConnect: 1000 }, options, () => 0.5);
  assert.equal(plan.delay, 1050);
});
