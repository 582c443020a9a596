/**
 * Redaction of URLs kept as `raw_url`: the shape stays readable (path, parameter names), the values
 * that identify people or grant access do not.
 */
import { redactText } from './redact-text.ts';

/** What the value of a secret-looking query parameter becomes. */
export const REDACTED_VALUE = '[redacted]';

/** Longest URL kept after redaction; posthog-js itself caps `href` at 2048 characters. */
export const REDACTED_URL_MAX_LENGTH = 2048;

// Parameter names whose values are credentials, session handles, personal data or ad-click ids.
// Matched anywhere in the (decoded, lower-cased) name, so `access_token`, `x-api-key` and
// `resetCode` all count. Over-redacting a harmless parameter is the safe side of this trade.
const SECRET_NAME =
  /token|key|secret|passw|pwd|pass|auth|code|session|sid|sig|credential|jwt|otp|ssn|email|mail|phone|access|refresh|nonce|state|ticket|gclid|fbclid|msclkid|dclid|wbraid|gbraid|mc_eid/;

/** True when a query parameter name looks like it carries a secret or personal data. */
export function isSecretParameterName(name: string): boolean {
  return SECRET_NAME.test(safeDecode(name).toLowerCase());
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    return value;
  }
}

function redactQuery(query: string): string {
  return query
    .split('&')
    .map((pair) => {
      const equals = pair.indexOf('=');
      if (equals < 0) return redactText(pair);
      const name = pair.slice(0, equals);
      const value = pair.slice(equals + 1);
      if (value === '') return pair;
      return `${redactText(name)}=${isSecretParameterName(name) ? REDACTED_VALUE : redactText(value)}`;
    })
    .join('&');
}

function redactPathAndQuery(part: string): string {
  const question = part.indexOf('?');
  if (question < 0) return redactText(stripUserInfo(part));
  return `${redactText(stripUserInfo(part.slice(0, question)))}?${redactQuery(part.slice(question + 1))}`;
}

// `https://user:pass@host/` carries a credential in the authority; drop it.
function stripUserInfo(beforeQuery: string): string {
  const match = /^([A-Za-z][A-Za-z0-9+.-]*:\/\/)([^/?#]*)/.exec(beforeQuery);
  if (!match) return beforeQuery;
  const authority = match[2]!;
  const at = authority.lastIndexOf('@');
  if (at < 0) return beforeQuery;
  return match[1]! + authority.slice(at + 1) + beforeQuery.slice(match[0].length);
}

function redactFragment(fragment: string): string {
  // Hash routers put a path and query in the fragment; OAuth implicit flow puts `access_token=…` there.
  if (fragment.includes('?')) return redactPathAndQuery(fragment);
  if (fragment.includes('=')) return redactQuery(fragment);
  return redactText(fragment);
}

/**
 * Redacts a URL for storage as `raw_url`: values of secret-looking query (and fragment) parameters
 * become `[redacted]` (names like `token`, `api_key`, `password`, `auth`, `code`, `session`,
 * `email`, `gclid`), credentials in the authority are removed, and emails and long digit runs
 * anywhere else are redacted as by {@link redactText}. Query and fragment are kept otherwise.
 * The result is cut to {@link REDACTED_URL_MAX_LENGTH} characters. Idempotent.
 *
 * @example
 * redactUrl('https://app.example.com/reset?token=abc&tab=1#top'); // 'https://app.example.com/reset?token=[redacted]&tab=1#top'
 */
export function redactUrl(url: string): string {
  if (typeof url !== 'string' || url.length === 0) return '';
  const hash = url.indexOf('#');
  const beforeHash = hash < 0 ? url : url.slice(0, hash);
  let result = redactPathAndQuery(beforeHash);
  if (hash >= 0) result += `#${redactFragment(url.slice(hash + 1))}`;
  return result.length > REDACTED_URL_MAX_LENGTH ? result.slice(0, REDACTED_URL_MAX_LENGTH) : result;
}
