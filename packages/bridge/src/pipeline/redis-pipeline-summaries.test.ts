/**
 * Summaries of one session split across two bridges on Redis (docs/scaling.md, "The pipeline on Redis"): each bridge
 * summarises the payloads it stored, and each summary continues the story the other one stored.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pino } from 'pino';
import { createActionsPayload, type ActionsPayload } from '@sightline/protocol';
import { systemClock, type SummaryInput } from '@sightline/sdk';
import { redisForTests } from '@sightline/sdk/testing';
import { testBridgeConfig } from '../server/__fixtures__/test-bridge.ts';
import { createBridgeStores } from '../server/bridge-stores.ts';
import { createBridgePipeline } from './bridge-pipeline.ts';

function batch(titles: string[]): ActionsPayload {
  const at = Date.now() / 1000;
  return createActionsPayload({
    product_id: 'acme',
    session_id: 's1',
    user_id: 'u-1',
    forwarded_at: at,
    actions: titles.map((title) => ({ type: 'click', title, description: `User clicked ${title}`, canonical_url: 'https://app.example.com/team', timestamp_start: at })),
  });
}

test('on Redis, a summary made by one bridge continues the story another bridge stored', async (t) => {
  const redis = await redisForTests(t);
  if (!redis) return;
  const config = testBridgeConfig({ streamUrl: 'http://127.0.0.1:9/stream/acme', streamKey: 'k', summaryThreshold: 2, redisUrl: redis.url, redisPrefix: redis.prefix });
  const logger = pino({ level: 'silent' });
  const inputs: Array<SummaryInput | undefined> = [];
  const bridges = ['first', 'second'].map((name) => {
    const stores = createBridgeStores(config, { clock: systemClock, logger });
    const pipeline = createBridgePipeline({
      config,
      clock: systemClock,
      logger,
      summaryLlm: async (_prompt, input) => {
        inputs.push(input);
        return `Story told by the ${name} bridge.`;
      },
      stores: stores.pipeline!,
    });
    t.after(async () => {
      await pipeline.stop();
      await stores.close();
    });
    return pipeline;
  });
  await bridges[0]!.ingest(batch(['Invite', 'Send']), { id: '5-1' });
  await bridges[0]!.summarizer.flush();
  // Bridge two stored the next payload first; the first one's copy of it is a replay.
  await bridges[1]!.ingest(batch(['Billing', 'Upgrade']), { id: '5-2' });
  await bridges[0]!.ingest(batch(['Billing', 'Upgrade']), { id: '5-2' });
  await bridges[1]!.summarizer.flush();
  await bridges[0]!.summarizer.flush();
  assert.deepEqual(
    inputs.map((input) => input?.previousSummary ?? null),
    [null, 'Story told by the first bridge.'],
  );
  const session = await bridges[0]!.store.getSession({ productId: 'acme', sessionId: 's1' });
  assert.equal(session.summary, 'Story told by the second bridge.');
  assert.deepEqual(session.recentActions.map((action) => action.title), ['Invite', 'Send', 'Billing', 'Upgrade']);
});
