import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LruMap } from './lru-map.ts';

test('LruMap evicts the least recently used entry beyond its capacity and reports it', () => {
  const map = new LruMap<string, number>(2);
  assert.deepEqual(map.set('a', 1), []);
  map.set('b', 2);
  assert.equal(map.get('a'), 1);
  assert.deepEqual(map.set('c', 3), [['b', 2]]);
  assert.deepEqual([...map.keys()], ['a', 'c']);
  assert.deepEqual(map.oldest(), ['a', 1]);
});

test('LruMap.peek does not change recency; set on an existing key updates and touches it', () => {
  const map = new LruMap<string, number>(2);
  map.set('a', 1);
  map.set('b', 2);
  assert.equal(map.peek('a'), 1);
  map.set('a', 10);
  assert.deepEqual(map.set('c', 3), [['b', 2]]);
  assert.deepEqual([...map], [['a', 10], ['c', 3]]);
});

test('LruMap keeps order through deletes, clear and deletion while iterating', () => {
  const map = new LruMap<number, number>();
  for (let n = 0; n < 5; n++) map.set(n, n);
  map.delete(0);
  map.delete(4);
  map.get(1);
  assert.deepEqual([...map.keys()], [2, 3, 1]);
  for (const [key] of map) map.delete(key);
  assert.equal(map.size, 0);
  assert.equal(map.oldest(), undefined);
  map.set(7, 7);
  map.clear();
  assert.deepEqual([...map], []);
});

test('values and keys run from the least to the most recently used entry', () => {
  const map = new LruMap<string, number>(3);
  map.set('a', 1);
  map.set('b', 2);
  map.set('c', 3);
  map.get('a');
  assert.deepEqual([...map.keys()], ['b', 'c', 'a']);
  assert.deepEqual([...map.values()], [2, 3, 1]);
});
