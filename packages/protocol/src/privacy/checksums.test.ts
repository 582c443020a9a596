import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isIbanValid, isLuhnValid } from './checksums.ts';

describe('checksums', () => {
  it('checks Luhn', () => {
    assert.equal(isLuhnValid('4111111111111111'), true);
    assert.equal(isLuhnValid('4111111111111112'), false);
  });

  it('checks IBAN mod 97', () => {
    assert.equal(isIbanValid('DE89370400440532013000'), true);
    assert.equal(isIbanValid('DE89370400440532013001'), false);
  });
});
