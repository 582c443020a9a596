import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { redactKnownValues } from './redact-known-values.ts';

describe('redactKnownValues', () => {
  it('replaces whole occurrences of known values, case-insensitively and percent-encoded', () => {
    assert.equal(redactKnownValues('Profile of u-4821 (U-4821)', ['u-4821']), 'Profile of [user] ([user])');
    assert.equal(redactKnownValues('/people/jane%2Bx%40a.io', ['jane+x@a.io'], '[email]'), '/people/[email]');
  });

  it('never throws on a value with a lone surrogate', () => {
    assert.equal(redactKnownValues('a \uD800xy b', ['\uD800xy']), 'a [user] b');
  });

  it('leaves values inside longer tokens and values too short to be safe', () => {
    assert.equal(redactKnownValues('u-48210 and ab', ['u-4821', 'ab', null]), 'u-48210 and ab');
  });
});
