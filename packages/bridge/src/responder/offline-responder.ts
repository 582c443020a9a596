/**
 * The responder used when no language model is configured (docs/DESIGN.md): deterministic
 * answers built from the user's activity state (where they are, what is open, what they just did), in the language
 * of the question, with keyword intents in five languages. It never reads structure back out of prose, never
 * shows internal text, and never tells the user to redo what the state shows they just did.
 */
import type { ActivityState, ActivityStep } from '@sightline/sdk';
import { detectLanguage } from './language/detect-language.ts';
import { detectIntent, mentionsProduct, normaliseQuery, topicWords, type OfflineIntent } from './offline/detect-intent.ts';
import type { Deed, DeedGroup, HereKind, PhraseBook, RecapLine } from './offline/phrase-book.ts';
import { phraseBook } from './offline/phrases.ts';
import { hasJustUsed, INTERNAL_TEXT, pageRef, showable, situationOf, type OpenPlace, type Situation } from './offline/situation.ts';
import { knowledgeAnswer } from './offline/knowledge-answer.ts';
import { isTopicMatch, topicRank } from './offline/topic-match.ts';
import type { ReplyContext, ReplySession, Responder } from './reply-context.ts';

export { detectIntent, type OfflineIntent } from './offline/detect-intent.ts';
export { detectLanguage, type ReplyLanguage } from './language/detect-language.ts';

/** Options of {@link createOfflineResponder}. */
export interface OfflineResponderOptions {
  /** Most lines of pages in a recap (the story, the start and "now" come on top). Default 4. */
  maxRecapLines?: number;
  /** End the first answer of a conversation with a short note that no language model is used. Default true. */
  showOfflineNote?: boolean;
}

const DEFAULT_RECAP_LINES = 4;
const MAX_DEEDS_PER_LINE = 3;
const MAX_LABELS_PER_DEED = 3;
/** The story from the summariser is cut at a sentence end within this many characters. */
const MAX_STORY_CHARS = 420;

function hasActivity(tab: ActivityState): boolean {
  return tab.page !== null || tab.recentSteps.length > 0 || tab.actionCount > 0;
}

/**
 * Summaries are written about the user for another assistant ("The user visited…", "They clicked…"); quoted back to
 * the user in a recap they read as "you". Only the common sentence openings are rewritten; anything else stays.
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

/** The story of the session the user is in, in the second person, without sentences that hold internal text. */
function storyOf(sessions: readonly ReplySession[], tab: ActivityState | null): string | null {
  const own = sessions.find((session) => tab && session.sessionId === tab.key.sessionId && session.summary.trim());
  const latest = [...sessions].reverse().find((session) => session.summary.trim());
  const summary = (own ?? latest)?.summary.trim();
  if (!summary) return null;
  const sentences = summaryForUser(summary).match(/[^.!?]+[.!?]*/g) ?? [];
  let story = '';
  for (const sentence of sentences.map((text) => text.trim()).filter(Boolean)) {
    if (INTERNAL_TEXT.test(sentence)) continue;
    if (story.length + sentence.length + 1 > MAX_STORY_CHARS) break;
    story = story ? `${story} ${sentence}` : sentence;
  }
  return story || null;
}

