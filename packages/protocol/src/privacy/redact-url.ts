/**
 * Redaction of URLs (`raw_url`, `canonical_url`, hrefs, referrers): the shape stays readable (host, path, parameter
 * names), the values that identify people or grant access do not. docs/privacy.md has the parameter list and its rule.
 */
import { REDACTED, isRandomToken, redactText } from './redact-text.ts';

/** What the value of a secret query or fragment parameter becomes. */
export const REDACTED_VALUE = REDACTED.secret;

/** Longest URL kept after redaction; posthog-js itself caps `href` at 2048 characters. */
export const REDACTED_URL_MAX_LENGTH = 2048;

/**
 * Parameter names whose values are credentials, session handles, personal data or ad-click ids (the maintained
 * list). How a name matches: it is lower-cased, percent-decoded and split into words at `_`, `-`, `.`, `[`, `]`,
 * spaces and camelCase humps. A listed name of 4+ characters matches when it appears anywhere in the name joined
 * without separators (`token` in `resetToken`, `passw` in `passwd`); a listed name of 1-3 characters matches only
 * a whole word (`pw`, `cc_number`, `card[cvv]`), so `page`, `ccy` or `spinner` are never hit by accident.
 */
export const SECRET_PARAMETER_NAMES: readonly string[] = [
  // credentials and session handles
  'token', 'key', 'apikey', 'secret', 'passw', 'pwd', 'pw', 'pass', 'passcode', 'auth', 'code', 'session', 'sid',
  'sig', 'signature', 'credential', 'jwt', 'bearer', 'nonce', 'state', 'ticket', 'hash', 'otp', 'mfa', 'totp', 'pin',
  'access', 'refresh', 'saml', 'assertion', 'magic', 'invite', 'verify', 'reset', 'unsubscribe', 'login',
  // payment and national ids
  'card', 'cc', 'ccn', 'cvv', 'cvc', 'csc', 'cvn', 'pan', 'iban', 'bic', 'swift', 'routing', 'account', 'ssn', 'sin',
  'nino', 'taxid', 'tin', 'vat', 'passport', 'license', 'dob', 'birth',
  // contact data and the people themselves
  'email', 'mail', 'phone', 'tel', 'mobile', 'msisdn', 'address', 'street', 'postcode', 'zip', 'user', 'uid',
  'customer', 'member', 'contact', 'person', 'firstname', 'lastname', 'fullname', 'surname', 'ip',
  // ad-click and mailing ids
  'gclid', 'fbclid', 'msclkid', 'dclid', 'wbraid', 'gbraid', 'mc_eid', 'mkt_tok', 'twclid', 'ttclid', 'li_fat_id',
];

/**
 * Path words after which the next segments are secret (reset, magic-link, invite, verification and unsubscribe
 * tokens): every following segment that is not a plain lower-case word (`accept`, `new-password`) is redacted.
 */
export const SECRET_PATH_WORDS: readonly string[] = [
  'reset', 'reset-password', 'password-reset', 'password', 'forgot-password', 'recover', 'recovery', 'magic',
  'magic-link', 'magiclink', 'login-link', 'signin-link', 'invite', 'invites', 'invitation', 'invitations', 'join',
  'verify', 'verification', 'verify-email', 'confirm', 'confirmation', 'confirm-email', 'activate', 'activation',
  'unsubscribe', 'optout', 'opt-out', 'token', 'tokens', 'otp', 'auth', 'sso', 'share', 'shared', 'download-link',
];

const LONG_NAMES = SECRET_PARAMETER_NAMES.filter((name) => name.length >= 4).map((name) => name.replace(/[_-]/g, ''));
const SHORT_NAMES = new Set(SECRET_PARAMETER_NAMES.filter((name) => name.length < 4));
const PATH_WORDS = new Set(SECRET_PATH_WORDS);
// One alternation for the long names: one scan of the joined name instead of one `includes` per name.
const LONG_NAME_PATTERN = new RegExp(LONG_NAMES.join('|'));
const PLAIN_WORD = /^[a-z]{1,16}(?:-[a-z]{1,16}){0,3}$/;
const PLACEHOLDER = /^\[[a-z-]{1,16}\]$/;

function safeDecode(value: string, plusIsSpace = false): string {
  try {
    return decodeURIComponent(plusIsSpace ? value.replace(/\+/g, ' ') : value);
  } catch {
    return value;
  }
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** `encodeURIComponent`, with lone surrogates (which make it throw) replaced by U+FFFD first. */
export function safeEncode(value: string): string {
  try {
    return encodeURIComponent(value);
  } catch {
    return encodeURIComponent(value.replace(LONE_SURROGATE, '\uFFFD'));
  }
}

/** Percent-encodes what a redacted URL part must not hold raw, keeping placeholders' brackets readable. */
function encodePart(value: string): string {
  return safeEncode(value).replace(/%5B/g, '[').replace(/%5D/g, ']').replace(/%2F/gi, '/').replace(/%3A/gi, ':');
}

/**
 * True when a query or fragment parameter name is on the maintained list ({@link SECRET_PARAMETER_NAMES}, matched
 * as its documentation says).
 *
 * @example
 * isSecretParameterName('resetToken'); // true
 * isSecretParameterName('cc_exp');     // true ('cc' is a whole word)
 * isSecretParameterName('ccy');        // false
 */
export function isSecretParameterName(name: string): boolean {
  if (typeof name !== 'string' || name === '') return false;
  const decoded = safeDecode(name, true).slice(0, 128);
  const words = decoded
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[\s_.[\]-]+/)
    .filter(Boolean);
  for (const word of words) if (SHORT_NAMES.has(word)) return true;
  return LONG_NAME_PATTERN.test(words.join(''));
}

