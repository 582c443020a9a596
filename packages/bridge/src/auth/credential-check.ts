/**
 * The bridge's credential checks: `BRIDGE_API_KEY` on server-to-server doors, `BRIDGE_ADMIN_TOKEN` on admin routes, and the
 * shared guard that makes guessing slow (docs/limits.md). Values are compared as sha256 digests in constant time;
 * only fingerprints of wrong values are remembered, never the values.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { CredentialKind } from '@sightline/protocol/internal';
import { createError } from '../errors.ts';
import type { CredentialFailures } from './credential-failures.ts';

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

/** Whether `given` equals any of `secrets`, in time that does not depend on which one or where they differ. */
export function matchesAny(secrets: readonly string[], given: string): boolean {
  const givenDigest = digest(given);
  let matched = false;
  for (const secret of secrets) if (timingSafeEqual(givenDigest, digest(secret))) matched = true;
  return matched;
}

/** A fingerprint of a presented value within its scope, so a wrong value can be recognised without keeping it. */
export function fingerprintOf(scope: string, value: string): string {
  return createHash('sha256').update(scope).update('\0').update(value).digest('base64url').slice(0, 22);
}

/**
 * The credential a request presents: `Authorization: Bearer <value>`, else the `token` query parameter (what Rasa's
 * `endpoints.yml` `token:` sends), else null.
 */
export function presentedCredential(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  const match = typeof header === 'string' ? /^Bearer\s+(.+)$/i.exec(header.trim()) : null;
  if (match) return match[1]!.trim() || null;
  const token = (request.query as Record<string, unknown> | undefined)?.['token'];
  return typeof token === 'string' && token.trim() !== '' ? token.trim() : null;
}

/** How a presented credential fared against the configured ones. */
export type CredentialResult = 'valid' | 'absent' | 'wrong';

/**
 * Checks presented credentials of one kind through the guard: a value that already failed is refused with 429 before
 * any comparison, a new wrong value is counted and its 401 held back as the guard says, a correct one passes at once.
 */
export class CredentialCheck {
  constructor(
    private readonly kind: CredentialKind,
    private readonly secrets: readonly string[],
    private readonly failures: CredentialFailures,
  ) {}

  /** Whether any secret of this kind is configured (a door with none is open). */
  get isConfigured(): boolean {
    return this.secrets.length > 0;
  }

  /**
   * Checks `presented` from `address`. Throws `SL_RATE_LIMITED` for a value that already failed; for a new wrong
   * value, waits the guard's delay and answers `wrong`, so the caller throws its own 401.
   */
  async check(presented: string | null, address: string): Promise<CredentialResult> {
    if (presented === null) return 'absent';
    const fingerprint = fingerprintOf(this.kind, presented);
    const retryAfterS = await this.failures.refusal(this.kind, fingerprint);
    if (retryAfterS > 0) throw createError('SL_RATE_LIMITED', { retryAfterS });
    if (matchesAny(this.secrets, presented)) return 'valid';
    const verdict = await this.failures.recordFailure(this.kind, address, fingerprint);
    if (verdict.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, verdict.delayMs));
    return 'wrong';
  }
}

/**
 * A Fastify `onRequest` hook that lets a request through only with one of `check`'s secrets (Bearer or `?token=`):
 * anything else gets a coded 401 (`SL_AUTH_REQUIRED`) and nothing else. Open when no secret is configured.
 */
export function requireCredential(check: CredentialCheck) {
  return async (request: FastifyRequest, _reply: FastifyReply): Promise<void> => {
    if (!check.isConfigured) return;
    const result = await check.check(presentedCredential(request), request.ip);
    if (result !== 'valid') throw createError('SL_AUTH_REQUIRED');
  };
}
