import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LruMap } from './lru-map.ts';

test('LruMap evicts the least recently used entry; get counts as use, peek does not', () => {
  const evicted: string[] = [];
  const map = new LruMap<string, number>(2, (key) => evicted.push(key));
  map.set('a', 1).set('b', 2);
  map.get('a');
  map.set('c', 3);
  assert.deepEqual(evicted, ['b']);
  map.peek('a');
  map.set('d', 4);
  assert.deepEqual(evicted, ['b', 'a']);
  assert.deepEqual([...map.keys()], ['c', 'd']);
  assert.throws(() => new LruMap(0), RangeError);
});
