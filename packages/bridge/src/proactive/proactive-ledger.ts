/**
 * What the proactive gate remembers between decisions: which trigger hits were claimed (so one hit is delivered at
 * most once, even by several bridges), and per user the offers they got (per-trigger cooldown, the cap) and their
 * "Not now" back-off. Async, so bridges share it in Redis (redis-proactive-ledger.ts).
 */
import type { Clock } from '@sightline/sdk';
import { LruMap } from '@sightline/sdk/internal';

/** One user's proactive record. Times are epoch ms. */
export interface ProactiveUserRecord {
  /** Offers the user got that are still inside the longest window kept, oldest first. */
  fired: Array<{ triggerId: string; at: number }>;
  /** Until when "Not now" keeps offers away, or null. */
  dismissedUntil: number | null;
  /** How many times the user said "Not now" (the back-off doubles each time). */
  dismissals: number;
}

/** Where the record and the claims live. */
export interface ProactiveLedger {
  /** Claims a trigger hit for `ttlMs`; true for the first claimer only. */
  claim(hitKey: string, ttlMs: number): Promise<boolean>;
  /** The user's record (empty for a user never offered anything). */
  read(userId: string): Promise<ProactiveUserRecord>;
  /** Records an offer; entries older than `keepMs` are dropped. */
  recordFired(userId: string, triggerId: string, at: number, keepMs: number): Promise<void>;
  /** Records a "Not now": the back-off ends at `until`; resolves to the user's dismissals so far, this one included. */
  recordDismissed(userId: string, until: number, keepMs: number): Promise<number>;
  /** Forgets a user's record; resolves to whether there was one. */
  forgetUser(userId: string): Promise<boolean>;
}

/** An empty record. */
export function emptyProactiveRecord(): ProactiveUserRecord {
  return { fired: [], dismissedUntil: null, dismissals: 0 };
}

/**
 * The ledger in this process's memory: claims expire by the clock, users are LRU-bounded.
 *
 * @example
 * const ledger = new MemoryProactiveLedger({ clock });
 * await ledger.claim('acme|s1|w1|container_idle|dialog:Upgrade plan@1700000000', 600_000); // true
 */
export class MemoryProactiveLedger implements ProactiveLedger {
  private readonly clock: Clock;
  private readonly claims: LruMap<string, number>;
  private readonly users: LruMap<string, { record: ProactiveUserRecord; expiresAt: number }>;

  constructor(options: { clock: Clock; maxUsers?: number; maxClaims?: number }) {
    this.clock = options.clock;
    this.claims = new LruMap(options.maxClaims ?? 100_000);
    this.users = new LruMap(options.maxUsers ?? 10_000);
  }

  async claim(hitKey: string, ttlMs: number): Promise<boolean> {
    const now = this.clock.now();
    const expiresAt = this.claims.peek(hitKey);
    if (expiresAt !== undefined && expiresAt > now) return false;
    this.claims.set(hitKey, now + ttlMs);
    return true;
  }

  async read(userId: string): Promise<ProactiveUserRecord> {
    const entry = this.users.peek(userId);
    if (!entry || entry.expiresAt <= this.clock.now()) return emptyProactiveRecord();
    return structuredClone(entry.record);
  }

  async recordFired(userId: string, triggerId: string, at: number, keepMs: number): Promise<void> {
    const record = await this.read(userId);
    record.fired = [...record.fired.filter((entry) => entry.at > at - keepMs), { triggerId, at }];
    this.users.set(userId, { record, expiresAt: at + keepMs });
  }

  async recordDismissed(userId: string, until: number, keepMs: number): Promise<number> {
    const record = await this.read(userId);
    record.dismissedUntil = until;
    record.dismissals += 1;
    this.users.set(userId, { record, expiresAt: Math.max(until, this.clock.now() + keepMs) });
    return record.dismissals;
  }

  async forgetUser(userId: string): Promise<boolean> {
    return this.users.delete(userId);
  }
}
