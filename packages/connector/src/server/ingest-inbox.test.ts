/**
 * Nothing acknowledged is lost on Redis: the pipeline holds accepted events in Redis before the door answers, the
 * append of the batch that carries them releases the hold in the same step, and another instance takes over the
 * holds of an instance that died within its batching window. Against a real Redis (skipped without one, unless
 * SIGHTLINE_REQUIRE=redis).
 */
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { pino } from 'pino';
import type { ActionsPayload } from '@sightline/protocol';
import { redisForTests, type TestRedis } from '@sightline/sdk/testing';
import { StreamHub } from '../hub/stream-hub.ts';
import type { CapturedEvent } from '../ingest/captured-event.ts';
import { normalizeWebhookBody } from '../ingest/normalize-webhook-body.ts';
import { RedisEventLog } from '../log/redis-event-log.ts';
import { createConnectorMetrics } from '../metrics/connector-metrics.ts';
import { FakeClock } from '@sightline/protocol/testing';
import { recordCommands } from '../testing/record-commands.ts';
import { IngestPipeline } from './ingest-pipeline.ts';

const PRODUCT = 'helpdesk';

/** A help desk's agent clicking through tickets: one `$autocapture` click per label, in one session. */
function clicks(session: string, labels: readonly string[]): CapturedEvent[] {
  const batch = labels.map((label, position) => ({
    event: '$autocapture', event_type: 'click', uuid: `${session}-${label}`, distinct_id: `agent-${session}`, session_id: session,
    timestamp: new Date(1_732_230_000_000 + position * 1000).toISOString(),
    current_url: 'https://desk.example.org/tickets/open', elements_chain: `button:text="${label}"nth-child="1"nth-of-type="1"`,
  }));
  return normalizeWebhookBody({ batch }, 1_732_230_000_000).events;
}

interface Instance {
  pipeline: IngestPipeline;
  log: RedisEventLog;
  clock: FakeClock;
}

/** One connector instance's pipeline on the shared Redis, with a long batching window that only `flush` ends. */
async function instance(t: TestContext, redis: TestRedis, startedAt?: number): Promise<Instance> {
  const clock = new FakeClock({ now: startedAt });
  const log = new RedisEventLog({ redis: redis.url, prefix: redis.prefix, clock });
  await log.connect();
  t.after(() => log.close());
  const pipeline = new IngestPipeline({
    log, hub: new StreamHub({ clock }), metrics: createConnectorMetrics({ defaultMetrics: false }), clock,
    logger: pino({ level: 'silent' }), batchWindowMs: 60_000, isFannedOutFromLog: true, inbox: log,
  });
  return { pipeline, log, clock };
}

async function loggedTitles(log: RedisEventLog): Promise<string[]> {
  const epoch = await log.epochOf(PRODUCT);
  const { entries } = await log.readAfter(PRODUCT, `${epoch}-0`);
  return entries.flatMap((entry) => (entry.payload as ActionsPayload).actions.map((action) => action.title));
}

async function heldCount(redis: TestRedis): Promise<number> {
  return redis.client.hlen(`${redis.prefix}{${PRODUCT}}:inbox`);
}

test('accepted events are held until their batch is logged, and the append releases them', async (t) => {
  const redis = await redisForTests(t);
  if (!redis) return;
  const { pipeline, log } = await instance(t, redis);
  await pipeline.accept(PRODUCT, clicks('s1', ['Assign', 'Merge']));
  await pipeline.accept(PRODUCT, clicks('s2', ['Close ticket']));
  assert.equal(await heldCount(redis), 2);
  assert.deepEqual(await loggedTitles(log), []);
  await pipeline.flush();
  assert.equal((await loggedTitles(log)).length, 3);
  assert.equal(await heldCount(redis), 0);
  assert.equal(await redis.client.zcard(`${redis.prefix}{${PRODUCT}}:inbox-at`), 0);
});

test('a hold none of whose events becomes an action is released at once', async (t) => {
  const redis = await redisForTests(t);
  if (!redis) return;
  const { pipeline } = await instance(t, redis);
  const [leave] = normalizeWebhookBody({ event: '$pageleave', distinct_id: 'agent-9', session_id: 's9', current_url: 'https://desk.example.org/' }, Date.now()).events;
  await pipeline.accept(PRODUCT, [leave!]);
  await pipeline.flush();
  assert.equal(await heldCount(redis), 0);
});

test('a request split over several batches stays held until its last batch is logged', async (t) => {
  const redis = await redisForTests(t);
  if (!redis) return;
  const { pipeline, log } = await instance(t, redis);
  // 150 clicks of one session: the sessionizer sends 100 at once, the other 50 wait for the window.
  const labels = Array.from({ length: 150 }, (_, position) => `Reply ${position}`);
  await pipeline.accept(PRODUCT, clicks('long', labels));
  // Let the first batch's append finish.
  await new Promise((resolve) => setTimeout(resolve, 50));
  assert.equal((await loggedTitles(log)).length, 100);
  assert.equal(await heldCount(redis), 1, 'the request is still held for its 50 unsent clicks');
  await pipeline.flush();
  assert.equal((await loggedTitles(log)).length, 150);
  assert.equal(await heldCount(redis), 0);
});

test('events acknowledged by an instance that died before logging them are logged once by another instance', async (t) => {
  const redis = await redisForTests(t);
  if (!redis) return;
  const dead = await instance(t, redis);
  await dead.pipeline.accept(PRODUCT, clicks('s1', ['Assign', 'Merge']));
  await dead.pipeline.accept(PRODUCT, clicks('s2', ['Escalate']));
  // The instance dies here: its sessionizer's window never ends, nothing of it is flushed.

  // A minute later, two survivors look for holds older than a 30-second grace.
  const first = await instance(t, redis, dead.clock.now() + 60_000);
  const second = await instance(t, redis, dead.clock.now() + 60_000);
  const olderThan = first.clock.now() - 30_000;
  // Too young: a live instance may still log them.
  assert.equal(await first.pipeline.recoverStale(PRODUCT, dead.clock.now() - 1, 100), 0);
  // Both survivors look at once: each hold goes to exactly one of them.
  const recovered = await Promise.all([first.pipeline.recoverStale(PRODUCT, olderThan, 100), second.pipeline.recoverStale(PRODUCT, olderThan, 100)]);
  assert.equal(recovered[0] + recovered[1], 3);
  // Taken over, they are held by their new instance until it logs them.
  assert.equal(await heldCount(redis), 2);
  await first.pipeline.flush();
  await second.pipeline.flush();
  assert.deepEqual((await loggedTitles(first.log)).sort(), ["Clicked 'Assign'", "Clicked 'Escalate'", "Clicked 'Merge'"].sort());
  assert.equal(await heldCount(redis), 0);
  // Nothing is left to take over.
  assert.equal(await first.pipeline.recoverStale(PRODUCT, olderThan, 100), 0);
});

test('a request of ten events costs two Redis commands: its hold, and the append that logs and releases it', async (t) => {
  const redis = await redisForTests(t);
  if (!redis) return;
  const { pipeline, log } = await instance(t, redis);
  // Warm up: the scripts are loaded into Redis on first use.
  await pipeline.accept(PRODUCT, clicks('warm', ['Open']));
  await pipeline.flush();
  const sent = recordCommands(log.redis);
  await pipeline.accept(PRODUCT, clicks('s1', ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10']));
  await pipeline.flush();
  assert.deepEqual(sent, ['evalsha', 'evalsha']);
  assert.equal(await heldCount(redis), 0);
});
