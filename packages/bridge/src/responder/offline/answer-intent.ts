/** Routes a question by its intent to the answer that fits, from the user's tabs (the current one first). */
import type { ActivityState } from '@sightline/sdk';
import type { ReplyContext } from '../reply-context.ts';
import { bestCandidate, candidates } from './candidates.ts';
import { mentionsProduct, topicWords, type OfflineIntent } from './detect-intent.ts';
import { howToAnswer } from './how-to-answer.ts';
import { knowledgeAnswer } from './knowledge-answer.ts';
import { nextAnswer } from './next-answer.ts';
import type { PhraseBook } from './phrase-book.ts';
import { recapAnswer } from './recap-answer.ts';
import { situationOf } from './situation.ts';
import { whereAnswer } from './where-answer.ts';
import { whyFailingAnswer } from './why-failing-answer.ts';

/** The answer's paragraphs; `maxRecapLines` bounds a recap. */
export function answerIntent(intent: OfflineIntent, book: PhraseBook, context: ReplyContext, tabs: readonly ActivityState[], maxRecapLines: number): string[] {
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
      return recapAnswer(book, context, tab, situation, maxRecapLines);
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
      return whereAnswer(book, situation, tabs.slice(1));
    case 'next':
      return nextAnswer(book, situation, context.knowledge);
    case 'why-failing':
      return whyFailingAnswer(book, situation, context.knowledge);
    case 'other': {
      // Nothing the rules know: answer from the activity only when the message is about it.
      const topic = topicWords(context.query);
      if (topic.length > 0 && bestCandidate(topic, candidates(tabs, situation))) return howToAnswer(book, context, tabs, situation);
      const known = knowledgeAnswer(book, context.query, context.knowledge, tabs[0] ?? null);
      if (known) return known;
      if (mentionsProduct(context.query)) return [book.outOfScope, book.youAre(situation.place)];
      return [context.query.trim().endsWith('?') ? book.unrelated : book.outOfScope];
    }
    default:
      return howToAnswer(book, context, tabs, situation);
  }
}
