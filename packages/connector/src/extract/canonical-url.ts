/**
 * Canonical URLs (docs/reference/wire-contract.md#extraction): the page a user was on, without what varies per user.
 * Query and fragment are dropped and dynamic path segments become `:id`, so actions on
 * `/projects/42` and `/projects/97` read as the same page.
 */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/i;
const LONG_HEX = /^[0-9a-f]{12,}$/i;
const ALPHANUMERIC_TOKEN = /^[A-Za-z0-9]{16,}$/;
const NUMBER_LIKE = /^[0-9._:,-]+$/;

function countDigits(value: string): number {
  let count = 0;
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code >= 48 && code <= 57) count++;
  }
  return count;
}

/** @internal `decodeURIComponent`, or the text as it is when it is not valid percent-encoding. */
export function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/**
 * True for a path segment that identifies a record rather than a page: all digits, a UUID, a
 * ULID, long hex (12+), an alphanumeric token of 16+ characters with a digit (cuid, nanoid), a
 * prefixed id with a 10+ character letters-and-digits part (`cus_NffrFeUfNV2Hib`), a letters-and-digits token with 3+ digits (`inv_2024001`, `order-12345`), a
 * number-like value (`2024-01-15`, `3.14`) or anything holding an email.
 *
 * @example
 * isDynamicSegment('019d8528-2d42-75b5-acb0-a64548f232fb'); // true
 * isDynamicSegment('billing'); // false
 */
export function isDynamicSegment(segment: string): boolean {
  const value = safeDecode(segment);
  if (value === '') return false;
  if (value.includes('@')) return true;
  const digits = countDigits(value);
  if (digits === 0) return ULID.test(value) || (value.length >= 12 && LONG_HEX.test(value));
  if (digits === value.length) return true;
  if (NUMBER_LIKE.test(value)) return digits >= 2 || value.length === 1;
  if (UUID.test(value) || ULID.test(value) || LONG_HEX.test(value)) return true;
  if (ALPHANUMERIC_TOKEN.test(value)) return true;
  // Prefixed random ids (`cus_NffrFeUfNV2Hib`): one part of 10+ characters mixing letters and digits.
  if (value.split(/[-_]/).some((part) => part.length >= 10 && /^[A-Za-z0-9]+$/.test(part) && /[A-Za-z]/.test(part) && /\d/.test(part))) return true;
  return /[A-Za-z]/.test(value) && digits >= 3;
}

/** Splits a URL into origin (`scheme://host[:port]`, lower case, credentials removed) and path. */
export function splitUrl(url: string): { origin: string; path: string } {
  let rest = url.trim();
  const cut = rest.search(/[?#]/);
  if (cut >= 0) rest = rest.slice(0, cut);
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//.exec(rest);
  if (!scheme) return { origin: '', path: rest };
  const afterScheme = rest.slice(scheme[0].length);
  const slash = afterScheme.indexOf('/');
  let authority = slash < 0 ? afterScheme : afterScheme.slice(0, slash);
  const at = authority.lastIndexOf('@');
  if (at >= 0) authority = authority.slice(at + 1);
  return {
    origin: `${scheme[1]!.toLowerCase()}://${authority.toLowerCase()}`,
    path: slash < 0 ? '/' : afterScheme.slice(slash),
  };
}

/**
 * The canonical form of a URL: scheme and host kept (lower case, credentials removed), query and
 * fragment dropped, dynamic path segments (see {@link isDynamicSegment}) replaced by `:id`, and a
 * trailing slash removed (except the root). Path-only input stays path-only. Never throws; an
 * empty or non-string input gives `''`.
 *
 * @example
 * canonicalizeUrl('https://app.example.com/projects/42/settings?tab=1#top'); // 'https://app.example.com/projects/:id/settings'
 * canonicalizeUrl('/sessions/019d8528-2d42-75b5-acb0-a64548f232fb'); // '/sessions/:id'
 */
export function canonicalizeUrl(url: string): string {
  if (typeof url !== 'string' || url.trim() === '') return '';
  const { origin, path } = splitUrl(url);
  const segments = path.split('/').map((segment) => (isDynamicSegment(segment) ? ':id' : segment));
  let canonicalPath = segments.join('/');
  if (canonicalPath.length > 1 && canonicalPath.endsWith('/')) canonicalPath = canonicalPath.replace(/\/+$/, '') || '/';
  if (origin && !canonicalPath.startsWith('/')) canonicalPath = `/${canonicalPath}`;
  return origin + canonicalPath;
}
