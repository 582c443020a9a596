/**
 * Redaction of personal data in free text (element text, labels, titles, URL parts) before anything
 * leaves the connector. posthog.md §9: treat text as possible PII.
 */

/** Longest text {@link redactText} looks at; the rest is cut (labels and URLs are far shorter). */
export const REDACT_MAX_LENGTH = 4096;

/** What a redacted email becomes. */
export const REDACTED_EMAIL = '[email]';
/** What a redacted long number becomes. */
export const REDACTED_NUMBER = '[number]';

// Bounded quantifiers keep every pattern linear in the input: a failed match from one start position
// costs at most ~64 steps, so no adversarial string can make redaction quadratic.
// `%40` is an encoded `@`, as found in query strings and paths.
const EMAIL = /[A-Za-z0-9._%+-]{1,64}(?:@|%40)[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){1,8}/g;
// Nine or more digits with single space/dot/dash separators: phone, card, account and IBAN-like numbers.
const GROUPED_DIGITS = /\d(?:[ .-]?\d){8,}/g;
// Six or more digits in a row: order numbers, one-time codes, account ids. Five digits and fewer
// (years, prices, counts, versions) are kept because they carry meaning and rarely identify anyone.
const LONG_DIGITS = /\d{6,}/g;

/**
 * Replaces emails with `[email]` and long digit runs with `[number]`.
 *
 * A long digit run is 6+ consecutive digits, or 9+ digits separated only by single spaces, dots
 * or dashes (phone and card numbers). Input longer than {@link REDACT_MAX_LENGTH} characters is cut
 * to that length first. Idempotent: redacting twice gives the same text.
 *
 * @example
 * redactText('Invite jane@example.com, order 1234567'); // 'Invite [email], order [number]'
 */
export function redactText(text: string): string {
  if (typeof text !== 'string' || text.length === 0) return '';
  const bounded = text.length > REDACT_MAX_LENGTH ? text.slice(0, REDACT_MAX_LENGTH) : text;
  let result = bounded;
  if (result.includes('@') || result.includes('%40')) result = result.replace(EMAIL, REDACTED_EMAIL);
  if (/\d/.test(result)) {
    result = result.replace(GROUPED_DIGITS, REDACTED_NUMBER).replace(LONG_DIGITS, REDACTED_NUMBER);
  }
  return result;
}
