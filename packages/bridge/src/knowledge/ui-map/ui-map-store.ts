/**
 * Where the UI map keeps who saw what: per product, each entry with the (hashed) users and organisations that
 * contributed it and when they last did, each user's entries (for the per-user cap and for forgetting), the users
 * seen per client address (for the per-address cap), and the users verified at a chat door. One async interface, a
 * memory backend here and a Redis backend in redis-ui-map-store.ts (docs/knowledge.md, "UI map").
 */
import { createHash } from 'node:crypto';
import type { Clock } from '@sightline/sdk';
import type { UiMapEntry } from './ui-map-entry.ts';

/** Bounds and the decay window, shared by both backends. */
export interface UiMapStoreLimits {
  /** A contribution older than this no longer counts, and an entry no one contributed for this long is removed (ms). */
  windowMs: number;
  /** Distinct entries one user may contribute to within the window; more are refused. */
  maxEntriesPerUser: number;
  /** Distinct users one client address may contribute for within the window (public capture door only). */
  maxUsersPerAddress: number;
  /** Users kept per entry, the most recent (counts above it show as this number). */
  maxUsersPerEntry: number;
  /** Entries kept per product; past it the least recently seen goes. */
  maxEntries: number;
}

/** Defaults of {@link UiMapStoreLimits}: 30 days, 300 entries per user, 2 users per address (below the threshold of 3), 50 users per entry, 5 000 entries. */
export const UI_MAP_STORE_DEFAULTS: UiMapStoreLimits = {
  windowMs: 30 * 24 * 3600 * 1000,
  maxEntriesPerUser: 300,
  maxUsersPerAddress: 2,
  maxUsersPerEntry: 50,
  maxEntries: 5000,
};

/** One user's entries from one payload. Ids of users, organisations and addresses are hashed ({@link hashId}). */
export interface UiMapContribution {
  productId: string;
  user: string;
  /** The user's organisation (PostHog group), hashed, when the event carried one. */
  organisation: string | null;
  /** The client address, hashed, for events that came through the public capture door; null otherwise. */
  address: string | null;
  entries: readonly UiMapEntry[];
  /** `entryIdOf` of each entry, same order. */
  ids: readonly string[];
}

/** What a contribution did. */
export interface UiMapContributionResult {
  /** Entries the user now counts for. */
  accepted: number;
  /** Entries refused: the user's cap was reached, or the address's. */
  refused: number;
}

/** An entry as stored, with the contributions still inside the window. */
export interface StoredUiMapEntry {
  id: string;
  entry: UiMapEntry;
  /** Hashed users, most recent first (at most `maxUsersPerEntry`). */
  users: string[];
  /** Hashed organisations seen with it. */
  organisations: string[];
  /** When anyone last contributed it, epoch ms. */
  lastSeenAt: number;
}

/** The UI map's storage. Every method resolves; a backend that fails rejects and the caller logs it. */
export interface UiMapStore {
  /** Records a user's entries, refusing what the caps forbid. */
  contribute(contribution: UiMapContribution): Promise<UiMapContributionResult>;
  /** Records that a user proved their id at a chat door (counts while identity verification is on). */
  markVerified(productId: string, user: string): Promise<void>;
  /** Users verified within the window. */
  verifiedUsers(productId: string): Promise<Set<string>>;
  /** Every entry with a contribution inside the window (expired ones are removed on the way). */
  read(productId: string): Promise<StoredUiMapEntry[]>;
  /** Removes a user's contributions, address records and verification in every product; resolves to the entries they left. */
  forgetUser(user: string): Promise<number>;
  /** Products with entries (so an operator can list them). */
  products(): Promise<string[]>;
  close?(): Promise<void>;
}

/**
 * A hashed id: users, organisations and addresses are kept only this way (sha-256 of a scope and the id, 128 bits).
 *
 * @example hashId('user', 'u-42'); // 'b3k…' (22 characters)
 */
export function hashId(scope: 'user' | 'organisation' | 'address', id: string): string {
  return createHash('sha256').update('sightline-ui-map').update('\0').update(scope).update('\0').update(id).digest('base64url').slice(0, 22);
}

/** The short id an entry is stored under (its canonical id hashed). */
export function storedIdOf(entryId: string): string {
  return createHash('sha256').update(entryId).digest('base64url').slice(0, 16);
}

interface MemoryEntry {
  entry: UiMapEntry;
  users: Map<string, number>;
  organisations: Map<string, number>;
  lastSeenAt: number;
}

interface MemoryProduct {
  entries: Map<string, MemoryEntry>;
  userEntries: Map<string, Map<string, number>>;
  addresses: Map<string, Map<string, number>>;
  userAddresses: Map<string, Set<string>>;
  verified: Map<string, number>;
}

/** Removes from a map every value older than `cutoff`. */
function dropBefore(times: Map<string, number>, cutoff: number): void {
  for (const [key, at] of times) if (at < cutoff) times.delete(key);
}

