/**
 * The responder used when no language model is configured (reference/llm-offline.md §6.1): deterministic text
 * built from the user's own activity records, with keyword intents, and an honest note that it is offline.
 */
import type { SlimAction } from '@sightline/protocol';
import {
  actionLabel,
  actionTitle,
  actionsInOrder,
  currentActivity,
  pageNameOf,
  sessionsByRecency,
  type CurrentActivity,
} from '../prompts/activity-facts.ts';
import type { ReplyContext, Responder } from './reply-context.ts';

/** Options of {@link createOfflineResponder}. */
export interface OfflineResponderOptions {
  /** Epoch milliseconds, for "2 min ago" in recaps. Default `Date.now`. */
  now?: () => number;
  /** Tell the user which variables enable a language model. Default true (turn off for end-user deployments). */
  showConfigHint?: boolean;
  /** Most recent actions listed in a recap. Default 6. */
  maxRecapItems?: number;
}

/** The coarse intent of a chat message, from keyword rules. */
export type OfflineIntent = 'greeting' | 'thanks' | 'recap' | 'about' | 'help' | 'other';

const GREETING = /^(?:\/greet\b|(?:hi|hii+|hello|hey|hiya|howdy|yo|hallo|hola|bonjour|greetings|good (?:morning|afternoon|evening))\b)/;
const THANKS = /^(?:thanks|thank you|thx|ty|cheers|great,? thanks|ok,? thanks)\b/;
const RECAP =
  /\bwhat (?:did|have|was|had) i (?:just |been |recently )?(?:do|did|done|doing)\b|\bwhat i (?:just )?did\b|\brecap\b|\bsummar(?:y|ise|ize)\b|\bwhere was i\b|\bwhat (?:just )?happened\b|\bmy (?:recent )?(?:activity|actions|history)\b|\bwhat have i been\b/;
