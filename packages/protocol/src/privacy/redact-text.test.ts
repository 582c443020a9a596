import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { REDACT_MAX_LENGTH, isRandomToken, redactDocument, redactText } from './redact-text.ts';

describe('redactText', () => {
  it('redacts emails, also URL-encoded ones', () => {
    assert.equal(redactText('Invite jane.doe+x@example.co.uk now'), 'Invite [email] now');
    assert.equal(redactText('to=jane%40example.com'), 'to=[email]');
  });

  it('redacts Luhn-valid card numbers in any separator, double spaces and slashes included', () => {
    for (const card of ['4111111111111111', '4111 1111 1111 1111', '4111  1111  1111  1111', '4111-1111-1111-1111', '4111.1111.1111.1111', '4111/1111/1111/1111', '3782 822463 10005', '5500 0000 0000 0004']) {
      assert.equal(redactText(`Card ${card} saved`), 'Card [card] saved', card);
    }
  });

  it('still redacts a long number that fails the Luhn check, as a number', () => {
    assert.equal(redactText('Ref 4111 1111 1111 1112'), 'Ref [number]');
  });

  it('redacts phone numbers in international and national forms', () => {
    for (const phone of ['+44 20 7946 0958', '+1-415-555-2671', '+44 (0)20 7946 0958', '(415) 555-2671', '020 7946 0958', '06 12 34 56 78', '415.555.2671', '+33612345678']) {
      assert.equal(redactText(`Call ${phone} today`), 'Call [phone] today', phone);
    }
  });

  it('redacts IBANs with a valid checksum, grouped or not', () => {
    assert.equal(redactText('IBAN DE89 3704 0044 0532 0130 00'), 'IBAN [iban]');
    assert.equal(redactText('to GB82WEST12345698765432 now'), 'to [iban] now');
    assert.equal(redactText('FR1420041010050500013M02606'), '[iban]');
  });

  it('redacts national ids', () => {
    assert.equal(redactText('SSN 123-45-6789'), 'SSN [id-number]');
    assert.equal(redactText('NI AB 12 34 56 C'), 'NI [id-number]');
    assert.equal(redactText('DNI 12345678Z'), 'DNI [id-number]');
    assert.equal(redactText('NIE X1234567L'), 'NIE [id-number]');
    assert.equal(redactText('PAN ABCDE1234F'), 'PAN [id-number]');
    assert.equal(redactText('CPF 123.456.789-09'), 'CPF [id-number]');
  });

  it('redacts JWTs, API keys of common providers and long random tokens', () => {
    assert.equal(redactText('jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U'), 'jwt [jwt]');
    for (const key of [
      'sk_live_51HxQ2kLmN0pQrStUvWx', 'sk_test_4eC39HqLyjWDarjtT1zdp7dc', 'pk_live_51HxQ2kLmN0pQr', 'rk_live_51HxQ2kLmN0pQrSt',
      'ghp_abcdefghijklmnopqrstuvwxyz0123456789', 'gho_abcdefghijklmnopqrstuvwxyz0123456789', 'ghs_abcdefghijklmnopqrstuvwxyz0123456789',
      'github_pat_11ABCDEFG0123456789_abcdefghijklmnop', 'AKIAIOSFODNN7EXAMPLE', 'ASIAIOSFODNN7EXAMPLE', 'xoxb-1234567890-abcdefghij',
      'xoxp-1234567890-abcdefghij', 'AIzaSyA1234567890abcdefghijklmnopqrstuv', 'glpat-abcdefghij1234567890',
      'SG.abcdefghijklmnop1234.abcdefghijklmnopqrstuvwxyz012345', 'sk-proj-abcdefghijklmnopqrstuvwxyz012345',
    ]) {
      assert.equal(redactText(`key ${key} end`), 'key [api-key] end', key);
    }
    // The shortest key of the list, alone: 15 characters.
    assert.equal(redactText('xoxb-1234567890'), '[api-key]');
    assert.equal(redactText('bearer xK9qT2bWmP4zLr7NvY3sJdHg'), 'bearer [token]');
    assert.equal(redactText('id 019d8528-2d42-75b5-acb0-a64548f232fb'), 'id [token]');
  });

  it('redacts a password written after its name', () => {
    assert.equal(redactText('password: hunter2'), 'password: [redacted]');
    assert.equal(redactText('Your password is hunter2!'), 'Your password is [redacted]');
    assert.equal(redactText('PIN=4821'), 'PIN=[redacted]');
  });

  it('keeps short numbers and words that carry meaning', () => {
    for (const text of [
      'Step 2 of 3', 'Plan 2024, $1,299.00, v1.449.2, 12345', 'Invoices 2023-2024', 'how-to-set-up-sso-for-your-team-2024',
      'gettingStartedWithTheProductGuide', 'Upgrade to Business', '3 items, 45 minutes, 10:30', 'Page 12 of 40',
    ]) {
      assert.equal(redactText(text), text);
    }
  });

  it('is idempotent and handles empty and non-string input', () => {
    const once = redactText('jane@example.com 4111 1111 1111 1111 +44 20 7946 0958 password: x sk_live_51HxQ2kLmN0pQrStUvWx');
    assert.equal(redactText(once), once);
    assert.equal(redactText(''), '');
    assert.equal(redactText(undefined as unknown as string), '');
  });

  it('cuts input to REDACT_MAX_LENGTH', () => {
    assert.equal(redactText('a '.repeat(REDACT_MAX_LENGTH * 2)).length, REDACT_MAX_LENGTH);
  });
});

