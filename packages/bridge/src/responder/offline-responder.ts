/**
 * The responder used when no language model is configured (docs/DESIGN.md): deterministic
 * answers built from the user's activity state (where they are, what is open, what they just did), in the language
 * of the question, with keyword intents in five languages. It never reads structure back out of prose, never
 * shows internal text, and never tells the user to redo what the state shows they just did.
 */
import type { ActivityState } from '@sightline/sdk';
import { detectLanguage } from './language/detect-language.ts';
import { answerIntent } from './offline/answer-intent.ts';
import { detectIntent } from './offline/detect-intent.ts';
import { phraseBook } from './offline/phrases.ts';
import type { Responder } from './reply-context.ts';

export { detectIntent, type OfflineIntent } from './offline/detect-intent.ts';
export { detectLanguage, type ReplyLanguage } from './language/detect-language.ts';
export { summaryForUser } from './offline/summary-for-user.ts';

/** Options of {@link createOfflineResponder}. */
export interface OfflineResponderOptions {
  /** Most lines of pages in a recap (the story, the start and "now" come on top). Default 4. */
  maxRecapLines?: number;
  /** End the first answer of a conversation with a short note that no language model is used. Default true. */
  showOfflineNote?: boolean;
}

const DEFAULT_RECAP_LINES = 4;

function hasActivity(tab: ActivityState): boolean {
  return tab.page !== null || tab.recentSteps.length > 0 || tab.actionCount > 0;
}

/**
 * Creates the offline responder: answers from the user's activity state with keyword intents, in English, Spanish,
 * French, German or Portuguese (the question's language, else the widget's, else English).
 * - "what now?", "how do I finish this?", "¿y ahora?": where the user is (page, open dialog and what opened it),
 *   what they filled in and picked there, and how to finish it (its own finishing button when an earlier round
 *   showed it, else "the button that confirms it"); after a finished flow, that it went through and where to check;
 *   after a dismissed one, how to reopen it; after clicks that did nothing, what may be missing.
 * - "where am I?": the page and what is open; "what did I do?": a short recap page by page, never a click log.
 * - "how do I …": the label that matches the question where the user is, else where they saw it, else (with product
 *   knowledge in the context) the path other users took from where they are, else the best help article's steps with
 *   its title as the source, skipping what their page or open dialog already covers, else says so.
 * - questions that have nothing to do with the product get a plain "I can only help with this product".
 * The first answer of a conversation ends with a one-line note that no language model is used; the operator's
 * hint (`OFFLINE_OPERATOR_HINT`) never reaches the user.
 *
 * @example
 * const responder = createOfflineResponder();
 * (await responder.respond(context)).reply; // "You’re on the 'Week' page, in the 'New event' dialog. …"
 */
export function createOfflineResponder(options: OfflineResponderOptions = {}): Responder {
  const maxRecapLines = Math.max(1, options.maxRecapLines ?? DEFAULT_RECAP_LINES);
  const showOfflineNote = options.showOfflineNote ?? true;

  return {
    kind: 'offline',
    respond(context) {
      const book = phraseBook(detectLanguage(context.query, context.languageHint));
      const tabs = context.tabs.filter(hasActivity);
      const paragraphs = answerIntent(detectIntent(context.query), book, context, tabs, maxRecapLines);
      const reply = paragraphs.filter(Boolean).join(' ');
      const isFirstAnswer = !context.history.some((turn) => turn.role === 'assistant');
      return Promise.resolve({ reply: showOfflineNote && isFirstAnswer ? `${reply}\n\n${book.offlineNote}` : reply });
    },
  };
}
