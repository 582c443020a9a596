/**
 * Offers through Rasa's HTTP API when Rasa fronts the widget (`RASA_URL`, Rasa run with `--enable-api`): the bridge
 * cannot see Rasa's socket, so it sends to the sender id it saw in a recent action call of the verified user, and counts
 * the offer as sent, not delivered. The call is
 * `POST /conversations/<sender>/trigger_intent?output_channel=latest` with the intent `sightline_proactive`; its rule
 * runs the bridge's action `action_sightline_proactive`, which utters the text carried in the intent's entities with
 * quick replies as `/intent` payloads (integrations/rasa).
 */
import type { Logger } from 'pino';
import type { ProactiveOffer, SendResult } from './proactive-offer.ts';
import { notNowReply } from '@sightline/sdk';

/** The intent that opens an offer, and those of its quick replies. */
export const RASA_PROACTIVE_INTENT = 'sightline_proactive';
export const RASA_ACCEPT_INTENT = 'ask_help_current_page';
export const RASA_NOT_NOW_INTENT = 'sightline_proactive_not_now';
/** The intent of the widget's tooltip payload `/widget_ready`, sent when it loads with the chat closed. */
export const RASA_WIDGET_READY_INTENT = 'widget_ready';
/** The entities the offer travels in. */
export const OFFER_TEXT_ENTITY = 'sightline_offer_text';
export const OFFER_BUTTONS_ENTITY = 'sightline_offer_buttons';

/** Options of {@link createRasaDelivery}. */
export interface RasaDeliveryOptions {
  /** Rasa's base URL, e.g. `http://rasa:5005`. */
  url: string;
  token: string | null;
  fetch?: typeof fetch;
  timeoutMs?: number;
  logger?: Logger;
}

/** The buttons of an offer in Rasa: the question asks for help with the page, "Not now" declines. */
export function rasaButtons(offer: ProactiveOffer): Array<{ title: string; payload: string }> {
  const notNow = notNowReply(offer.language);
  return offer.quickReplies.map((title) => ({ title, payload: title === notNow ? `/${RASA_NOT_NOW_INTENT}` : `/${RASA_ACCEPT_INTENT}` }));
}

/**
 * @example
 * const rasa = createRasaDelivery({ url: 'http://rasa:5005', token: process.env.RASA_TOKEN ?? null });
 * await rasa.send('9f1c…', offer); // 'sent'
 */
export function createRasaDelivery(options: RasaDeliveryOptions): { send(senderId: string, offer: ProactiveOffer): Promise<SendResult> } {
  const fetchFunction = options.fetch ?? fetch;
  return {
    async send(senderId, offer) {
      const url = new URL(`${options.url}/conversations/${encodeURIComponent(senderId)}/trigger_intent`);
      url.searchParams.set('output_channel', 'latest');
      if (options.token !== null) url.searchParams.set('token', options.token);
      const body = JSON.stringify({
        name: RASA_PROACTIVE_INTENT,
        entities: { [OFFER_TEXT_ENTITY]: offer.text, [OFFER_BUTTONS_ENTITY]: JSON.stringify(rasaButtons(offer)) },
      });
      try {
        const response = await fetchFunction(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
          signal: AbortSignal.timeout(options.timeoutMs ?? 5000),
        });
        await response.body?.cancel();
        if (response.ok) return 'sent';
        options.logger?.warn({ status: response.status, offer_id: offer.id }, 'proactive-rasa-refused');
        return 'failed';
      } catch (error) {
        options.logger?.warn({ reason: (error as Error).message, offer_id: offer.id }, 'proactive-rasa-failed');
        return 'failed';
      }
    },
  };
}
