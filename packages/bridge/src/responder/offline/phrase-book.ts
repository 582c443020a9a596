/**
 * The shape of a phrase book: the sentences of the offline responder in one language. Each entry takes structure
 * (labels as the product shows them, kinds, counts) and returns whole sentences, so grammar stays inside its
 * language. Labels are quoted with plain single quotes; elisions and contractions use the typographic apostrophe
 * (’), so a plain quote always marks a label.
 */
import type { ContainerKind } from '@sightline/protocol';
import { joinList } from '../../prompts/prompt-text.ts';
import type { ReplyLanguage } from '../language/detect-language.ts';
import type { Failure, Flow, OpenPlace, Place } from './situation.ts';

/** One thing done on a page, for recaps. */
export interface Deed {
  kind: 'used' | 'opened' | 'picked' | 'filled' | 'finished' | 'closed';
  label: string;
  count: number;
}

/** Deeds of one kind on a page, told with one verb: "opened 'INV-1005', 'INV-1006' and 4 more". */
export interface DeedGroup {
  kind: Deed['kind'];
  items: { label: string; count: number }[];
  /** Further labels of the same kind left out. */
  more: number;
}

/** One line of a recap: pages where the same things were done. */
export interface RecapLine {
  pages: string[];
  deeds: DeedGroup[];
}

/** Where an earlier matching label was seen, for "how do I …" answers. */
export interface SeenElsewhere {
  label: string;
  page: string | null;
  /** The control that opened the container the label sat in, when it differs from the label. */
  opener: string | null;
  isOtherTab: boolean;
  isThisPage: boolean;
  /** The label is a dialog's or form's name, not a control: the user opens it again rather than "uses" it. */
  isContainer: boolean;
  /** The open container to close first, when one is open. */
  closeFirst: OpenPlace | null;
}

/** One step of a path other users took, for "how do I …" answers from the UI map. */
export interface PathStepView {
  kind: 'navigate' | 'click' | 'open' | 'submit';
  label: string;
  /** A `navigate` to a page that shows one record (`/courses/:id`): its label names the list, so "open one of" it. */
  isRecord?: boolean;
}

/** What the user already has of an article's steps: the page they are on, or the dialog they have open. */
export interface DoneSteps {
  /** A page reference (see `pageRef`) for `page`, a bare label for `open`. */
  here: string;
  kind: 'page' | 'open';
  /** How many of the first steps that covers. */
  count: number;
  /** Whether the steps are shown numbered (then "skip step 1"), or only their labels. */
  isNumbered: boolean;
}

/** What "already here" refers to. */
export type HereKind = 'page' | 'open' | 'inside';

/**
 * The sentences of one language. Labels come bare and are quoted here; pages come as page references (see
 * `pageRef` in situation.ts): already quoted when the title is one the product shows, bare when it was made from
 * the path, so they are inserted as they are.
 */
export interface PhraseBook {
  readonly language: ReplyLanguage;
  /** A short note that answers come without a language model. */
  readonly offlineNote: string;
  readonly noActivity: string;
  hello(firstName: string | null): string;
  readonly askMe: string;
  readonly welcome: string;
  readonly about: string;
  /** For questions with no relation to the product; names nothing from the activity. */
  readonly unrelated: string;
  /** For messages the rules do not understand. */
  readonly outOfScope: string;
  youAre(place: Place): string;
  /** '' when nothing was done in the open container yet. */
  progress(open: OpenPlace): string;
  pickedBefore(choices: readonly string[]): string;
  finishOpen(open: OpenPlace, finisher: string | null): string;
  finisherUsedStillOpen(open: OpenPlace, finisher: string): string;
  lastUsed(label: string): string;
  /** After a control that opens something, before anything inside it was used. */
  justOpened(label: string): string;
  reachedWith(label: string): string;
  readonly carryOn: string;
  /** The user went back and forth between two pages (references). */
  backAndForth(first: string, second: string): string;
  completed(flow: Flow, here: string | null): string;
  checkResult(here: string | null): string;
  dismissed(flow: Flow): string;
  reopen(flow: Flow): string;
  failedClick(failure: Failure): string;
  failedHint(isInOpen: boolean): string;
  readonly noFailure: string;
  alreadyHere(label: string, kind: HereKind, open: OpenPlace | null): string;
  seenElsewhere(seen: SeenElsewhere): string;
  /** After a completed flow, how to do another one (its opener is the right thing to use again). */
  doAgain(flow: Flow): string;
  pageSeen(page: string, isOtherTab: boolean, closeFirst: OpenPlace | null): string;
  notSeen(topic: string | null): string;
  lookInOpen(open: OpenPlace): string;
  otherTab(page: string): string;
  /**
   * A path other users took; `from` is the page it starts on (a page reference) when it starts where the user is;
   * `isDemoData` when the users were the demo's simulated ones, which the answer says.
   */
  pathAnswer(steps: readonly PathStepView[], from: string | null, isDemoData: boolean): string;
  /** The first steps of an article the user has already done by being where they are. */
  skipDone(done: DoneSteps): string;
  /** An article's steps in the language of the answer, each line already numbered and its labels quoted. */
  articleSteps(title: string, lines: readonly string[]): string;
  /** An article in another language: only the labels of its steps, in order, framed in the answer's language. */
  articleLabels(title: string, language: string, steps: readonly (readonly string[])[]): string;
  /** An article without steps: its first sentences when in the answer's language (`excerpt`), else only its title. */
  articleAbout(title: string, excerpt: string | null, language: string | null): string;
  readonly recapIntro: string;
  /** The session's story (English prose from the summariser); only the English book uses it. */
  recapStory(story: string): string;
  recapLine(line: RecapLine): string;
  recapEarlier(pages: number): string;
  recapNow(place: Place): string;
}

/** Container kinds that the user finishes with a confirming button. */
export function isConfirmable(kind: ContainerKind): boolean {
  return kind === 'dialog' || kind === 'drawer' || kind === 'form';
}

/**
 * The last `max` items joined with the language's `and`, the ones left out counted at the end in the language's
 * words.
 *
 * @example
 * joinLast(['A', 'B', 'C', 'D'], 3, 'and', (count) => `${count} more`); // 'B, C, D and 1 more'
 */
export function joinLast(items: readonly string[], max: number, and: string, more: (count: number) => string): string {
  const shown = items.slice(-max);
  const hidden = items.length - shown.length;
  return joinList(hidden > 0 ? [...shown, more(hidden)] : shown, and);
}