const ABOUT = /\b(?:language model|llm|offline|gpt|chatgpt|are you (?:a |an )?(?:bot|ai|human|real|robot))\b|\bwho are you\b|\bwhat are you\b/;
const HELP =
  /\b(?:how|where|help|stuck|next|now what|what now|what should|can i|can't|cannot|unable|find|finish|complete|do i|should i|want to|need to|trying to)\b|\?$/;
/** Questions that ask to continue from wherever the user is, with no topic of their own. */
const GENERIC = /\b(?:what(?:'s| is)? next|now what|what now|what should i do|finish (?:this|it)|complete (?:this|it)|continue|stuck|help(?: me)?)\b/;

/**
 * Detects the intent of a message with keyword rules (English). Order matters: a greeting that also asks a question
 * ("hi, how do I export?") is a question.
 *
 * @example
 * detectIntent('what did I just do?'); // 'recap'
 */
export function detectIntent(query: string): OfflineIntent {
  const text = query.trim().toLowerCase().replace(/\s+/g, ' ');
  if (!text || text === '/greet') return 'greeting';
  if (RECAP.test(text)) return 'recap';
  if (ABOUT.test(text)) return 'about';
  const words = text.split(' ').length;
  if (GREETING.test(text) && (words <= 4 || !HELP.test(text))) return 'greeting';
  if (THANKS.test(text) && words <= 5) return 'thanks';
  if (HELP.test(text)) return 'help';
  return 'other';
}

const STOP_WORDS = new Set(
  'a an the i me my we our you your to of in on at for with and or is are was be do does did how can could would should where what which when why this that these those it its there here want need trying try please just now some any get got go into from by as up out so if then than'.split(
    ' ',
  ),
);

/** Product-agnostic synonyms, so "add a teammate" finds "Invite member". Each group is matched as a whole. */
const SYNONYM_GROUPS: readonly (readonly string[])[] = [
  ['teammate', 'colleague', 'coworker', 'member', 'people', 'person', 'user', 'team', 'seat', 'collaborator'],
  ['add', 'invite', 'new', 'create', 'make'],
  ['delete', 'remove', 'archive', 'trash'],
  ['edit', 'change', 'update', 'rename', 'modify'],
  ['export', 'download', 'csv'],
  ['import', 'upload'],
  ['setting', 'settings', 'preference', 'preferences', 'configure', 'config'],
  ['billing', 'plan', 'upgrade', 'payment', 'subscription', 'invoice', 'pay'],
  ['login', 'log', 'signin', 'sign', 'password', 'account'],
  ['share', 'link', 'permission', 'access'],
];

function stem(word: string): string {
  return word.length > 3 && word.endsWith('s') && !word.endsWith('ss') ? word.slice(0, -1) : word;
}

function words(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word && !STOP_WORDS.has(word))
    .map(stem);
}

function expand(query: string): Set<string> {
  const terms = new Set(words(query));
  for (const term of [...terms]) {
    for (const group of SYNONYM_GROUPS) if (group.includes(term)) group.forEach((synonym) => terms.add(stem(synonym)));
  }
  return terms;
}

function relevance(action: SlimAction, terms: ReadonlySet<string>): number {
  const own = new Set(words(`${action.title} ${action.description} ${pageNameOf(action) ?? ''}`));
  let score = 0;
  for (const term of terms) if (own.has(term)) score += 1;
  return score;
}

/** What a click on an element most likely did, judged from its label's first word. */
type LabelEffect = 'opens' | 'completes' | 'other';
const OPENING_WORDS = new Set([
  'invite', 'add', 'new', 'create', 'edit', 'open', 'share', 'upload', 'import', 'export', 'delete', 'remove',
  'rename', 'configure', 'connect', 'compose', 'manage', 'change', 'settings', 'write', 'start',
]);
const COMPLETING_WORDS = new Set([
  'save', 'send', 'submit', 'confirm', 'apply', 'publish', 'finish', 'done', 'ok', 'pay', 'sign', 'log', 'update',
]);
/** Dialogs people name by their verb ("the invite dialog"); others are named by the full label. */
const VERB_NAMED_DIALOGS = new Set(['invite', 'share', 'upload', 'import', 'export']);

function labelEffect(action: SlimAction, label: string): LabelEffect {
  if (action.type === 'submit') return 'completes';
  const labelWords = label.toLowerCase().split(/\s+/);
  const first = labelWords[0] ?? '';
  if (/(?:\.\.\.|…)$/.test(label)) return 'opens';
  // A one-word "Create" or "Invite" is usually the confirm button inside a dialog, not the one that opens it.
  if (labelWords.length === 1 && (COMPLETING_WORDS.has(first) || OPENING_WORDS.has(first))) return 'completes';
  if (COMPLETING_WORDS.has(first)) return 'completes';
  if (OPENING_WORDS.has(first)) return 'opens';
  return 'other';
}

function dialogName(label: string): string {
  const first = label.toLowerCase().split(/\s+/)[0] ?? '';
  return VERB_NAMED_DIALOGS.has(first) ? `${first} dialog` : `'${label}' dialog`;
}

function onPage(page: string | null): string {
  return page ? `the ${page} page` : 'the product';
}

function relativeTime(timestampS: number, nowMs: number): string | null {
  if (!timestampS) return null;
  const seconds = Math.max(0, Math.round(nowMs / 1000 - timestampS));
  if (seconds < 45) return 'just now';
  if (seconds < 3600) return `${Math.max(1, Math.round(seconds / 60))} min ago`;
  if (seconds < 86_400) return `${Math.round(seconds / 3600)} h ago`;
  return new Date(timestampS * 1000).toISOString().slice(0, 10);
}

const OFFLINE_SHORT = '(Offline mode: no language model is configured, so this answer comes from your recent activity.)';
const OFFLINE_HINT =
  'To enable one, set OPENAI_API_KEY, ANTHROPIC_API_KEY or GOOGLE_GENERATIVE_AI_API_KEY, or LLM_PROVIDER=openai-compatible with LLM_BASE_URL (Ollama, vLLM, llama.cpp), and restart the bridge.';

/**
 * A deterministic, grounded responder for when no language model is configured. By intent:
 * - greeting: greets (by first name when known) and says where the user is;
 * - recap ("what did I just do?"): lists the last few actions with times, then the current page and last step;
 * - help ("how do I …"): names the current page and the last action and continues from there: after a click that
 *   opens something ("Invite member") it says they are already in that dialog and what to do in it, and never tells
 *   them to click it again; when an earlier action matches the question better it points back to it;
 * - no activity: says so honestly and suggests checking the posthog-js setup;
 * Every answer says it runs without a language model; the first one (and questions about it) also say how to
 * configure one. UI elements are named only as the activity records name them.
 *
 * @example
 * const responder = createOfflineResponder();
 * (await responder.respond(context)).reply; // "You're on the Team page and your last step was 'Invite member', …"
 */
export function createOfflineResponder(options: OfflineResponderOptions = {}): Responder {
  const now = options.now ?? Date.now;
  const showConfigHint = options.showConfigHint ?? true;
  const maxRecapItems = options.maxRecapItems ?? 6;

  function disclosure(context: ReplyContext, intent: OfflineIntent): string {
    const isFirstAnswer = !context.history.some((turn) => turn.role === 'assistant');
    if (!showConfigHint) return OFFLINE_SHORT;
    return isFirstAnswer || intent === 'about' ? `${OFFLINE_SHORT} ${OFFLINE_HINT}` : OFFLINE_SHORT;
  }

  function noActivity(): string {
    return (
      "I can't see any activity from you in the product yet, so I can't tell where you are or what you've done. " +
      "If you have been using it, the product may not be sending events: check that posthog-js is loaded and that identify() uses the same user id as this chat."
    );
  }

  function whereYouAre(facts: CurrentActivity): string {
    const label = facts.lastInteraction ? actionLabel(facts.lastInteraction) : null;
    if (label) return `You're on ${onPage(facts.page)}, and your last step was '${label}'.`;
    if (facts.lastAction) return `You're on ${onPage(facts.page)}; your last action was ${actionTitle(facts.lastAction)}.`;
    return `You're on ${onPage(facts.page)}.`;
  }

  function greeting(context: ReplyContext, actions: SlimAction[]): string {
    const hello = context.firstName ? `Hi ${context.firstName}!` : 'Hi!';
    if (actions.length === 0) return `${hello} ${noActivity()}`;
    const facts = currentActivity(actions);
    const label = facts.lastInteraction ? actionLabel(facts.lastInteraction) : null;
    const where = label
      ? `I can see you're on ${onPage(facts.page)}, and your last step was '${label}'.`
      : `I can see you're on ${onPage(facts.page)}.`;
    return `${hello} ${where} Ask me how to do something and I'll pick up from where you are.`;
  }

  function recap(context: ReplyContext, actions: SlimAction[]): string {
    if (actions.length === 0) return noActivity();
    const nowMs = now();
    const entries: Array<{ text: string; count: number }> = [];
    for (const action of actions.slice(-maxRecapItems * 3)) {
      const page = pageNameOf(action);
      const when = relativeTime(action.timestamp_start, nowMs);
      const what = actionTitle(action);
      const text = `${when ? `${when} — ` : ''}${what}${page && !what.toLowerCase().includes(page.toLowerCase()) ? ` (${page} page)` : ''}`;
      const previous = entries.at(-1);
      // Repeated identical clicks read as one line, so the list shows steps rather than noise.
      if (previous && previous.text.replace(/^.*? — /, '') === text.replace(/^.*? — /, '')) {
        previous.count += 1;
        previous.text = text;
      } else entries.push({ text, count: 1 });
    }
    const shown = entries.slice(-maxRecapItems);
    const summaries = sessionsByRecency(context.sessions)
      .map((session) => session.summary.trim())
      .filter(Boolean);
    const lines = [`Here's what you did recently${context.firstName ? `, ${context.firstName}` : ''}:`];
    if (summaries.length > 0) lines.push(`Earlier: ${summaries.at(-1)}`);
    for (const entry of shown) lines.push(`• ${entry.text}${entry.count > 1 ? ` (×${entry.count})` : ''}`);
    lines.push(whereYouAre(currentActivity(actions)));
    return lines.join('\n');
  }

  function help(context: ReplyContext, actions: SlimAction[], intent: OfflineIntent): string {
    if (actions.length === 0) return noActivity();
    const facts = currentActivity(actions);
    const you = context.firstName ? `${context.firstName}, you're` : "You're";
    const terms = expand(context.query);
    const isGeneric = GENERIC.test(context.query.toLowerCase());
    // The interaction only still frames the screen if the user has not navigated away since.
    const movedOn = facts.afterInteraction.some((action) => action.type === 'pageview');
    const last = movedOn ? null : facts.lastInteraction;
    const label = last ? actionLabel(last) : null;
    const lastScore = last ? relevance(last, terms) : 0;

    let best: SlimAction | null = null;
    let bestScore = 0;
    for (const action of actions) {
      const score = relevance(action, terms);
      if (score > 0 && score >= bestScore) {
        best = action;
        bestScore = score;
      }
    }

    // The most recent relevant step wins: once the user has moved on from an earlier match, pointing back is noise.
    const pointsElsewhere = best !== null && best !== last && lastScore === 0 && !isGeneric;
    if (last && label && !pointsElsewhere && (lastScore > 0 || isGeneric)) {
      const effect = labelEffect(last, label);
      const page = onPage(pageNameOf(last) ?? facts.page);
      const hasTyped = facts.afterInteraction.some((action) => action.type === 'type' || action.type === 'change');
      if (effect === 'opens') {
        const next = hasTyped
          ? "You've started filling it in: complete the remaining details and confirm to finish."
          : 'Fill in the details there and confirm to finish.';
        return `${you} on ${page} and your last step was '${label}', so you're already in the ${dialogName(label)}. ${next}`;
      }
      if (effect === 'completes') {
        return `${you} on ${page} and your last step was '${label}', so that step should be done. If the result isn't what you expected, tell me what you see and I'll look at your activity again.`;
      }
      return `${you} on ${page} and your last step was '${label}'. Carry on from there on the same screen.`;
    }

    if (pointsElsewhere && best) {
      const bestLabel = actionLabel(best);
      const bestPage = pageNameOf(best);
      const here = `${you} on ${onPage(facts.page)}.`;
      if (bestLabel) {
        return `${here} Earlier you used '${bestLabel}'${bestPage ? ` on ${onPage(bestPage)}` : ''}, which looks like the place for that: go back there and use '${bestLabel}'.`;
      }
      if (bestPage && bestPage !== facts.page) return `${here} Earlier you were on ${onPage(bestPage)}, which looks like the place for that.`;
      return `${here} This page looks like the place for that.`;
    }

    const notFound =
      intent === 'other'
        ? "Without a language model I can only help with where you are in the product and what you've done."
        : "I can't find anything about that in your recent activity, so I can't point you to the exact place.";
    return `${notFound} ${whereYouAre(facts)}`;
  }

  return {
    kind: 'offline',
    respond(context) {
      const intent = detectIntent(context.query);
      const actions = actionsInOrder(context.sessions);
      let body: string;
      switch (intent) {
        case 'greeting':
          body = greeting(context, actions);
          break;
        case 'thanks':
          body = "You're welcome! Ask me anything else about where you are in the product.";
          break;
        case 'recap':
          body = recap(context, actions);
          break;
        case 'about':
          body =
            "I'm the product assistant, running in offline mode: I answer from your recent activity with fixed rules instead of a language model." +
            (actions.length > 0 ? ` ${whereYouAre(currentActivity(actions))}` : '');
          break;
        default:
          body = help(context, actions, intent);
      }
      return Promise.resolve({ reply: `${body}\n\n${disclosure(context, intent)}` });
    },
  };
}
