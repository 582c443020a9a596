/**
 * The registered products and what the routes ask of them: {@link ProductStore}, with a file store (the default,
 * `file-product-store.ts`) and a Redis store shared by many connectors (`redis-product-store.ts`). Lookups on the hot
 * path are synchronous: both stores answer them from an in-process index (`product-index.ts`).
 */
import { randomBytes } from 'node:crypto';
import { chmod, open, rename } from 'node:fs/promises';
import { createError } from '../errors.ts';
import { validatePrivacyInput, type CompiledPrivacy, type ProductPrivacyInput } from '../extract/privacy-rules.ts';
import { hashSecret, mintCaptureToken, mintSecrets, type RandomSource } from './secrets.ts';

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

/** What an origin hash stands for. */
export type OriginKind = 'organisation' | 'address';

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

/** True when `value` is a product id the connector accepts (URL-safe, 1-128 characters). */
export function isValidProductId(value: unknown): value is string {
  return typeof value === 'string' && PRODUCT_ID_PATTERN.test(value) && value !== '.' && value !== '..';
}

/** True when `value`, trimmed, is a contact email the connector accepts (no spaces, one `@`, a dot after it, at most 254 characters). */
export function isValidContactEmail(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const email = value.trim();
  return email.length <= 254 && EMAIL_PATTERN.test(email);
}

/** A sent value as an error message quotes it: JSON for text, cut at 60 characters. */
export function describeValue(value: unknown): string {
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
      throw createError('SL_BODY_INVALID', { reason: `allowed_origins holds ${describeValue(origin)}, not an origin like https://app.example.com` });
    }
    if (parsed.origin === 'null') throw createError('SL_BODY_INVALID', { reason: `allowed_origins holds ${describeValue(origin)}, not an http(s) origin` });
    return parsed.origin;
  });
}

/** A change to a product that reached this process from elsewhere (another connector on the same Redis). */
export interface ProductChange {
  productId: string;
  /**
   * `registered`: new here; `rotated`: its webhook secret or stream key changed (streams under the old key must end);
   * `updated`: other fields changed; `removed`: gone.
   */
  kind: 'registered' | 'rotated' | 'updated' | 'removed';
}

/** Where the products live and, for Redis, whether this process is connected. */
export type ProductStoreStatus =
  | { backend: 'file' }
  | {
      backend: 'redis';
      /** Whether the command connection to Redis is up now. */
      connected: boolean;
      /** When the in-process copy last matched Redis as a whole (ISO 8601), or null before the first load. */
      synced_at: string | null;
    };

/**
 * Products with their credentials, as the routes use them. Reads are synchronous (an in-process copy); writes resolve
 * once stored.
 */
export interface ProductStore {
  /** The product, or undefined. */
  get(productId: string): ProductRecord | undefined;
  /** Every product known to this process. */
  list(): ProductRecord[];
  /** The product's compiled privacy list, or null when it has none (hot path: one map lookup). */
  privacyOf(productId: string): CompiledPrivacy | null;
  /** The product whose capture token this is, or undefined. */
  findByCaptureToken(token: string): ProductRecord | undefined;
  /** Whether `streamKey` opens `productId`'s stream, belongs to another product, or to none. */
  checkStreamKey(productId: string, streamKey: string): StreamKeyCheck;
  /** Whether `secret` is the product's webhook secret (constant time). */
  checkWebhookSecret(product: ProductRecord, secret: string): boolean;
  /**
   * A keyed hash of where events came from (an organisation id, a client address) for the payload's `origin`: equal
   * for equal values within the product, meaningless outside it; null for an unknown product.
   */
  originHash(productId: string, kind: OriginKind, value: string): string | null;
  /**
   * Registers a product, or with `force` re-registers it with new secrets (the capture token, which is public
   * and embedded in the product's pages, is kept).
   *
   * @throws `SL_PRODUCT_ID_INVALID`, `SL_CONTACT_EMAIL_INVALID`, `SL_BODY_INVALID` (origins), `SL_PRODUCT_EXISTS`.
   */
  register(input: RegisterProductInput): Promise<RegisteredProduct>;
  /**
   * Replaces a product's privacy list.
   *
   * @throws `SL_PRODUCT_NOT_FOUND`, `SL_BODY_INVALID` (shape), `SL_PRIVACY_RULE_INVALID` (a refused pattern or selector).
   */
  setPrivacy(productId: string, privacy: unknown): Promise<ProductRecord>;
  /** Removes a product; false when it was not registered. */
  remove(productId: string): Promise<boolean>;
  /** Calls `listener` for each change made elsewhere once this process knows it (never for its own writes). */
  onChange(listener: (change: ProductChange) => void): void;
  /** Where the products live and whether the store is connected. */
  status(): ProductStoreStatus;
  /** Stops listening for changes and closes connections; the file store has nothing to close. */
  close(): Promise<void>;
}

/** Validates registration input and builds the record to store (pure: randomness and time are passed in). */
export function buildProductRecord(
  input: RegisterProductInput,
  existing: ProductRecord | undefined,
  random: RandomSource,
  nowMs: number,
): RegisteredProduct {
  if (!isValidProductId(input.productId)) throw createError('SL_PRODUCT_ID_INVALID', { value: describeValue(input.productId) });
  if (!isValidContactEmail(input.contactEmail)) throw createError('SL_CONTACT_EMAIL_INVALID', { value: describeValue(input.contactEmail) });
  const email = input.contactEmail.trim();
  const allowedOrigins = normaliseOrigins(input.allowedOrigins);
  const privacy = input.privacy === undefined ? null : validatePrivacyInput(input.privacy);
  if (existing && !input.force) throw createError('SL_PRODUCT_EXISTS', { productId: input.productId });
  const { webhookSecret, streamKey } = mintSecrets(random);
  const now = new Date(nowMs).toISOString();
  const record: ProductRecord = {
    product_id: input.productId,
    contact_email: email,
    webhook_secret: webhookSecret,
    stream_key_hash: hashSecret(streamKey),
    capture_token: existing?.capture_token ?? mintCaptureToken(random),
    allowed_origins: input.allowedOrigins === undefined && existing ? existing.allowed_origins : allowedOrigins,
    privacy: privacy ?? existing?.privacy ?? { text_patterns: [], selectors: [] },
    created_at: existing?.created_at ?? now,
    updated_at: now,
  };
  return { record, streamKey };
}

/** The record with a new privacy list (validated), stamped now. */
export function withPrivacy(existing: ProductRecord, privacy: unknown, nowMs: number): ProductRecord {
  return { ...existing, privacy: validatePrivacyInput(privacy), updated_at: new Date(nowMs).toISOString() };
}

/**
 * Checks a record read back from storage and fills fields older records lack.
 *
 * @throws Error whose message says what is wrong (the caller names where the record came from).
 */
export function normaliseStoredRecord(value: unknown): ProductRecord {
  const record = value as ProductRecord | null;
  if (typeof record !== 'object' || record === null || !isValidProductId(record.product_id) || typeof record.stream_key_hash !== 'string'
    || typeof record.webhook_secret !== 'string' || typeof record.capture_token !== 'string') {
    throw new Error(`bad product entry ${describeValue((record as { product_id?: unknown } | null)?.product_id)}`);
  }
  let privacy: ProductPrivacyInput;
  try {
    privacy = validatePrivacyInput(record.privacy);
  } catch (error) {
    throw new Error(`bad privacy list of ${describeValue(record.product_id)}`, { cause: error });
  }
  return { ...record, allowed_origins: record.allowed_origins ?? [], privacy };
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
