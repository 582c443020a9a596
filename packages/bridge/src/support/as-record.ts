/**
 * Reading loosely typed JSON that a chat widget or Rasa sends (metadata, tracker fields).
 */

/** `value` as an object with string keys; `undefined` for `null`, arrays and every other type. */
export function asRecord(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/**
 * An id as text: a non-blank string, trimmed, or a finite number written out; `undefined` for anything else.
 *
 * @example identifier(' u-42 ') // 'u-42'; identifier(42) // '42'; identifier('  ') // undefined
 */
export function identifier(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}
