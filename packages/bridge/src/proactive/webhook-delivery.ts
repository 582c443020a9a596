/**
 * Offers as a signed outgoing webhook for any chatbot the bridge does not speak to (`PROACTIVE_WEBHOOK_URL`), signed
 * the Standard Webhooks way (docs/proactive.md, "The webhook"): headers `webhook-id`, `webhook-timestamp` (seconds) and
 * `webhook-signature` = `v1,` + base64 HMAC-SHA256 over `<id>.<timestamp>.<body>` with the key of the
 * `whsec_…` secret. Any Standard Webhooks library verifies it.
 */
import { createHmac } from 'node:crypto';
import type { Logger } from 'pino';
import type { ProactiveOffer, SendResult } from './proactive-offer.ts';
import { webhookSecretBytes } from './proactive-settings.ts';

/** Options of {@link createWebhookDelivery}. */
export interface WebhookDeliveryOptions {
  url: string;
  /** `whsec_` + base64. */
  secret: string;
  now: () => number;
  fetch?: typeof fetch;
  /** Give up on an answer after this long, ms. Default 5000. */
  timeoutMs?: number;
  logger?: Logger;
}

/** The event type of an offer. */
export const PROACTIVE_WEBHOOK_TYPE = 'proactive.offer';

/**
 * The three Standard Webhooks headers for a body.
 *
 * @example
 * signWebhook('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'msg_1', 1700000000, '{"a":1}')['webhook-signature']; // 'v1,…'
 */
export function signWebhook(secret: string, id: string, timestampS: number, body: string): Record<string, string> {
  const key = webhookSecretBytes(secret);
  if (!key) throw new TypeError('the webhook secret is not whsec_ + base64');
  const signature = createHmac('sha256', key).update(`${id}.${timestampS}.${body}`).digest('base64');
  return { 'webhook-id': id, 'webhook-timestamp': String(timestampS), 'webhook-signature': `v1,${signature}` };
}

/** The JSON body of an offer: `{type, timestamp, data}` as Standard Webhooks suggests; wire names snake_case. */
export function webhookBody(offer: ProactiveOffer): string {
  return JSON.stringify({
    type: PROACTIVE_WEBHOOK_TYPE,
    timestamp: new Date(offer.at).toISOString(),
    data: {
      offer_id: offer.id,
      user_id: offer.userId,
      product_id: offer.productId,
      session_id: offer.sessionId,
      window_id: offer.windowId,
      trigger_id: offer.triggerId,
      text: offer.text,
      quick_replies: offer.quickReplies,
      language: offer.language,
      facts: offer.facts,
    },
  });
}

/**
 * Sends offers to the webhook; resolves `sent` on a 2xx, `failed` otherwise (logged, never thrown).
 *
 * @example
 * const webhook = createWebhookDelivery({ url, secret, now: Date.now });
 * await webhook.send(offer); // 'sent'
 */
export function createWebhookDelivery(options: WebhookDeliveryOptions): { send(offer: ProactiveOffer): Promise<SendResult> } {
  const fetchFunction = options.fetch ?? fetch;
  return {
    async send(offer) {
      const body = webhookBody(offer);
      const headers = signWebhook(options.secret, offer.id, Math.floor(options.now() / 1000), body);
      try {
        const response = await fetchFunction(options.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...headers },
          body,
          signal: AbortSignal.timeout(options.timeoutMs ?? 5000),
        });
        await response.body?.cancel();
        if (response.ok) return 'sent';
        options.logger?.warn({ status: response.status, offer_id: offer.id }, 'proactive-webhook-refused');
        return 'failed';
      } catch (error) {
        options.logger?.warn({ reason: (error as Error).message, offer_id: offer.id }, 'proactive-webhook-failed');
        return 'failed';
      }
    },
  };
}
