/**
 * The bridge's Rasa actions for proactive offers (integrations/rasa: the `sightline_proactive` intent's rule runs
 * `action_sightline_proactive`; the "Not now" button's intent runs `action_sightline_proactive_not_now`; the widget's
 * `/widget_ready` runs `action_sightline_widget_ready`).
 */
import { templateLanguage } from '@sightline/sdk';
import type { IdentityVerifier } from '../identity/identity-verifier.ts';
import type { SenderDirectory } from '../identity/sender-directory.ts';
import type { RasaActionHandler } from '../rasa/rasa-action-server.ts';
import type { RasaActionCall } from '../rasa/rasa-types.ts';
import { identityClaimOf, languageOf, senderIdOf } from '../rasa/rasa-user-id.ts';
import { OFFER_BUTTONS_ENTITY, OFFER_TEXT_ENTITY } from './rasa-delivery.ts';

/** Names of the proactive actions. */
export const PROACTIVE_ACTION_NAMES = ['action_sightline_proactive', 'action_sightline_proactive_not_now', 'action_sightline_widget_ready'] as const;

/** An entity's value in Rasa's parse data: a list of `{entity, value}` (or, as trigger_intent was called, a mapping). */
function entity(call: RasaActionCall, name: string): string | null {
  const entities = call.tracker?.latest_message?.['entities'];
  if (Array.isArray(entities)) {
    for (const item of entities) {
      if (item && typeof item === 'object' && (item as { entity?: unknown }).entity === name) {
        const value = (item as { value?: unknown }).value;
        return typeof value === 'string' ? value : null;
      }
    }
    return null;
  }
  if (entities && typeof entities === 'object') {
    const value = (entities as Record<string, unknown>)[name];
    return typeof value === 'string' ? value : null;
  }
  return null;
}

function buttons(value: string | null): Array<{ title: string; payload: string }> {
  if (value === null) return [];
  try {
    const parsed = JSON.parse(value) as unknown;
    if (!Array.isArray(parsed)) return [];
    return parsed
      .filter((item): item is { title: string; payload: string } => typeof item?.title === 'string' && typeof item?.payload === 'string' && item.payload.startsWith('/'))
      .slice(0, 5);
  } catch {
    return [];
  }
}

/**
 * @example
 * const actions = { ...createBridgeActions(…), ...createProactiveActions({ identity, dismiss: (userId) => proactive.dismiss(userId) }) };
 */
export function createProactiveActions(options: {
  identity: IdentityVerifier;
  /** Backs off offers for a verified user; resolves to the answer in their language. */
  dismiss(userId: string, language: string): Promise<string>;
  /** Where a verified user's Rasa sender is recorded, so offers can reach them before they type. */
  senders: Pick<SenderDirectory, 'learnRasaSender'>;
  now(): number;
  /** A verified user's widget is ready (an offer held for them may go now). */
  onReady?(userId: string): Promise<void>;
}): Record<(typeof PROACTIVE_ACTION_NAMES)[number], RasaActionHandler> {
  return {
    // The widget's tooltip payload (/widget_ready) when it loads with the chat closed: Rasa's rule runs this, so the
    // bridge learns the verified user's sender before they type. It answers nothing; an unverified id teaches nothing.
    async action_sightline_widget_ready(call, { request }) {
      const senderId = senderIdOf(call);
      const verdict = await options.identity.verify(identityClaimOf(call), request.ip);
      if (verdict.ok && senderId !== undefined) {
        await options.senders.learnRasaSender(verdict.userId, senderId, options.now());
        await options.onReady?.(verdict.userId);
      }
      return { events: [], responses: [] };
    },
    // The offer's words travel in the intent's entities, from the bridge that fired it to whichever bridge Rasa calls.
    async action_sightline_proactive(call) {
      const text = entity(call, OFFER_TEXT_ENTITY);
      if (text === null || text.trim() === '') return { events: [], responses: [] };
      return { events: [], responses: [{ text: text.slice(0, 300), buttons: buttons(entity(call, OFFER_BUTTONS_ENTITY)) }] };
    },
    async action_sightline_proactive_not_now(call, { request }) {
      const language = templateLanguage(languageOf(call)) ?? 'en';
      const verdict = await options.identity.verify(identityClaimOf(call), request.ip);
      // An unverified id gets nothing back and changes nothing: it cannot back off someone else's offers.
      if (!verdict.ok || senderIdOf(call) === undefined) return { events: [], responses: [] };
      return { events: [], responses: [{ text: await options.dismiss(verdict.userId, language) }] };
    },
  };
}

/**
 * The bridge's answering actions, each telling `onAnswer` about the Rasa conversation it answers first, so an open
 * offer there counts as answered (the offer's question button runs `action_help_current_page`).
 *
 * @example
 * const actions = countOfferAnswers(createBridgeActions(…), (senderId) => proactive.onRasaAnswer(senderId));
 */
export function countOfferAnswers(actions: Record<string, RasaActionHandler>, onAnswer: (senderId: string) => void): Record<string, RasaActionHandler> {
  return Object.fromEntries(
    Object.entries(actions).map(([name, handler]) => [
      name,
      (async (call, context) => {
        const senderId = senderIdOf(call);
        if (senderId !== undefined) onAnswer(senderId);
        return handler(call, context);
      }) satisfies RasaActionHandler,
    ]),
  );
}
