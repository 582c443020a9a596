/**
 * Session id → the products it was seen in, so a chat message that names only a session id finds its sessions. Async
 * so that bridges share it in Redis (redis-session-products.ts); the memory default is LRU-bounded.
 */
import { LruMap } from '@sightline/sdk/internal';

/**
 * @example
 * await products.add('s1', 'acme');
 * await products.productsOf('s1'); // ['acme']
 */
export interface SessionProducts {
  /** Records that the session was seen in the product. */
  add(sessionId: string, productId: string): Promise<void>;
  /** The products the session was seen in. */
  productsOf(sessionId: string): Promise<string[]>;
  /** Forgets one session of one product; resolves to whether it was recorded. */
  remove(sessionId: string, productId: string): Promise<boolean>;
}

/** {@link SessionProducts} in memory, least recently seen sessions dropped beyond `maxSessions` (default 10,000). */
export class MemorySessionProducts implements SessionProducts {
  private readonly products: LruMap<string, Set<string>>;

  constructor(options: { maxSessions?: number } = {}) {
    this.products = new LruMap(options.maxSessions ?? 10_000);
  }

  async add(sessionId: string, productId: string): Promise<void> {
    const products = this.products.get(sessionId) ?? new Set<string>();
    products.add(productId);
    this.products.set(sessionId, products);
  }

  async productsOf(sessionId: string): Promise<string[]> {
    return [...(this.products.peek(sessionId) ?? [])];
  }

  async remove(sessionId: string, productId: string): Promise<boolean> {
    const products = this.products.peek(sessionId);
    if (!products?.delete(productId)) return false;
    if (products.size === 0) this.products.delete(sessionId);
    return true;
  }
}
