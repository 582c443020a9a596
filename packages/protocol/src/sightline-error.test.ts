import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SightlineError, defineErrors, isSightlineError } from './sightline-error.ts';

const { catalogue, createError } = defineErrors({
  SL_TEST_KEY: { status: 401, message: 'Key for {productId} is not valid ({constructor}, {missing}).' },
});

test('createError fills {name} slots from the details only, keeps code, status and details', () => {
  const error = createError('SL_TEST_KEY', { productId: 'acme' });
  assert.ok(error instanceof SightlineError);
  assert.equal(error.code, 'SL_TEST_KEY');
  assert.equal(error.status, 401);
  assert.deepEqual(error.details, { productId: 'acme' });
  // Inherited names ({constructor}) and missing ones stay as written instead of printing Object's internals.
  assert.equal(error.message, 'Key for acme is not valid ({constructor}, {missing}).');
  assert.equal(catalogue.SL_TEST_KEY.status, 401);
});

test('toJSON is the HTTP error body {"error":{"code","message"}}', () => {
  const error = createError('SL_TEST_KEY', { productId: 'acme', constructor: 'x', missing: 'y' });
  assert.equal(JSON.stringify(error), '{"error":{"code":"SL_TEST_KEY","message":"Key for acme is not valid (x, y)."}}');
});

test('isSightlineError checks the type and, when given, the code; a cause is kept', () => {
  const cause = new Error('socket hang up');
  const error = createError('SL_TEST_KEY', {}, { cause });
  assert.equal(isSightlineError(error), true);
  assert.equal(isSightlineError(error, 'SL_TEST_KEY'), true);
  assert.equal(isSightlineError(error, 'SL_OTHER'), false);
  assert.equal(isSightlineError(new Error('plain')), false);
  assert.equal(error.cause, cause);
});

test('isSightlineError recognises an error from a second installed copy of the package by its Symbol.for mark', () => {
  // What another copy's SightlineError looks like from here: a different class, the same registered symbol.
  const marker: unique symbol = Symbol.for('sightline.error') as never;
  class OtherCopyError extends Error {
    readonly [marker] = true;
    readonly code = 'SL_TEST_KEY';
    readonly status = 401;
  }
  const fromOtherCopy = new OtherCopyError('Key is not valid.');
  assert.equal(fromOtherCopy instanceof SightlineError, false);
  assert.equal(isSightlineError(fromOtherCopy), true);
  assert.equal(isSightlineError(fromOtherCopy, 'SL_TEST_KEY'), true);
  assert.equal(isSightlineError(fromOtherCopy, 'SL_OTHER'), false);
  assert.equal(isSightlineError({ [Symbol.for('sightline.error')]: true, code: 'SL_TEST_KEY', status: 401, message: 'plain object' }), true);
});

test('isSightlineError refuses a look-alike without the mark, with another mark, or with a mark but no code', () => {
  assert.equal(isSightlineError(Object.assign(new Error('no mark'), { code: 'SL_TEST_KEY', status: 401 })), false);
  assert.equal(isSightlineError({ [Symbol('sightline.error')]: true, code: 'SL_TEST_KEY' }), false);
  assert.equal(isSightlineError({ [Symbol.for('sightline.error')]: true }), false);
  assert.equal(isSightlineError({ [Symbol.for('sightline.error')]: 'yes', code: 'SL_TEST_KEY' }), false);
  assert.equal(isSightlineError(null), false);
  assert.equal(isSightlineError('SL_TEST_KEY'), false);
});
