/**
 * The offline responder's answer from product knowledge, for a "how do I …" question about something the user has
 * not started: the UI map's path from where they are when there is one, else the best help article's steps with its
 * title as the source, combined with where the user is ("you're already on Billing, so skip step 1"). Labels come
 * only from the paths' steps and the passages' steps as data, so no answer names a label found nowhere.
 */
import type { ActivityState } from '@sightline/sdk';
import type { HelpPassage, HelpStep, ProductKnowledge, UiPath } from '../../knowledge/knowledge-types.ts';
import { namesRecord } from '../../knowledge/ui-map/control-label.ts';
import { topicWords } from './detect-intent.ts';
import type { DoneSteps, PathStepView, PhraseBook } from './phrase-book.ts';
import { INTERNAL_TEXT, pageRef, showable } from './situation.ts';
import { matchedTopicWords } from './topic-match.ts';

/** Characters of an article without steps quoted in an answer in its own language. */
const MAX_EXCERPT_CHARS = 240;

/** Labels the user has in front of them now: the page's title and the open container and its opener (lower case). */
interface Here {
  page: { title: string; path: string } | null;
  open: string | null;
  openedBy: string | null;
}

/** What `tab` has in front of it; `pendingOpen` is a control just used to open something nothing has happened in yet. */
function hereOf(tab: ActivityState | null, pendingOpen: string | null = null): Here {
  return {
    page: tab?.page ? { title: tab.page.title, path: tab.page.path } : null,
    open: tab?.open?.label ?? null,
    openedBy: tab?.open?.openedBy ?? (tab?.open ? null : pendingOpen),
  };
}

const same = (left: string | null | undefined, right: string | null | undefined) =>
  Boolean(left && right && left.trim().toLowerCase() === right.trim().toLowerCase());

/**
 * The path's steps from where the user is: steps to reach the page they are on, or to open what is open, dropped.
 * With `isPastOpen`, only a path that goes through what is open counts (null otherwise).
 */
function remainingPathSteps(path: UiPath, here: Here, isPastOpen = false): PathStepView[] | null {
  const steps: PathStepView[] = [];
  for (const step of path.steps) {
    const label = showable(step.label);
    if (!label) return null;
    steps.push(step.kind === 'navigate' && step.page !== null && namesRecord(step.page) ? { kind: step.kind, label, isRecord: true } : { kind: step.kind, label });
  }
  let start = 0;
  let hasOpen = false;
  path.steps.forEach((step, index) => {
    // By path when the step has one: a record's page (/courses/:id) is named like its list (/courses).
    const isHerePage = step.kind === 'navigate' && (step.page !== null ? same(step.page, here.page?.path) : same(step.label, here.page?.title));
    const isOpenNow = (step.kind === 'click' || step.kind === 'open') && (same(step.label, here.open) || same(step.label, here.openedBy));
    if (isHerePage || isOpenNow) start = index + 1;
    if (isOpenNow) hasOpen = true;
  });
  if (isPastOpen && !hasOpen) return null;
  const remaining = steps.slice(start);
  return remaining.length > 0 ? remaining : null;
}

function pathAnswer(book: PhraseBook, paths: readonly UiPath[], topic: readonly string[], here: Here, isPastOpen: boolean): string[] | null {
  for (const path of paths) {
    const labels = [path.goal, ...path.steps.map((step) => step.label)].join(' ');
    if (matchedTopicWords(topic, labels) === 0) continue;
    const steps = remainingPathSteps(path, here, isPastOpen);
    if (!steps) continue;
    const from = steps[0]!.kind !== 'navigate' && here.page ? pageRef(here.page.title, here.page.path) : null;
    return [book.pathAnswer(steps, from, path.isDemoData === true)];
  }
  return null;
}

/**
 * Whether a passage is about the question: enough of its topic words named by the article (title, headings, text).
 * Two, unless the question is about what the user just opened: then the passage must also go through it, and one
 * word is enough ("add a teammate" and an article "Invite a teammate" that says to click what they clicked).
 */
function isRelevant(passage: HelpPassage, topic: readonly string[], isPastOpen: boolean): boolean {
  const text = [passage.title, ...passage.headings, passage.text].join(' ');
  return matchedTopicWords(topic, text) >= Math.min(isPastOpen ? 1 : 2, topic.length);
}

/** The steps the user is past by being where they are: up to the last step naming their page or what is open. */
function doneSteps(steps: readonly HelpStep[], here: Here): DoneSteps | null {
  let count = 0;
  let kind: DoneSteps['kind'] = 'page';
  let shown = '';
  steps.forEach((step, index) => {
    if (index === steps.length - 1) return;
    const open = here.open ?? here.openedBy;
    if (open && step.labels.some((label) => same(label, here.open) || same(label, here.openedBy))) {
      count = index + 1;
      kind = 'open';
      shown = open;
    } else if (here.page && step.labels.some((label) => same(label, here.page!.title))) {
      count = index + 1;
      kind = 'page';
      shown = pageRef(here.page.title, here.page.path) ?? '';
    }
  });
  return count > 0 && shown ? { here: shown, kind, count, isNumbered: true } : null;
}

function excerptOf(text: string): string | null {
  const flat = text.replace(/\s*\n\s*/g, ' ').trim();
  if (!flat || INTERNAL_TEXT.test(flat)) return null;
  const sentences = flat.match(/[^.!?]+[.!?]*/g) ?? [flat];
  let excerpt = '';
  for (const sentence of sentences) {
    if (excerpt && excerpt.length + sentence.length > MAX_EXCERPT_CHARS) break;
    excerpt += sentence;
  }
  excerpt = excerpt.trim();
  return excerpt.length > MAX_EXCERPT_CHARS ? `${excerpt.slice(0, MAX_EXCERPT_CHARS - 1)}…` : excerpt;
}

