/** The answer to "where am I?": the page, what is open and how far it got, and another tab's page. */
import type { ActivityState } from '@sightline/sdk';
import type { PhraseBook } from './phrase-book.ts';
import { pageRef, type Situation } from './situation.ts';

export function whereAnswer(book: PhraseBook, situation: Situation, others: readonly ActivityState[]): string[] {
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
