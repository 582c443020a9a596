/** The answer to "how do I …": where the matching label is (here, seen elsewhere), else product knowledge, else so. */
import type { ActivityState } from '@sightline/sdk';
import type { ReplyContext } from '../reply-context.ts';
import { bestCandidate, candidates } from './candidates.ts';
import { normaliseQuery, topicWords } from './detect-intent.ts';
import { knowledgeAnswer } from './knowledge-answer.ts';
import { finishing, nextAnswer } from './next-answer.ts';
import type { PhraseBook } from './phrase-book.ts';
import { hasJustUsed, showable, type Situation } from './situation.ts';

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

export function howToAnswer(book: PhraseBook, context: ReplyContext, tabs: readonly ActivityState[], situation: Situation): string[] {
  const topic = topicWords(context.query);
  if (topic.length === 0) return nextAnswer(book, situation, context.knowledge);
  const best = bestCandidate(topic, candidates(tabs, situation));
  const open = situation.place.open;
  const finished = situation.finished?.outcome === 'completed' ? situation.finished : null;
  if (finished && best && best.where !== 'page' && (best.label === finished.name || best.label === finished.openedBy)) return [book.doAgain(finished)];
  // The control just clicked is the answer: what it opened (if anything) is where the user is now. The product's
  // knowledge, when it goes through that control, says what comes after it.
  if (best?.where === 'step' && !open && best.label === situation.lastUsed && best.label === showable(tabs[0]?.lastAction?.label)) {
    const known = knowledgeAnswer(book, context.query, context.knowledge, tabs[0] ?? null, { justOpened: best.label, isAboutOpened: true });
    return known ?? [book.youAre(situation.place), book.justOpened(best.label)];
  }
  // Being on a page that looks like the place says nothing of what to do there: the product's knowledge does.
  const justOpened = { justOpened: situation.pendingOpen };
  if (best?.where === 'here' && best.kind === 'page') {
    const known = knowledgeAnswer(book, context.query, context.knowledge, tabs[0] ?? null, justOpened);
    if (known) return known;
  }
  if (best && (best.where === 'here' || (best.where === 'step' && hasJustUsed(situation, best.label)))) {
    const kind = best.where === 'here' ? best.kind : 'inside';
    const parts = [book.alreadyHere(best.where === 'here' ? best.shown : best.label, kind, open)];
    if (open) parts.push(book.progress(open), finishing(book, situation, open, context.knowledge));
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
  const known = knowledgeAnswer(book, context.query, context.knowledge, tabs[0] ?? null, justOpened);
  if (known) return known;
  if (best?.where === 'page') return [book.pageSeen(best.shown, best.isOtherTab, open)];
  const parts = [book.notSeen(topicPhrase(context.query, topic)), book.youAre(situation.place)];
  if (open) parts.push(book.progress(open), book.lookInOpen(open));
  return parts;
}
