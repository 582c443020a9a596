/**
 * What the offline responder needs to know about one tab, read from its activity state: where the user is, what
 * is open and done in it, how it can be finished, what just finished or failed, and which labels the user has just
 * used (so no answer tells them to use those again). Structure only; sentences are made in the phrase books.
 */
import type { ActivityState, ActivityStep, FinishedFlow, OpenContainer } from '@sightline/sdk';

/**
 * Internal text that must never reach a chat reply: field names, form ids, key names, raw titles of Autoplay's
 * connector, session ids, URLs and paths, uuids.
 */
export const INTERNAL_TEXT =
  /Page Load:|Clicked '|\b[a-z]+_[a-z_]+\b|\b[a-z]+(?:-[a-z]+)+-form\b|[A-Z]+_API_KEY|\bsession [0-9a-z-]{8,}|https?:\/\/|\/[\w-]+\/|[0-9a-f]{8}-[0-9a-f]{4}/;

/** A label that is safe to show to the user, quoted: no internal text ({@link INTERNAL_TEXT}) or placeholders. */
function isShowableLabel(label: string | null | undefined): label is string {
  if (!label) return false;
  const text = label.trim();
  if (text.length < 1 || text.length > 80) return false;
  if (INTERNAL_TEXT.test(text)) return false;
  // A label quoted with single quotes must not itself hold one that would end the quote early.
  return !/'\s|\s'|^'|'$/.test(text);
}

/** The label if it can be shown, else null. */
export function showable(label: string | null | undefined): string | null {
  return isShowableLabel(label) ? label.trim() : null;
}

/**
 * A page as replies name it: its title quoted when the product shows it ("'Lesson 3: Joins'"), bare when the
 * title was only made from the path ("Results" for `/trips/results`), since quotes promise a label the user saw.
 * Null when the title cannot be shown.
 */
export function pageRef(title: string | null | undefined, path: string | null | undefined): string | null {
  const shown = showable(title);
  if (!shown) return null;
  return isNamedFromPath(shown, path) ? shown : `'${shown}'`;
}

