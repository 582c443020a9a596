/**
 * Where the bridge counts wrong credentials (docs/limits.md): the protocol's `CredentialGuard` in this process's
 * memory by default, or Redis (redis-credential-failures.ts), so every bridge of the product sees the failures counted
 * on the others and guessing across bridges is slowed like guessing on one.
 */
import type { CredentialGuard, CredentialKind, FailureVerdict } from '@sightline/protocol/internal';

/**
 * The guard's two questions, asked asynchronously.
 *
 * @example
 * if ((await failures.refusal('bridge_key', fingerprint)) > 0) throw tooManyRequests();
 * const { delayMs } = await failures.recordFailure('bridge_key', address, fingerprint);
 */
export interface CredentialFailures {
  /** Before any lookup: seconds to refuse with 429 when this exact wrong value already failed; 0 = look it up. */
  refusal(kind: CredentialKind, fingerprint: string): Promise<number>;
  /** After a failed lookup: counts it per (address, kind) and per (kind, fingerprint); says how to slow the answer. */
  recordFailure(kind: CredentialKind, address: string, fingerprint: string): Promise<FailureVerdict>;
}

/**
 * The guard in memory, as the interface.
 *
 * @example
 * const failures = guardFailures(new CredentialGuard(clock));
 */
export function guardFailures(guard: CredentialGuard): CredentialFailures {
  return {
    refusal: async (kind, fingerprint) => guard.refusal(kind, fingerprint),
    recordFailure: async (kind, address, fingerprint) => guard.recordFailure(kind, address, fingerprint),
  };
}
