import { test } from 'node:test';
import assert from 'node:assert/strict';
import { asRecord, identifier } from './as-record.ts';

test('asRecord gives back plain objects only', () => {
  const object = { a: 1 };
  assert.equal(asRecord(object), object);
  for (const value of [null, undefined, [], 'x', 3, true]) assert.equal(asRecord(value), undefined);
});

test('identifier trims strings, writes finite numbers, and refuses blanks and other types', () => {
  assert.equal(identifier(' u-42 '), 'u-42');
  assert.equal(identifier(42), '42');
  for (const value of ['', '   ', Number.NaN, Number.POSITIVE_INFINITY, null, {}, ['a']]) assert.equal(identifier(value), undefined);
});
