/**
 * The registered products: kept in memory for lookups on every request, persisted to
 * `<dataDir>/products.json` (atomic rename, mode 0600) so they survive restarts.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, chmod } from 'node:fs/promises';
import { join } from 'node:path';
import { createError } from '../errors.ts';
import { compilePrivacy, validatePrivacyInput, type CompiledPrivacy, type ProductPrivacyInput } from '../extract/privacy-rules.ts';
import { hashSecret, mintCaptureToken, mintSecrets, safeEqualHex, safeEqualToStored, type RandomSource } from './secrets.ts';

/** One product as stored. Stream keys are stored only as SHA-256 hashes. */
export interface ProductRecord {
  product_id: string;
  contact_email: string;
  /** Plain, because HMAC verification needs it; the file is 0600. */
  webhook_secret: string;
  stream_key_hash: string;
  capture_token: string;
  /** Origins allowed to post through the capture door; empty means any. */
  allowed_origins: string[];
  /** The product's own privacy list: extra text patterns and selectors (docs/privacy.md). */
  privacy: ProductPrivacyInput;
  created_at: string;
  updated_at: string;
}

/** What registering a product hands back once (the stream key is not recoverable later). */
export interface RegisteredProduct {
  record: ProductRecord;
  streamKey: string;
}

/** Input of {@link ProductStore.register}. */
export interface RegisterProductInput {
  productId: string;
  contactEmail: string;
  /** Re-register an existing product: rotates the webhook secret and the stream key. */
  force?: boolean;
  /** Origins allowed to use the capture door, e.g. `https://app.example.com`. */
  allowedOrigins?: string[];
  /** The product's privacy list, validated (`SL_PRIVACY_RULE_INVALID` for a refused pattern or selector). */
  privacy?: unknown;
}

/** How a stream key relates to a product. */
export type StreamKeyCheck = 'valid' | 'foreign' | 'invalid';

const PRODUCT_ID_PATTERN = /^[A-Za-z0-9._-]{1,128}$/;
const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const FILE_NAME = 'products.json';

/** True when `value` is a product id the connector accepts (URL-safe, 1-128 characters). */
export function isValidProductId(value: unknown): value is string {
  return typeof value === 'string' && PRODUCT_ID_PATTERN.test(value) && value !== '.' && value !== '..';
}

function describe(value: unknown): string {
  const text = typeof value === 'string' ? JSON.stringify(value) : String(value);
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
}

function normaliseOrigins(origins: unknown): string[] {
  if (origins === undefined || origins === null) return [];
  if (!Array.isArray(origins)) throw createError('SL_BODY_INVALID', { reason: 'allowed_origins must be an array of origins' });
  return origins.map((origin) => {
    let parsed: URL;
    try {
      parsed = new URL(String(origin));
    } catch {
      throw createError('SL_BODY_INVALID', { reason: `allowed_origins holds ${describe(origin)}, not an origin like https://app.example.com` });
    }
    if (parsed.origin === 'null') throw createError('SL_BODY_INVALID', { reason: `allowed_origins holds ${describe(origin)}, not an http(s) origin` });
    return parsed.origin;
  });
}

/**
 * Products with their credentials, persisted under a data dir.
 *
 * @example
 * const store = await ProductStore.open('.sightline');
 * const { record, streamKey } = await store.register({ productId: 'acme', contactEmail: 'owner@acme.com' });
 */
export class ProductStore {
  private readonly byId = new Map<string, ProductRecord>();
  private readonly byCaptureToken = new Map<string, ProductRecord>();
  private readonly byStreamKeyHash = new Map<string, ProductRecord>();
  /** Compiled privacy lists of the products that have one. */
  private readonly privacyById = new Map<string, CompiledPrivacy>();
  private writing: Promise<void> = Promise.resolve();

  private constructor(
    private readonly dataDir: string,
    private readonly random: RandomSource,
    private readonly now: () => number,
  ) {}

