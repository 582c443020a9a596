/**
 * The responder used when no language model is configured (reference/llm-offline.md §6.1): deterministic text
 * built from the user's own activity records, with keyword intents, and an honest note that it is offline.
 */
import type { SlimAction } from '@sightline/protocol';
import {
  finishedFlowOf,
  openFlowOf,
  readableName,
  readActivityFlows,
  fieldOf,
  namedLabel,
  type ActivityFlow,
  type FieldTouch,
} from '../prompts/activity-flow.ts';
import {
  actionLabel,
  actionTitle,
  actionsInOrder,
  currentActivity,
  pageNameOf,
  sessionsByRecency,
} from '../prompts/activity-facts.ts';
import type { ReplyContext, Responder } from './reply-context.ts';

/** Options of {@link createOfflineResponder}. */
export interface OfflineResponderOptions {
  /** Epoch milliseconds, for "2 min ago" in recaps. Default `Date.now`. */
  now?: () => number;
  /** Tell the user which variables enable a language model. Default true (turn off for end-user deployments). */
  showConfigHint?: boolean;
  /** Most recent pages listed in a recap (one list item per page visit). Default 6. */
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
  ['teammate', 'colleague', 'coworker', 'member', 'people', 'person', 'user', 'team', 'seat', 'collaborator', 'someone', 'somebody'],
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

/** Search terms of a question with their weight: its own words count 2, their synonyms 1. */
function expand(query: string): Map<string, number> {
  const terms = new Map<string, number>();
  for (const word of words(query)) terms.set(word, LITERAL_WEIGHT);
  for (const term of [...terms.keys()]) {
    for (const group of SYNONYM_GROUPS) {
      if (!group.includes(term)) continue;
      for (const synonym of group) if (!terms.has(stem(synonym))) terms.set(stem(synonym), 1);
    }
  }
  return terms;
}

const LITERAL_WEIGHT = 2;
/**
 * The least relevance that counts as a match: one of the question's own words, or two synonyms. A lone synonym is
 * too weak ("invite someone" must not match "Add Project" through add ≈ invite).
 */
const MIN_RELEVANCE = 2;

function relevance(action: SlimAction, terms: ReadonlyMap<string, number>): number {
  // Descriptions start with "User clicked …"; that "User" is the connector's, and must not match "add a user".
  const description = action.description.replace(/^\s*user\s+/i, '');
  const own = new Set(words(`${action.title} ${description} ${pageNameOf(action) ?? ''}`));
  let score = 0;
  for (const [term, weight] of terms) if (own.has(term)) score += weight;
  return score;
}

function onPage(page: string | null): string {
  return page ? `the ${page} page` : 'the product';
}

/**
 * Summaries are written about the user for another assistant ("The user visited…", "They clicked…"); quoted back to
 * the user in a recap they read as "you". Only the common sentence openings are rewritten; anything else stays as is.
 */
export function summaryForUser(summary: string): string {
  return summary
    .replace(/\s*\n\s*/g, ' ')
    .replace(/(^|[.!?]\s+)(?:The user|User|They)\b/g, (_whole, start: string) => `${start}You`)
    .replace(/(:\s+)(?:The user|User)\b/g, (_whole, start: string) => `${start}you`)
    .replace(/\b(?:the user|they) (was|were)\b/g, 'you were')
    .replace(/\bthe user(?:'s)?\b/g, (found) => (found.endsWith("'s") ? 'your' : 'you'))
    .replace(/(^|[.!?]\s+)You was\b/g, (_whole, start: string) => `${start}You were`);
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

/** Dialogs people name by their verb ("the invite dialog"); others are named by the full label. */
const VERB_NAMED_DIALOGS = new Set(['invite', 'share', 'upload', 'import', 'export']);

function dialogName(label: string): string {
  const first = label.toLowerCase().split(/\s+/)[0] ?? '';
  return VERB_NAMED_DIALOGS.has(first) ? `${first} dialog` : `'${label}' dialog`;
}

/** " you opened with 'Invite member'" when the dialog's name does not already quote the button. */
function openedWith(flow: ActivityFlow): string {
  return flow.label && !flowName(flow).includes(`'${flow.label}'`) ? ` you opened with '${flow.label}'` : '';
}

/** How a dialog or form is called in a sentence, without its article: "invite dialog", "invite member form". */
function flowName(flow: ActivityFlow): string {
  if (flow.label) return dialogName(flow.label);
  const submitted = flow.submit ? actionLabel(flow.submit) : null;
  if (submitted && !/^(?:a )?form$/i.test(submitted)) {
    const name = readableName(submitted);
    return /\bform$/i.test(name) ? name : `${name} form`;
  }
  return 'form';
}

/** First words of openers whose dialog makes one more of something, so doing it again makes sense ("Invite member"). */
const REPEATABLE_WORDS = new Set(['invite', 'add', 'new', 'create', 'upload', 'import', 'share', 'compose', 'write']);

/** Past participles of the verbs finishing buttons start with, for "the invite should have been sent". */
const PARTICIPLES: Record<string, string> = {
  send: 'sent', save: 'saved', create: 'created', confirm: 'confirmed', submit: 'submitted', apply: 'applied',
  publish: 'published', update: 'updated', add: 'added', pay: 'paid', upgrade: 'upgraded', downgrade: 'downgraded',
  delete: 'deleted', remove: 'removed', book: 'booked', schedule: 'scheduled', place: 'placed', buy: 'bought',
  purchase: 'purchased', finish: 'finished', complete: 'completed', import: 'imported', upload: 'uploaded',
  export: 'exported', share: 'shared', rename: 'renamed', invite: 'invited', request: 'requested', assign: 'assigned',
};

/** What a finishing button should have achieved, from its own words: 'Send invite' → "the invite should have been sent". */
function outcomeOf(closer: string): string {
  const [verb = '', ...rest] = closer.toLowerCase().split(/\s+/);
  const participle = PARTICIPLES[verb];
  const object = rest.join(' ').replace(/^(?:the|a|an|your|my)\s+/, '').trim();
  if (!participle) return 'that step should be done';
  return object ? `the ${object} should have been ${participle}` : `it should have been ${participle}`;
}

function joinList(items: readonly string[]): string {
  if (items.length <= 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} and ${items.at(-1)!}`;
}

function withArticle(noun: string): string {
  return /^[aeiou]/i.test(noun) ? `an ${noun}` : `a ${noun}`;
}

/** One used control in words: "filled in the email field", "picked an option in the role dropdown". */
function fieldPhrase(field: FieldTouch): string {
  const what = field.name ? `the ${field.name} ${field.noun}` : withArticle(field.noun);
  switch (field.use) {
    case 'typed':
      return `filled in ${what}`;
    case 'selected':
      return `picked an option in ${what}`;
    case 'toggled':
      if (field.noun === 'radio button') return field.name ? `picked an option for ${field.name}` : 'picked an option';
      return `toggled ${what}`;
    case 'clicked':
      return field.noun === 'dropdown' ? `opened ${what}` : `clicked into ${what}`;
    default:
      return `moved to ${what}`;
  }
}

/** What the user has done inside a dialog or form so far, in order, each control once with its strongest use. */
function progressOf(flow: ActivityFlow, limit = 4): string[] {
  const items: string[] = [];
  const seen = new Set<string>();
  for (const step of flow.steps) {
    const touched = fieldOf(step);
    // Each control once, in the words of its strongest use inside the flow.
    const field = touched ? flow.fields.find((entry) => entry.name === touched.name && entry.noun === touched.noun) : undefined;
    const label = namedLabel(step);
    const key = field ? `field:${field.name ?? ''}:${field.noun}` : `click:${label ?? ''}`;
    if (seen.has(key)) continue;
    if (field) {
      seen.add(key);
      if (field.name !== null) items.push(fieldPhrase(field));
    } else if (step.type === 'click' && label && !/\(nothing happened\)/.test(step.title)) {
      seen.add(key);
      items.push(`clicked '${label}'`);
    }
  }
  // Unnamed controls ("Typed in a field") have no key in their title; list them once at the end.
  for (const field of flow.fields) if (field.name === null && items.length < limit) items.push(fieldPhrase(field));
  return items.slice(0, limit);
}

/** The button that finished an earlier run of the same dialog or page form, when the log has one. */
function knownCloser(flows: readonly ActivityFlow[], flow: ActivityFlow): string | null {
  for (const earlier of [...flows].reverse()) {
    if (earlier === flow || earlier.end?.outcome !== 'completed' || !earlier.end.label) continue;
    const sameDialog = flow.label !== null && earlier.label?.toLowerCase() === flow.label.toLowerCase();
    const samePageForm = flow.label === null && earlier.label === null && earlier.page === flow.page;
    if (sameDialog || samePageForm) return earlier.end.label;
  }
  return null;
}

/** Where the user is now, and in which dialog or form: everything the reply needs about "now". */
interface Situation {
  page: string | null;
  flows: ActivityFlow[];
  open: ActivityFlow | null;
  finished: ActivityFlow | null;
  lastInteraction: SlimAction | null;
  lastAction: SlimAction | null;
  movedOn: boolean;
}

function situationOf(actions: readonly SlimAction[]): Situation {
  const facts = currentActivity(actions);
  const flows = readActivityFlows(actions);
  return {
    page: facts.page,
    flows,
    open: openFlowOf(flows),
    finished: finishedFlowOf(flows, actions),
    lastInteraction: facts.lastInteraction,
    lastAction: facts.lastAction,
    movedOn: facts.afterInteraction.some((action) => action.type === 'pageview'),
  };
}

function flowPage(flow: ActivityFlow, now: Situation): string {
  return onPage(flow.page ?? now.page);
}

/** One sentence on where the user is, aware of the dialog or form they are in or have just finished. */
function whereYouAre(now: Situation): string {
  const { open, finished } = now;
  if (open?.label) {
    const progress = progressOf(open);
    if (progress.length === 0) return `You're on ${flowPage(open, now)}, and your last step was '${open.label}'.`;
    return `You're on ${flowPage(open, now)}, in the ${flowName(open)}${openedWith(open)}; so far you've ${joinList(progress)}.`;
  }
  if (open) return `You're on ${flowPage(open, now)}, filling in the form there; so far you've ${joinList(progressOf(open))}.`;
  if (finished?.end) {
    const verb = finished.end.outcome === 'completed' ? 'finished' : 'closed';
    if (finished.end.label) return `You're on ${flowPage(finished, now)}, and your last step was '${finished.end.label}', which ${verb} the ${flowName(finished)}.`;
    return `You're on ${flowPage(finished, now)}, and you've just submitted the ${flowName(finished)}.`;
  }
  const label = now.lastInteraction ? namedLabel(now.lastInteraction) : null;
  if (label) return `You're on ${onPage(now.page)}, and your last step was '${label}'.`;
  if (now.lastAction) return `You're on ${onPage(now.page)}; your last action was ${actionTitle(now.lastAction)}.`;
  return `You're on ${onPage(now.page)}.`;
}

/** A recap step in words, with a key that says which steps are the same: "clicked 'Invite member'", "filled in the email field". */
interface RecapStep {
  key: string;
  text: string;
  field: FieldTouch | null;
  count: number;
}

function recapStep(action: SlimAction): RecapStep | null {
  if (action.type === 'pageview' || action.type === 'focus' || action.type === 'blur') return null;
  const field = fieldOf(action);
  if (field) return { key: `field:${field.name ?? ''}:${field.noun}`, text: fieldPhrase(field), field, count: 1 };
  if (action.type === 'submit') {
    const label = actionLabel(action);
    const name = label && !/^(?:a )?form$/i.test(label) ? readableName(label) : null;
    const text = name ? `submitted the ${/\bform$/i.test(name) ? name : `${name} form`}` : 'submitted a form';
    return { key: `submit:${name ?? ''}`, text, field: null, count: 1 };
  }
  const title = actionTitle(action);
  return { key: title.toLowerCase(), text: title.charAt(0).toLowerCase() + title.slice(1), field: null, count: 1 };
}

/** Uses of a control from weakest to strongest: typing in a field says more than clicking into it. */
const USE_ORDER: readonly FieldTouch['use'][] = ['focused', 'clicked', 'toggled', 'selected', 'typed'];

/** Adds a step to a page visit: the same control used again keeps its strongest use, a repeated click is counted. */
function addStep(steps: RecapStep[], step: RecapStep): void {
  const previous = steps.at(-1);
  if (previous?.key === step.key) {
    if (step.field && previous.field) {
      const strongest = USE_ORDER.indexOf(step.field.use) >= USE_ORDER.indexOf(previous.field.use) ? step.field : previous.field;
      previous.field = strongest;
      previous.text = fieldPhrase(strongest);
    } else previous.count += 1;
    return;
  }
  steps.push(step);
}

function times(count: number): string {
  if (count <= 1) return '';
  return count === 2 ? ' twice' : ` ${count} times`;
}

/** One visit to one page in a recap. */
interface PageVisit {
  page: string | null;
  at: number;
  steps: RecapStep[];
}

/** Groups actions into page visits: a new visit at each pageview or change of page. */
function pageVisits(actions: readonly SlimAction[]): PageVisit[] {
  const visits: PageVisit[] = [];
  for (const action of actions) {
    const page = pageNameOf(action);
    const current = visits.at(-1);
    const samePage = current !== undefined && (page === null || current.page === page);
    // A pageview of the page the user is already on with nothing done yet (a reload) is the same visit.
    const isNewVisit = !current || !samePage || (action.type === 'pageview' && current.steps.length > 0);
    const visit = isNewVisit ? { page, at: action.timestamp_start, steps: [] } : current;
    if (isNewVisit) visits.push(visit);
    const step = recapStep(action);
    if (step) addStep(visit.steps, step);
  }
  return visits;
}

const STEPS_PER_VISIT = 5;

/**
 * A deterministic, grounded responder for when no language model is configured. It reads the dialogs and forms in
 * the user's activity (see `readActivityFlows`), so it knows the user is still in the "Invite member" dialog after
 * clicking its email field or picking a role. By intent:
 * - greeting: greets (by first name when known) and says where the user is;
 * - recap ("what did I just do?"): a Markdown list, one item per page visited, with times and what was done there,
 *   then where the user is now;
 * - help ("how do I …"): continues from where the user is: inside an open dialog it says so, what they have filled in
 *   and that they should finish and confirm (never to click what opened it); right after a finishing click ('Send
 *   invite') it says what should have happened and what to check; when an earlier action matches the question better
 *   it points back to it (closing the open dialog first);
 * - no activity: says so honestly and suggests checking the posthog-js setup.
 * Every answer says it runs without a language model; the first one (and questions about it) also say how to
 * configure one. UI elements are named only as the activity records name them. Paragraphs are separated by blank
 * lines (chat channels send one message per paragraph) and lists are Markdown lists that read well as plain text.
 *
 * @example
 * const responder = createOfflineResponder();
 * (await responder.respond(context)).reply; // "Jane, you're on the Team page and your last step was 'Invite member', …"
 */
export function createOfflineResponder(options: OfflineResponderOptions = {}): Responder {
  const now = options.now ?? Date.now;
  const showConfigHint = options.showConfigHint ?? true;
  const maxRecapItems = Math.max(1, options.maxRecapItems ?? 6);

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

  function greeting(context: ReplyContext, actions: SlimAction[]): string {
    const hello = context.firstName ? `Hi ${context.firstName}!` : 'Hi!';
    if (actions.length === 0) return `${hello} ${noActivity()}`;
    const where = whereYouAre(situationOf(actions)).replace(/^You're/, "I can see you're");
    return `${hello} ${where} Ask me how to do something and I'll pick up from where you are.`;
  }

  function recap(context: ReplyContext, actions: SlimAction[]): string {
    if (actions.length === 0) return noActivity();
    const nowMs = now();
    const visits = pageVisits(actions).slice(-maxRecapItems);
    const summaries = sessionsByRecency(context.sessions)
      .map((session) => session.summary.trim())
      .filter(Boolean);
    const items: string[] = [];
    if (summaries.length > 0) items.push(`- Earlier: ${summaryForUser(summaries.at(-1)!)}`);
    for (const visit of visits) {
      const when = relativeTime(visit.at, nowMs);
      const where = `${visit.page ? `${visit.page} page` : 'Somewhere in the product'}${when ? ` (${when})` : ''}`;
      const shown = visit.steps.slice(-STEPS_PER_VISIT).map((step) => `${step.text}${times(step.count)}`);
      const hidden = visit.steps.length - shown.length;
      if (hidden > 0) shown.unshift(`${hidden} earlier step${hidden === 1 ? '' : 's'}`);
      items.push(shown.length > 0 ? `- ${where}: ${joinList(shown)}` : `- ${where}: opened the page`);
    }
    const intro = `Here's what you did recently${context.firstName ? `, ${context.firstName}` : ''}, page by page:`;
    // Blank lines around the list: Markdown renders it as a list, and each chat message stays whole.
    return [intro, items.join('\n'), whereYouAre(situationOf(actions))].join('\n\n');
  }

  /** The best match for the question, moved to the click that opened its dialog, if it was inside one. */
  function bestMatch(actions: readonly SlimAction[], flows: readonly ActivityFlow[], terms: ReadonlyMap<string, number>): SlimAction | null {
    let best: SlimAction | null = null;
    let bestScore = 0;
    for (const action of actions) {
      const score = relevance(action, terms);
      if (score >= MIN_RELEVANCE && score >= bestScore) {
        best = action;
        bestScore = score;
      }
    }
    if (!best) return null;
    const flow = flows.find((entry) => entry.opener && (entry.steps.includes(best) || entry.end?.action === best || entry.submit === best));
    return flow?.opener ?? best;
  }

  function flowRelevance(flow: ActivityFlow, terms: ReadonlyMap<string, number>): number {
    const own = [flow.opener, ...flow.steps, flow.end?.action, flow.submit].filter((action): action is SlimAction => Boolean(action));
    return Math.max(0, ...own.map((action) => relevance(action, terms)));
  }

  function pointBack(you: string, now: Situation, best: SlimAction): string {
    const bestLabel = namedLabel(best);
    const bestPage = pageNameOf(best);
    const inDialog = now.open ? `, in the ${flowName(now.open)}` : '';
    const here = `${you} on ${onPage(now.open?.page ?? now.page)}${inDialog}.`;
    if (bestLabel) {
      const away = bestPage !== null && bestPage !== (now.open?.page ?? now.page);
      const route = away
        ? `${now.open ? 'close this dialog, ' : ''}go back there and use '${bestLabel}'`
        : now.open
          ? `close this dialog, then use '${bestLabel}'`
          : `use '${bestLabel}' on this page`;
      return `${here} Earlier you used '${bestLabel}'${bestPage ? ` on ${onPage(bestPage)}` : ''}, which looks like the place for that: ${route}.`;
    }
    if (bestPage && bestPage !== now.page) return `${here} Earlier you were on ${onPage(bestPage)}, which looks like the place for that.`;
    return `${here} This page looks like the place for that.`;
  }

  function inDialog(you: string, now: Situation, flow: ActivityFlow): string {
    const progress = progressOf(flow);
    const closer = knownCloser(now.flows, flow);
    const finish = closer ? `use '${closer}' to finish` : 'confirm to finish';
    const page = flowPage(flow, now);
    if (flow.label && progress.length === 0) {
      return `${you} on ${page} and your last step was '${flow.label}', so you're already in the ${flowName(flow)}. Fill in the details there and ${finish}.`;
    }
    const where = flow.label
      ? `${you} on ${page}, still in the ${flowName(flow)}${openedWith(flow)}.`
      : `${you} on ${page}, filling in the form there.`;
    return `${where} So far you've ${joinList(progress)}. Fill in anything that's still missing, then ${finish}.`;
  }

  function afterDialog(you: string, now: Situation, flow: ActivityFlow, askedForMore: boolean): string {
    const end = flow.end!;
    const page = flowPage(flow, now);
    if (end.outcome === 'cancelled') {
      const closedWith = end.label ? `your last step was '${end.label}', which closed` : 'you closed';
      const again = flow.label ? ` To pick it up again, open '${flow.label}'.` : '';
      return `${you} on ${page}, and ${closedWith} the ${flowName(flow)} without finishing it.${again}`;
    }
    const done = end.label
      ? `your last step was '${end.label}'${flow.label ? ` in the ${flowName(flow)}` : ''}, so ${outcomeOf(end.label)}.`
      : `you've just submitted the ${flowName(flow)}, so that should be done.`;
    const repeatable = flow.label !== null && REPEATABLE_WORDS.has(flow.label.toLowerCase().split(/\s+/)[0] ?? '');
    const again = askedForMore && repeatable ? ` To do another one, use '${flow.label}' again.` : '';
    return `${you} on ${page}, and ${done}${again} Check that the result looks right on ${page}; if it doesn't, tell me what you see and I'll look at your activity again.`;
  }

  function help(context: ReplyContext, actions: SlimAction[], intent: OfflineIntent): string {
    if (actions.length === 0) return noActivity();
    const now = situationOf(actions);
    const you = context.firstName ? `${context.firstName}, you're` : "You're";
    const terms = expand(context.query);
    const isGeneric = GENERIC.test(context.query.toLowerCase());
    const best = bestMatch(actions, now.flows, terms);
    const notFound =
      intent === 'other'
        ? "Without a language model I can only help with where you are in the product and what you've done."
        : "I can't find anything about that in your recent activity, so I can't point you to the exact place.";

    // In (or just out of) a dialog: answer from it when the question is about it, or asks to carry on.
    const flow = now.open ?? now.finished;
    if (flow) {
      const score = flowRelevance(flow, terms);
      const relevant = score >= MIN_RELEVANCE && (!best || score >= relevance(best, terms));
      if (relevant || isGeneric) return now.open ? inDialog(you, now, flow) : afterDialog(you, now, flow, relevant && !isGeneric);
      if (best && best !== flow.opener) return pointBack(you, now, best);
      return `${notFound} ${whereYouAre(now)}`;
    }

    // The last click only still frames the screen if the user has not navigated away since.
    const last = now.movedOn ? null : now.lastInteraction;
    const label = last ? namedLabel(last) : null;
    const lastScore = last ? relevance(last, terms) : 0;
    if (last && label && (lastScore >= MIN_RELEVANCE || isGeneric)) {
      return `${you} on ${onPage(pageNameOf(last) ?? now.page)} and your last step was '${label}'. Carry on from there on the same screen.`;
    }
    // The most recent relevant step wins: once the user has moved on from an earlier match, pointing back is noise.
    if (best && best !== last && !isGeneric) return pointBack(you, now, best);
    return `${notFound} ${whereYouAre(now)}`;
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
            (actions.length > 0 ? ` ${whereYouAre(situationOf(actions))}` : '');
          break;
        default:
          body = help(context, actions, intent);
      }
      return Promise.resolve({ reply: `${body}\n\n${disclosure(context, intent)}` });
    },
  };
}