function isNamedFromPath(title: string, path: string | null | undefined): boolean {
  if (!path) return false;
  const squash = (text: string) => text.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');
  const name = squash(title);
  return path.split(/[/?#]/).some((segment) => segment !== '' && squash(decodeURIComponentSafe(segment)) === name);
}

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** The page reference of a title seen in this tab, looking its path up in the tab's visits and steps. */
function pageRefIn(state: ActivityState, title: string | null | undefined): string | null {
  if (!title) return null;
  const visit = [...state.recentPages].reverse().find((entry) => entry.title === title);
  const step = visit ? null : [...state.recentSteps].reverse().find((entry) => entry.page === title);
  return pageRef(title, visit?.path ?? step?.path ?? (state.page?.title === title ? state.page.path : null));
}

/** The open container, its labels made safe to show. */
export interface OpenPlace {
  kind: OpenContainer['kind'];
  label: string | null;
  /** What opened it, only when that differs from `label`. */
  openedBy: string | null;
  fields: string[];
  choices: string[];
}

/** Where the user is: a page reference (see {@link pageRef}) and what is open on it. */
export interface Place {
  page: string | null;
  open: OpenPlace | null;
}

/** Failed clicks since the last progress. */
export interface Failure {
  label: string | null;
  /** The container the failed click was in (its label), else null. */
  area: string | null;
  count: number;
}

/** A finished or dismissed flow, its labels made safe to show. */
export interface Flow {
  outcome: FinishedFlow['outcome'];
  /** Its name: the container's label, else the label of what opened it. */
  name: string | null;
  openedBy: string | null;
  by: string | null;
  /** Page references (see {@link pageRef}). */
  page: string | null;
  ledTo: string | null;
  choices: string[];
}

/** Everything the offline responder reads from one tab. */
export interface Situation {
  place: Place;
  /** The button that finished this same container before (from an earlier finished flow), else null. */
  finisher: string | null;
  /** The finished flow the user is looking at the result of, when it is the last thing that happened. */
  finished: Flow | null;
  /** The last finished or dismissed flow, however old. */
  lastFlow: Flow | null;
  failure: Failure | null;
  /** Choices made on this page outside the open container since arriving (a fare picked before "Continue"). */
  earlierChoices: string[];
  /** The last control used on this page, when it is not a field or a page load. */
  lastUsed: string | null;
  /** The control that brought the user to this page (a link, a menu item), else null. */
  reachedWith: string | null;
  /** The two pages (references) the user went back and forth between recently, else null. */
  pingPong: [string, string] | null;
  /** The control just used to open something (an ARIA opener) when nothing inside it was used yet, else null. */
  pendingOpen: string | null;
  /** Labels the user has just used: no answer tells them to use these again. */
  justUsed: Set<string>;
}

const SETTLING_STEPS = 2;

function flowOf(state: ActivityState, flow: FinishedFlow): Flow {
  const openedBy = showable(flow.openedBy);
  return {
    outcome: flow.outcome,
    name: showable(flow.container?.label) ?? openedBy,
    openedBy,
    by: showable(flow.by),
    page: pageRefIn(state, flow.page),
    ledTo: pageRefIn(state, flow.ledTo),
    choices: flow.choices.map(showable).filter((label): label is string => label !== null),
  };
}

function openPlaceOf(open: OpenContainer): OpenPlace {
  const label = showable(open.label);
  const openedBy = showable(open.openedBy);
  return {
    kind: open.kind,
    label,
    openedBy: openedBy && openedBy.toLowerCase() !== label?.toLowerCase() ? openedBy : null,
    fields: unique(open.fields.map(showable)),
    choices: unique(open.choices.map(showable)),
  };
}

function unique(labels: readonly (string | null)[]): string[] {
  return [...new Set(labels.filter((label): label is string => label !== null))];
}

function sameLabel(left: string | null | undefined, right: string | null | undefined): boolean {
  return Boolean(left && right && left.trim().toLowerCase() === right.trim().toLowerCase());
}

/** The button that finished this container on an earlier round (the same dialog submitted before). */
function finisherOf(state: ActivityState, open: OpenContainer): string | null {
  const names = [open.label, open.openedBy].filter((name): name is string => Boolean(name));
  const matches = (label: string | null | undefined) => names.some((name) => sameLabel(name, label));
  for (const step of [...state.recentSteps].reverse()) {
    if (step.step === 'submit' && step.container && matches(step.container.label) && !matches(step.label)) {
      const label = showable(step.label);
      if (label) return label;
    }
  }
  const flow = state.lastFinished;
  if (flow?.outcome === 'completed' && (matches(flow.container?.label) || matches(flow.openedBy)) && !matches(flow.by)) return showable(flow.by);
  return null;
}

/** The last finished flow is what the user looks at when nothing is open and little happened after it. */
function isFresh(state: ActivityState, flow: FinishedFlow): boolean {
  if (state.open) return false;
  const here = state.page?.title ?? null;
  if (here && !sameLabel(here, flow.page) && !sameLabel(here, flow.ledTo)) return false;
  const after = state.recentSteps.filter((step) => step.at > flow.at && step.step !== 'navigate');
  return after.length <= SETTLING_STEPS;
}

function failureOf(state: ActivityState): Failure | null {
  const count = state.lost.rageClicks + state.lost.deadClicks;
  if (count === 0) return null;
  const failed = [...state.recentSteps].reverse().find((step) => step.step === 'failed');
  return { label: showable(failed?.label), area: showable(failed?.container?.label), count };
}

/** Steps since the user arrived on the page they are on now. */
function stepsOnThisPage(state: ActivityState): ActivityStep[] {
  const here = state.page?.title;
  const steps = state.recentSteps;
  let start = steps.length;
  while (start > 0 && (here === undefined || sameLabel(steps[start - 1]!.page, here))) start--;
  return steps.slice(start);
}

/** The control used right before arriving on this page, when it was one that moves between pages. */
function reachedWithOf(state: ActivityState, onPage: readonly ActivityStep[]): string | null {
  const here = state.page?.title;
  const before = state.recentSteps[state.recentSteps.length - onPage.length - 1];
  if (!before || !here || sameLabel(before.page, here)) return null;
  const movesPages = before.role === 'link' || before.role === 'menuitem' || before.role === 'tab' || before.role === 'button' || before.step === 'navigate';
  return movesPages ? showable(before.label) : null;
}

/**
 * A container the stream showed being opened (an explicit `open` step on this page) and then used (typed in,
 * picked from) without being finished, dismissed or left, when the state has no open container: the steps inside
 * it carried only an inner region (a listbox, a section), so the dialog itself was never seen. Named by its opener.
 */
function implicitOpenOf(onPage: readonly ActivityStep[]): { open: OpenPlace; at: number } | null {
  let start = -1;
  for (let position = onPage.length - 1; position >= 0; position--) {
    if (onPage[position]!.step === 'open') {
      start = position;
      break;
    }
  }
  const opener = onPage[start];
  const openedBy = showable(opener?.label);
  if (!opener || !openedBy) return null;
  const after = onPage.slice(start + 1);
  if (after.some((step) => step.step === 'submit' || step.step === 'dismiss' || step.step === 'navigate')) return null;
  if (!after.some((step) => step.step === 'type' || step.step === 'choose')) return null;
  const overlay = after.find((step) => step.container && (step.container.kind === 'dialog' || step.container.kind === 'drawer'))?.container;
  return {
    open: {
      kind: overlay?.kind ?? 'dialog',
      label: showable(overlay?.label),
      openedBy,
      fields: unique(after.filter((step) => step.step === 'type').map((step) => showable(step.label))),
      choices: unique(after.map((step) => showable(step.choice))),
    },
    at: opener.at,
  };
}

/**
 * Reads what the offline responder needs from one tab's activity state.
 *
 * @example
 * situationOf(state).place; // { page: 'Week', open: { kind: 'dialog', label: 'New event', … } }
 */
export function situationOf(state: ActivityState): Situation {
  const onPage = stepsOnThisPage(state);
  const implicit = state.open ? null : implicitOpenOf(onPage);
  const open = state.open ? openPlaceOf(state.open) : (implicit?.open ?? null);
  const openedAt = state.open?.openedAt ?? implicit?.at ?? Number.POSITIVE_INFINITY;
  const earlierChoices = unique(
    onPage
      .filter((step) => step.choice && step.at < openedAt && !(state.open && sameLabel(step.container?.label, state.open.label)))
      .map((step) => showable(step.choice)),
  ).filter((choice) => !open?.choices.includes(choice));
  const used = [...onPage].reverse().find((step) => step.label && step.step !== 'navigate' && step.step !== 'failed' && step.step !== 'type' && step.role !== 'field');
  const reachedWith = reachedWithOf(state, onPage);
  const justUsed = new Set<string>();
  for (const label of [state.open?.openedBy, implicit?.open.openedBy, state.lastAction?.label, used?.label, reachedWith, state.open?.label]) {
    if (label) justUsed.add(label.trim().toLowerCase());
  }
  // The button that finished a flow was just used; its opener was not (using it again starts another round).
  if (state.lastFinished?.by && isFresh(state, state.lastFinished)) justUsed.add(state.lastFinished.by.trim().toLowerCase());
  return {
    place: { page: pageRef(state.page?.title, state.page?.path), open },
    finisher: state.open ? finisherOf(state, state.open) : null,
    finished: state.lastFinished && isFresh(state, state.lastFinished) ? flowOf(state, state.lastFinished) : null,
    lastFlow: state.lastFinished ? flowOf(state, state.lastFinished) : null,
    failure: failureOf(state),
    earlierChoices,
    lastUsed: showable(used?.label),
    reachedWith,
    pingPong: pingPongOf(state),
    pendingOpen: state.open === null && state.lastAction?.step === 'open' ? showable(state.lastAction.label) : null,
    justUsed,
  };
}

function pingPongOf(state: ActivityState): [string, string] | null {
  const pair = state.lost.pingPong;
  if (!pair) return null;
  const [first, second] = [pageRefIn(state, pair[0]), pageRefIn(state, pair[1])];
  return first && second && first !== second ? [first, second] : null;
}

/** Whether the user has just used this label (so it must not be suggested again). */
export function hasJustUsed(situation: Situation, label: string | null): boolean {
  return Boolean(label && situation.justUsed.has(label.trim().toLowerCase()));
}
