import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { REDACT_MAX_LENGTH, redactText } from './redact-text.ts';

describe('redactText', () => {
  it('redacts emails, also URL-encoded ones', () => {
    assert.equal(redactText('Invite jane.doe+x@example.co.uk now'), 'Invite [email] now');
    assert.equal(redactText('to=jane%40example.com'), 'to=[email]');
  });

  it('redacts runs of 6+ digits and 9+ grouped digits, keeps short numbers', () => {
    assert.equal(redactText('Order 1234567'), 'Order [number]');
    assert.equal(redactText('Call +1 555 123 4567'), 'Call +[number]');
    assert.equal(redactText('Card 4111-1111-1111-1111'), 'Card [number]');
    assert.equal(redactText('Plan 2024, $1,299.00, v1.449.2, 12345'), 'Plan 2024, $1,299.00, v1.449.2, 12345');
  });

  it('is idempotent and handles empty input', () => {
    const once = redactText('jane@example.com 1234567');
    assert.equal(redactText(once), once);
    assert.equal(redactText(''), '');
    assert.equal(redactText(undefined as unknown as string), '');
  });

  it('cuts input to REDACT_MAX_LENGTH and stays linear on adversarial input', () => {
    assert.equal(redactText('a'.repeat(REDACT_MAX_LENGTH * 3)).length, REDACT_MAX_LENGTH);
    const adversarial = 'a.'.repeat(REDACT_MAX_LENGTH) + '@';
    assert.equal(typeof redactText(adversarial), 'string');
  });
});
