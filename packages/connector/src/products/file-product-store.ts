/**
 * The default product store: kept in memory for lookups on every request, persisted to `<dataDir>/products.json`
 * (atomic rename, mode 0600) so the products survive restarts. One process owns the file.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createError } from '../errors.ts';
import { IndexedProductStore } from './product-index.ts';
import {
  buildProductRecord, normaliseStoredRecord, withPrivacy, writeFileAtomic,
  type ProductChange, type ProductRecord, type ProductStore, type ProductStoreStatus, type RegisteredProduct, type RegisterProductInput,
} from './product-store.ts';
import type { RandomSource } from './secrets.ts';

/** The file, under the data dir, that holds the products. */
export const PRODUCTS_FILE_NAME = 'products.json';

/**
 * Creates the data dir (mode 0700) when missing.
 *
 * @throws `SL_DATA_DIR_INVALID` when it cannot be created.
 */
export async function ensureDataDir(dataDir: string): Promise<void> {
  try {
    await mkdir(dataDir, { recursive: true, mode: 0o700 });
  } catch (error) {
    throw createError('SL_DATA_DIR_INVALID', { path: dataDir, reason: (error as Error).message }, { cause: error });
  }
}

/**
 * Reads the products saved in `dataDir` (none when the file does not exist yet).
 *
 * @throws `SL_DATA_DIR_INVALID` when the file cannot be read or holds a bad entry.
 */
export async function readProductsFile(dataDir: string): Promise<ProductRecord[]> {
  const path = join(dataDir, PRODUCTS_FILE_NAME);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw createError('SL_DATA_DIR_INVALID', { path: dataDir, reason: (error as Error).message }, { cause: error });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw createError('SL_DATA_DIR_INVALID', { path, reason: 'not valid JSON' }, { cause: error });
  }
  const products = (parsed as { products?: unknown } | null)?.products;
  if (!Array.isArray(products)) throw createError('SL_DATA_DIR_INVALID', { path, reason: 'no products array' });
  return products.map((entry: unknown) => {
    try {
      return normaliseStoredRecord(entry);
    } catch (error) {
      throw createError('SL_DATA_DIR_INVALID', { path, reason: (error as Error).message }, { cause: error });
    }
  });
}

/**
 * Products with their credentials, persisted under a data dir.
 *
 * @example
 * const store = await FileProductStore.open('.sightline');
 * const { record, streamKey } = await store.register({ productId: 'acme', contactEmail: 'owner@acme.com' });
 */
export class FileProductStore extends IndexedProductStore implements ProductStore {
  private writing: Promise<void> = Promise.resolve();

  private constructor(
    private readonly dataDir: string,
    private readonly random: RandomSource,
    private readonly now: () => number,
  ) {
    super();
  }

  /** Opens (creating when missing) the store in `dataDir`. */
  static async open(dataDir: string, options: { random?: RandomSource; now?: () => number } = {}): Promise<FileProductStore> {
    const store = new FileProductStore(dataDir, options.random ?? randomBytes, options.now ?? Date.now);
    await ensureDataDir(dataDir);
    for (const record of await readProductsFile(dataDir)) store.index.put(record);
    return store;
  }

  async setPrivacy(productId: string, privacy: unknown): Promise<ProductRecord> {
    const existing = this.index.get(productId);
    if (!existing) throw createError('SL_PRODUCT_NOT_FOUND', { productId });
    const record = withPrivacy(existing, privacy, this.now());
    this.index.put(record);
    await this.persist();
    return record;
  }

  async register(input: RegisterProductInput): Promise<RegisteredProduct> {
    const registered = buildProductRecord(input, this.index.get(input.productId), this.random, this.now());
    this.index.put(registered.record);
    await this.persist();
    return registered;
  }

  async remove(productId: string): Promise<boolean> {
    if (!this.index.delete(productId)) return false;
    await this.persist();
    return true;
  }

  /** One process owns the file: nothing changes elsewhere, so the listener is never called. */
  onChange(_listener: (change: ProductChange) => void): void {}

  status(): ProductStoreStatus {
    return { backend: 'file' };
  }

  async close(): Promise<void> {
    await this.writing;
  }

  /** Writes the whole table; writes are serialised so the file always holds the latest complete state. */
  private persist(): Promise<void> {
    const next = this.writing.then(() => writeFileAtomic(join(this.dataDir, PRODUCTS_FILE_NAME), `${JSON.stringify({ version: 1, products: this.list() }, null, 2)}\n`));
    this.writing = next.catch(() => undefined);
    return next;
  }
}
