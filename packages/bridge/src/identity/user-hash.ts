/**
 * Signed user ids: how a user id that comes from a browser is proven to be the product's own. The product's backend
 * signs the id with `IDENTITY_SECRET` (the `user_hash` convention of Intercom and other chat tools: hex HMAC-SHA256 of
 * the id), the page passes id and hash, and the bridge checks them (docs/security.md). A signed token with an expiry
 * (an HS256 JWT whose `sub` is the user id) may stand in for the hash.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { SignJWT, jwtVerify } from 'jose';

const HEX_SHA256 = /^[0-9a-f]{64}$/i;

/**
 * The user hash of an id: hex HMAC-SHA256 keyed with the identity secret.
 *
 * @example
 * signUserId(process.env.IDENTITY_SECRET!, 'u-42'); // '3f1c…' (64 hex characters)
 */
export function signUserId(secret: string, userId: string): string {
  return createHmac('sha256', secret).update(userId, 'utf8').digest('hex');
}

/**
 * Whether `hash` is the user hash of `userId` under any of `secrets` (a list, so a secret rotates without downtime).
 * Compared in constant time; a hash of the wrong shape is simply false.
 */
export function verifyUserHash(secrets: readonly string[], userId: string, hash: string): boolean {
  const given = hash.trim();
  if (!HEX_SHA256.test(given)) return false;
  const givenBytes = Buffer.from(given, 'hex');
  let matched = false;
  // Every secret is tried, so the time taken does not say which one matched.
  for (const secret of secrets) {
    if (timingSafeEqual(givenBytes, createHmac('sha256', secret).update(userId, 'utf8').digest())) matched = true;
  }
  return matched;
}

function keyOf(secret: string): Uint8Array {
  return new TextEncoder().encode(secret);
}

/**
 * A signed token for a user id that expires: an HS256 JWT with `sub` = the id and `exp` = now + `ttlS`.
 *
 * @example
 * const token = await signUserToken(secret, 'u-42', 3600); // 'eyJhbGciOiJIUzI1NiJ9.…'
 */
export async function signUserToken(secret: string, userId: string, ttlS: number, nowMs: number = Date.now()): Promise<string> {
  const issuedAt = Math.floor(nowMs / 1000);
  return new SignJWT({})
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(userId)
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + Math.max(1, Math.floor(ttlS)))
    .sign(keyOf(secret));
}

/** What checking a user token found: the user id it was signed for, or why it does not count. */
export type UserTokenCheck = { ok: true; userId: string } | { ok: false; reason: 'expired' | 'invalid' };

/**
 * Checks a user token against each secret: HS256 only, `exp` required and in the future (at `nowMs`), `sub` a
 * non-empty string.
 */
export async function verifyUserToken(secrets: readonly string[], token: string, nowMs: number = Date.now()): Promise<UserTokenCheck> {
  let expired = false;
  for (const secret of secrets) {
    try {
      const { payload } = await jwtVerify(token.trim(), keyOf(secret), {
        algorithms: ['HS256'],
        requiredClaims: ['exp', 'sub'],
        currentDate: new Date(nowMs),
      });
      if (typeof payload.sub === 'string' && payload.sub.trim() !== '') return { ok: true, userId: payload.sub.trim() };
    } catch (error) {
      if ((error as { code?: string }).code === 'ERR_JWT_EXPIRED') expired = true;
    }
  }
  return { ok: false, reason: expired ? 'expired' : 'invalid' };
}

/** A short, stable stand-in for a user id in logs: the first 12 hex characters of its sha256. */
export function hashedUserId(userId: string): string {
  return createHash('sha256').update(userId, 'utf8').digest('hex').slice(0, 12);
}
