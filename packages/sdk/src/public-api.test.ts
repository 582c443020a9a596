/**
 * The SDK as another package uses it: everything below is imported through the package names only
 * ('@sightline/sdk', '@sightline/sdk/testing', '@sightline/protocol'), never through src/ paths.
 * It wires a ConnectorClient into a ContextStore (with a summarizer and the user index) against a
 * real SSE server and reads a user's context back.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createActionsPayload, createSummaryPayload } from '@sightline/protocol';
import {
  ActivityTracker,
  ConnectorClient,
  ContextStore,
  SessionSummarizer,
  assembleChatContext,
  buildUserPromptBlock,
  silentLogger,
} from '@sightline/sdk';
import {
  DEFAULT_REDIS_PREFIX,
  RedisActivityBackend,
  RedisContextBackend,
  RedisStreamPositionStore,
  RedisSummaryLease,
  RedisUserSessionIndex,
  redactRedisUrl,
} from '@sightline/sdk/redis';
import { FakeClock, FakeLlm, redisForTests, startSseTestServer } from '@sightline/sdk/testing';

/** Waits for I/O (never for time to pass); fails after 5 s of real time. */
async function waitFor(condition: () => boolean, what: string): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > 5000) throw new Error(`timed out waiting for ${what}`);
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

test('ConnectorClient → ContextStore (summarizer, user index) through the public exports: forUser() has the streamed activity', async (t) => {
  const server = await startSseTestServer({ token: 'sk_test' });
  const clock = new FakeClock({ now: 1_700_000_000_000 });
  const llm = new FakeLlm({ reply: '  The user opened Reports and exported a CSV.  ' });
  const summarizer = new SessionSummarizer({ llm: llm.fn, threshold: 3, clock });
  const store = new ContextStore({ summarizer, clock });
  // Wired exactly as the README shows: the handlers return store.add()'s promise, which the client awaits.
  const client = new ConnectorClient({ url: server.streamUrl('acme'), token: 'sk_test', clock, logger: silentLogger })
    .onActions((payload) => store.add(payload))
    .onSummary((payload) => store.add(payload));
  /** Resolves once the frame with this id was read and every callback has finished. */
  const handledThrough = (id: string): Promise<void> => waitFor(() => client.lastEventId === id && client.queueSize === 0, `payloads through ${id}`);
  const running = client.start();
  t.after(async () => {
    await client.stop();
    await running;
    await store.close();
    await summarizer.close({ summarizePending: false });
    await server.close();
  });
  await server.waitForStreams(1);

  const at = 1_700_000_000;
  server.send(
    createActionsPayload({
      product_id: 'acme',
      session_id: 'ps_1',
      user_id: 'user_42',
      email: 'ada@example.com',
      forwarded_at: at,
      actions: [
        { type: 'pageview', description: 'User opened the Reports page', canonical_url: '/reports', timestamp_start: at },
        { type: 'click', description: 'User clicked Export CSV', canonical_url: '/reports', timestamp_start: at + 1 },
      ],
    }),
    { id: '1-1' },
  );
  await handledThrough('1-1');

  const first = await store.forUser('user_42');
  assert.equal(
    first.text,
    'Session ps_1 (acme):\nRecent activity:\n1. [0] pageview: User opened the Reports page \u2014 /reports\n2. [1] click: User clicked Export CSV \u2014 /reports',
  );
  assert.equal(first.email, 'ada@example.com');
  assert.equal(first.hasActivity, true);
  assert.equal(first.sessions[0]?.actions.at(-1)?.description, 'User clicked Export CSV');
  assert.equal(llm.calls.length, 0, 'two actions are below the threshold of 3');

  // A second session of the same user, then the action that takes ps_1 to the summary threshold.
  await clock.advance(1000);
  server.send(
    createActionsPayload({
      product_id: 'acme',
      session_id: 'ps_2',
      user_id: 'user_42',
      forwarded_at: at + 1,
      actions: [{ type: 'click', description: 'User clicked Billing', canonical_url: '/settings/billing', timestamp_start: at + 1 }],
    }),
    { id: '1-2' },
  );
  await clock.advance(1000);
  server.send(
    createActionsPayload({
      product_id: 'acme',
      session_id: 'ps_1',
      user_id: 'user_42',
      forwarded_at: at + 2,
      actions: [{ index: 2, type: 'submit', description: 'User submitted the export form', canonical_url: '/reports/export', timestamp_start: at + 2 }],
    }),
    { id: '1-3' },
  );
  await handledThrough('1-3');
  await summarizer.flush();

  assert.equal(llm.calls.length, 1);
  assert.ok(
    llm.calls[0]!.prompt.includes(
      '1. [0] pageview: User opened the Reports page \u2014 /reports\n2. [1] click: User clicked Export CSV \u2014 /reports\n3. [2] submit: User submitted the export form \u2014 /reports/export',
    ),
  );
  const second = await store.forUser('user_42');
  // Newest session first; the summary replaced the actions it covers
  // (docs/decisions/D-21-summarised-actions-left-out.md).
  assert.equal(
    second.text,
    'Session ps_1 (acme):\nSummary: The user opened Reports and exported a CSV.\n\n' +
      'Session ps_2 (acme):\nRecent activity:\n1. [0] click: User clicked Billing \u2014 /settings/billing',
  );
  assert.equal((await store.forUser('user_42', { sessions: 1 })).sessions.length, 1);
  assert.equal(
    await store.enrich({ productId: 'acme', sessionId: 'ps_2' }, 'Where is my invoice?'),
    '[Session context]\nRecent activity:\n1. [0] click: User clicked Billing \u2014 /settings/billing\n\n[Query]\nWhere is my invoice?',
  );

  // A connector-side summary stands in for the oldest stored actions of its session.
  server.send(createSummaryPayload({ product_id: 'acme', session_id: 'ps_2', summary: 'Looked at billing.', replaces: 1, forwarded_at: at + 3 }), { id: '1-4' });
  await handledThrough('1-4');
  assert.equal(await store.get({ productId: 'acme', sessionId: 'ps_2' }), 'Summary: Looked at billing.');

  const prompt = buildUserPromptBlock(await assembleChatContext({ store, target: { userId: 'user_42' }, userMessage: 'How do I send the export?' }));
  assert.equal(
    prompt,
    '[RECENT PRODUCT ACTIVITY]\nSession ps_1 (acme):\nSummary: The user opened Reports and exported a CSV.\n\n' +
      'Session ps_2 (acme):\nSummary: Looked at billing.\n\n[CURRENT USER MESSAGE]\nHow do I send the export?',
  );
  assert.equal(client.lastEventId, '1-4');
  assert.equal(client.droppedCount, 0);
  assert.equal(client.malformedCount, 0);
});

