/** The answer to "what did I do?": the session's story and a short recap page by page, never a click log. */
import type { ActivityState } from '@sightline/sdk';
import type { ReplyContext } from '../reply-context.ts';
import type { PhraseBook } from './phrase-book.ts';
import { recapLines } from './recap-lines.ts';
import type { Situation } from './situation.ts';
import { storyOf } from './summary-for-user.ts';

/** `maxRecapLines`: most lines of pages, the story counted as one. */
export function recapAnswer(book: PhraseBook, context: ReplyContext, tab: ActivityState | null, situation: Situation | null, maxRecapLines: number): string[] {
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