/**
 * The UI map in this process's memory (bounded by {@link UiMapStoreLimits}).
 *
 * @example
 * const store = new MemoryUiMapStore({ clock });
 */
export class MemoryUiMapStore implements UiMapStore {
  private readonly limits: UiMapStoreLimits;
  private readonly clock: Clock;
  private readonly byProduct = new Map<string, MemoryProduct>();

  constructor(options: { clock: Clock; limits?: Partial<UiMapStoreLimits> }) {
    this.clock = options.clock;
    this.limits = { ...UI_MAP_STORE_DEFAULTS, ...options.limits };
  }

  async contribute(contribution: UiMapContribution): Promise<UiMapContributionResult> {
    const now = this.clock.now();
    const cutoff = now - this.limits.windowMs;
    const product = this.product(contribution.productId);
    const { user } = contribution;
    if (contribution.address !== null) {
      const seen = product.addresses.get(contribution.address) ?? new Map<string, number>();
      dropBefore(seen, cutoff);
      if (!seen.has(user) && seen.size >= this.limits.maxUsersPerAddress) return { accepted: 0, refused: contribution.entries.length };
      seen.set(user, now);
      product.addresses.set(contribution.address, seen);
      product.userAddresses.set(user, (product.userAddresses.get(user) ?? new Set()).add(contribution.address));
    }
    const mine = product.userEntries.get(user) ?? new Map<string, number>();
    dropBefore(mine, cutoff);
    product.userEntries.set(user, mine);
    let accepted = 0;
    let refused = 0;
    contribution.entries.forEach((entry, position) => {
      // Memory keys entries by their canonical id itself: no hashing needed where no key length matters.
      const id = contribution.ids[position]!;
      if (!mine.has(id) && mine.size >= this.limits.maxEntriesPerUser) {
        refused++;
        return;
      }
      mine.set(id, now);
      let stored = product.entries.get(id);
      if (!stored) {
        stored = { entry, users: new Map(), organisations: new Map(), lastSeenAt: now };
        product.entries.set(id, stored);
      }
      stored.users.delete(user);
      stored.users.set(user, now);
      if (stored.users.size > this.limits.maxUsersPerEntry) stored.users.delete(stored.users.keys().next().value!);
      if (contribution.organisation !== null) stored.organisations.set(contribution.organisation, now);
      stored.lastSeenAt = now;
      // Least recently seen last: re-inserting keeps the map in order of last sight.
      product.entries.delete(id);
      product.entries.set(id, stored);
      accepted++;
    });
    while (product.entries.size > this.limits.maxEntries) product.entries.delete(product.entries.keys().next().value!);
    return { accepted, refused };
  }

  async markVerified(productId: string, user: string): Promise<void> {
    this.product(productId).verified.set(user, this.clock.now());
  }

  async verifiedUsers(productId: string): Promise<Set<string>> {
    const product = this.byProduct.get(productId);
    if (!product) return new Set();
    dropBefore(product.verified, this.clock.now() - this.limits.windowMs);
    return new Set(product.verified.keys());
  }

  async read(productId: string): Promise<StoredUiMapEntry[]> {
    const product = this.byProduct.get(productId);
    if (!product) return [];
    const cutoff = this.clock.now() - this.limits.windowMs;
    const result: StoredUiMapEntry[] = [];
    for (const [id, stored] of product.entries) {
      dropBefore(stored.users, cutoff);
      dropBefore(stored.organisations, cutoff);
      if (stored.users.size === 0) {
        product.entries.delete(id);
        continue;
      }
      result.push({
        id,
        entry: stored.entry,
        users: [...stored.users.keys()].reverse(),
        organisations: [...stored.organisations.keys()],
        lastSeenAt: stored.lastSeenAt,
      });
    }
    // Users whose contributions all aged out leave nothing behind.
    for (const [user, mine] of product.userEntries) {
      dropBefore(mine, cutoff);
      if (mine.size === 0) product.userEntries.delete(user);
    }
    for (const [address, seen] of product.addresses) {
      dropBefore(seen, cutoff);
      if (seen.size === 0) product.addresses.delete(address);
    }
    return result;
  }

  async forgetUser(user: string): Promise<number> {
    let removed = 0;
    for (const product of this.byProduct.values()) {
      for (const id of product.userEntries.get(user)?.keys() ?? []) {
        const stored = product.entries.get(id);
        if (stored?.users.delete(user)) removed++;
        if (stored && stored.users.size === 0) product.entries.delete(id);
      }
      product.userEntries.delete(user);
      for (const address of product.userAddresses.get(user) ?? []) product.addresses.get(address)?.delete(user);
      product.userAddresses.delete(user);
      product.verified.delete(user);
    }
    return removed;
  }

  async products(): Promise<string[]> {
    return [...this.byProduct.keys()];
  }

  private product(productId: string): MemoryProduct {
    let product = this.byProduct.get(productId);
    if (!product) {
      product = { entries: new Map(), userEntries: new Map(), addresses: new Map(), userAddresses: new Map(), verified: new Map() };
      this.byProduct.set(productId, product);
    }
    return product;
  }
}
