/**
 * Decides whether a user id that came from a browser (socket.io `customData`, Rasa tracker metadata, `/reply` without
 * the bridge key) is the product's own: it must carry its user hash or a signed user token (user-hash.ts). With no
 * `IDENTITY_SECRET` configured, ids are taken as given (the embedded default on loopback).
 */
import { fingerprintOf } from '../auth/credential-check.ts';
import type { CredentialFailures } from '../auth/credential-failures.ts';
import { verifyUserHash, verifyUserToken } from './user-hash.ts';

/** What a browser claims: the user id and its proof. */
export interface IdentityClaim {
  userId?: string | undefined;
  /** Hex HMAC-SHA256 of the id (`userHash` / `user_hash`). */
  userHash?: string | undefined;
  /** A signed token (`userToken` / `user_token`) that may stand in for id and hash. */
  userToken?: string | undefined;
}

/** Why an id did not count; logged with the code `SL_IDENTITY_UNVERIFIED`. */
export type UnverifiedReason =
  | 'no_user_id'
  | 'no_proof'
  | 'wrong_hash'
  | 'token_expired'
  | 'token_invalid'
  | 'token_for_another_user'
  | 'repeated_wrong_proof';

/** The verdict on a claim. `trusted` means verification is off and the id was taken as given. */
export type IdentityVerdict =
  | { ok: true; userId: string; how: 'hash' | 'token' | 'trusted' }
  | { ok: false; userId: string | null; reason: UnverifiedReason };

/** Options of {@link IdentityVerifier}. */
export interface IdentityVerifierOptions {
  /** `IDENTITY_SECRET` values; empty turns verification off. */
  secrets: readonly string[];
  /** Counts wrong proofs per address and fingerprint (kind `identity_hash`). */
  failures: CredentialFailures;
  now: () => number;
  /** Hears every id proven by its hash or token (the UI map counts only such users while verification is on). */
  onVerified?: (userId: string) => void;
}

/**
 * Checks identity claims.
 *
 * @example
 * const verdict = await verifier.verify({ userId: 'u-42', userHash }, request.ip);
 * if (!verdict.ok) log.info({ code: 'SL_IDENTITY_UNVERIFIED', reason: verdict.reason }, 'identity-unverified');
 */
export class IdentityVerifier {
  constructor(private readonly options: IdentityVerifierOptions) {}

  /** Whether ids must be proven (an `IDENTITY_SECRET` is set). */
  get isRequired(): boolean {
    return this.options.secrets.length > 0;
  }

  /**
   * The verdict on `claim` from `address`. A wrong proof is counted by the guard, and one that already failed is
   * refused without checking it again; a wrong proof is never slowed here (a chat answer is due), only counted.
   */
  async verify(claim: IdentityClaim, address: string): Promise<IdentityVerdict> {
    const userId = claim.userId?.trim() || null;
    if (!this.isRequired) return userId === null ? { ok: false, userId, reason: 'no_user_id' } : { ok: true, userId, how: 'trusted' };
    const token = claim.userToken?.trim();
    if (token) return this.verifyToken(userId, token, address);
    if (userId === null) return { ok: false, userId, reason: 'no_user_id' };
    const hash = claim.userHash?.trim();
    if (!hash) return { ok: false, userId, reason: 'no_proof' };
    const fingerprint = fingerprintOf(userId, hash);
    if ((await this.options.failures.refusal('identity_hash', fingerprint)) > 0) return { ok: false, userId, reason: 'repeated_wrong_proof' };
    if (verifyUserHash(this.options.secrets, userId, hash)) {
      this.options.onVerified?.(userId);
      return { ok: true, userId, how: 'hash' };
    }
    await this.options.failures.recordFailure('identity_hash', address, fingerprint);
    return { ok: false, userId, reason: 'wrong_hash' };
  }

  private async verifyToken(userId: string | null, token: string, address: string): Promise<IdentityVerdict> {
    const fingerprint = fingerprintOf('token', token);
    if ((await this.options.failures.refusal('identity_hash', fingerprint)) > 0) return { ok: false, userId, reason: 'repeated_wrong_proof' };
    const check = await verifyUserToken(this.options.secrets, token, this.options.now());
    if (!check.ok) {
      await this.options.failures.recordFailure('identity_hash', address, fingerprint);
      return { ok: false, userId, reason: check.reason === 'expired' ? 'token_expired' : 'token_invalid' };
    }
    if (userId !== null && userId !== check.userId) return { ok: false, userId, reason: 'token_for_another_user' };
    this.options.onVerified?.(check.userId);
    return { ok: true, userId: check.userId, how: 'token' };
  }
}