test('ActivityTracker through the public exports: a structured action gives the tab its page', async () => {
  const tracker = new ActivityTracker();
  const payload = createActionsPayload({ product_id: 'acme', session_id: 'ps_1', forwarded_at: 1_700_000_000, actions: [{ type: 'pageview', timestamp_start: 1_700_000_000 }] });
  const action = { ...payload.actions[0]!, window_id: 'w1', page: { title: 'Reports', path: '/reports' }, step: 'navigate' as const };
  const [state] = await tracker.apply({ ...payload, actions: [action] });
  assert.deepEqual(state?.page, { title: 'Reports', path: '/reports', since: 1_700_000_000 });
  assert.deepEqual(state?.key, { productId: 'acme', sessionId: 'ps_1', windowId: 'w1' });
});

test('the main entry stays fetch-only: no node: modules and no package but protocol and eventsource-parser', () => {
  const sourceRoot = fileURLToPath(new URL('.', import.meta.url));
  const files = (function collect(dir: string): string[] {
    return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
      const path = join(dir, entry.name);
      // testing/, redis/ and playbook/ are subpaths of their own (Node only); the main entry never imports them.
      if (entry.isDirectory()) return ['testing', 'redis', 'playbook'].includes(entry.name) ? [] : collect(path);
      return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
    });
  })(sourceRoot);
  assert.ok(files.length > 10);
  for (const file of files) {
    const specifiers = [...readFileSync(file, 'utf8').matchAll(/^\s*(?:import|export)\b[^'"]*?from\s+'([^']+)'/gm)].map((match) => match[1]!);
    for (const specifier of specifiers) {
      const allowed = specifier.startsWith('./') || specifier.startsWith('../') || specifier === '@sightline/protocol' || specifier === 'eventsource-parser';
      assert.ok(allowed, `${relative(sourceRoot, file)} imports ${specifier}`);
      assert.ok(!specifier.includes('/testing'), `${relative(sourceRoot, file)} imports the testing subpath`);
      assert.ok(!specifier.includes('/redis/'), `${relative(sourceRoot, file)} imports the redis subpath`);
      assert.ok(!specifier.includes('/playbook/'), `${relative(sourceRoot, file)} imports the playbook subpath`);
    }
  }
});

test('the Redis backends through @sightline/sdk/redis: a store, an index, a tracker, a lease and a position store built from { client, prefix }', async (t) => {
  assert.equal(DEFAULT_REDIS_PREFIX, 'sightline:');
  assert.equal(redactRedisUrl('rediss://app:secret@redis.example.com:6380/0'), 'rediss://***@redis.example.com:6380/0');
  const redis = await redisForTests(t);
  if (!redis) return;
  const connection = { client: redis.client, prefix: redis.prefix };
  const store = new ContextStore({ backend: new RedisContextBackend(connection), userIndex: new RedisUserSessionIndex(connection) });
  const payload = createActionsPayload({ product_id: 'acme', session_id: 'ps_1', user_id: 'user_42', forwarded_at: 1, actions: [{ type: 'click', description: 'Clicked' }] });
  assert.equal(await store.add(payload, { id: '1-1' }), true);
  assert.equal(await store.add(payload, { id: '1-1' }), false);
  assert.equal((await store.forUser('user_42')).sessions.length, 1);
  const tracker = new ActivityTracker({ backend: new RedisActivityBackend(connection) });
  assert.equal((await tracker.apply(payload)).length, 1);
  assert.ok(await new RedisSummaryLease(connection).acquire({ productId: 'acme', sessionId: 'ps_1' }, 1000));
  const positions = new RedisStreamPositionStore(connection);
  await positions.write('acme', '1-1');
  assert.equal(await positions.read('acme'), '1-1');
});
