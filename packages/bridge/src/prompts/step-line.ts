/**
 * Steps as short prompt lines, written from the structured fields of the activity state and of wire actions:
 * "- 2 min ago · Billing · opened 'Upgrade plan' (dialog)", "- chose 'Business' in 'Upgrade plan'". No URLs, ids or
 * field names. Wire actions go through the SDK's `structureOf`; an action's title stands in only when it is not a
 * step of its own.
 */
import type { ActionsPayload, SlimAction, TargetRole } from '@sightline/protocol';
import { CONTAINER_NOUNS, ROLE_NOUNS } from '@sightline/protocol/internal';
import { activityStepOf, type ActivityStep, type ContainerRef } from '@sightline/sdk';
import { inline, quote, relativeTime } from './prompt-text.ts';

/**
 * One line's source: a structured step (with the region it opened, when known, see {@link markOpened}), or the
 * title of an action without structure.
 */
export type StepLineItem =
  | { step: ActivityStep; opened?: ContainerRef | null; isOtherTab?: boolean }
  | { title: string; at: number; isOtherTab?: boolean };

/** How a container kind is named in a sentence. */
/** A container's English noun (protocol's table), e.g. `dialog`. */
export const CONTAINER_WORDS = CONTAINER_NOUNS;


// In a step of a path a radio card reads as one option among others ("an unlabelled option").
const ROLE_WORDS: Readonly<Record<TargetRole, string>> = { ...ROLE_NOUNS, radio: 'option' };

/** `the 'Invite member' dialog`, or `a dialog` when it has no name. */
export function containerText(container: ContainerRef): string {
  const word = CONTAINER_WORDS[container.kind];
  return container.label ? `the ${quote(container.label)} ${word}` : `a ${word}`;
}

/** A line item for a wire action: its step, else its title. */
export function itemOfAction(action: SlimAction, isOtherTab = false): StepLineItem {
  const step = activityStepOf(action);
  return step ? { step, isOtherTab } : { title: action.title, at: action.received_at ?? action.timestamp_start, isOtherTab };
}

/** When an item happened, epoch seconds. */
export function itemAt(item: StepLineItem): number {
  return 'step' in item ? item.step.at : item.at;
}

function targetText(step: ActivityStep): string {
  return step.label ? quote(step.label) : `an unlabelled ${ROLE_WORDS[step.role ?? 'element']}`;
}

function insideText(step: ActivityStep): string {
  return step.container?.label ? ` in ${quote(step.container.label)}` : '';
}

/**
 * What one step did, as a short phrase: "opened 'Upgrade plan' (dialog)", "chose 'Business' in 'Upgrade plan'",
 * "filled in 'Email'", "closed the 'Invite member' dialog with 'Cancel'". `opened` is the region the step opened,
 * when the next step shows it.
 */
export function stepPhrase(step: ActivityStep, opened: ContainerRef | null = null): string {
  const target = targetText(step);
  const inside = insideText(step);
  switch (step.step) {
    case 'navigate':
      if (step.role) return `followed ${step.role === 'link' ? 'the link ' : ''}${target}${inside}`;
      return `went to ${step.page ? quote(step.page) : 'a page'}`;
    case 'open':
      return `opened ${target}${opened ? ` (${CONTAINER_WORDS[opened.kind]})` : ''}${inside}`;
    case 'choose': {
      const chosen = step.choice ?? step.label;
      return `chose ${chosen ? quote(chosen) : 'an option'}${inside}`;
    }
    case 'type':
      return `filled in ${target}${inside}`;
    case 'submit': {
      const what = step.container ? containerText(step.container) : 'a form';
      return `submitted ${what}${step.label ? ` with ${quote(step.label)}` : ''}`;
    }
    case 'dismiss': {
      const what = step.container ? containerText(step.container) : 'a dialog';
      return `closed ${what}${step.label ? ` with ${quote(step.label)}` : ''}`;
    }
    case 'failed':
      if (step.failure === 'rage') return `clicked ${target}${inside} repeatedly with no effect`;
      return `clicked ${target}${inside} and nothing happened`;
    case 'click':
      switch (step.role) {
        case 'link':
          return `clicked the link ${target}${inside}`;
        case 'tab':
          return `switched to the tab ${target}${inside}`;
        case 'checkbox':
        case 'switch':
          return `toggled ${target}${inside}`;
        case 'radio':
        case 'option':
          return `chose ${quote(step.choice ?? step.label ?? 'an option')}${inside}`;
        case 'menuitem':
          return `picked ${target} from the menu${inside}`;
        default:
          return `clicked ${target}${inside}`;
      }
  }
}

/**
 * Sets `opened` on each `open` step whose next step sits in a different container: the region it opened. Run it on a
 * whole chronological list before leaving items out, so a step keeps what it opened when its successor is listed
 * elsewhere. Returns `items`.
 */
export function markOpened(items: StepLineItem[]): StepLineItem[] {
  items.forEach((item, position) => {
    const next = items[position + 1];
    if (!('step' in item) || item.step.step !== 'open' || !next || !('step' in next)) return;
    const inner = next.step.container;
    const outer = item.step.container;
    if (inner && !(outer && inner.kind === outer.kind && inner.label === outer.label)) item.opened = inner;
  });
  return items;
}

/**
 * Chronological items as prompt lines, each "- {time} · {page} · {what}", where the time and the page are written
 * only when they differ from the line before (so a burst of steps on one page reads as a short list). A step in
 * another tab ends with "(other tab)". With `nowMs` null, lines carry no time.
 *
 * @example
 * stepLines([{ step: openStep }, { step: chooseStep }], now);
 * // ["- 2 min ago · Billing · opened 'Upgrade plan' (dialog)", "- chose 'Business' in 'Upgrade plan'"]
 */
export function stepLines(items: readonly StepLineItem[], nowMs: number | null): string[] {
  const lines: string[] = [];
  let lastTime = '';
  let lastPage: string | null = null;
  for (const item of items) {
    // Without a "now" (text that is stored, such as a summarizer's input) no relative time is written.
    const time = nowMs === null ? '' : relativeTime(itemAt(item), nowMs);
    const prefix: string[] = [];
    if (time !== lastTime) prefix.push(time);
    lastTime = time;
    let phrase: string;
    if ('step' in item) {
      const page = item.step.page ? inline(item.step.page) : null;
      // A page view names its page in the phrase already.
      const isPageView = item.step.step === 'navigate' && !item.step.role;
      if (page && page !== lastPage && !isPageView) prefix.push(page);
      if (page) lastPage = page;
      phrase = stepPhrase(item.step, item.opened ?? null);
    } else {
      phrase = inline(item.title, 120);
    }
    const tab = item.isOtherTab ? ' (other tab)' : '';
    lines.push(`- ${[...prefix, phrase].join(' · ')}${tab}`);
  }
  return lines;
}

/**
 * Actions as the summarizer's model reads them: one step line each, without times (a summary outlives "2 min ago"),
 * URLs or ids.
 *
 * @example
 * summaryActionLines([pageview, click]); // "- went to 'Billing'\n- Billing · clicked 'Upgrade plan'"
 */
export function summaryActionLines(payloads: readonly ActionsPayload[]): string {
  return stepLines(markOpened(payloads.flatMap((payload) => payload.actions.map((action) => itemOfAction(action)))), null).join('\n');
}