/** A text part of a URL (segment, value) decoded, redacted, and encoded again only when something changed. */
function redactPart(part: string, plusIsSpace = false): string {
  if (part === '') return part;
  const decoded = safeDecode(part, plusIsSpace);
  const redacted = redactText(decoded);
  if (redacted === decoded) return part;
  return encodePart(redacted);
}

function isRandomSegment(decoded: string): boolean {
  return decoded.length >= 16 && /^[A-Za-z0-9_-]+$/.test(decoded) && isRandomToken(decoded);
}

/** A path: each segment redacted as text; a random segment, and segments after a secret word, become `[token]`. */
function redactPath(path: string): string {
  const segments = path.split('/');
  let isAfterSecretWord = false;
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i]!;
    if (segment === '' || segment === ':id' || PLACEHOLDER.test(segment)) continue;
    const decoded = safeDecode(segment);
    const lower = decoded.toLowerCase();
    if (isAfterSecretWord && !PLAIN_WORD.test(decoded)) {
      segments[i] = REDACTED.token;
      continue;
    }
    if (PATH_WORDS.has(lower)) isAfterSecretWord = true;
    segments[i] = isRandomSegment(decoded) ? REDACTED.token : redactPart(segment);
  }
  // Numbers written across segments (`/4111/1111/1111/1111`) are only seen in the whole path.
  return redactText(segments.join('/'));
}

function redactQuery(query: string): string {
  if (query === '') return query;
  return query
    .split('&')
    .map((pair) => {
      const equals = pair.indexOf('=');
      if (equals < 0) return redactPart(pair, true);
      const name = pair.slice(0, equals);
      const value = pair.slice(equals + 1);
      if (value === '') return `${redactPart(name, true)}=`;
      return `${redactPart(name, true)}=${isSecretParameterName(name) ? REDACTED_VALUE : redactPart(value, true)}`;
    })
    .join('&');
}

// `https://user:pass@host/` carries a credential in the authority; it is dropped.
const AUTHORITY = /^([A-Za-z][A-Za-z0-9+.-]{0,30}:\/\/)([^/?#]{0,512})/;

function redactPathAndQuery(part: string): string {
  const question = part.indexOf('?');
  const beforeQuery = question < 0 ? part : part.slice(0, question);
  let prefix = '';
  let path = beforeQuery;
  const authority = AUTHORITY.exec(beforeQuery);
  if (authority) {
    const host = authority[2]!;
    const at = host.lastIndexOf('@');
    prefix = authority[1]! + (at < 0 ? host : host.slice(at + 1));
    path = beforeQuery.slice(authority[0].length);
  }
  const redacted = prefix + redactPath(path);
  return question < 0 ? redacted : `${redacted}?${redactQuery(part.slice(question + 1))}`;
}

function redactFragment(fragment: string): string {
  // Hash routers put a path and query in the fragment; OAuth's implicit flow puts `access_token=…` there.
  if (fragment.includes('?') || fragment.startsWith('/')) return redactPathAndQuery(fragment);
  if (fragment.includes('=')) return redactQuery(fragment);
  return redactPart(fragment);
}

/**
 * Redacts a URL: credentials in the authority are removed; values of secret query and fragment parameters
 * ({@link isSecretParameterName}) become `[redacted]`; path segments after a secret word ({@link SECRET_PATH_WORDS})
 * and long random segments become `[token]`; every other segment, value and fragment is decoded and redacted as by
 * {@link redactText}. The result is cut to {@link REDACTED_URL_MAX_LENGTH} characters. Idempotent; never throws.
 *
 * @example
 * redactUrl('https://app.example.com/reset/8f3kQ2xP9zLm4nB7?pw=hunter2&tab=1#top');
 * // 'https://app.example.com/reset/[token]?pw=[redacted]&tab=1#top'
 */
export function redactUrl(url: string): string {
  if (typeof url !== 'string' || url.length === 0) return '';
  const bounded = url.length > REDACTED_URL_MAX_LENGTH * 2 ? url.slice(0, REDACTED_URL_MAX_LENGTH * 2) : url;
  const hash = bounded.indexOf('#');
  let result = redactPathAndQuery(hash < 0 ? bounded : bounded.slice(0, hash));
  if (hash >= 0) result += `#${redactFragment(bounded.slice(hash + 1))}`;
  return result.length > REDACTED_URL_MAX_LENGTH ? result.slice(0, REDACTED_URL_MAX_LENGTH) : result;
}