describe('redactText on adversarial input', () => {
  // Each input is 4 KiB of what one pattern could try to backtrack over. The test asserts what comes out; a
  // pattern that backtracked would make this test time out rather than fail.
  const size = 4096;
  const adversarial: Record<string, string> = {
    'digits and separators': '1 '.repeat(size / 2),
    'digits with double spaces': '12  '.repeat(size / 4),
    'slashed digits': '1/'.repeat(size / 2),
    'plus and digits': '+1 ('.repeat(size / 4),
    'email-like without a domain': 'a.'.repeat(size / 2) + '@',
    'percent-encoded at signs': 'a%40'.repeat(size / 4),
    'jwt-like headers': 'eyJ'.repeat(size / 3),
    'jwt-like with dots': 'eyJaaaaa.'.repeat(size / 9),
    'api-key prefixes': 'sk_live_'.repeat(size / 8),
    'a letter run': 'a'.repeat(size),
    'a token run': 'aZ9-'.repeat(size / 4),
    'iban-like': 'DE89 '.repeat(size / 5),
    'password labels': 'password: '.repeat(size / 10),
    'parenthesised digits': '(12)'.repeat(size / 4),
    'trunk zeros': '0 '.repeat(size / 2),
  };
  for (const [name, input] of Object.entries(adversarial)) {
    it(`redacts 4 KiB of ${name} to a bounded, stable string`, () => {
      const output = redactText(input);
      assert.equal(typeof output, 'string');
      assert.ok(output.length <= REDACT_MAX_LENGTH * 3);
    });
  }
});

describe('isRandomToken', () => {
  it('tells random tokens from words, slugs and camelCase names', () => {
    assert.equal(isRandomToken('xK9qT2bWmP4zLr7NvY3sJdHg'), true);
    assert.equal(isRandomToken('xKqTbWmPzLrNvYsJdHgFcBnM'), true);
    assert.equal(isRandomToken('gettingStartedWithTheProductGuide'), false);
    assert.equal(isRandomToken('how-to-set-up-sso-for-your-team-2024'), false);
  });
});

describe('redactDocument', () => {
  it('redacts every line of a long text and drops nothing', () => {
    const filler = 'word '.repeat(2000);
    const text = `${filler}jane@example.com ${filler}\nCard 4111 1111 1111 1111`;
    const redacted = redactDocument(text);
    assert.doesNotMatch(redacted, /jane@example\.com|4111/);
    assert.equal(redacted.length, text.length - 'jane@example.com'.length + '[email]'.length - '4111 1111 1111 1111'.length + '[card]'.length);
  });
});
