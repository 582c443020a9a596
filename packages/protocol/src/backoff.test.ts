import { test } from 'node:test';
import assert from 'node:assert/strict';
import { backoffDelay } from './backoff.ts';

const policy = { initialMs: 1_000, maxMs: 30_000 };

test('backoffDelay doubles from the first wait and stops at the cap', () => {
  assert.deepEqual([1, 2, 3, 4, 5, 6, 7].map((failures) => backoffDelay(failures, policy)), [1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000]);
});

test('backoffDelay is zero before any failure and for a zero first wait, and the cap past the float range', () => {
  assert.equal(backoffDelay(0, policy), 0);
  assert.equal(backoffDelay(5, { initialMs: 0, maxMs: 8_000 }), 0);
  assert.equal(backoffDelay(5_000, policy), 30_000);
});
