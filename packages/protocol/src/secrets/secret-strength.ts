/**
 * How strong a configured secret is, estimated from its length and alphabet. Servers refuse secrets below
 * {@link MIN_SECRET_BITS} at start, so a short password typed by hand never guards a door (docs/security.md).
 */

/** The least strength a secret may have: 128 bits, e.g. 32 hex characters or 22 base64url characters. */
export const MIN_SECRET_BITS = 128;

/**
 * Bits a secret can hold at most: its length times the bits per character of the smallest alphabet it fits in
 * (digits 3.3, hex 4, one-case letters and digits 5.2, base64 6, printable ASCII 6.6). An estimate from above:
 * `aaaaaaaa…` counts as much as random hex, so this guards against short secrets, not against weak ones.
 *
 * @example
 * secretBits('0f3a9c'); // 24
 * secretBits('x'.repeat(22)) >= MIN_SECRET_BITS; // true
 */
export function secretBits(value: string): number {
  if (value.length === 0) return 0;
  const bitsPerChar = /^\d+$/.test(value)
    ? Math.log2(10)
    : /^[0-9a-f]+$/i.test(value)
      ? 4
      : /^[0-9a-z]+$/.test(value) || /^[0-9A-Z]+$/.test(value)
        ? Math.log2(36)
        : /^[A-Za-z0-9+/=_-]+$/.test(value)
          ? 6
          : Math.log2(95);
  return Math.floor(value.length * bitsPerChar);
}
