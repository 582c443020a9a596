import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../testing/fake-clock.ts';
import { CredentialGuard } from './credential-guard.ts';


const MINUTE = 60_000;

test('a fingerprint that never failed is looked up: refusal is 0', () => {
  const guard = new CredentialGuard(new FakeClock({ now: 1_732_230_000_000 }));
  assert.equal(guard.refusal('stream_key', 'fp-right'), 0);
});

test('a wrong value that already failed is refused until the window after its failure ends', async () => {
  const clock = new FakeClock({ now: 1_732_230_000_000 });
  const guard = new CredentialGuard(clock, { windowMs: 10 * MINUTE });
  const verdict = guard.recordFailure('stream_key', '203.0.113.7', 'fp-wrong');
  assert.equal(verdict.retryAfterS, 600);
  assert.equal(guard.refusal('stream_key', 'fp-wrong'), 600);
  await clock.advance(4 * MINUTE + 500);
  assert.equal(guard.refusal('stream_key', 'fp-wrong'), 360);
  await clock.advance(6 * MINUTE);
  assert.equal(guard.refusal('stream_key', 'fp-wrong'), 0);
});

test('after 40 wrong values from one address, the correct value from that address is still looked up', () => {
  const guard = new CredentialGuard(new FakeClock({ now: 1_732_230_000_000 }));
  for (let attempt = 0; attempt < 40; attempt += 1) guard.recordFailure('stream_key', '198.51.100.1', `fp-guess-${attempt}`);
  assert.equal(guard.failures('stream_key', '198.51.100.1'), 40);
  assert.equal(guard.refusal('stream_key', 'fp-right'), 0);
});

test('the same wrong value sent again from many addresses is refused for all of them', () => {
  const guard = new CredentialGuard(new FakeClock({ now: 1_732_230_000_000 }));
  guard.recordFailure('admin_token', '192.0.2.1', 'fp-leaked-old');
  assert.ok(guard.refusal('admin_token', 'fp-leaked-old') > 0);
  assert.equal(guard.failures('admin_token', '192.0.2.2'), 0);
});

test('the first free failures answer at once, then delays double up to the cap', () => {
  const guard = new CredentialGuard(new FakeClock({ now: 1_732_230_000_000 }), { freeFailures: 2, baseDelayMs: 100, maxDelayMs: 700 });
  const delays = Array.from({ length: 7 }, (_, attempt) => guard.recordFailure('webhook_secret', '192.0.2.9', `fp-${attempt}`).delayMs);
  assert.deepEqual(delays, [0, 0, 100, 200, 400, 700, 700]);
});

test('defaults: five free failures, then 250 ms doubling to 8 s', () => {
  const guard = new CredentialGuard(new FakeClock({ now: 1_732_230_000_000 }));
  const delays = Array.from({ length: 12 }, (_, attempt) => guard.recordFailure('stream_key', '192.0.2.9', `fp-${attempt}`).delayMs);
  assert.deepEqual(delays, [0, 0, 0, 0, 0, 250, 500, 1000, 2000, 4000, 8000, 8000]);
});

test('a huge number of failures keeps the delay at the cap', () => {
  const guard = new CredentialGuard(new FakeClock({ now: 1_732_230_000_000 }), { freeFailures: 0, baseDelayMs: 1, maxDelayMs: 50 });
  let verdict = guard.recordFailure('stream_key', 'a', 'fp');
  for (let attempt = 0; attempt < 2000; attempt += 1) verdict = guard.recordFailure('stream_key', 'a', `fp-${attempt}`);
  assert.equal(verdict.delayMs, 50);
});

test('kinds are counted apart per address and per fingerprint', () => {
  const guard = new CredentialGuard(new FakeClock({ now: 1_732_230_000_000 }), { freeFailures: 1 });
  guard.recordFailure('stream_key', '192.0.2.5', 'fp-same');
  guard.recordFailure('stream_key', '192.0.2.5', 'fp-other');
  assert.equal(guard.failures('admin_token', '192.0.2.5'), 0);
  assert.equal(guard.refusal('admin_token', 'fp-same'), 0);
  assert.equal(guard.recordFailure('admin_token', '192.0.2.5', 'fp-third').delayMs, 0);
});

test('an address quiet for a whole window starts again with its free failures', async () => {
  const clock = new FakeClock({ now: 1_732_230_000_000 });
  const guard = new CredentialGuard(clock, { freeFailures: 1, windowMs: MINUTE });
  guard.recordFailure('stream_key', 'a', 'fp-1');
  assert.ok(guard.recordFailure('stream_key', 'a', 'fp-2').delayMs > 0);
  await clock.advance(MINUTE - 1);
  assert.equal(guard.failures('stream_key', 'a'), 2);
  assert.ok(guard.recordFailure('stream_key', 'a', 'fp-3').delayMs > 0, 'a failure within the window extends the memory');
  await clock.advance(MINUTE);
  assert.equal(guard.failures('stream_key', 'a'), 0);
  assert.equal(guard.recordFailure('stream_key', 'a', 'fp-4').delayMs, 0);
});

test('memory is bounded: past maxEntries the least recently failed address and fingerprint are forgotten', () => {
  const guard = new CredentialGuard(new FakeClock({ now: 1_732_230_000_000 }), { maxEntries: 3 });
  guard.recordFailure('stream_key', 'a', 'fp-a');
  guard.recordFailure('stream_key', 'b', 'fp-b');
  guard.recordFailure('stream_key', 'c', 'fp-c');
  guard.recordFailure('stream_key', 'a', 'fp-a2');
  guard.recordFailure('stream_key', 'd', 'fp-d');
  assert.equal(guard.failures('stream_key', 'b'), 0);
  assert.equal(guard.failures('stream_key', 'a'), 2);
  assert.equal(guard.refusal('stream_key', 'fp-a'), 0);
  assert.equal(guard.refusal('stream_key', 'fp-b'), 0);
  assert.ok(guard.refusal('stream_key', 'fp-d') > 0);
  for (let index = 0; index < 10_000; index += 1) guard.recordFailure('stream_key', `addr-${index}`, `fp-${index}`);
  const sizes = guard as unknown as { byAddress: Map<string, unknown>; byFingerprint: Map<string, unknown> };
  assert.equal(sizes.byAddress.size, 3);
  assert.equal(sizes.byFingerprint.size, 3);
});

test('options that make no sense are refused at construction', () => {
  const clock = new FakeClock({ now: 1_732_230_000_000 });
  assert.throws(() => new CredentialGuard(clock, { windowMs: 0 }), RangeError);
  assert.throws(() => new CredentialGuard(clock, { maxEntries: 0 }), RangeError);
  assert.throws(() => new CredentialGuard(clock, { baseDelayMs: Number.NaN }), RangeError);
  assert.throws(() => new CredentialGuard(clock, { freeFailures: -1 }), RangeError);
});
