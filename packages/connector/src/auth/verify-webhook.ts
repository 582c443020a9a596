/**
 * Authenticates `POST /webhook/:product` against the product's webhook secret, always over the raw body bytes
 * (docs/reference/posthog-capture.md#webhook-signing, docs/reference/wire-contract.md#webhook-ingestion,
 * docs/decisions/D-33-no-unsigned-webhooks.md). Accepted, in this order:
 * 1. Standard Webhooks headers (`webhook-id`, `webhook-timestamp`, `webhook-signature: v1,<base64>`), which
 *    PostHog sends when the destination's "Signing secret" holds the webhook secret;
 * 2. `X-PostHog-Secret: sha256=<hex HMAC-SHA256(secret, raw body)>` (Autoplay compatibility);
 * 3. `X-PostHog-Secret: <secret>` (what a Hog script sends).
 * Requests without any of them are rejected: there are no secret-less products.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { safeEqualHex } from '../products/secrets.ts';

/** Request headers with lower-case names, as Node gives them; reads `x-posthog-secret` and `webhook-*`. */
export type WebhookAuthHeaders = Record<string, string | string[] | undefined>;

/** Outcome of {@link verifyWebhook}: which scheme passed, or why none did. */
export type WebhookAuthResult =
  | { ok: true; scheme: 'standard-webhooks' | 'hmac' | 'plain' }
  | { ok: false; reason: 'missing' | 'mismatch' | 'stale-timestamp' };

/** Options of {@link verifyWebhook}. */
export interface VerifyWebhookOptions {
  /** Current time, epoch ms (Standard Webhooks timestamps are checked against it). */
  now: number;
  /** Accepted clock skew for `webhook-timestamp`, seconds. Default 300 (the spec's recommendation). */
  toleranceS?: number;
  /** Compares the plain secret; injected so the caller's constant-time comparison is used. */
  isSecret: (candidate: string) => boolean;
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** The signing key of a Standard Webhooks secret: the base64 after `whsec_`, decoded; else the secret's bytes. */
export function standardWebhooksKey(secret: string): Buffer {
  const body = secret.startsWith('whsec_') ? secret.slice('whsec_'.length) : secret;
  if (/^[A-Za-z0-9+/]+={0,2}$/.test(body) && body.length % 4 === 0) return Buffer.from(body, 'base64');
  return Buffer.from(secret, 'utf8');
}

/** Signs like a Standard Webhooks sender: `v1,<base64 HMAC-SHA256(key, id.timestamp.body)>`. */
export function signStandardWebhook(secret: string, id: string, timestampS: number, body: Buffer | string): string {
  const mac = createHmac('sha256', standardWebhooksKey(secret)).update(`${id}.${timestampS}.`).update(body).digest('base64');
  return `v1,${mac}`;
}

/** The Autoplay-style header value: `sha256=<lowercase hex HMAC-SHA256(secret, body)>`. */
export function signHmacHeader(secret: string, body: Buffer | string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/**
 * The credential a webhook request presents, as one string to fingerprint before any lookup (docs/limits.md):
 * the `X-PostHog-Secret` value and the Standard Webhooks headers together, or null when it presents none, which
 * is exactly when {@link verifyWebhook} answers `missing`.
 */
export function presentedWebhookCredential(headers: WebhookAuthHeaders): string | null {
  const posthogSecret = single(headers['x-posthog-secret']);
  const signatureHeader = single(headers['webhook-signature']);
  const id = single(headers['webhook-id']);
  const timestamp = single(headers['webhook-timestamp']);
  const hasPosthogSecret = posthogSecret !== undefined && posthogSecret !== '';
  const hasStandard = signatureHeader !== undefined && id !== undefined && timestamp !== undefined;
  if (!hasPosthogSecret && !hasStandard) return null;
  return JSON.stringify([hasPosthogSecret ? posthogSecret.trim() : null, hasStandard ? [id, timestamp, signatureHeader] : null]);
}

/** Checks a webhook request; see the module comment for the accepted schemes. */
export function verifyWebhook(secret: string, rawBody: Buffer, headers: WebhookAuthHeaders, options: VerifyWebhookOptions): WebhookAuthResult {
  const signatureHeader = single(headers['webhook-signature']);
  const id = single(headers['webhook-id']);
  const timestamp = single(headers['webhook-timestamp']);
  let failure: 'mismatch' | 'stale-timestamp' | null = null;
  if (signatureHeader !== undefined && id !== undefined && timestamp !== undefined) {
    const seconds = /^\d{1,12}$/.test(timestamp) ? Number(timestamp) : Number.NaN;
    if (!Number.isFinite(seconds) || Math.abs(options.now / 1000 - seconds) > (options.toleranceS ?? 300)) {
      failure = 'stale-timestamp';
    } else {
      const expected = Buffer.from(signStandardWebhook(secret, id, seconds, rawBody).slice(3), 'base64');
      // Several space-separated signatures may be sent (key rotation); any v1 match passes.
      for (const candidate of signatureHeader.split(' ')) {
        const [version, value] = candidate.split(',', 2);
        if (version !== 'v1' || !value) continue;
        const given = Buffer.from(value, 'base64');
        if (given.length === expected.length && timingSafeEqual(given, expected)) return { ok: true, scheme: 'standard-webhooks' };
      }
      failure = 'mismatch';
    }
  }
  const posthogSecret = single(headers['x-posthog-secret']);
  if (posthogSecret !== undefined && posthogSecret !== '') {
    const value = posthogSecret.trim();
    if (/^sha256=/i.test(value)) {
      const expected = signHmacHeader(secret, rawBody).slice('sha256='.length);
      if (safeEqualHex(value.slice('sha256='.length), expected)) return { ok: true, scheme: 'hmac' };
    }
    // A secret may itself start with "sha256=", so the plain comparison always runs as well.
    if (options.isSecret(value)) return { ok: true, scheme: 'plain' };
    return { ok: false, reason: 'mismatch' };
  }
  return failure ? { ok: false, reason: failure } : { ok: false, reason: 'missing' };
}
