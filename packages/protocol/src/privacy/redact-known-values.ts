/**
 * Redaction of values the caller knows are personal: the join keys (`user_id`, `email`) of the payload being
 * redacted, which travel in their own fields and nowhere else (docs/privacy.md).
 */
import { REDACTED } from './redact-text.ts';
import { safeEncode } from './redact-url.ts';

/** Shortest known value redacted; shorter ids ("7", "ab") would hit ordinary words and numbers. */
export const MIN_KNOWN_VALUE_LENGTH = 3;

function isWordCode(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}

// `haystack` is `text` lower-cased, `needle` the value lower-cased.
function replaceWhole(text: string, haystack: string, needle: string, placeholder: string): string {
  let from = 0;
  let result = '';
  let copied = 0;
  for (;;) {
    const at = haystack.indexOf(needle, from);
    if (at < 0) break;
    const end = at + needle.length;
    // Whole tokens only: `u-42` is not redacted inside `u-421`.
    const isWhole = (at === 0 || !isWordCode(text.charCodeAt(at - 1))) && (end === text.length || !isWordCode(text.charCodeAt(end)));
    if (isWhole) {
      result += text.slice(copied, at) + placeholder;
      copied = end;
    }
    from = isWhole ? end : at + 1;
  }
  return copied === 0 ? text : result + text.slice(copied);
}

/**
 * Replaces every whole, case-insensitive occurrence of each known value in `text` (also percent-encoded) with
 * `placeholder` (default `[user]`). Values shorter than {@link MIN_KNOWN_VALUE_LENGTH} characters are ignored.
 * Linear in the text per value.
 *
 * @example redactKnownValues('Profile of u-4821', ['u-4821']); // 'Profile of [user]'
 */
export function redactKnownValues(text: string, values: readonly (string | null | undefined)[], placeholder: string = REDACTED.user): string {
  if (typeof text !== 'string' || text === '') return typeof text === 'string' ? text : '';
  let result = text;
  // Lower-cased once, when the first usable value comes, and again only after a replacement: most texts hold none of
  // the values, and most value lists hold no usable value at all (an anonymous session has no email).
  let haystack: string | null = null;
  for (const value of values) {
    if (typeof value !== 'string' || value.length < MIN_KNOWN_VALUE_LENGTH || value.length > 512) continue;
    haystack ??= result.toLowerCase();
    // The value as written, then percent-encoded. Most ids encode to themselves; the second pass over the same
    // needle can then only find something when the first one replaced (a placeholder may end a token beside it).
    const isEncodedSame = isUnreserved(value);
    for (let form = 0; form < 2; form++) {
      const needle = (form === 0 || isEncodedSame ? value : safeEncode(value)).toLowerCase();
      if (!haystack.includes(needle)) {
        if (isEncodedSame) break;
        continue;
      }
      const replaced = replaceWhole(result, haystack, needle, placeholder);
      if (replaced !== result) {
        result = replaced;
        haystack = result.toLowerCase();
      } else if (isEncodedSame) break;
    }
  }
  return result;
}

// What `encodeURIComponent` leaves as it is: letters, digits and `-_.!~*'()`.
function isUnreserved(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (isWordCode(code)) continue;
    if (code === 45 || code === 95 || code === 46 || code === 33 || code === 126 || code === 42 || code === 39 || code === 40 || code === 41) continue;
    return false;
  }
  return true;
}
