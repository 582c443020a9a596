import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MIN_SECRET_BITS, secretBits } from './secret-strength.ts';

test('a hex secret holds 4 bits per character: 32 characters reach 128 bits, 31 do not', () => {
  assert.equal(secretBits('a'.repeat(32)), 128);
  assert.ok(secretBits('0123456789abcdef0123456789abcde') < MIN_SECRET_BITS);
});

test('a base64url secret holds 6 bits per character: 22 reach 128, 21 do not', () => {
  assert.ok(secretBits('Ab-_'.repeat(5) + 'Zz') >= MIN_SECRET_BITS);
  assert.ok(secretBits('Ab-_'.repeat(5) + 'Z') < MIN_SECRET_BITS);
});

test('digits only and passwords are measured by their own alphabet', () => {
  assert.equal(secretBits(''), 0);
  assert.equal(secretBits('1234567890'), 33);
  assert.ok(secretBits('hunter2 pass!') < MIN_SECRET_BITS);
  assert.ok(secretBits('correct horse battery staple!') >= MIN_SECRET_BITS);
});
