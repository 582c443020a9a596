/**
 * Sightline's one LRU map (the SDK's stores and the bridge's per-user and per-conversation tables): a Map that
 * remembers use order and keeps at most `capacity` entries. `get` counts as use, `peek` does not; `set` returns what
 * it evicted so a caller can clean up the indexes it keeps beside the map (the summarizer's timers, the user index's
 * reverse map, the bridge's conversation owners); `capacity: null` keeps every entry, for the context store, which
 * evicts by its own limits through `oldest()`. Not `lru-cache`: it has no unbounded mode and no walk from the oldest
 * entry, and the SDK's main entry stays free of packages beyond the protocol and the SSE parser (it runs wherever
 * `fetch` does).
 *
 * The order lives in a doubly linked list beside the Map: re-inserting into a Map to mark use would leave deleted
 * slots at the front of V8's table, making "find the oldest entry" slower the more the map is used.
 */
interface LruNode<K, V> {
  key: K;
  value: V;
  /** Toward the least recently used end. */
  older: LruNode<K, V> | null;
  /** Toward the most recently used end. */
  newer: LruNode<K, V> | null;
}

/** A Map bounded by least-recent use (see the module comment); exported through `@sightline/sdk/internal`. */
export class LruMap<K, V> {
  private readonly nodes = new Map<K, LruNode<K, V>>();
  private oldestNode: LruNode<K, V> | null = null;
  private newestNode: LruNode<K, V> | null = null;

  /** @param capacity the most entries kept; `null` for no bound. */
  constructor(readonly capacity: number | null = null) {}

  get size(): number {
    return this.nodes.size;
  }

  /** The value, without changing its recency. */
  peek(key: K): V | undefined {
    return this.nodes.get(key)?.value;
  }

  has(key: K): boolean {
    return this.nodes.has(key);
  }

  /** The value, marking it most recently used. */
  get(key: K): V | undefined {
    const node = this.nodes.get(key);
    if (!node) return undefined;
    this.moveToNewest(node);
    return node.value;
  }

  /**
   * Stores `value` as the most recently used entry and evicts the least recently used ones beyond
   * the capacity. Returns the evicted entries (oldest first), so callers can clean up after them.
   */
  set(key: K, value: V): Array<[K, V]> {
    const existing = this.nodes.get(key);
    if (existing) {
      existing.value = value;
      this.moveToNewest(existing);
      return [];
    }
    const node: LruNode<K, V> = { key, value, older: this.newestNode, newer: null };
    if (this.newestNode) this.newestNode.newer = node;
    else this.oldestNode = node;
    this.newestNode = node;
    this.nodes.set(key, node);
    const evicted: Array<[K, V]> = [];
    if (this.capacity !== null) {
      while (this.nodes.size > this.capacity && this.oldestNode) {
        const oldest = this.oldestNode;
        this.delete(oldest.key);
        evicted.push([oldest.key, oldest.value]);
      }
    }
    return evicted;
  }

  delete(key: K): boolean {
    const node = this.nodes.get(key);
    if (!node) return false;
    this.unlink(node);
    this.nodes.delete(key);
    return true;
  }

  clear(): void {
    this.nodes.clear();
    this.oldestNode = null;
    this.newestNode = null;
  }

  /** The least recently used entry, or undefined when empty. */
  oldest(): [K, V] | undefined {
    return this.oldestNode ? [this.oldestNode.key, this.oldestNode.value] : undefined;
  }

  /** Keys from least to most recently used. */
  *keys(): Generator<K> {
    for (const [key] of this) yield key;
  }

  /** Values from least to most recently used. */
  *values(): Generator<V> {
    for (const [, value] of this) yield value;
  }

  /** Entries from least to most recently used. Deleting the entry just yielded is safe. */
  *[Symbol.iterator](): Generator<[K, V]> {
    let node = this.oldestNode;
    while (node) {
      const next = node.newer;
      yield [node.key, node.value];
      node = next;
    }
  }

  private moveToNewest(node: LruNode<K, V>): void {
    if (this.newestNode === node) return;
    this.unlink(node);
    node.older = this.newestNode;
    node.newer = null;
    if (this.newestNode) this.newestNode.newer = node;
    else this.oldestNode = node;
    this.newestNode = node;
  }

  private unlink(node: LruNode<K, V>): void {
    if (node.older) node.older.newer = node.newer;
    else this.oldestNode = node.newer;
    if (node.newer) node.newer.older = node.older;
    else this.newestNode = node.older;
    node.older = null;
    node.newer = null;
  }
}
