/**
 * The product store shared by many connectors: the products live in one Redis hash, `<prefix>products` (field: the
 * product id, value: the record as JSON with `"v": 1`). Each process answers lookups from its own in-process copy,
 * loaded at start and refreshed when a writer announces a change on `<prefix>products:changed` (pub/sub, no keyspace
 * notifications needed), plus a periodic reconcile of the whole table (missed messages, a restarted Redis).
 * Writes are compare-and-set Lua scripts, so two connectors writing one product never lose each other's change.
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { systemClock, type Clock } from '@sightline/protocol';
import { redactRedisUrl } from '@sightline/protocol/internal';
import { createError } from '../errors.ts';
import { readProductsFile } from './file-product-store.ts';
import { IndexedProductStore } from './product-index.ts';
import {
  buildProductRecord, normaliseStoredRecord, withPrivacy,
  type ProductChange, type ProductRecord, type ProductStore, type ProductStoreStatus, type RegisteredProduct, type RegisterProductInput,
} from './product-store.ts';
import type { RandomSource } from './secrets.ts';

/** The schema version of the product records this connector writes and reads. */
export const PRODUCT_RECORD_VERSION = 1;

/** Where the store reports what it cannot fix itself (a pino logger fits). */
export interface ProductStoreLogger {
  info(object: object, message: string): void;
  warn(object: object, message: string): void;
  error(object: object, message: string): void;
}

/** Options of {@link RedisProductStore.open}. */
export interface RedisProductStoreOptions {
  /** `redis://[user:password@]host:port[/db]`, or `rediss://` for TLS. */
  url: string;
  /** Start of every key. Default `sightline:`. */
  prefix?: string;
  /** A data dir whose `products.json` is imported at start: only products Redis does not have, never overwriting. */
  importFrom?: string;
  /** How often the whole table is read again, ms. Default 30000. */
  reconcileMs?: number;
  random?: RandomSource;
  /** Time of `created_at` / `updated_at` and the reconcile timer. Default: the system clock. */
  clock?: Clock;
  logger?: ProductStoreLogger;
}

// Sets (or with an empty value deletes) one product if its stored value is still the one the writer read ('' =
// absent), and announces the change. 0 when another writer came first: the caller reads again and retries.
const COMPARE_AND_SET = `
local current = redis.call('HGET', KEYS[1], ARGV[1])
if current == false then current = '' end
if current ~= ARGV[2] then return 0 end
if ARGV[3] == '' then redis.call('HDEL', KEYS[1], ARGV[1]) else redis.call('HSET', KEYS[1], ARGV[1], ARGV[3]) end
redis.call('PUBLISH', ARGV[4], ARGV[1])
return 1
`;

const MAX_WRITE_ATTEMPTS = 8;

type ScriptedRedis = Redis & {
  productsCompareAndSet(key: string, productId: string, expected: string, next: string, channel: string): Promise<number>;
};

const quietLogger: ProductStoreLogger = { info() {}, warn() {}, error() {} };

/** The record as stored in Redis: JSON with the schema version first. */
export function serializeProductRecord(record: ProductRecord): string {
  return JSON.stringify({ v: PRODUCT_RECORD_VERSION, ...record });
}

/**
 * Reads a stored record back.
 *
 * @throws `SL_STORED_RECORD_UNSUPPORTED` for a schema version this connector does not know, `SL_DATA_DIR_INVALID`
 * for a record that is not one.
 */
export function parseProductRecord(raw: string, where: string): ProductRecord {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (error) {
    throw createError('SL_DATA_DIR_INVALID', { path: where, reason: 'not valid JSON' }, { cause: error });
  }
  const { v, ...record } = (parsed ?? {}) as { v?: unknown };
  if (v !== PRODUCT_RECORD_VERSION) {
    throw createError('SL_STORED_RECORD_UNSUPPORTED', { key: where, version: JSON.stringify(v ?? null), known: String(PRODUCT_RECORD_VERSION) });
  }
  try {
    return normaliseStoredRecord(record);
  } catch (error) {
    throw createError('SL_DATA_DIR_INVALID', { path: where, reason: (error as Error).message }, { cause: error });
  }
}

function changeKind(before: ProductRecord | undefined, after: ProductRecord): ProductChange['kind'] | null {
  if (!before) return 'registered';
  if (before.stream_key_hash !== after.stream_key_hash || before.webhook_secret !== after.webhook_secret) return 'rotated';
  return JSON.stringify(before) === JSON.stringify(after) ? null : 'updated';
}

