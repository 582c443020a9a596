import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isSecretParameterName, redactUrl } from './redact-url.ts';

describe('redactUrl', () => {
  it('keeps an ordinary URL unchanged, query and fragment included', () => {
    assert.equal(redactUrl('https://app.example.com/dashboard?tab=reports#top'), 'https://app.example.com/dashboard?tab=reports#top');
  });

  it('redacts the values of secret-looking query parameters', () => {
    assert.equal(
      redactUrl('https://app.example.com/reset?token=abc123&api_key=k&password=p&tab=1&sessionId=s&code=xyz&gclid=g'),
      'https://app.example.com/reset?token=[redacted]&api_key=[redacted]&password=[redacted]&tab=1&sessionId=[redacted]&code=[redacted]&gclid=[redacted]',
    );
  });

  it('redacts emails and long numbers in path, query values and fragment', () => {
    assert.equal(
      redactUrl('https://app.example.com/users/jane@example.com/orders/9876543?ref=bob%40example.com#/x?access_token=t'),
      'https://app.example.com/users/[email]/orders/[number]?ref=[email]#/x?access_token=[redacted]',
    );
    assert.equal(redactUrl('https://app.example.com/cb#access_token=abc&state=s&x=1'), 'https://app.example.com/cb#access_token=[redacted]&state=[redacted]&x=1');
  });

  it('removes credentials from the authority', () => {
    assert.equal(redactUrl('https://admin:hunter2@app.example.com/x'), 'https://app.example.com/x');
  });

  it('is idempotent, caps length and returns "" for non-strings', () => {
    const once = redactUrl('https://a.example/p?token=x&e=jane@example.com');
    assert.equal(redactUrl(once), once);
    assert.equal(redactUrl(`https://a.example/${'p'.repeat(5000)}`).length, 2048);
    assert.equal(redactUrl(42 as unknown as string), '');
  });
});

describe('isSecretParameterName', () => {
  it('matches credential, session and personal names, and not ordinary ones', () => {
    for (const name of ['token', 'access_token', 'X-Api-Key', 'client_secret', 'pwd', 'auth', 'resetCode', 'session_id', 'email', 'fbclid']) {
      assert.equal(isSecretParameterName(name), true, name);
    }
    for (const name of ['tab', 'page', 'sort', 'q', 'utm_source']) assert.equal(isSecretParameterName(name), false, name);
  });
});
