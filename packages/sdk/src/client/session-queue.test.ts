import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '@sightline/sdk/testing';
import { SessionQueue } from './session-queue.ts';

interface Item {
  key: string;
  value: number;
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((done) => (resolve = done));
  return { promise, resolve };
}

async function settle(): Promise<void> {
  for (let round = 0; round < 5; round++) await new Promise<void>((resolve) => setImmediate(resolve));
}

function recordingQueue(capacity: number, handle: (item: Item) => void | Promise<void> = () => undefined) {
  const errors: Array<{ item: Item; error: unknown }> = [];
  const queue = new SessionQueue<Item>({ capacity, handle, onError: (item, error) => errors.push({ item, error }) });
  const offer = (key: string, value: number) => queue.offer(key, { key, value });
  return { queue, offer, errors };
}

test('handlers never run inside offer, only on a later microtask', async () => {
  const seen: number[] = [];
  const { offer } = recordingQueue(10, (item) => void seen.push(item.value));
  offer('a', 1);
  assert.deepEqual(seen, []);
  await settle();
  assert.deepEqual(seen, [1]);
});

test('one lane runs in order while a slow item in another lane is pending', async () => {
  const gate = deferred();
  const seen: string[] = [];
  const { offer, queue } = recordingQueue(10, async (item) => {
    if (item.key === 'slow' && item.value === 1) await gate.promise;
    seen.push(`${item.key}${item.value}`);
  });
  offer('slow', 1);
  offer('slow', 2);
  offer('fast', 1);
  offer('fast', 2);
  offer('fast', 3);
  await settle();
  assert.deepEqual(seen, ['fast1', 'fast2', 'fast3']);
  assert.equal(queue.size, 2);
  gate.resolve();
  await queue.whenIdle();
  assert.deepEqual(seen, ['fast1', 'fast2', 'fast3', 'slow1', 'slow2']);
});

test('the bound counts waiting and running items and refuses the newest', async () => {
  const gate = deferred();
  const { offer, queue } = recordingQueue(2, () => gate.promise);
  assert.equal(offer('a', 1), true);
  await settle(); // item 1 is now running
  assert.equal(offer('b', 2), true);
  assert.equal(offer('c', 3), false);
  assert.equal(queue.size, 2);
  gate.resolve();
  await queue.whenIdle();
  assert.equal(offer('c', 3), true);
});

test('a throwing or rejecting handler is reported and its lane goes on', async () => {
  const seen: number[] = [];
  const { offer, queue, errors } = recordingQueue(10, async (item) => {
    if (item.value === 1) throw new Error('sync-ish');
    if (item.value === 2) return Promise.reject(new Error('async'));
    seen.push(item.value);
  });
  offer('a', 1);
  offer('a', 2);
  offer('a', 3);
  await queue.whenIdle();
  assert.deepEqual(seen, [3]);
  assert.deepEqual(errors.map((entry) => entry.item.value), [1, 2]);
});

test('a barrier waits for everything before it and holds everything after it', async () => {
  const gate = deferred();
  const log: string[] = [];
  const queue = new SessionQueue<Item>({
    capacity: 10,
    handle: async (item) => {
      if (item.key === 'a' && item.value === 1) await gate.promise;
      log.push(`${item.key}${item.value}`);
    },
    onError: () => undefined,
  });
  queue.offer('a', { key: 'a', value: 1 });
  queue.offer('b', { key: 'b', value: 1 });
  queue.offerBarrier({ key: 'gap', value: 0 });
  queue.offer('b', { key: 'b', value: 2 });
  queue.offer('c', { key: 'c', value: 1 });
  await settle();
  assert.deepEqual(log, ['b1']);
  gate.resolve();
  await queue.whenIdle();
  assert.equal(log.slice(0, 3).join(','), 'b1,a1,gap0');
  assert.deepEqual(log.slice(3).sort(), ['b2', 'c1']);
});

test('a barrier on an idle queue runs at once and later barriers keep their order', async () => {
  const log: string[] = [];
  const queue = new SessionQueue<Item>({ capacity: 10, handle: (item) => void log.push(`${item.key}${item.value}`), onError: () => undefined });
  queue.offerBarrier({ key: 'gap', value: 1 });
  queue.offer('a', { key: 'a', value: 1 });
  queue.offerBarrier({ key: 'gap', value: 2 });
  queue.offer('a', { key: 'a', value: 2 });
  await queue.whenIdle();
  assert.deepEqual(log, ['gap1', 'a1', 'gap2', 'a2']);
});

test('drain resolves with nothing left once every item is handled', async () => {
  const clock = new FakeClock();
  const seen: number[] = [];
  const { offer, queue } = recordingQueue(10, async (item) => {
    await Promise.resolve();
    seen.push(item.value);
  });
  offer('a', 1);
  offer('b', 2);
  assert.deepEqual(await queue.drain(10_000, clock), []);
  assert.deepEqual(seen.sort(), [1, 2]);
  assert.equal(queue.isClosed, true);
  assert.equal(offer('a', 3), false);
});

test('at the drain deadline, items not started are cancelled and returned in order', async () => {
  const clock = new FakeClock();
  const never = new Promise<void>(() => undefined);
  const seen: number[] = [];
  const { offer, queue } = recordingQueue(10, (item) => {
    seen.push(item.value);
    return item.value === 1 ? never : undefined;
  });
  offer('a', 1);
  offer('a', 2);
  queue.offerBarrier({ key: 'gap', value: 3 });
  offer('b', 4);
  const drained = queue.drain(10_000, clock);
  await clock.advance(9_999);
  assert.equal(queue.size, 4);
  await clock.advance(1);
  assert.deepEqual((await drained).map((item) => item.value), [2, 3, 4]);
  assert.equal(queue.size, 1); // the abandoned handler of item 1
  await settle();
  assert.deepEqual(seen, [1]);
});
