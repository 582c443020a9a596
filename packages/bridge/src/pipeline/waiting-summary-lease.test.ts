import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { LeaseRelease, SessionKey, SummaryLease } from '@sightline/sdk';
import { FakeClock } from '@sightline/sdk/testing';
import { WaitingSummaryLease } from './waiting-summary-lease.ts';

const key: SessionKey = { productId: 'acme', sessionId: 's1' };

/** A lease held by someone else until `free()`. */
function busyLease(): SummaryLease & { attempts: number; free(): void } {
  let isHeld = true;
  const lease = {
    attempts: 0,
    free: () => {
      isHeld = false;
    },
    async acquire(): Promise<LeaseRelease | null> {
      lease.attempts++;
      return isHeld ? null : async () => undefined;
    },
  };
  return lease;
}

/** Lets pending promise callbacks run (no time passes). */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

test('a busy session is tried again every retryMs until the holder lets go', async () => {
  const clock = new FakeClock();
  const shared = busyLease();
  const lease = new WaitingSummaryLease({ lease: shared, clock, retryMs: 100 });
  let release: LeaseRelease | null | undefined;
  void lease.acquire(key, 10_000).then((value) => (release = value));
  await settle();
  assert.equal(shared.attempts, 1);
  await clock.advance(100);
  await settle();
  assert.equal(shared.attempts, 2);
  assert.equal(release, undefined, 'still waiting');
  shared.free();
  await clock.advance(100);
  await settle();
  assert.equal(typeof release, 'function');
});

test('waiting ends after the lease TTL, and at once on stop()', async () => {
  const clock = new FakeClock();
  const lease = new WaitingSummaryLease({ lease: busyLease(), clock, retryMs: 100 });
  let expired: LeaseRelease | null | undefined;
  void lease.acquire(key, 250).then((value) => (expired = value));
  for (let step = 0; step < 4; step++) {
    await settle();
    await clock.advance(100);
  }
  await settle();
  assert.equal(expired, null);

  let stopped: LeaseRelease | null | undefined;
  void lease.acquire(key, 60_000).then((value) => (stopped = value));
  await settle();
  lease.stop();
  await settle();
  await settle();
  assert.equal(stopped, null);
});
