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

  it('remembers undefined and null results too', () => {
    const { calls, compute } = counted((input) => (input === 'u' ? undefined : null));
    const memo = memoizeString(compute);
    memo('u');
    memo('u');
    memo('n');
    memo('n');
    assert.deepEqual(calls, ['u', 'n']);
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
