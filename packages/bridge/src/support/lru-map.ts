/**
 * A Map bounded by entry count that evicts the least recently used entry. Reads through `get` count
 * as use; `peek` does not. Used for every per-user and per-conversation table so memory stays bounded.
 */
export class LruMap<Key, Value> {
  private readonly entries = new Map<Key, Value>();

  /** @param maxSize entries kept (at least 1). @param onEvict called with each evicted entry. */
  constructor(
    readonly maxSize: number,
    private readonly onEvict?: (key: Key, value: Value) => void,
  ) {
    if (!(maxSize >= 1)) throw new RangeError('LruMap maxSize must be at least 1');
  }

  get size(): number {
    return this.entries.size;
  }

  get(key: Key): Value | undefined {
    const value = this.entries.get(key);
    if (value === undefined) return undefined;
    this.entries.delete(key);
    this.entries.set(key, value);
    return value;
  }

  peek(key: Key): Value | undefined {
    return this.entries.get(key);
  }

  has(key: Key): boolean {
    return this.entries.has(key);
  }

  set(key: Key, value: Value): this {
    this.entries.delete(key);
    this.entries.set(key, value);
    while (this.entries.size > this.maxSize) {
      const oldest = this.entries.keys().next().value as Key;
      const evicted = this.entries.get(oldest) as Value;
      this.entries.delete(oldest);
      this.onEvict?.(oldest, evicted);
    }
    return this;
  }

  delete(key: Key): boolean {
    return this.entries.delete(key);
  }

  values(): IterableIterator<Value> {
    return this.entries.values();
  }

  keys(): IterableIterator<Key> {
    return this.entries.keys();
  }

  clear(): void {
    this.entries.clear();
  }
}