/**
 * Products in Redis, known to every connector on the same Redis and prefix within a moment of a change.
 *
 * @example
 * const store = await RedisProductStore.open({ url: 'redis://127.0.0.1:6379', importFrom: '.sightline' });
 * store.checkStreamKey('acme', key); // synchronous, from the in-process copy
 * await store.close();
 */
export class RedisProductStore extends IndexedProductStore implements ProductStore {
  private readonly listeners: Array<(change: ProductChange) => void> = [];
  private readonly hashKey: string;
  private readonly importedKey: string;
  private readonly channel: string;
  private syncedAt: number | null = null;
  private timer: unknown = null;
  private isClosed = false;

  private constructor(
    private readonly client: ScriptedRedis,
    private readonly subscriber: Redis,
    prefix: string,
    private readonly random: RandomSource,
    private readonly clock: Clock,
    private readonly reconcileMs: number,
    private readonly logger: ProductStoreLogger,
  ) {
    super();
    this.hashKey = `${prefix}products`;
    this.importedKey = `${prefix}products:imported`;
    this.channel = `${prefix}products:changed`;
  }

  /**
   * Connects, imports the data dir's products Redis lacks, loads the table and starts following changes.
   *
   * @throws `SL_REDIS_UNAVAILABLE` when Redis does not answer, `SL_CONFIG_INVALID` for a bad option.
   */
  static async open(options: RedisProductStoreOptions): Promise<RedisProductStore> {
    const reconcileMs = options.reconcileMs ?? 30_000;
    if (!(Number.isFinite(reconcileMs) && reconcileMs >= 1)) {
      throw createError('SL_CONFIG_INVALID', { option: 'reconcileMs', reason: `must be a number >= 1, got ${String(options.reconcileMs)}` });
    }
    const prefix = options.prefix ?? 'sightline:';
    if (typeof prefix !== 'string' || /[{}]/.test(prefix)) {
      throw createError('SL_CONFIG_INVALID', { option: 'redis.prefix', reason: 'must be text without { or } (they would move the hash tag)' });
    }
    const target = redactRedisUrl(options.url);
    const logger = options.logger ?? quietLogger;
    const client = new Redis(options.url, { lazyConnect: true }) as ScriptedRedis;
    client.defineCommand('productsCompareAndSet', { numberOfKeys: 1, lua: COMPARE_AND_SET });
    const subscriber = client.duplicate();
    // ioredis reconnects by itself; each failed attempt is reported here once rather than as an unhandled event.
    let lastError = '';
    for (const connection of [client, subscriber]) {
      connection.on('error', (error: Error) => {
        if (error.message === lastError) return;
        lastError = error.message;
        logger.warn({ redis: target, reason: error.message }, 'redis-connection-error');
      });
    }
    const store = new RedisProductStore(client, subscriber, prefix, options.random ?? randomBytes, options.clock ?? systemClock, reconcileMs, logger);
    try {
      await client.connect();
      await subscriber.connect();
    } catch (error) {
      client.disconnect();
      subscriber.disconnect();
      throw createError('SL_REDIS_UNAVAILABLE', { target, reason: (error as Error).message }, { cause: error });
    }
    lastError = '';
    try {
      subscriber.on('message', (_channel: string, productId: string) => store.refresh(productId));
      // After a reconnect the subscription is back (ioredis renews it), but messages sent meanwhile are lost.
      subscriber.on('ready', () => store.reconcile());
      await subscriber.subscribe(store.channel);
      if (options.importFrom !== undefined) await store.importFile(options.importFrom);
      await store.reconcileNow();
    } catch (error) {
      await store.close();
      throw error;
    }
    store.schedule();
    return store;
  }

  async register(input: RegisterProductInput): Promise<RegisteredProduct> {
    let registered: RegisteredProduct | undefined;
    await this.write(input.productId, (existing) => {
      registered = buildProductRecord(input, existing, this.random, this.clock.now());
      return registered.record;
    });
    return registered!;
  }

  async setPrivacy(productId: string, privacy: unknown): Promise<ProductRecord> {
    return (await this.write(productId, (existing) => {
      if (!existing) throw createError('SL_PRODUCT_NOT_FOUND', { productId });
      return withPrivacy(existing, privacy, this.clock.now());
    }))!;
  }

  async remove(productId: string): Promise<boolean> {
    let existed = false;
    await this.write(productId, (existing) => {
      existed = existing !== undefined;
      return null;
    });
    return existed;
  }

  onChange(listener: (change: ProductChange) => void): void {
    this.listeners.push(listener);
  }

