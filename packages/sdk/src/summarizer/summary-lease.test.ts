import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createActionsPayload } from '@sightline/protocol';
import { RedisSummaryLease } from '../redis/redis-summary-lease.ts';
import { FakeClock } from '@sightline/protocol/testing';
import { redisForTests } from '../testing/redis-for-tests.ts';
import { SessionSummarizer } from './session-summarizer.ts';
import { localSummaryLease } from './summary-lease.ts';

const batch = createActionsPayload({ product_id: 'acme', session_id: 's1', forwarded_at: 1, actions: [{ type: 'click', description: 'Did it' }] });
const key = { productId: 'acme', sessionId: 's1' };

/** Waits for I/O, never for time to pass; fails after 5 s of real time. */
async function waitFor(condition: () => boolean, what: string): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > 5000) throw new Error(`timed out waiting for ${what}`);
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

describe('SummaryLease', () => {
  test('the local lease is always granted', async () => {
    const release = await localSummaryLease.acquire(key, 1000);
    assert.ok(release);
    assert.ok(await localSummaryLease.acquire(key, 1000));
    await release();
  });

  test('on Redis the lease is taken once until released, with a TTL, and a stale holder cannot release another one', async (t) => {
    const redis = await redisForTests(t);
    if (!redis) return;
    const first = new RedisSummaryLease({ client: redis.client, prefix: redis.prefix });
    const second = new RedisSummaryLease({ url: redis.url, prefix: redis.prefix });
    t.after(() => second.close());
    const release = await first.acquire(key, 60_000);
    assert.ok(release);
    assert.equal(await second.acquire(key, 60_000), null);
    const leaseKey = `${redis.prefix}{acme}:lease:summary:s1`;
    assert.ok((await redis.client.pttl(leaseKey)) > 0);
    await release();
    const again = await second.acquire(key, 60_000);
    assert.ok(again);
    await release();
    assert.notEqual(await redis.client.get(leaseKey), null, 'the first holder released only its own token');
    await again();
    assert.equal(await redis.client.get(leaseKey), null);
  });

  test('of two summarizers sharing a Redis lease, one calls the model for a session while the other leaves it', async (t) => {
    const redis = await redisForTests(t);
    if (!redis) return;
    const clock = new FakeClock();
    let open: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const calls = [0, 0];
    const summarizers = [0, 1].map(
      (which) =>
        new SessionSummarizer({
          llm: async () => {
            calls[which]!++;
            await gate;
            return `Summary by ${which}.`;
          },
          threshold: 1,
          clock,
          lease: new RedisSummaryLease({ client: redis.client, prefix: redis.prefix }),
        }),
    );
    const delivered: string[] = [];
    for (const summarizer of summarizers) summarizer.onSummary((summary) => void delivered.push(summary.summary));
    summarizers[0]!.add(batch);
    await waitFor(() => calls[0] === 1, 'the first model call');
    summarizers[1]!.add(batch);
    await summarizers[1]!.flush();
    open();
    await summarizers[0]!.flush();
    assert.deepEqual(calls, [1, 0]);
    assert.deepEqual(delivered, ['Summary by 0.']);
    for (const summarizer of summarizers) await summarizer.close({ summarizePending: false });
  });
});
