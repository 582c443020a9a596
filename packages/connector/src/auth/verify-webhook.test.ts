import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { safeEqual } from '../products/secrets.ts';
import { signHmacHeader, signStandardWebhook, verifyWebhook } from './verify-webhook.ts';

const secret = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;
const body = Buffer.from('{"event":"$pageview"}');
const now = 1_732_230_000_000;
const options = { now, isSecret: (candidate: string) => safeEqual(candidate, secret) };

test('the plain secret in X-PostHog-Secret passes', () => {
  assert.deepEqual(verifyWebhook(secret, body, { 'x-posthog-secret': secret }, options), { ok: true, scheme: 'plain' });
});

test('sha256=<hex HMAC of the raw body> passes, hex case-insensitive', () => {
  const header = signHmacHeader(secret, body);
  assert.equal(header, `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`);
  assert.deepEqual(verifyWebhook(secret, body, { 'x-posthog-secret': header }, options), { ok: true, scheme: 'hmac' });
  assert.deepEqual(verifyWebhook(secret, body, { 'x-posthog-secret': `sha256=${header.slice(7).toUpperCase()}` }, options).ok, true);
});

test('an HMAC over different bytes, a wrong secret and a missing header fail', () => {
  const other = signHmacHeader(secret, Buffer.from('{"event":"$pageview" }'));
  assert.deepEqual(verifyWebhook(secret, body, { 'x-posthog-secret': other }, options), { ok: false, reason: 'mismatch' });
  assert.deepEqual(verifyWebhook(secret, body, { 'x-posthog-secret': 'whsec_wrong' }, options), { ok: false, reason: 'mismatch' });
  assert.deepEqual(verifyWebhook(secret, body, {}, options), { ok: false, reason: 'missing' });
  assert.deepEqual(verifyWebhook(secret, body, { 'x-posthog-secret': '' }, options), { ok: false, reason: 'missing' });
});

test('Standard Webhooks signatures pass, with several candidates and within the tolerance', () => {
  const timestamp = now / 1000 - 120;
  const signature = signStandardWebhook(secret, 'msg_1', timestamp, body);
  // Independent computation of the spec: key = base64-decoded secret, content = id.timestamp.body.
  const expected = createHmac('sha256', Buffer.alloc(32, 7)).update(`msg_1.${timestamp}.${body.toString()}`).digest('base64');
  assert.equal(signature, `v1,${expected}`);
  const headers = { 'webhook-id': 'msg_1', 'webhook-timestamp': String(timestamp), 'webhook-signature': `v1,AAAA ${signature}` };
  assert.deepEqual(verifyWebhook(secret, body, headers, options), { ok: true, scheme: 'standard-webhooks' });
});

test('Standard Webhooks: a stale timestamp or a tampered body fails', () => {
  const stale = now / 1000 - 301;
  const staleHeaders = { 'webhook-id': 'm', 'webhook-timestamp': String(stale), 'webhook-signature': signStandardWebhook(secret, 'm', stale, body) };
  assert.deepEqual(verifyWebhook(secret, body, staleHeaders, options), { ok: false, reason: 'stale-timestamp' });
  const fresh = now / 1000;
  const headers = { 'webhook-id': 'm', 'webhook-timestamp': String(fresh), 'webhook-signature': signStandardWebhook(secret, 'm', fresh, body) };
  assert.deepEqual(verifyWebhook(secret, Buffer.from('{"event":"$pageleave"}'), headers, options), { ok: false, reason: 'mismatch' });
});
