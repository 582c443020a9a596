/**
 * Credential generation and constant-time comparison. Randomness is injectable so tests can pin values.
 */
import { createHash, createHmac, hash, randomBytes, timingSafeEqual } from 'node:crypto';

/** A source of random bytes (default `crypto.randomBytes`). */
export type RandomSource = (size: number) => Buffer;

/** The credentials minted for a product. */
export interface MintedSecrets {
  /** `whsec_<base64 of 32 bytes>`: usable as a plain secret, an HMAC key and a Standard Webhooks signing secret. */
  webhookSecret: string;
  /** `sl_sk_<base64url of 32 bytes>`: opens the product's stream; stored only as a hash. */
  streamKey: string;
}

/** Mints a webhook secret and a stream key. */
export function mintSecrets(random: RandomSource = randomBytes): MintedSecrets {
  return {
    webhookSecret: `whsec_${random(32).toString('base64')}`,
    streamKey: `sl_sk_${random(32).toString('base64url')}`,
  };
}

/** Mints a public capture token for posthog-js (`phc_…`, the shape of a PostHog project key). */
export function mintCaptureToken(random: RandomSource = randomBytes): string {
  return `phc_${random(24).toString('base64url')}`;
}

/** Mints an admin token. */
export function mintAdminToken(random: RandomSource = randomBytes): string {
  return `sl_admin_${random(32).toString('base64url')}`;
}

/** SHA-256 of a secret, hex. Stream keys carry 256 random bits, so a fast hash is enough to store them. */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/**
 * Compares two strings in time independent of where they differ: both sides are hashed to equal-length
 * digests first, so the length of the secret does not leak either.
 */
export function safeEqual(a: string, b: string): boolean {
  const left = createHash('sha256').update(a, 'utf8').digest();
  const right = createHash('sha256').update(b, 'utf8').digest();
  return timingSafeEqual(left, right);
}

/**
 * SHA-256 of a string's UTF-8 bytes. The one-shot `crypto.hash` (Node >= 20.12) skips the Hash object createHash
 * builds, which showed on the webhook path (one call per request).
 */
export function sha256(text: string): Buffer {
  return hash('sha256', text, 'buffer') as unknown as Buffer;
}

/**
 * {@link safeEqual} for a secret the server holds, whose digest it keeps ({@link sha256} of the stored value),
 * against a candidate from a request: only the candidate is hashed.
 */
export function safeEqualToDigest(storedDigest: Buffer, candidate: string): boolean {
  return timingSafeEqual(storedDigest, sha256(candidate));
}

/**
 * The keyed hash a payload's `origin` carries (docs/knowledge.md, "Who counts"): HMAC-SHA256 of the kind and the
 * value under the product's webhook secret, 22 base64url characters (128 bits). Stable while the secret is; a
 * re-registration with new secrets starts new values, so counts by origin start again.
 */
export function originHash(secret: string, kind: string, value: string): string {
  return createHmac('sha256', secret).update(`${kind}\u0000${value}`, 'utf8').digest('base64url').slice(0, 22);
}

/** Compares two hex digests of equal length in constant time (case-insensitive). */
export function safeEqualHex(a: string, b: string): boolean {
  if (a.length !== b.length || !/^[0-9a-f]*$/i.test(a) || !/^[0-9a-f]*$/i.test(b)) return false;
  return timingSafeEqual(Buffer.from(a.toLowerCase(), 'hex'), Buffer.from(b.toLowerCase(), 'hex'));
}
