/**
 * Credential failures counted in Redis with the guard's rules (docs/limits.md): `INCR` + `PEXPIRE` of
 * `guard:address:<kind>:<address>` and `guard:fingerprint:<kind>:<fingerprint>`, each remembered for the window after
 * its latest failure. A fingerprint that failed is refused for the rest of its window; an address's answers slow down
 * past its free failures, doubling to the cap. Expiry bounds the keys, so no entry count is needed.
 */
import { backoffDelay } from '@sightline/protocol';
import type { CredentialGuardOptions, CredentialKind, FailureVerdict } from '@sightline/protocol/internal';
import type { BridgeRedis } from '../redis/bridge-redis.ts';
import type { CredentialFailures } from './credential-failures.ts';

/** The guard's defaults (packages/protocol's CredentialGuard; docs/limits.md gives the same figures). */
const GUARD_DEFAULTS = { freeFailures: 5, baseDelayMs: 250, maxDelayMs: 8000, windowMs: 15 * 60_000 } as const;

/**
 * @example
 * const failures = new RedisCredentialFailures({ redis });
 * await failures.recordFailure('bridge_key', '203.0.113.9', fingerprint);
 */
export class RedisCredentialFailures implements CredentialFailures {
  private readonly redis: BridgeRedis;
  private readonly freeFailures: number;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly windowMs: number;

  constructor(options: { redis: BridgeRedis } & Omit<CredentialGuardOptions, 'maxEntries'>) {
    this.redis = options.redis;
    this.freeFailures = options.freeFailures ?? GUARD_DEFAULTS.freeFailures;
    this.baseDelayMs = options.baseDelayMs ?? GUARD_DEFAULTS.baseDelayMs;
    this.maxDelayMs = options.maxDelayMs ?? GUARD_DEFAULTS.maxDelayMs;
    this.windowMs = options.windowMs ?? GUARD_DEFAULTS.windowMs;
  }

  async refusal(kind: CredentialKind, fingerprint: string): Promise<number> {
    const remainingMs = await this.redis.client.pttl(this.fingerprintKey(kind, fingerprint));
    return remainingMs > 0 ? Math.max(1, Math.ceil(remainingMs / 1000)) : 0;
  }

  async recordFailure(kind: CredentialKind, address: string, fingerprint: string): Promise<FailureVerdict> {
    const byAddress = this.redis.key(['guard', 'address', kind, address]);
    const byFingerprint = this.fingerprintKey(kind, fingerprint);
    const results = await this.redis.client
      .multi()
      .incr(byAddress)
      .pexpire(byAddress, this.windowMs)
      .incr(byFingerprint)
      .pexpire(byFingerprint, this.windowMs)
      .exec();
    const count = Number(results?.[0]?.[1] ?? 1);
    const beyond = count - this.freeFailures;
    const delayMs = backoffDelay(beyond, { initialMs: this.baseDelayMs, maxMs: this.maxDelayMs });
    return { delayMs, retryAfterS: Math.max(1, Math.ceil(this.windowMs / 1000)) };
  }

  private fingerprintKey(kind: CredentialKind, fingerprint: string): string {
    return this.redis.key(['guard', 'fingerprint', kind, fingerprint]);
  }
}