/** The topic of a how-to question as the user wrote it ("número do passaporte"), for quoting it back; else null. */
function topicPhrase(query: string, topic: readonly string[]): string | null {
  if (topic.length === 0) return null;
  const tokens = [...query.matchAll(/[\p{L}\p{N}][\p{L}\p{N}'’-]*/gu)];
  const isTopic = (token: RegExpMatchArray) => topic.includes(normaliseQuery(token[0]).replace(/['-].*$/, ''));
  const first = tokens.find(isTopic);
  const last = [...tokens].reverse().find(isTopic);
  if (!first || !last || first.index === undefined || last.index === undefined) return null;
  const phrase = query.slice(first.index, last.index + last[0].length).trim();
  return phrase.length <= 60 && showable(phrase) && !/['"]/.test(phrase) ? phrase : null;
}

/** The control that opened the container a step sat in: the step before the run of steps in that container. */
function openerOf(steps: readonly ActivityStep[], index: number): string | null {
  const container = steps[index]?.container?.label;
  if (!container) return null;
  let start = index;
  while (start > 0 && steps[start - 1]!.container?.label === container) start--;
  const before = steps[start - 1];
  return before && before.page === steps[index]!.page ? showable(before.label) : null;
}

/** A place where a label matching the question was seen; `label` is what is matched, pages are page references. */
type Candidate =
  | { where: 'here'; label: string; shown: string; kind: HereKind }
  | { where: 'step'; label: string; page: string | null; opener: string | null; isOtherTab: boolean; isContainer: boolean }
  | { where: 'page'; label: string; shown: string; isOtherTab: boolean };

function candidates(tabs: readonly ActivityState[], situation: Situation): Candidate[] {
  const found: Candidate[] = [];
  const { place } = situation;
  const open = place.open;
  const here = tabs[0];
  for (const label of [open?.label, open?.openedBy]) if (label) found.push({ where: 'here', label, shown: label, kind: 'open' });
  for (const label of [...(open?.fields ?? []), ...(open?.choices ?? []), ...situation.earlierChoices]) found.push({ where: 'here', label, shown: label, kind: 'inside' });
  const title = showable(here?.page?.title);
  if (title && place.page) found.push({ where: 'here', label: title, shown: place.page, kind: 'page' });
  tabs.forEach((tab, tabIndex) => {
    const isOtherTab = tabIndex > 0;
    const steps = tab.recentSteps;
    for (let index = steps.length - 1; index >= 0; index--) {
      const step = steps[index]!;
      const isInOpen = !isOtherTab && tab.open !== null && step.at >= tab.open.openedAt && step.page === tab.page?.title && step.container?.label === tab.open.label;
      const containerLabel = showable(step.container?.label);
      for (const label of [showable(step.choice), showable(step.label), containerLabel]) {
        if (!label) continue;
        if (isInOpen) found.push({ where: 'here', label, shown: label, kind: 'inside' });
        else found.push({ where: 'step', label, page: pageRef(step.page, step.path), opener: openerOf(steps, index), isOtherTab, isContainer: label === containerLabel });
      }
    }
    for (const visit of [...tab.recentPages].reverse()) {
      const shown = pageRef(visit.title, visit.path);
      if (shown) found.push({ where: 'page', label: visit.title, shown, isOtherTab });
    }
  });
  return found;
}

/** The best place for a topic: the highest score, the current place and the most recent first on ties. */
function bestCandidate(topic: readonly string[], all: readonly Candidate[]): Candidate | null {
  let best: Candidate | null = null;
  let bestScore = 0;
  for (const candidate of all) {
    if (!isTopicMatch(topic, candidate.label)) continue;
    const score = topicRank(topic, candidate.label);
    if (score > bestScore) {
      best = candidate;
      bestScore = score;
    }
  }
  return best;
}

/** One page's deeds: by kind (first use first), each label once with its count. */
type PageDeeds = Map<Deed['kind'], Map<string, number>>;

function groupsOf(deeds: PageDeeds): DeedGroup[] {
  const groups: DeedGroup[] = [];
  for (const [kind, labels] of deeds) {
    const items = [...labels].map(([label, count]) => ({ label, count }));
    const shown = items.slice(-MAX_LABELS_PER_DEED);
    groups.push({ kind, items: shown, more: items.length - shown.length });
  }
  return groups.slice(-MAX_DEEDS_PER_LINE);
}

/** What was done on each page, for a recap: pages in order of their last visit, pages with the same deeds merged. */
function recapLines(tab: ActivityState): { lines: RecapLine[]; pageCount: number } {
  const byPage = new Map<string, PageDeeds>();
  const touch = (page: string) => {
    const deeds = byPage.get(page) ?? new Map();
    byPage.delete(page);
    byPage.set(page, deeds);
    return deeds;
  };
  const visits = tab.recentPages.map((visit) => ({ page: pageRef(visit.title, visit.path), at: visit.enteredAt }));
  let visitIndex = 0;
  const visitUntil = (at: number) => {
    for (; visitIndex < visits.length && visits[visitIndex]!.at <= at; visitIndex++) {
      const page = visits[visitIndex]!.page;
      if (page) touch(page);
    }
  };
  for (const step of tab.recentSteps) {
    visitUntil(step.at);
    const page = pageRef(step.page, step.path);
    const deed = deedOf(step);
    if (!page) continue;
    const deeds = touch(page);
    if (!deed) continue;
    const labels = deeds.get(deed.kind) ?? new Map<string, number>();
    labels.set(deed.label, (labels.get(deed.label) ?? 0) + 1);
    deeds.set(deed.kind, labels);
  }
  visitUntil(Number.POSITIVE_INFINITY);
  const here = pageRef(tab.page?.title, tab.page?.path);
  const lines: RecapLine[] = [];
  const signatures: string[] = [];
  for (const [page, deeds] of byPage) {
    const groups = groupsOf(deeds);
    if (page === here && groups.length === 0) continue;
    const signature = JSON.stringify(groups);
    const same = groups.length > 0 ? signatures.indexOf(signature) : -1;
    const pages = same >= 0 ? [...lines[same]!.pages, page] : [page];
    if (same >= 0) {
      signatures.splice(same, 1);
      lines.splice(same, 1);
    }
    signatures.push(signature);
    lines.push({ pages, deeds: groups });
  }
  return { lines, pageCount: byPage.size };
}

function deedOf(step: ActivityStep): Deed | null {
  const label = showable(step.label);
  const area = showable(step.container?.label);
  switch (step.step) {
    case 'choose': {
      const choice = showable(step.choice) ?? label;
      return choice ? { kind: 'picked', label: choice, count: 1 } : null;
    }
    case 'type':
      return label ? { kind: 'filled', label, count: 1 } : null;
    case 'submit':
      return area ?? label ? { kind: area ? 'finished' : 'used', label: (area ?? label)!, count: 1 } : null;
    case 'dismiss':
      return area ? { kind: 'closed', label: area, count: 1 } : label ? { kind: 'used', label, count: 1 } : null;
    case 'navigate':
      return label ? { kind: 'opened', label, count: 1 } : null;
    case 'failed':
      return null;
    default:
      if (!label) return null;
      return { kind: step.role === 'link' || step.role === 'menuitem' ? 'opened' : 'used', label, count: 1 };
  }
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

  function where(book: PhraseBook, situation: Situation, others: readonly ActivityState[]): string[] {
    const open = situation.place.open;
    const parts = [book.youAre(situation.place)];
    if (open) parts.push(book.progress(open));
    if (situation.earlierChoices.length > 0) parts.push(book.pickedBefore(situation.earlierChoices));
    if (!open && situation.pendingOpen) parts.push(book.justOpened(situation.pendingOpen));
    else if (!open && situation.lastUsed && !situation.finished) parts.push(book.lastUsed(situation.lastUsed));
    const other = others.map((tab) => pageRef(tab.page?.title, tab.page?.path)).find((page) => page && page !== situation.place.page);
    if (other) parts.push(book.otherTab(other));
    return parts;
  }

  function finishing(book: PhraseBook, situation: Situation, open: OpenPlace): string {
    const finisher = situation.finisher;
    if (finisher && hasJustUsed(situation, finisher)) return book.finisherUsedStillOpen(open, finisher);
    return book.finishOpen(open, finisher);
  }

  function next(book: PhraseBook, situation: Situation): string[] {
    const { place } = situation;
    const open = place.open;
    if (situation.failure) {
      return [book.failedClick(situation.failure), book.failedHint(open !== null), book.youAre(place)];
    }
    if (!open && situation.pendingOpen) return [book.youAre(place), book.justOpened(situation.pendingOpen)];
    if (open) {
      const parts = [book.youAre(place), book.progress(open)];
      if (situation.earlierChoices.length > 0) parts.push(book.pickedBefore(situation.earlierChoices));
      parts.push(finishing(book, situation, open));
      return parts;
    }
    const flow = situation.finished;
    if (flow?.outcome === 'completed') return [book.completed(flow, place.page), book.checkResult(place.page)];
    if (flow?.outcome === 'dismissed') {
      const parts = [book.dismissed(flow), book.reopen(flow)];
      if (place.page && flow.page && place.page !== flow.page) parts.push(book.youAre(place));
      return parts;
    }
    const parts = [book.youAre(place)];
    if (situation.earlierChoices.length > 0) parts.push(book.pickedBefore(situation.earlierChoices));
    if (situation.reachedWith) parts.push(book.reachedWith(situation.reachedWith));
    else if (situation.lastUsed) parts.push(book.lastUsed(situation.lastUsed));
    // An earlier flow left unfinished is the likeliest "next": say how to pick it up again.
    const unfinished = situation.lastFlow?.outcome === 'dismissed' ? situation.lastFlow : null;
    if (unfinished?.name) parts.push(book.dismissed(unfinished), book.reopen(unfinished));
    else if (situation.pingPong) parts.push(book.backAndForth(...situation.pingPong));
    else parts.push(book.carryOn);
    return parts;
  }

  function whyFailing(book: PhraseBook, situation: Situation): string[] {
    const open = situation.place.open;
    if (situation.failure) return [book.failedClick(situation.failure), book.failedHint(open !== null), book.youAre(situation.place)];
    const parts = [book.noFailure, book.youAre(situation.place)];
    if (open) parts.push(book.progress(open), finishing(book, situation, open));
    return parts;
  }

  function howTo(book: PhraseBook, context: ReplyContext, tabs: readonly ActivityState[], situation: Situation): string[] {
    const topic = topicWords(context.query);
    if (topic.length === 0) return next(book, situation);
    const best = bestCandidate(topic, candidates(tabs, situation));
    const open = situation.place.open;
    const finished = situation.finished?.outcome === 'completed' ? situation.finished : null;
    if (finished && best && best.where !== 'page' && (best.label === finished.name || best.label === finished.openedBy)) return [book.doAgain(finished)];
    // The control just clicked is the answer: what it opened (if anything) is where the user is now.
    if (best?.where === 'step' && !open && best.label === situation.lastUsed && best.label === showable(tabs[0]?.lastAction?.label)) {
      return [book.youAre(situation.place), book.justOpened(best.label)];
    }
    // Being on a page that looks like the place says nothing of what to do there: the product's knowledge does.
    if (best?.where === 'here' && best.kind === 'page') {
      const known = knowledgeAnswer(book, context.query, context.knowledge, tabs[0] ?? null);
      if (known) return known;
    }
    if (best && (best.where === 'here' || (best.where === 'step' && hasJustUsed(situation, best.label)))) {
      const kind = best.where === 'here' ? best.kind : 'inside';
      const parts = [book.alreadyHere(best.where === 'here' ? best.shown : best.label, kind, open)];
      if (open) parts.push(book.progress(open), finishing(book, situation, open));
      else if (kind !== 'page') parts.push(book.youAre(situation.place));
      else parts.push(book.carryOn);
      return parts;
    }
    if (best?.where === 'step') {
      const isThisPage = !best.isOtherTab && best.page !== null && best.page === situation.place.page;
      const opener = best.opener && best.opener !== best.label && !hasJustUsed(situation, best.opener) ? best.opener : null;
      return [book.seenElsewhere({ label: best.label, page: best.page, opener, isOtherTab: best.isOtherTab, isThisPage, isContainer: best.isContainer, closeFirst: open })];
    }
    // Something the user has not started: the path others took from here, else the help center's steps.
    const known = knowledgeAnswer(book, context.query, context.knowledge, tabs[0] ?? null);
    if (known) return known;
    if (best?.where === 'page') return [book.pageSeen(best.shown, best.isOtherTab, open)];
    const parts = [book.notSeen(topicPhrase(context.query, topic)), book.youAre(situation.place)];
    if (open) parts.push(book.progress(open), book.lookInOpen(open));
    return parts;
  }

  function recap(book: PhraseBook, context: ReplyContext, tab: ActivityState | null, situation: Situation | null): string[] {
    const story = book.language === 'en' ? storyOf(context.sessions, tab) : null;
    if (!tab || !situation) return story ? [book.recapIntro, book.recapStory(story)] : [book.noActivity];
    const { lines, pageCount } = recapLines(tab);
    const limit = story ? maxRecapLines - 1 : maxRecapLines;
    const shown = lines.slice(-limit);
    const hiddenPages = pageCount - shown.reduce((sum, line) => sum + line.pages.length, 0) - (situation.place.page && !shown.some((line) => line.pages.includes(situation.place.page!)) ? 1 : 0);
    const items = [...(story ? [book.recapStory(story)] : []), ...(hiddenPages > 0 ? [book.recapEarlier(hiddenPages)] : []), ...shown.map((line) => book.recapLine(line))];
    // Blank lines around the list: Markdown renders it as a list, and chat channels keep each paragraph whole.
    return [`${book.recapIntro}\n\n${items.join('\n')}\n\n${book.recapNow(situation.place)}`];
  }

  function answer(intent: OfflineIntent, book: PhraseBook, context: ReplyContext, tabs: readonly ActivityState[]): string[] {
    const tab = tabs[0] ?? null;
    const situation = tab ? situationOf(tab) : null;
    switch (intent) {
      case 'greeting':
        return [book.hello(context.firstName), situation ? book.youAre(situation.place) : book.noActivity, book.askMe];
      case 'thanks':
        return [book.welcome];
      case 'about':
        return [book.about];
      case 'recap':
        return recap(book, context, tab, situation);
      default:
        break;
    }
    if (intent === 'unrelated') {
      const topic = topicWords(context.query);
      const isAboutActivity = situation !== null && topic.length > 0 && bestCandidate(topic, candidates(tabs, situation)) !== null;
      if (!isAboutActivity) return [book.unrelated];
    }
    if (!situation) {
      const known = intent === 'how-to' || intent === 'other' ? knowledgeAnswer(book, context.query, context.knowledge, null) : null;
      if (known) return known;
      return intent === 'other' ? [book.noActivity, book.outOfScope] : [book.noActivity, book.askMe];
    }
    switch (intent) {
      case 'where':
        return where(book, situation, tabs.slice(1));
      case 'next':
        return next(book, situation);
      case 'why-failing':
        return whyFailing(book, situation);
      case 'other': {
        // Nothing the rules know: answer from the activity only when the message is about it.
        const topic = topicWords(context.query);
        if (topic.length > 0 && bestCandidate(topic, candidates(tabs, situation))) return howTo(book, context, tabs, situation);
        const known = knowledgeAnswer(book, context.query, context.knowledge, tabs[0] ?? null);
        if (known) return known;
        if (mentionsProduct(context.query)) return [book.outOfScope, book.youAre(situation.place)];
        return [context.query.trim().endsWith('?') ? book.unrelated : book.outOfScope];
      }
      default:
        return howTo(book, context, tabs, situation);
    }
  }

  return {
    kind: 'offline',
    respond(context) {
      const book = phraseBook(detectLanguage(context.query, context.languageHint));
      const tabs = context.tabs.filter(hasActivity);
      const paragraphs = answer(detectIntent(context.query), book, context, tabs);
      const reply = paragraphs.filter(Boolean).join(' ');
      const isFirstAnswer = !context.history.some((turn) => turn.role === 'assistant');
      return Promise.resolve({ reply: showOfflineNote && isFirstAnswer ? `${reply}\n\n${book.offlineNote}` : reply });
    },
  };
}
