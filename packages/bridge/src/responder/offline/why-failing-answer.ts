/** The answer to "why doesn't it work?": the click that did nothing, else that nothing failed and how to finish. */
import type { ProductKnowledge } from '../../knowledge/knowledge-types.ts';
import { finishing } from './next-answer.ts';
import type { PhraseBook } from './phrase-book.ts';
import type { Situation } from './situation.ts';

export function whyFailingAnswer(book: PhraseBook, situation: Situation, knowledge?: ProductKnowledge): string[] {
  const open = situation.place.open;
  if (situation.failure) return [book.failedClick(situation.failure), book.failedHint(open !== null), book.youAre(situation.place)];
  const parts = [book.noFailure, book.youAre(situation.place)];
  if (open) parts.push(book.progress(open), finishing(book, situation, open, knowledge));
  return parts;
}
