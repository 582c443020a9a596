/**
 * Small text helpers of the reply prompt: record text on one bounded line, labels quoted, relative times. Sentences
 * for the model are made here, at the edge, from structured fields; nothing parses them back.
 */

/** Longest label or title quoted in the prompt; longer ones are cut with "…". */
const MAX_QUOTE_CHARS = 80;

/**
 * Record text on one line and bounded: a UI label holding a newline could otherwise start a line that looks like a
 * prompt section header ("[CURRENT USER MESSAGE]").
 */
export function inline(text: string, limit: number = MAX_QUOTE_CHARS): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > limit ? `${flat.slice(0, limit - 1)}…` : flat;
}

/** A UI label exactly as the product shows it, in single quotes: `'Upgrade plan'`. */
export function quote(label: string): string {
  return `'${inline(label)}'`;
}

/** `text` trimmed and cut to `limit` characters with "…", newlines kept. */
export function clip(text: string, limit: number): string {
  const trimmed = text.trim();
  return trimmed.length > limit ? `${trimmed.slice(0, limit - 1)}…` : trimmed;
}

/**
 * Items joined for a sentence with the language's "and" (default English): `'A'`, `'A' and 'B'`,
 * `'A', 'B' and 'C'`; `''` for none.
 *
 * @example
 * joinList(["'Email'", "'Role'"], 'y'); // "'Email' y 'Role'"
 */
export function joinList(items: readonly string[], and = 'and'): string {
  if (items.length <= 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} ${and} ${items.at(-1)!}`;
}

/**
 * How long ago `atSeconds` (epoch seconds, the connector's receipt clock) was at `nowMs` (epoch milliseconds):
 * "just now" under 5 s (and for times after now, which a skewed clock can give), "12 s ago", "3 min ago",
 * "2 h ago", "4 d ago".
 *
 * @example
 * relativeTime(1_000, 1_012_000); // '12 s ago'
 */
export function relativeTime(atSeconds: number, nowMs: number): string {
  const seconds = Math.floor(nowMs / 1000 - atSeconds);
  if (seconds < 5) return 'just now';
  if (seconds < 60) return `${seconds} s ago`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)} h ago`;
  return `${Math.floor(seconds / 86_400)} d ago`;
}
