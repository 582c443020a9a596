/** The summariser's story of a session, retold to the user in the second person for a recap. */
import type { ActivityState } from '@sightline/sdk';
import type { ReplySession } from '../reply-context.ts';
import { INTERNAL_TEXT } from './situation.ts';

/** The story from the summariser is cut at a sentence end within this many characters. */
const MAX_STORY_CHARS = 420;

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
export function storyOf(sessions: readonly ReplySession[], tab: ActivityState | null): string | null {
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
