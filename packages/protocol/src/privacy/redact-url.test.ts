import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { REDACTED_URL_MAX_LENGTH, isSecretParameterName, redactUrl } from './redact-url.ts';

describe('redactUrl', () => {
  it('keeps an ordinary URL unchanged, query and fragment included', () => {
    assert.equal(redactUrl('https://app.example.com/dashboard?tab=reports&page=2&ccy=EUR#top'), 'https://app.example.com/dashboard?tab=reports&page=2&ccy=EUR#top');
  });

  it('redacts the values of listed query parameters, short names only as whole words', () => {
    assert.equal(
      redactUrl('https://a.example/x?token=abc&api_key=k&pw=p&pin=1&cvv=123&cvc=1&cc=4&card_number=4&otp=9&ssn=1&resetCode=z&tab=1'),
      'https://a.example/x?token=[redacted]&api_key=[redacted]&pw=[redacted]&pin=[redacted]&cvv=[redacted]&cvc=[redacted]&cc=[redacted]&card_number=[redacted]&otp=[redacted]&ssn=[redacted]&resetCode=[redacted]&tab=1',
    );
  });

  it('redacts listed parameters in the fragment, OAuth and hash-router style', () => {
    assert.equal(redactUrl('https://a.example/cb#access_token=abc&state=s&x=1'), 'https://a.example/cb#access_token=[redacted]&state=[redacted]&x=1');
    assert.equal(redactUrl('https://a.example/#/pay?card=4111&cvv=123&step=2'), 'https://a.example/#/pay?card=[redacted]&cvv=[redacted]&step=2');
  });

  it('redacts tokens in the path after a secret word, and long random segments anywhere', () => {
    assert.equal(redactUrl('https://a.example/reset/8f3kQ2xP9zLm4nB7'), 'https://a.example/reset/[token]');
    assert.equal(redactUrl('https://a.example/invite/abcdefghijklmnopqrs/accept'), 'https://a.example/invite/[token]/accept');
    assert.equal(redactUrl('https://a.example/magic-link/Zm9vYmFy'), 'https://a.example/magic-link/[token]');
    assert.equal(redactUrl('https://a.example/unsubscribe/KJHGFDSAqwertyuiop'), 'https://a.example/unsubscribe/[token]');
    assert.equal(redactUrl('https://a.example/files/019d8528-2d42-75b5-acb0-a64548f232fb'), 'https://a.example/files/[token]');
    assert.equal(redactUrl('https://a.example/verify/email/sent'), 'https://a.example/verify/email/sent');
  });

  it('redacts personal data in path segments and values, also percent-encoded', () => {
    assert.equal(redactUrl('https://a.example/users/jane%40x.com/orders/9876543?q=4111%201111%201111%201111'), 'https://a.example/users/[email]/orders/[number]?q=[card]');
    assert.equal(redactUrl('https://a.example/p/4111/1111/1111/1111'), 'https://a.example/p/[card]');
  });

  it('removes credentials from the authority', () => {
    assert.equal(redactUrl('https://admin:hunter2@app.example.com/x'), 'https://app.example.com/x');
  });

  it('is idempotent, caps length and returns "" for non-strings', () => {
    const once = redactUrl('https://a.example/reset/8f3kQ2xP9zLm4nB7?token=x&e=jane@example.com#pw=1');
    assert.equal(redactUrl(once), once);
    assert.equal(redactUrl(`https://a.example/${'page/'.repeat(1000)}`).length, REDACTED_URL_MAX_LENGTH);
    assert.equal(redactUrl(42 as unknown as string), '');
  });

  it('never throws on lone surrogates', () => {
    assert.equal(redactUrl('https://a.example/\uD800/jane@example.com'), 'https://a.example/%EF%BF%BD/[email]'.replace('%EF%BF%BD/', '\uD800/'));
    assert.equal(typeof redactUrl('https://a.example/x?q=\uDC00 jane@example.com'), 'string');
  });

  it('stays linear on 4 KiB of adversarial URL', () => {
    for (const url of [`https://a.example/${'reset/'.repeat(700)}`, `https://a.example/?${'a=1&'.repeat(1000)}`, `https://${'@'.repeat(4000)}`, `https://a.example/#${'?#'.repeat(2000)}`]) {
      assert.equal(typeof redactUrl(url), 'string');
    }
  });
});

describe('isSecretParameterName', () => {
  it('matches credential, payment, session and personal names', () => {
    for (const name of ['token', 'access_token', 'X-Api-Key', 'client_secret', 'pwd', 'pw', 'pin', 'cvv', 'cvc', 'cc', 'cc_exp', 'card', 'otp', 'ssn', 'auth', 'resetCode', 'session_id', 'email', 'fbclid', 'user[password]']) {
      assert.equal(isSecretParameterName(name), true, name);
    }
  });

  it('does not match ordinary names that merely contain a short listed name', () => {
    for (const name of ['tab', 'page', 'sort', 'q', 'utm_source', 'ccy', 'spinner', 'lang', 'view']) assert.equal(isSecretParameterName(name), false, name);
  });
});