  /** Opens (creating when missing) the store in `dataDir`. */
  static async open(dataDir: string, options: { random?: RandomSource; now?: () => number } = {}): Promise<ProductStore> {
    const store = new ProductStore(dataDir, options.random ?? randomBytes, options.now ?? Date.now);
    try {
      await mkdir(dataDir, { recursive: true, mode: 0o700 });
    } catch (error) {
      throw createError('SL_DATA_DIR_INVALID', { path: dataDir, reason: (error as Error).message }, { cause: error });
    }
    let text: string | null = null;
    try {
      text = await readFile(join(dataDir, FILE_NAME), 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
        throw createError('SL_DATA_DIR_INVALID', { path: dataDir, reason: (error as Error).message }, { cause: error });
      }
    }
    if (text !== null) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch (error) {
        throw createError('SL_DATA_DIR_INVALID', { path: join(dataDir, FILE_NAME), reason: 'not valid JSON' }, { cause: error });
      }
      const products = (parsed as { products?: unknown }).products;
      if (!Array.isArray(products)) throw createError('SL_DATA_DIR_INVALID', { path: join(dataDir, FILE_NAME), reason: 'no products array' });
      for (const record of products as ProductRecord[]) {
        if (!isValidProductId(record?.product_id) || typeof record.stream_key_hash !== 'string') {
          throw createError('SL_DATA_DIR_INVALID', { path: join(dataDir, FILE_NAME), reason: `bad product entry ${describe(record?.product_id)}` });
        }
        let privacy: ProductPrivacyInput;
        try {
          privacy = validatePrivacyInput(record.privacy);
        } catch (error) {
          throw createError('SL_DATA_DIR_INVALID', { path: join(dataDir, FILE_NAME), reason: `bad privacy list of ${describe(record.product_id)}` }, { cause: error });
        }
        store.index({ ...record, allowed_origins: record.allowed_origins ?? [], privacy });
      }
    }
    return store;
  }

  /** The product, or undefined. */
  get(productId: string): ProductRecord | undefined {
    return this.byId.get(productId);
  }

  /** Every product, in registration order. */
  list(): ProductRecord[] {
    return [...this.byId.values()];
  }

  /** The product's compiled privacy list, or null when it has none (hot path: one map lookup). */
  privacyOf(productId: string): CompiledPrivacy | null {
    return this.privacyById.get(productId) ?? null;
  }

  /**
   * Replaces a product's privacy list.
   *
   * @throws `SL_PRODUCT_NOT_FOUND`, `SL_BODY_INVALID` (shape), `SL_PRIVACY_RULE_INVALID` (a refused pattern or selector).
   */
  async setPrivacy(productId: string, privacy: unknown): Promise<ProductRecord> {
    const existing = this.byId.get(productId);
    if (!existing) throw createError('SL_PRODUCT_NOT_FOUND', { productId });
    const record: ProductRecord = { ...existing, privacy: validatePrivacyInput(privacy), updated_at: new Date(this.now()).toISOString() };
    this.unindex(existing);
    this.index(record);
    await this.persist();
    return record;
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

  /** Whether `secret` is the product's webhook secret (constant time). */
  checkWebhookSecret(product: ProductRecord, secret: string): boolean {
    return safeEqualToStored(product.webhook_secret, secret);
  }

  /**
   * Registers a product, or with `force` re-registers it with new secrets (the capture token, which is public
   * and embedded in the product's pages, is kept).
   *
   * @throws `SL_PRODUCT_ID_INVALID`, `SL_CONTACT_EMAIL_INVALID`, `SL_BODY_INVALID` (origins), `SL_PRODUCT_EXISTS`.
   */
  async register(input: RegisterProductInput): Promise<RegisteredProduct> {
    if (!isValidProductId(input.productId)) throw createError('SL_PRODUCT_ID_INVALID', { value: describe(input.productId) });
    const email = typeof input.contactEmail === 'string' ? input.contactEmail.trim() : input.contactEmail;
    if (typeof email !== 'string' || email.length > 254 || !EMAIL_PATTERN.test(email)) {
      throw createError('SL_CONTACT_EMAIL_INVALID', { value: describe(input.contactEmail) });
    }
    const allowedOrigins = normaliseOrigins(input.allowedOrigins);
    const privacy = input.privacy === undefined ? null : validatePrivacyInput(input.privacy);
    const existing = this.byId.get(input.productId);
    if (existing && !input.force) throw createError('SL_PRODUCT_EXISTS', { productId: input.productId });
    const { webhookSecret, streamKey } = mintSecrets(this.random);
    const now = new Date(this.now()).toISOString();
    const record: ProductRecord = {
      product_id: input.productId,
      contact_email: email,
      webhook_secret: webhookSecret,
      stream_key_hash: hashSecret(streamKey),
      capture_token: existing?.capture_token ?? mintCaptureToken(this.random),
      allowed_origins: input.allowedOrigins === undefined && existing ? existing.allowed_origins : allowedOrigins,
      privacy: privacy ?? existing?.privacy ?? { text_patterns: [], selectors: [] },
      created_at: existing?.created_at ?? now,
      updated_at: now,
    };
    if (existing) this.unindex(existing);
    this.index(record);
    await this.persist();
    return { record, streamKey };
  }

  /** Removes a product; false when it was not registered. */
  async remove(productId: string): Promise<boolean> {
    const existing = this.byId.get(productId);
    if (!existing) return false;
    this.unindex(existing);
    await this.persist();
    return true;
  }

  private index(record: ProductRecord): void {
    this.byId.set(record.product_id, record);
    this.byCaptureToken.set(record.capture_token, record);
    this.byStreamKeyHash.set(record.stream_key_hash, record);
    if (record.privacy.text_patterns.length > 0 || record.privacy.selectors.length > 0) this.privacyById.set(record.product_id, compilePrivacy(record.privacy));
  }

  private unindex(record: ProductRecord): void {
    this.byId.delete(record.product_id);
    this.byCaptureToken.delete(record.capture_token);
    this.byStreamKeyHash.delete(record.stream_key_hash);
    this.privacyById.delete(record.product_id);
  }

  /** Writes the whole table; writes are serialised so the file always holds the latest complete state. */
  private persist(): Promise<void> {
    const next = this.writing.then(() => writeFileAtomic(join(this.dataDir, FILE_NAME), `${JSON.stringify({ version: 1, products: this.list() }, null, 2)}\n`));
    this.writing = next.catch(() => undefined);
    return next;
  }
}

/** Writes `text` to a temporary file (mode 0600), flushes it to disk, then renames it over `path`. */
export async function writeFileAtomic(path: string, text: string): Promise<void> {
  const temporary = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const handle = await open(temporary, 'w', 0o600);
  try {
    await handle.writeFile(text, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  // The umask may have narrowed the mode further, never widened it; set it exactly anyway.
  await chmod(temporary, 0o600);
  await rename(temporary, path);
}
