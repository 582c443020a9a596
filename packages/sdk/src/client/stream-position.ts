/**
 * Where a {@link ConnectorClient} keeps its place in a product's stream: the id of the latest payload whose handling
 * finished (with every payload before it), read at start as the first `Last-Event-ID` and written as the stream goes,
 * so a restarted bridge resumes where it stopped and loses nothing the connector still retains.
 */

/** Storage of stream positions, one per product. */
export interface StreamPositionStore {
  /** The stored position of the product's stream, or null. */
  read(productId: string): Promise<string | null>;
  /** Stores the position (replacing the previous one). */
  write(productId: string, eventId: string): Promise<void>;
}

/**
 * Positions in this process's memory: a restart starts again without one. `RedisStreamPositionStore` from
 * `@sightline/sdk/redis` keeps them across restarts.
 */
export class MemoryStreamPositionStore implements StreamPositionStore {
  private readonly positions = new Map<string, string>();

  async read(productId: string): Promise<string | null> {
    return this.positions.get(productId) ?? null;
  }

  async write(productId: string, eventId: string): Promise<void> {
    this.positions.set(productId, eventId);
  }
}

/**
 * The product id of a stream URL (`…/stream/<product_id>`, percent-decoded), or null when the path does not end so.
 *
 * @example productIdOfStreamUrl('https://connector.example.com/stream/acme') // 'acme'
 */
export function productIdOfStreamUrl(url: string): string | null {
  const match = /\/stream\/([^/]+)\/?$/.exec(new URL(url).pathname);
  if (!match) return null;
  try {
    return decodeURIComponent(match[1]!);
  } catch {
    return null;
  }
}
