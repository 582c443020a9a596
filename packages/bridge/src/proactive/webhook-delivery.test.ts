import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ProactiveOffer } from './proactive-offer.ts';
import { createWebhookDelivery, signWebhook, webhookBody } from './webhook-delivery.ts';

const offer: ProactiveOffer = {
  id: 'offer_1',
  userId: 'u-42',
  productId: 'acme',
  sessionId: 's1',
  windowId: null,
  triggerId: 'container_idle',
  text: 'Need a hand with Upgrade plan? I can explain your options before you confirm.',
  quickReplies: ['What happens when I confirm Upgrade plan?', 'Not now'],
  language: 'en',
  facts: { kind: 'container_idle', container: { kind: 'dialog', label: 'Upgrade plan' }, page: 'Billing', seconds: 31 },
  at: Date.UTC(2026, 0, 5, 9),
};

test("the signature matches the Standard Webhooks specification's example", () => {
  assert.deepEqual(signWebhook('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'msg_p5jXN8AQM9LWM0D4loKWxJek', 1614265330, '{"test": 2432232314}'), {
    'webhook-id': 'msg_p5jXN8AQM9LWM0D4loKWxJek',
    'webhook-timestamp': '1614265330',
    'webhook-signature': 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
  });
  assert.throws(() => signWebhook('not-a-secret', 'msg', 1, '{}'), TypeError);
});

test('the body is {type, timestamp, data} with snake_case wire names, byte for byte', () => {
  assert.equal(
    webhookBody(offer),
    '{"type":"proactive.offer","timestamp":"2026-01-05T09:00:00.000Z","data":{"offer_id":"offer_1","user_id":"u-42","product_id":"acme","session_id":"s1","window_id":null,"trigger_id":"container_idle","text":"Need a hand with Upgrade plan? I can explain your options before you confirm.","quick_replies":["What happens when I confirm Upgrade plan?","Not now"],"language":"en","facts":{"kind":"container_idle","container":{"kind":"dialog","label":"Upgrade plan"},"page":"Billing","seconds":31}}}',
  );
});

test('a 2xx is sent; any other answer or no answer is failed, never thrown', async () => {
  const answers: Array<Response | Error> = [new Response(null, { status: 204 }), new Response('nope', { status: 500 }), new Error('ECONNREFUSED')];
  const seen: Array<{ url: string; headers: Record<string, string> }> = [];
  const delivery = createWebhookDelivery({
    url: 'https://bot.example.com/hook',
    secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
    now: () => 1_767_603_600_000,
    fetch: async (url, init) => {
      seen.push({ url: String(url), headers: init?.headers as Record<string, string> });
      const next = answers.shift()!;
      if (next instanceof Error) throw next;
      return next;
    },
  });
  assert.deepEqual([await delivery.send(offer), await delivery.send(offer), await delivery.send(offer)], ['sent', 'failed', 'failed']);
  assert.equal(seen[0]!.headers['webhook-id'], 'offer_1');
  assert.equal(seen[0]!.headers['webhook-timestamp'], '1767603600');
  assert.equal(seen[0]!.headers['content-type'], 'application/json');
});
