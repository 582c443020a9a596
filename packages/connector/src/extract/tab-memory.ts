/**
 * What extraction remembers about one browser tab between events: the title of the page it is on (posthog-js
 * sends `title` on pageviews only, so later clicks on that page borrow it) and the labels of recent `<label
 * for=…>` clicks (a click on a radio card's label is followed by a click on the input, which carries no text).
 * The sessionizer keeps one per tab of each session it remembers, so the memory is bounded with its sessions.
 */
import type { ActionPage, ActionTarget } from '@sightline/protocol';
import type { ActionPrivacy } from './action-privacy.ts';
import type { ActionFacts, ActionText } from './describe-action.ts';
import type { ExtractedAction } from './extract-action.ts';
import type { PageFacts } from './page-facts.ts';

/** Labels remembered per tab, by the id of the input they are for; the oldest is forgotten first. */
const MAX_LABELS = 16;

/** The memory of one tab. Created by {@link createTabMemory}; only extraction reads and writes it. */
export interface TabMemory {
  /** The page of the tab's last pageview (shared by the actions on it, never mutated), or null before the first. */
  page: ActionPage | null;
  /** The page part of that pageview's document title as sent (to notice a title that never changes). */
  documentTitle: string | null;
  /** The last page named without a pageview (another path), kept so actions on it share one object. */
  otherPage: ActionPage | null;
  /** Label text by the id of the input it is `for`, most recent last. */
  labels: Map<string, string>;
  /** The facts of the tab's last action, and their sentences: a click repeated on one element is described once. */
  describedFacts: ActionFacts | null;
  describedText: ActionText | null;
  /**
   * The last sentences, page and page URLs extraction finished (every final rule applied), under one privacy object:
   * while the same objects come again with it, they are finished once. Null before the first action.
   */
  finished: FinishedStrings | null;
  /** The tab's last choice (its target, container and option) and when it was made, to know its echoes (gesture-echo.ts). */
  lastChoice: { key: string; at: number } | null;
  /**
   * The tab's last choice as an action, and the click on a field with its label that stood in for it within the
   * same gesture (a label read as a radio may be a text field's; gesture-echo.ts).
   */
  echoedChoice: { choice: ExtractedAction; field: ExtractedAction | null } | null;
}

/**
 * What a tab's last action finished, by the objects it was finished from (compared by identity: sentences, pages,
 * targets and page facts are shared, never mutated, and handed back while nothing changed).
 */
export interface FinishedStrings {
  privacy: ActionPrivacy | null;
  textFrom: ActionText | null;
  text: ActionText | null;
  pageFrom: ActionPage | null;
  page: ActionPage | null;
  targetFrom: ActionTarget | null;
  target: ActionTarget | null;
  factsFrom: PageFacts | null;
  canonicalUrl: string;
  rawUrl: string;
}

/** A fresh, empty tab memory. */
export function createTabMemory(): TabMemory {
  return {
    page: null, documentTitle: null, otherPage: null, labels: new Map(), describedFacts: null, describedText: null,
    finished: null, lastChoice: null, echoedChoice: null,
  };
}

/** Remembers that the label `for` input `inputId` reads `label`. */
export function rememberLabel(memory: TabMemory, inputId: string, label: string): void {
  if (memory.labels.get(inputId) === label) return;
  memory.labels.delete(inputId);
  memory.labels.set(inputId, label);
  if (memory.labels.size > MAX_LABELS) memory.labels.delete(memory.labels.keys().next().value as string);
}
