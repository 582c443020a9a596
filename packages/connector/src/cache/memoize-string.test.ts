import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { memoizeString } from './memoize-string.ts';

function counted<T>(compute: (input: string) => T) {
  const calls: string[] = [];
  return { calls, compute: (input: string) => (calls.push(input), compute(input)) };
}

describe('memoizeString', () => {
  it('computes each input once and returns the remembered result after that', () => {
    const { calls, compute } = counted((input) => input.toUpperCase());
    const memo = memoizeString(compute);
    assert.equal(memo('a'), 'A');
    assert.equal(memo('a'), 'A');
    assert.equal(memo('b'), 'B');
    assert.deepEqual(calls, ['a', 'b']);
  });

  it('remembers null results too', () => {
    const { calls, compute } = counted((input) => (input === 'n' ? null : input));
    const memo = memoizeString(compute);
    memo('n');
    memo('n');
    assert.deepEqual(calls, ['n']);
  });

  it('forgets the oldest entry first once maxEntries are held', () => {
    const { calls, compute } = counted((input) => input.length);
    const memo = memoizeString(compute, { maxEntries: 2 });
    memo('a');
    memo('bb');
    memo('ccc'); // forgets 'a'
    memo('bb');
    memo('a');
    assert.deepEqual(calls, ['a', 'bb', 'ccc', 'a']);
  });

  it('keeps forgetting in insertion order after many evictions (the ring wraps around)', () => {
    const { calls, compute } = counted((input) => input.length);
    const memo = memoizeString(compute, { maxEntries: 3 });
    for (let round = 0; round < 10; round++) memo(`k${round}`);
    calls.length = 0;
    // Held now: k7, k8, k9; a new key forgets k7 only.
    memo('k8');
    memo('k9');
    memo('new');
    memo('k8');
    memo('k9');
    memo('k7');
    assert.deepEqual(calls, ['new', 'k7']);
  });

  it('never keeps inputs longer than maxKeyLength', () => {
    const { calls, compute } = counted((input) => input.length);
    const memo = memoizeString(compute, { maxKeyLength: 3 });
    assert.equal(memo('abcd'), 4);
    assert.equal(memo('abcd'), 4);
    assert.equal(memo('abc'), 3);
    assert.equal(memo('abc'), 3);
    assert.deepEqual(calls, ['abcd', 'abcd', 'abc']);
  });
});
