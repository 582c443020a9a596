import { test } from 'node:test';
import assert from 'node:assert/strict';
import { jitteredDelay, nextBackoff } from './backoff.ts';

test('the default schedule doubles from 1 s and caps at 30 s', () => {
  const steps: number[] = [];
  let backoff = 1000;
  for (let attempt = 0; attempt < 8; attempt++) {
    steps.push(backoff);
    backoff = nextBackoff(backoff, 30_000);
  }
  assert.deepEqual(steps, [1000, 2000, 4000, 8000, 16_000, 30_000, 30_000, 30_000]);
});

test('jitter is only ever added, between 0 and 10 % of the step', () => {
  assert.equal(jitteredDelay(1000, () => 0), 1000);
  assert.equal(jitteredDelay(1000, () => 0.5), 1050);
  assert.equal(jitteredDelay(30_000, () => 0.999_999), 33_000);
  assert.equal(jitteredDelay(16_000, () => 0.5), 16_800);
});

test('a random source outside [0, 1] is clamped', () => {
  assert.equal(jitteredDelay(1000, () => -5), 1000);
  assert.equal(jitteredDelay(1000, () => 7), 1100);
  assert.equal(jitteredDelay(1000, () => Number.NaN), 1000);
});
