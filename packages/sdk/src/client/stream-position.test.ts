import { describe, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { createActionsPayload, isSightlineError, type ActionsPayload } from '@sightline/protocol';
import { RedisStreamPositionStore } from '../redis/redis-stream-position-store.ts';
import { FakeClock } from '@sightline/protocol/testing';
import { redisForTests } from '../testing/redis-for-tests.ts';
import { startSseTestServer } from '../testing/sse-test-server.ts';
import { ConnectorClient } from './connector-client.ts';
import { silentLogger } from './logger.ts';
import { MemoryStreamPositionStore, productIdOfStreamUrl, type StreamPositionStore } from './stream-position.ts';

/** Waits for I/O, never for time to pass; fails after 5 s of real time. */
async function waitFor(condition: () => boolean, what: string): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > 5000) throw new Error(`timed out waiting for ${what}`);
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

function actions(sessionId: string): ActionsPayload {
  return createActionsPayload({ product_id: 'acme', session_id: sessionId, forwarded_at: 1, actions: [{ type: 'click' }] });
}

test('productIdOfStreamUrl reads the last path segment of /stream/<product>', () => {
  assert.equal(productIdOfStreamUrl('https://c.example.com/stream/acme'), 'acme');
  assert.equal(productIdOfStreamUrl('https://c.example.com/stream/a%20b/'), 'a b');
  assert.equal(productIdOfStreamUrl('https://c.example.com/other'), null);
});

const implementations: Array<{ name: string; make: (t: TestContext) => Promise<StreamPositionStore> }> = [
  { name: 'memory', make: async () => new MemoryStreamPositionStore() },
  {
    name: 'redis',
    make: async (t) => {
      const redis = await redisForTests(t);
      return redis ? new RedisStreamPositionStore({ client: redis.client, prefix: redis.prefix }) : new MemoryStreamPositionStore();
    },
  },
];

for (const { name, make } of implementations) {
  describe(`stream position (${name})`, () => {
    test('reads null before any write, then the latest position per product', async (t) => {
      const store = await make(t);
      assert.equal(await store.read('acme'), null);
      await store.write('acme', '7-1');
      await store.write('acme', '7-2');
      await store.write('other', '3-9');
      assert.equal(await store.read('acme'), '7-2');
      assert.equal(await store.read('other'), '3-9');
    });

    test('a client resumes from the stored position and stores the last handled id, in batches and on stop', async (t) => {
      const store = await make(t);
      await store.write('acme', '7-1');
      const server = await startSseTestServer();
      t.after(() => server.close());
      const clock = new FakeClock();
      const handled: string[] = [];
      let release: () => void = () => undefined;
      const held = new Promise<void>((resolve) => (release = resolve));
      const client = new ConnectorClient({ url: server.streamUrl('acme'), clock, logger: silentLogger, position: { store, everyPayloads: 2, everyMs: 60_000 } }).onActions(
        async (payload, meta) => {
          // Session s2's payload is held, so the position must wait for it even after later payloads finished.
          if (payload.session_id === 's2') await held;
          handled.push(meta.id!);
        },
      );
      const running = client.start();
      await server.waitForStreams(1);
      assert.equal(server.requests[0]!.lastEventId, '7-1');

      server.send(actions('s1'), { id: '7-2' });
      server.send(actions('s1'), { id: '7-3' });
      await waitFor(() => handled.length === 2, 'two payloads');
      assert.equal(await store.read('acme'), '7-3', 'written after two handled payloads');

      server.send(actions('s2'), { id: '7-4' });
      server.send(actions('s1'), { id: '7-5' });
      server.send(actions('s1'), { id: '7-6' });
      await waitFor(() => handled.length === 4, 'the s1 payloads');
      assert.equal(await store.read('acme'), '7-3', 'held back by the unfinished 7-4');
      release();
      await waitFor(() => handled.length === 5, 'the held payload');
      await client.stop();
      await running;
      assert.equal(await store.read('acme'), '7-6', 'written on stop');
    });
  });
}

describe('RedisStreamPositionStore', () => {
  test('keeps the position under <prefix>{<product>}:bridge:position as a v:1 record with a TTL, and refuses unknown versions', async (t) => {
    const redis = await redisForTests(t);
    if (!redis) return;
    const store = new RedisStreamPositionStore({ client: redis.client, prefix: redis.prefix });
    await store.write('acme', '7-2');
    const key = `${redis.prefix}{acme}:bridge:position`;
    assert.equal(JSON.parse((await redis.client.get(key))!).v, 1);
    assert.ok((await redis.client.pttl(key)) > 0);
    assert.equal(await new RedisStreamPositionStore({ client: redis.client, prefix: redis.prefix }).read('acme'), '7-2');
    await redis.client.set(key, JSON.stringify({ v: 9, id: 'x' }));
    await assert.rejects(store.read('acme'), (error: unknown) => isSightlineError(error, 'SL_STORE_RECORD_VERSION'));
  });
});