  status(): ProductStoreStatus {
    return {
      backend: 'redis',
      connected: this.client.status === 'ready',
      synced_at: this.syncedAt === null ? null : new Date(this.syncedAt).toISOString(),
    };
  }

  async close(): Promise<void> {
    if (this.isClosed) return;
    this.isClosed = true;
    if (this.timer !== null) this.clock.clearTimeout(this.timer);
    this.subscriber.disconnect();
    try {
      await this.client.quit();
    } catch {
      this.client.disconnect();
    }
  }

  /**
   * Reads the product from Redis (not the local copy, which may lag), lets `next` decide its new record (null:
   * delete), and stores it if nobody wrote in between; otherwise reads again.
   */
  private async write(productId: string, next: (existing: ProductRecord | undefined) => ProductRecord | null): Promise<ProductRecord | null> {
    for (let attempt = 0; attempt < MAX_WRITE_ATTEMPTS; attempt += 1) {
      const raw = await this.client.hget(this.hashKey, productId);
      const existing = raw === null ? undefined : parseProductRecord(raw, this.where(productId));
      const record = next(existing);
      if (record === null && raw === null) {
        this.index.delete(productId);
        return null;
      }
      const value = record === null ? '' : serializeProductRecord(record);
      if ((await this.client.productsCompareAndSet(this.hashKey, productId, raw ?? '', value, this.channel)) === 1) {
        if (record === null) this.index.delete(productId);
        else this.index.put(record);
        return record;
      }
    }
    throw createError('SL_INTERNAL', {}, { cause: new Error(`product ${productId} kept changing under ${MAX_WRITE_ATTEMPTS} write attempts`) });
  }

  private where(productId: string): string {
    return `${this.hashKey} ${productId}`;
  }

  /**
   * Adds the data dir's products Redis does not have; an existing one is never overwritten. Each imported record is
   * remembered (`<prefix>products:imported`), so a product removed later is not brought back by the next start.
   */
  private async importFile(dataDir: string): Promise<void> {
    const records = await readProductsFile(dataDir);
    let imported = 0;
    for (const record of records) {
      const identity = `${record.product_id} ${record.stream_key_hash}`;
      if ((await this.client.sismember(this.importedKey, identity)) === 1) continue;
      if ((await this.client.productsCompareAndSet(this.hashKey, record.product_id, '', serializeProductRecord(record), this.channel)) === 1) imported += 1;
      await this.client.sadd(this.importedKey, identity);
    }
    if (records.length > 0) this.logger.info({ imported, kept: records.length - imported }, 'products-imported');
  }

  /** Applies what Redis holds for one product now (HGET answers in order on one connection, so the last read wins). */
  private refresh(productId: string): void {
    if (this.isClosed) return;
    this.client.hget(this.hashKey, productId).then(
      (raw) => this.apply(productId, raw),
      (error: Error) => this.logger.warn({ product: productId, reason: error.message }, 'product-refresh-failed'),
    );
  }

  private apply(productId: string, raw: string | null): void {
    if (this.isClosed) return;
    if (raw === null) {
      if (this.index.delete(productId)) this.emit({ productId, kind: 'removed' });
      return;
    }
    let record: ProductRecord;
    try {
      record = parseProductRecord(raw, this.where(productId));
    } catch (error) {
      // A record this connector cannot read must not keep its old credentials working here.
      this.logger.error({ product: productId, code: (error as { code?: string }).code, reason: (error as Error).message }, 'product-record-refused');
      if (this.index.delete(productId)) this.emit({ productId, kind: 'removed' });
      return;
    }
    const kind = changeKind(this.index.get(productId), record);
    if (kind === null) return;
    this.index.put(record);
    this.emit({ productId, kind });
  }

  private emit(change: ProductChange): void {
    for (const listener of this.listeners) listener(change);
  }

  /** Makes the local copy match the whole table. */
  private async reconcileNow(): Promise<void> {
    const table = await this.client.hgetall(this.hashKey);
    for (const [productId, raw] of Object.entries(table)) this.apply(productId, raw);
    for (const record of this.index.list()) {
      if (!(record.product_id in table)) this.apply(record.product_id, null);
    }
    this.syncedAt = this.clock.now();
  }

  private reconcile(): void {
    if (this.isClosed) return;
    this.reconcileNow().catch((error: Error) => this.logger.warn({ reason: error.message }, 'products-reconcile-failed'));
  }

  private schedule(): void {
    this.timer = this.clock.setTimeout(() => {
      this.reconcile();
      if (!this.isClosed) this.schedule();
    }, this.reconcileMs);
  }
}
