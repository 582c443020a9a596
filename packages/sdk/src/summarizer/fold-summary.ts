/**
 * Folding a new summary into a session's story, bounded: the earliest work and the newest both
 * survive, the middle gives way first (docs/rolling-summaries.md).
 */

/** The default bound of a folded story, in characters. */
export const STORY_MAX_CHARS = 600;

/** Options of {@link foldSummary}. */
export interface FoldSummaryOptions {
  /** Longest story returned (≥ 40), in characters. Default {@link STORY_MAX_CHARS}. */
  maxChars?: number;
}

/** Sentences are split only to choose what to keep; their text is never read for meaning. */
function sentencesOf(text: string): string[] {
  return text
    .split(/(?<=[.!?…])\s+/)
    .map((sentence) => sentence.trim())
    .filter((sentence) => sentence !== '');
}

/** `text` cut at a word boundary to at most `maxChars`, ending in "…" when cut. */
function clip(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  const room = text.slice(0, Math.max(0, maxChars - 1));
  const space = room.lastIndexOf(' ');
  return `${(space > maxChars / 2 ? room.slice(0, space) : room).trimEnd()}…`;
}

/**
 * The story `previous` continued with `next`, at most `maxChars` long. When both fit they are joined
 * whole. Otherwise the story keeps its first sentences (up to about a third of the bound, at least
 * one, clipped if it is longer) and then as many of the newest sentences as fit, `next`'s last; the
 * sentences between are dropped. A missing or blank `previous` gives `next` (clipped).
 *
 * @example
 * foldSummary('Visited Team. Invited a member.', 'Visited Billing.'); // "Visited Team. Invited a member. Visited Billing."
 * foldSummary(longStory, 'Opened Upgrade plan.', { maxChars: 120 }); // the story's first sentence, then its newest ones and "Opened Upgrade plan."
 */
export function foldSummary(previous: string | null | undefined, next: string, options: FoldSummaryOptions = {}): string {
  const maxChars = Math.max(40, options.maxChars ?? STORY_MAX_CHARS);
  const earlier = previous?.trim() ?? '';
  const newest = next.trim();
  if (earlier === '') return clip(newest, maxChars);
  if (newest === '') return clip(earlier, maxChars);
  const whole = `${earlier} ${newest}`;
  if (whole.length <= maxChars) return whole;

  const earlierSentences = sentencesOf(earlier);
  const headBudget = Math.floor(maxChars / 3);
  const head: string[] = [clip(earlierSentences[0] ?? earlier, headBudget)];
  let headText = head[0]!;
  for (const sentence of earlierSentences.slice(1)) {
    if (headText.length + 1 + sentence.length > headBudget) break;
    head.push(sentence);
    headText = `${headText} ${sentence}`;
  }

  // Newest first: `next`'s sentences, then the story's own latest ones that are not already in the head.
  const candidates = [...earlierSentences.slice(head.length), ...sentencesOf(newest)];
  const tailBudget = maxChars - headText.length - 1;
  const tail: string[] = [];
  let tailLength = -1;
  for (let position = candidates.length - 1; position >= 0; position--) {
    const sentence = candidates[position]!;
    if (tailLength + 1 + sentence.length > tailBudget) {
      if (tail.length === 0) tail.push(clip(sentence, tailBudget));
      break;
    }
    tail.unshift(sentence);
    tailLength += 1 + sentence.length;
  }
  return `${headText} ${tail.join(' ')}`.trim();
}
