/** The answer to "what now?": how to finish what is open, what a finished or dismissed flow means, else where to carry on. */
import type { ProductKnowledge } from '../../knowledge/knowledge-types.ts';
import { finisherFromKnowledge } from './knowledge-answer.ts';
import type { PhraseBook } from './phrase-book.ts';
import { hasJustUsed, type OpenPlace, type Situation } from './situation.ts';

/**
 * How to finish what is open: with its own finishing control when one is known (the user finished it before, or the
 * product's knowledge names it), noting when it was just pressed.
 */
export function finishing(book: PhraseBook, situation: Situation, open: OpenPlace, knowledge?: ProductKnowledge): string {
  const finisher = situation.finisher ?? finisherFromKnowledge(knowledge, open);
  if (finisher && hasJustUsed(situation, finisher)) return book.finisherUsedStillOpen(open, finisher);
  return book.finishOpen(open, finisher);
}

export function nextAnswer(book: PhraseBook, situation: Situation, knowledge?: ProductKnowledge): string[] {
  const { place } = situation;
  const open = place.open;
  if (situation.failure) {
    return [book.failedClick(situation.failure), book.failedHint(open !== null), book.youAre(place)];
  }
  if (!open && situation.pendingOpen) return [book.youAre(place), book.justOpened(situation.pendingOpen)];
  if (open) {
    const parts = [book.youAre(place), book.progress(open)];
    if (situation.earlierChoices.length > 0) parts.push(book.pickedBefore(situation.earlierChoices));
    parts.push(finishing(book, situation, open, knowledge));
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
  // A control used on this page since arriving says more than the link that brought the user here.
  const usedHere = situation.lastUsed !== null && situation.lastUsed !== situation.reachedWith ? situation.lastUsed : null;
  if (usedHere) parts.push(book.lastUsed(usedHere));
  else if (situation.reachedWith) parts.push(book.reachedWith(situation.reachedWith));
  // An earlier flow left unfinished is the likeliest "next": say how to pick it up again.
  const unfinished = situation.lastFlow?.outcome === 'dismissed' ? situation.lastFlow : null;
  if (unfinished?.name) parts.push(book.dismissed(unfinished), book.reopen(unfinished));
  else if (situation.pingPong) parts.push(book.backAndForth(...situation.pingPong));
  else parts.push(book.carryOn);
  return parts;
}
