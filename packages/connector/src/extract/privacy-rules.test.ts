import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isSightlineError } from '@sightline/protocol';
import { compileTextPattern, parseSelector, validatePrivacyInput } from './privacy-rules.ts';

function codeOf(run: () => unknown): string | null {
  try {
    run();
    return null;
  } catch (error) {
    return isSightlineError(error) ? error.code : 'not coded';
  }
}

describe('privacy rules', () => {
  it('accepts linear patterns and compiles them global', () => {
    assert.equal(compileTextPattern('ACME-[0-9]{6}').flags, 'g');
    assert.equal(compileTextPattern('(?:foo|bar)baz').test('barbaz'), true);
  });

  it('refuses patterns that could backtrack, use backreferences, match nothing or do not compile', () => {
    for (const source of ['(a+)+$', '(a*)*b', '(\\w+\\s?)*$', '(a)\\1', '', 'a*', '[unclosed', 'x'.repeat(201)]) {
      assert.equal(codeOf(() => compileTextPattern(source)), 'SL_PRIVACY_RULE_INVALID', source);
    }
  });

  it('parses compound selectors and refuses combinators and pseudo-classes', () => {
    assert.deepEqual(parseSelector('input.card[name="cc"]#x'), { tag: 'input', id: 'x', classes: ['card'], attributes: [{ name: 'name', value: 'cc' }] });
    for (const source of ['div > span', '.a .b', 'a:hover', '*', '[x=1']) assert.equal(codeOf(() => parseSelector(source)), 'SL_PRIVACY_RULE_INVALID', source);
  });

  it('validates the shape of a privacy list', () => {
    assert.deepEqual(validatePrivacyInput(undefined), { text_patterns: [], selectors: [] });
    assert.equal(codeOf(() => validatePrivacyInput({ text_patterns: 'x' })), 'SL_BODY_INVALID');
    assert.equal(codeOf(() => validatePrivacyInput({ other: [] })), 'SL_BODY_INVALID');
    assert.equal(codeOf(() => validatePrivacyInput({ selectors: ['a b'] })), 'SL_PRIVACY_RULE_INVALID');
  });
});