function articleAnswer(book: PhraseBook, passages: readonly HelpPassage[], topic: readonly string[], here: Here, isPastOpen: boolean): string[] | null {
  const relevant = passages.filter((passage) => isRelevant(passage, topic, isPastOpen) && showable(passage.title));
  const best = relevant[0];
  if (!best) return null;
  // The best passage may be an article's introduction; its steps are often in the next section.
  const withSteps = relevant.find((passage) => (passage.steps?.length ?? 0) > 0 && (passage === best || passage.source === best.source));
  const title = showable(best.title)!;
  const isSameLanguage = (best.language ?? '').toLowerCase().startsWith(book.language);
  if (!withSteps) return isPastOpen ? null : [book.articleAbout(title, isSameLanguage ? excerptOf(best.text) : null, isSameLanguage ? null : best.language)];
  const steps = withSteps.steps!;
  const done = doneSteps(steps, here);
  if (isPastOpen && done?.kind !== 'open') return null;
  const parts: string[] = [];
  const rest = steps.slice(done?.count ?? 0);
  const first = (done?.count ?? 0) + 1;
  if (isSameLanguage && withSteps.language === best.language && rest.every((step) => !INTERNAL_TEXT.test(step.text))) {
    if (done) parts.push(book.skipDone(done));
    parts.push(book.articleSteps(showable(withSteps.title) ?? title, rest.map((step, index) => `${first + index}. ${step.text}`)));
    return parts;
  }
  const labels = rest.map((step) => step.labels.map((label) => showable(label)).filter((label): label is string => label !== null)).filter((list) => list.length > 0);
  if (labels.length === 0) return [book.articleAbout(title, null, best.language)];
  if (done) parts.push(book.skipDone({ ...done, isNumbered: false }));
  parts.push(book.articleLabels(showable(withSteps.title) ?? title, withSteps.language, labels));
  return parts;
}

/** What the user has just done that an answer from knowledge must continue from. */
export interface KnowledgeAnswerOptions {
  /**
   * A control the user just used to open something (a dialog nothing has happened in yet): a path or an article that
   * goes through it is given from the step after it, so the answer never sends the user back over what they did.
   */
  justOpened?: string | null;
  /** Use only knowledge that goes through `justOpened` (the question is about what it opened). */
  isAboutOpened?: boolean;
}

/**
 * The answer from `knowledge` to a how-to question, or null when nothing in it is about the question: the first path
 * whose labels match the question's topic (its steps from where the user is), else the first relevant passage's
 * steps: quoted as written when the article is in the answer's language, else only their labels, in order, framed
 * in the answer's language; the steps the user's page or open dialog already covers are skipped and said so.
 *
 * @example
 * knowledgeAnswer(en, 'how do I change my plan?', { paths: [], passages: [changePlan] }, billingTab);
 * // ["You’re already on the 'Billing' page, so skip step 1.", "The help article 'Change your plan' says:\n\n2. Click 'Change plan'. …"]
 */
export function knowledgeAnswer(book: PhraseBook, query: string, knowledge: ProductKnowledge | undefined, tab: ActivityState | null, options: KnowledgeAnswerOptions = {}): string[] | null {
  if (!knowledge) return null;
  const topic = topicWords(query);
  if (topic.length === 0) return null;
  const isPastOpen = Boolean(options.justOpened && options.isAboutOpened);
  const here = hereOf(tab, options.justOpened ?? null);
  // Inside what was just opened, the article's own words say what to fill in; a path knows only the controls.
  if (isPastOpen) return articleAnswer(book, knowledge.passages, topic, here, true) ?? pathAnswer(book, knowledge.paths, topic, here, true);
  return pathAnswer(book, knowledge.paths, topic, here, false) ?? articleAnswer(book, knowledge.passages, topic, here, false);
}

/**
 * The control that finishes what is open, as the product's knowledge names it: the last step of a path other users
 * took through it (a submit), else the last label of an article's last step when an earlier step names what is open.
 * Null when neither says; only labels found in the knowledge are given.
 *
 * @example
 * finisherFromKnowledge({ paths: [], passages: [changePlan] }, { label: 'Upgrade plan', openedBy: null }); // 'Confirm upgrade'
 */
export function finisherFromKnowledge(knowledge: ProductKnowledge | undefined, open: { label: string | null; openedBy: string | null }): string | null {
  if (!knowledge) return null;
  const isOpen = (label: string) => same(label, open.label) || same(label, open.openedBy);
  for (const path of knowledge.paths) {
    const opened = path.steps.findIndex((step) => (step.kind === 'open' || step.kind === 'click') && isOpen(step.label));
    const last = path.steps.at(-1);
    if (opened !== -1 && last && last.kind === 'submit' && path.steps.length - 1 > opened && !isOpen(last.label)) {
      const label = showable(last.label);
      if (label) return label;
    }
  }
  for (const passage of knowledge.passages) {
    const steps = passage.steps ?? [];
    const opened = steps.findIndex((step) => step.labels.some(isOpen));
    const last = steps.at(-1)?.labels.at(-1);
    if (opened !== -1 && opened < steps.length - 1 && last && !isOpen(last)) {
      const label = showable(last);
      if (label) return label;
    }
  }
  return null;
}
