/**
 * Failure counting for credential doors, shared by the connector and the bridge (docs/limits.md). Two memories:
 * per (address, kind), so new wrong values from one address are answered more and more slowly; and per
 * (kind, fingerprint of the wrong value), so a value that already failed is refused with 429 before any lookup.
 * Nothing is counted per address alone before a lookup, so a correct credential, whose fingerprint never failed, is
 * always looked up and never refused for what others sent from the same address or proxy.
 *
 * Pure: time comes from the injected clock, and memory is bounded by `maxEntries` per map.
 */
import { backoffDelay } from '../backoff.ts';

/** The doors whose wrong values are counted; each kind is counted apart. */
export type CredentialKind = 'stream_key' | 'admin_token' | 'webhook_secret' | 'capture_token' | 'bridge_key' | 'identity_hash';

/** Options of {@link CredentialGuard}. */
export interface CredentialGuardOptions {
  /** Wrong values an address may send per kind before its answers slow down (default 5). */
  freeFailures?: number;
  /** First delay once past that, ms, doubling per further failure (default 250). */
  baseDelayMs?: number;
  /** Longest delay, ms (default 8000). */
  maxDelayMs?: number;
  /** How long a failure is remembered, ms (default 15 minutes). */
  windowMs?: number;
  /** Most addresses and fingerprints remembered (default 10000 each, oldest forgotten first). */
  maxEntries?: number;
}

/** What a door does with the answer to a failed lookup. */
export interface FailureVerdict {
  /** Hold the answer this long before sending it. */
  delayMs: number;
  /** Retry-After for a 429, s. */
  retryAfterS: number;
}

interface Memory {
  count: number;
  /** Epoch ms after which the memory is forgotten: `windowMs` after its latest failure. */
  expiresAt: number;
}

const DEFAULTS = {
  freeFailures: 5,
  baseDelayMs: 250,
  maxDelayMs: 8000,
  windowMs: 15 * 60_000,
  maxEntries: 10_000,
} as const;

function checkedOption(name: keyof CredentialGuardOptions, value: number | undefined, least: number): number {
  const resolved = value ?? DEFAULTS[name];
  if (!Number.isFinite(resolved) || resolved < least) {
    throw new RangeError(`CredentialGuard option ${name} must be a finite number of at least ${least}, got ${String(value)}`);
  }
  return resolved;
}

/**
 * Counts failed credential lookups and says how to answer them.
 *
 * A door calls {@link CredentialGuard.refusal} before its lookup (a non-zero answer is a 429 with that Retry-After),
 * and {@link CredentialGuard.recordFailure} after a failed one (hold the 401 for `delayMs`). The fingerprint is the
 * caller's: a short sha256 of the scope (e.g. the product id) and the value, never the value itself.
 *
 * Memories last `windowMs` after their latest failure, so an address that keeps guessing stays slowed; once it has
 * been quiet for a window it starts again with its free failures.
 *
 * @example
 * const guard = new CredentialGuard({ now: () => Date.now() });
 * const wait = guard.refusal('stream_key', fingerprint);
 * if (wait > 0) return tooManyRequests(wait);
 * if (!lookup(key)) return unauthorizedAfter(guard.recordFailure('stream_key', address, fingerprint).delayMs);
 */
export class CredentialGuard {
  private readonly byAddress = new Map<string, Memory>();
  private readonly byFingerprint = new Map<string, Memory>();
  private readonly freeFailures: number;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly windowMs: number;
  private readonly maxEntries: number;

  constructor(
    private readonly clock: { now(): number },
    options: CredentialGuardOptions = {},
  ) {
    this.freeFailures = Math.floor(checkedOption('freeFailures', options.freeFailures, 0));
    this.baseDelayMs = checkedOption('baseDelayMs', options.baseDelayMs, 0);
    this.maxDelayMs = checkedOption('maxDelayMs', options.maxDelayMs, 0);
    this.windowMs = checkedOption('windowMs', options.windowMs, 1);
    this.maxEntries = Math.floor(checkedOption('maxEntries', options.maxEntries, 1));
  }

  /** Before any lookup: seconds to refuse with 429 when this exact wrong value (fingerprint) already failed; 0 = look it up. */
  refusal(kind: CredentialKind, fingerprint: string): number {
    const memory = this.live(this.byFingerprint, `${kind}\n${fingerprint}`);
    return memory ? Math.max(1, Math.ceil((memory.expiresAt - this.clock.now()) / 1000)) : 0;
  }

  /** After a failed lookup: counts it per (address, kind) and per (kind, fingerprint); says how to slow the answer. */
  recordFailure(kind: CredentialKind, address: string, fingerprint: string): FailureVerdict {
    const count = this.count(this.byAddress, `${kind}\n${address}`);
    this.count(this.byFingerprint, `${kind}\n${fingerprint}`);
    const beyond = count - this.freeFailures;
    const delayMs = backoffDelay(beyond, { initialMs: this.baseDelayMs, maxMs: this.maxDelayMs });
    return { delayMs, retryAfterS: Math.max(1, Math.ceil(this.windowMs / 1000)) };
  }

  /** Failures counted for an address and kind within the window (for metrics and tests). */
  failures(kind: CredentialKind, address: string): number {
    return this.live(this.byAddress, `${kind}\n${address}`)?.count ?? 0;
  }

  private live(memories: Map<string, Memory>, key: string): Memory | undefined {
    const memory = memories.get(key);
    if (memory === undefined) return undefined;
    if (memory.expiresAt > this.clock.now()) return memory;
    memories.delete(key);
    return undefined;
  }

  private count(memories: Map<string, Memory>, key: string): number {
    const count = (this.live(memories, key)?.count ?? 0) + 1;
    // Delete then set: Map order is insertion order, so the first key is always the least recently failed.
    memories.delete(key);
    memories.set(key, { count, expiresAt: this.clock.now() + this.windowMs });
    while (memories.size > this.maxEntries) memories.delete(memories.keys().next().value as string);
    return count;
  }
}
