/**
 * A bounded memo for pure string functions on the ingest path (URL redaction, canonical URLs): the same
 * page URL arrives with most events of a session and of a batch, so its work is done once.
 */

/** Options of {@link memoizeString}. */
export interface MemoizeStringOptions {
  /** Results kept; when full, the oldest entry is forgotten first. Default 512. */
  maxEntries?: number;
  /** Longer inputs are computed every time and never kept, so the memo's memory stays bounded. Default 2048. */
  maxKeyLength?: number;
}

/**
 * Wraps a pure `(input: string) => T` in a bounded first-in-first-out memo. Only for functions whose
 * result depends on the input alone and is never `undefined` (a miss then costs one lookup, not two); results
 * are shared between callers, so they must not be mutated.
 *
 * @example
 * const cachedRedactUrl = memoizeString(redactUrl, { maxEntries: 512 });
 * cachedRedactUrl('https://app.example.com/reset?token=abc'); // computed
 * cachedRedactUrl('https://app.example.com/reset?token=abc'); // remembered
 */
export function memoizeString<T extends NonNullable<unknown> | null>(compute: (input: string) => T, options: MemoizeStringOptions = {}): (input: string) => T {
  const maxEntries = Math.max(1, Math.floor(options.maxEntries ?? 512));
  const maxKeyLength = Math.max(0, Math.floor(options.maxKeyLength ?? 2048));
  const results = new Map<string, T>();
  // Keys in insertion order, as a ring: the oldest is found in O(1). (`results.keys().next()` would walk
  // over every entry deleted since the map's last rehash, and FIFO eviction deletes from the front.)
  const order: string[] = [];
  let oldest = 0;
  return (input: string): T => {
    if (input.length > maxKeyLength) return compute(input);
    const known = results.get(input);
    if (known !== undefined) return known;
    const result = compute(input);
    if (order.length < maxEntries) order.push(input);
    else {
      results.delete(order[oldest]!);
      order[oldest] = input;
      oldest = oldest + 1 === maxEntries ? 0 : oldest + 1;
    }
    results.set(input, result);
    return result;
  };
}
