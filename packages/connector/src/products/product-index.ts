/**
 * The in-process copy of the product table that every request reads synchronously: products by id, by capture token
 * and by stream key hash, and the compiled privacy lists. Both product stores keep one; the Redis store refreshes it
 * from Redis.
 */
import { compilePrivacy, type CompiledPrivacy } from '../extract/privacy-rules.ts';
import type { OriginKind, ProductRecord, StreamKeyCheck } from './product-store.ts';
import { hashSecret, originHash, safeEqualHex, safeEqualToDigest, sha256 } from './secrets.ts';

/**
 * Lookups over the products one process knows (hot path: map lookups only).
 *
 * @example
 * const index = new ProductIndex();
 * index.put(record);
 * index.checkStreamKey('acme', streamKey); // 'valid'
 */
export class ProductIndex {
  private readonly byId = new Map<string, ProductRecord>();
  private readonly byCaptureToken = new Map<string, ProductRecord>();
  private readonly byStreamKeyHash = new Map<string, ProductRecord>();
  /** Compiled privacy lists of the products that have one. */
  private readonly privacyById = new Map<string, CompiledPrivacy>();
  /** SHA-256 of each product's webhook secret, so a webhook request hashes only the secret it presents. */
  private readonly webhookSecretDigestById = new Map<string, Buffer>();

  /** The product, or undefined. */
  get(productId: string): ProductRecord | undefined {
    return this.byId.get(productId);
  }

  /** Every product, in the order they were first put. */
  list(): ProductRecord[] {
    return [...this.byId.values()];
  }

  /** How many products are known. */
  get size(): number {
    return this.byId.size;
  }

  /** The product's compiled privacy list, or null when it has none. */
  privacyOf(productId: string): CompiledPrivacy | null {
    return this.privacyById.get(productId) ?? null;
  }

  /** The product whose capture token this is, or undefined. */
  findByCaptureToken(token: string): ProductRecord | undefined {
    return this.byCaptureToken.get(token);
  }

  /** Whether `streamKey` opens `productId`'s stream, belongs to another product, or to none. */
  checkStreamKey(productId: string, streamKey: string): StreamKeyCheck {
    const hash = hashSecret(streamKey);
    const product = this.byId.get(productId);
    if (product && safeEqualHex(product.stream_key_hash, hash)) return 'valid';
    return this.byStreamKeyHash.has(hash) ? 'foreign' : 'invalid';
  }

  /** A keyed hash of an organisation or address for the product's payloads; null for an unknown product. */
  originHash(productId: string, kind: OriginKind, value: string): string | null {
    const product = this.byId.get(productId);
    return product === undefined ? null : originHash(product.webhook_secret, kind, value);
  }

  /** Whether `secret` is the product's webhook secret (constant time). */
  checkWebhookSecret(product: ProductRecord, secret: string): boolean {
    let digest = this.webhookSecretDigestById.get(product.product_id);
    if (digest === undefined || this.byId.get(product.product_id) !== product) digest = sha256(product.webhook_secret);
    return safeEqualToDigest(digest, secret);
  }

  /**
   * Adds or replaces a product (its old capture token, key hash and privacy list stop matching). The privacy list
   * is compiled again only when it changed.
   */
  put(record: ProductRecord): void {
    const existing = this.byId.get(record.product_id);
    const compiled = existing !== undefined && samePrivacy(existing, record) ? this.privacyById.get(record.product_id) : undefined;
    if (existing) this.delete(record.product_id);
    this.byId.set(record.product_id, record);
    this.byCaptureToken.set(record.capture_token, record);
    this.byStreamKeyHash.set(record.stream_key_hash, record);
    this.webhookSecretDigestById.set(record.product_id, sha256(record.webhook_secret));
    if (record.privacy.text_patterns.length > 0 || record.privacy.selectors.length > 0) {
      this.privacyById.set(record.product_id, compiled ?? compilePrivacy(record.privacy));
    }
  }

  /** Removes a product; false when it was not known. */
  delete(productId: string): boolean {
    const existing = this.byId.get(productId);
    if (!existing) return false;
    this.byId.delete(productId);
    if (this.byCaptureToken.get(existing.capture_token) === existing) this.byCaptureToken.delete(existing.capture_token);
    if (this.byStreamKeyHash.get(existing.stream_key_hash) === existing) this.byStreamKeyHash.delete(existing.stream_key_hash);
    this.privacyById.delete(productId);
    this.webhookSecretDigestById.delete(productId);
    return true;
  }
}

function samePrivacy(left: ProductRecord, right: ProductRecord): boolean {
  return JSON.stringify(left.privacy) === JSON.stringify(right.privacy);
}

/**
 * The synchronous lookups every product store answers from its in-process index, so the ingest and stream doors never
 * wait on I/O; a store only keeps the index up to date.
 */
export abstract class IndexedProductStore {
  protected readonly index = new ProductIndex();

  get(productId: string): ProductRecord | undefined {
    return this.index.get(productId);
  }

  list(): ProductRecord[] {
    return this.index.list();
  }

  privacyOf(productId: string): CompiledPrivacy | null {
    return this.index.privacyOf(productId);
  }

  findByCaptureToken(token: string): ProductRecord | undefined {
    return this.index.findByCaptureToken(token);
  }

  checkStreamKey(productId: string, streamKey: string): StreamKeyCheck {
    return this.index.checkStreamKey(productId, streamKey);
  }

  checkWebhookSecret(product: ProductRecord, secret: string): boolean {
    return this.index.checkWebhookSecret(product, secret);
  }

  originHash(productId: string, kind: OriginKind, value: string): string | null {
    return this.index.originHash(productId, kind, value);
  }
}
