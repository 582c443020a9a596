/**
 * The activity reducer: one action at a time into one tab's {@link ActivityState}. Pure: it never mutates its
 * input, keeps no hidden state and returns plain data. The rules are listed in the package README
 * ("Activity state"); the comments here say why each one is as it is.
 */
import type { ActionContainer, ContainerKind, SlimAction, TargetRole } from '@sightline/protocol';
import type { ActivityKey, ActivityState, ActivityStep, ContainerRef, FinishedFlow, LostSignals, OpenContainer, PageVisit } from './activity-state.ts';
import { activityStepOf, structureOf, type NormalisedStructure } from './structure-of.ts';

/** Bounds and windows of {@link reduceActivity}. */
export interface ReduceActivityOptions {
  /** Page visits kept in `recentPages`. Default 12. */
  maxRecentPages?: number;
  /** Steps kept in `recentSteps`. Default 40. */
  maxRecentSteps?: number;
  /** A page change within this many actions after a completed flow is where the flow led (`ledTo`). Default 3. */
  ledToWithin?: number;
}

/** The defaults of {@link ReduceActivityOptions}. */
export const ACTIVITY_DEFAULTS: Readonly<Required<ReduceActivityOptions>> = Object.freeze({ maxRecentPages: 12, maxRecentSteps: 40, ledToWithin: 3 });

/** Who and which tab an action belongs to, as the caller knows it from the payload. */
export interface ActivityContext {
  key: ActivityKey;
  userId: string | null;
  email: string | null;
}

/** A fresh state for a tab, before any action. `lastIndex` is -1 so that index 0 applies. */
export function emptyActivityState(key: ActivityKey, at: number): ActivityState {
  return {
    v: 1,
    key,
    userId: null,
    email: null,
    page: null,
    open: null,
    lastAction: null,
    lastFinished: null,
    recentPages: [],
    recentSteps: [],
    lost: NOT_LOST,
    actionCount: 0,
    lastIndex: -1,
    firstAt: at,
    lastAt: at,
    lastProgressAt: null,
    beforeFinish: null,
  };
}

const NOT_LOST: LostSignals = Object.freeze({ pingPong: null, rageClicks: 0, deadClicks: 0, pagesWithoutProgress: 0 }) as LostSignals;

/** Containers that are opened and then finished or left; tab panels and sections are only regions. */
const OPENABLE: ReadonlySet<ContainerKind> = new Set(['dialog', 'drawer', 'menu', 'form']);
/** Kinds that hold nested regions (a form, a menu, a tab panel) while they are open. */
const OVERLAYS: ReadonlySet<ContainerKind> = new Set(['dialog', 'drawer']);
/** Roles whose plain click never opens anything: they change a value or go somewhere. */
const NOT_OPENERS: ReadonlySet<TargetRole> = new Set(['link', 'field', 'checkbox', 'radio', 'switch', 'option', 'select', 'tab', 'form']);
/** How many steps back an explicit `open` step may be when the container it opened shows up. */
const OPENER_LOOKBACK = 3;
/**
 * Seconds after a page view within which the first action after it, when it names the page just left, is a late
 * report from there, not a way back. In a single-page app the router changes the URL (and posthog-js records the page
 * view) inside the click handler, so the click that caused it is often recorded after the page view, with the page
 * it was made on; on a loaded machine it may arrive seconds later.
 */
const LATE_FROM_PREVIOUS_PAGE_S = 10;

/**
 * First words of buttons that finish what they sit in, whatever was filled in before (English, Spanish, French,
 * German, Portuguese). Matched on the label's first word, case-insensitively.
 */
const CONFIRMING_WORDS: ReadonlySet<string> = new Set([
  'save', 'send', 'create', 'confirm', 'submit', 'apply', 'done', 'finish', 'publish', 'pay', 'upgrade', 'book', 'add', 'invite', 'delete',
  'guardar', 'enviar', 'crear', 'confirmar', 'enregistrer', 'envoyer', 'créer', 'speichern', 'senden', 'erstellen', 'bestätigen', 'salvar', 'criar',
]);
/** First words of buttons that move through a flow without finishing it (wizard steps). */
const MOVING_ON_WORDS: ReadonlySet<string> = new Set([
  'next', 'continue', 'back', 'previous', 'skip', 'siguiente', 'continuar', 'atrás', 'anterior', 'suivant', 'continuer', 'retour', 'précédent',
  'weiter', 'zurück', 'próximo', 'voltar',
]);

/**
 * Applies one action to a tab's state and returns the new state (`state` itself when the action is a replay:
 * its `index` is not above `lastIndex`). `state` null starts a new tab. Pure and JSON-safe: the result holds no
 * `undefined`, no class instances and no URL but canonical paths.
 *
 * @example
 * let state: ActivityState | null = null;
 * for (const action of payload.actions) state = reduceActivity(state, action, { key, userId: payload.user_id, email: payload.email });
 * state?.open; // { kind: 'dialog', label: 'Assign owner', openedBy: 'Assign', fields: [], choices: ['Dana'], … }
 */
export function reduceActivity(state: ActivityState | null, action: SlimAction, context: ActivityContext, options: ReduceActivityOptions = {}): ActivityState {
  if (state && action.index <= state.lastIndex) return state;
  const limits: Required<ReduceActivityOptions> = {
    maxRecentPages: options.maxRecentPages ?? ACTIVITY_DEFAULTS.maxRecentPages,
    maxRecentSteps: options.maxRecentSteps ?? ACTIVITY_DEFAULTS.maxRecentSteps,
    ledToWithin: options.ledToWithin ?? ACTIVITY_DEFAULTS.ledToWithin,
  };
  const structure = structureOf(action);
  const previous = state ?? emptyActivityState(context.key, structure.at);
  const draft: ActivityState = {
    ...previous,
    userId: context.userId ?? action.user_id ?? previous.userId,
    email: context.email ?? action.email ?? previous.email,
    actionCount: previous.actionCount + 1,
    lastIndex: action.index,
    lastAt: state ? Math.max(previous.lastAt, structure.at) : structure.at,
    lastProgressAt: previous.lastProgressAt ?? null,
    beforeFinish: null,
  };
  const step = structure.step;
  if (step === null) return draft;

  const isLate = isLateFromPreviousPage(draft, structure);
  const pageChanged = isLate ? false : updatePage(draft, structure, limits);
  // A late action belongs to the page it was made on; the tab stays where it went.
  const ownPage = isLate ? structure.page : draft.page;
  const path = ownPage?.path ?? null;
  const pageTitle = ownPage?.title ?? null;
  const record: ActivityStep = activityStepOf(action, structure, { title: pageTitle, path })!;

  if (!pageChanged && handleJustFinished(previous, draft, structure, record)) return finishStep(previous, draft, record, limits);

  let inside = false;
  if (step !== 'navigate' && step !== 'failed') inside = trackContainer(previous, draft, structure, pageTitle, path);

  switch (step) {
    case 'type':
      if (inside && draft.open && record.label) draft.open = { ...draft.open, fields: addOnce(draft.open.fields, record.label) };
      break;
    case 'choose': {
      // A dropdown's choice is never named (the browser does not give its text away): it counts as a field used.
      if (structure.choice === null && record.role === 'select') {
        if (inside && draft.open && record.label) draft.open = { ...draft.open, fields: addOnce(draft.open.fields, record.label) };
        break;
      }
      const choice = structure.choice ?? record.label;
      if (inside && draft.open) {
        // A pick from a menu closes it; ticking boxes in a menu (filters) does not.
        const isTick = record.role === 'checkbox' || record.role === 'switch';
        if (draft.open.kind === 'menu' && !isTick) draft.open = null;
        else if (choice) draft.open = { ...draft.open, choices: addLast(draft.open.choices, choice) };
      }
      break;
    }
    case 'click':
      if (inside && draft.open) clickInside(draft, draft.open, record, structure.container);
      break;
    case 'submit':
      finish(draft, 'completed', null, structure.container, pageTitle, record);
      break;
    case 'dismiss': {
      // Cancel with nothing seen open (an inline editor, or a stream without containers): the click just before opened it.
      const openedBy = draft.open ? null : openerOf(previous.recentSteps, structure.container, path);
      finish(draft, 'dismissed', record.label, structure.container, pageTitle, record);
      if (openedBy !== null && draft.lastFinished) draft.lastFinished = { ...draft.lastFinished, openedBy };
      break;
    }
    case 'failed':
      draft.lost = record.failure === 'rage' ? { ...draft.lost, rageClicks: draft.lost.rageClicks + 1 } : { ...draft.lost, deadClicks: draft.lost.deadClicks + 1 };
      break;
    case 'open':
    case 'navigate':
      break;
  }
  return finishStep(previous, draft, record, limits);
}

/**
 * Appends the step, and recomputes the page-based signs of being lost. They depend only on the visits, the
 * last progress and `lost` itself, so most actions (none of those changed) skip the work.
 */
function finishStep(previous: ActivityState, draft: ActivityState, record: ActivityStep, limits: Required<ReduceActivityOptions>): ActivityState {
  draft.lastAction = record;
  draft.recentSteps = bounded([...draft.recentSteps, record], limits.maxRecentSteps);
  if (draft.recentPages === previous.recentPages && draft.lastProgressAt === previous.lastProgressAt && draft.lost === previous.lost) return draft;
  const since = draft.lastProgressAt ?? null;
  const visits = since === null ? draft.recentPages : draft.recentPages.filter((visit) => visit.enteredAt >= since);
  const pagesWithoutProgress = new Set(visits.map((visit) => visit.path)).size;
  const pingPong = pingPongOf(visits);
  if (pagesWithoutProgress !== draft.lost.pagesWithoutProgress || !samePair(pingPong, draft.lost.pingPong)) {
    draft.lost = { ...draft.lost, pagesWithoutProgress, pingPong };
  }
  return draft;
}

/**
 * Whether an action (not a page view) is the first after the page view that left a page, names that page, and was
 * received within {@link LATE_FROM_PREVIOUS_PAGE_S} of it: the click that led here, reported after its page view,
 * which must not move the tab back (that would read as going back and forth). Either side: posthog-js may send the
 * click in a request of its own that reaches the connector before the page view's, so it is received first, yet it
 * comes after the page view in the session's order (its own time is later).
 */
function isLateFromPreviousPage(state: ActivityState, structure: NormalisedStructure): boolean {
  const page = structure.page;
  const current = state.page;
  if (structure.step === 'navigate' || !page || !current || page.path === current.path) return false;
  const last = state.lastAction;
  if (!last || last.step !== 'navigate' || last.path !== current.path) return false;
  const left = state.recentPages[state.recentPages.length - 2];
  return left !== undefined && left.path === page.path && Math.abs(structure.at - current.since) <= LATE_FROM_PREVIOUS_PAGE_S;
}

/**
 * Moves the tab to the action's page when it names another path: on a `navigate`, and also on any other action,
 * because a single-page app may change route without a page view. A new path closes the visit before, closes
 * whatever was open (a new page has no open dialog) and, shortly after a completed flow, is where that flow led.
 * The same path again (a reload, a query change, a dialog's own URL) changes nothing but the title.
 */
function updatePage(draft: ActivityState, structure: NormalisedStructure, limits: Required<ReduceActivityOptions>): boolean {
  const page = structure.page;
  if (!page) return false;
  const at = structure.at;
  if (draft.page && draft.page.path === page.path) {
    if (structure.step === 'navigate' && page.title && page.title !== draft.page.title) draft.page = { ...draft.page, title: page.title };
    return false;
  }
  const isFirstPage = draft.page === null;
  const visits: PageVisit[] = draft.recentPages.map((visit, position, all) => (position === all.length - 1 && visit.leftAt === null ? { ...visit, leftAt: at } : visit));
  visits.push({ title: page.title, path: page.path, enteredAt: at, leftAt: null });
  draft.recentPages = bounded(visits, limits.maxRecentPages);
  draft.page = { title: page.title, path: page.path, since: at };
  if (isFirstPage) return false;
  draft.open = null;
  const finished = draft.lastFinished;
  if (finished && finished.outcome === 'completed' && finished.ledTo === null && finished.index !== undefined) {
    const stepsSince = draft.recentSteps.filter((step) => step.index > (finished.index ?? Infinity)).length;
    if (stepsSince < limits.ledToWithin) draft.lastFinished = { ...finished, ledTo: page.title };
  }
  return true;
}

/**
 * The action right after the one that finished a flow. A submit after a finishing click is the same flow (the
 * browser fires the click, then the form's submit): merged, keeping the click's label. A dismiss right after a
 * completion in the same place closes what was saved: the completion stands. Any other action in the dialog,
 * drawer or opened form just finished means it did not close (a validation error): the flow is taken back and
 * stays open. A form that was part of the page (opened by nothing) stays after a save, so there it stands.
 * Returns true when the action was handled here.
 */
function handleJustFinished(previous: ActivityState, draft: ActivityState, structure: NormalisedStructure, record: ActivityStep): boolean {
  const finished = previous.lastFinished;
  const before = previous.beforeFinish;
  if (!finished || !before || finished.index === undefined || previous.lastAction?.index !== finished.index) return false;
  const container = structure.container;
  const isSamePlace = container === null || (finished.container !== null && isWithin(container, finished.container));
  if (record.step === 'submit' && finished.outcome === 'completed' && isSamePlace) {
    const merged: FinishedFlow = { ...finished, index: record.index, container: finished.container ?? refOf(container) };
    draft.lastFinished = merged;
    draft.beforeFinish = before;
    return true;
  }
  if (record.step === 'dismiss' && finished.outcome === 'completed' && isSamePlace) return true;
  // A page form stays on the page after a successful save, so working in it again is not a failed save.
  const closesOnFinish = finished.container !== null && (OVERLAYS.has(finished.container.kind) || finished.openedBy !== null);
  if (closesOnFinish && record.step !== 'navigate' && record.step !== 'failed' && container && finished.container && isWithin(container, finished.container)) {
    draft.open = before.open ?? newOpen(container, finished.openedBy, finished.page, finished.at);
    draft.lastFinished = before.lastFinished;
    draft.lost = before.lost;
    draft.lastProgressAt = before.lastProgressAt;
  }
  return false;
}

/**
 * Works out which container the action sits in and updates `open`; returns true when the action is inside the
 * open container afterwards. An action in a new dialog, drawer, menu or form opens it, named after the fact by
 * its opener: an explicit `open` step a few steps back, else a plain click just before on the same page. Nothing
 * but a new page, a finish or a dismiss closes a dialog, drawer or form: posthog-js does not see Escape or a click
 * on the backdrop, and overlays often render lists and menus outside themselves. A menu closes on any action
 * outside it.
 */
function trackContainer(previous: ActivityState, draft: ActivityState, structure: NormalisedStructure, pageTitle: string | null, path: string | null): boolean {
  const container = structure.container;
  const open = draft.open;
  if (open && sitsIn(structure, open)) return true;
  if (container && OPENABLE.has(container.kind)) {
    const explicitOpen = previous.lastAction?.step === 'open';
    if (open && open.kind === 'form' && open.openedBy !== null && OVERLAYS.has(container.kind) && !explicitOpen) {
      // The form was the first thing seen inside this dialog: the dialog is what was opened.
      draft.open = { ...open, kind: container.kind, label: container.label ?? open.label };
      return true;
    }
    draft.open = newOpen(container, openerOf(previous.recentSteps, container, path), pageTitle, structure.at);
    return true;
  }
  if (open && open.kind === 'menu') draft.open = null;
  return false;
}

/**
 * Whether an action sits in the open container: the same kind with the same name (an unnamed one matches), or a
 * region nested in it (a form, menu, tab panel or section inside a dialog; a tab panel or section inside a form).
 * An option chosen with no container while an overlay is open is taken as its listbox rendered outside it.
 */
function sitsIn(structure: NormalisedStructure, open: OpenContainer): boolean {
  const container = structure.container;
  if (!container) return OVERLAYS.has(open.kind) && structure.step === 'choose' && structure.target?.role === 'option';
  if (container.kind === open.kind) return container.label === null || container.label === open.label;
  if (OVERLAYS.has(open.kind)) return container.kind !== 'dialog' && container.kind !== 'drawer';
  return open.kind === 'form' && (container.kind === 'tabpanel' || container.kind === 'section');
}

/** The label of what opened `container`, or null when nothing did that the stream shows (opened on load). */
function openerOf(steps: readonly ActivityStep[], container: ActionContainer | null, path: string | null): string | null {
  // The closest cause first: a plain click just before (a menu item after the menu's own opener) beats an older open step.
  const last = steps.at(-1);
  if (last && last.step === 'click' && last.path === path && !(last.role && NOT_OPENERS.has(last.role)) && !isIn(last.container, container)) return last.label;
  for (let position = steps.length - 1, looked = 0; position >= 0 && looked < OPENER_LOOKBACK; position--, looked++) {
    const step = steps[position]!;
    if (step.step === 'navigate' || step.path !== path) break;
    if (step.step === 'open' && !isIn(step.container, container)) return step.label;
  }
  return null;
}

function newOpen(container: ActionContainer | ContainerRef, openedBy: string | null, page: string | null, at: number): OpenContainer {
  return { kind: container.kind, label: container.label ?? openedBy, openedBy, page, openedAt: at, fields: [], choices: [] };
}

/**
 * A click inside the open container. In a menu, choosing an item closes the menu. In a dialog, drawer or form,
 * a button finishes the flow when its first word confirms (Save, Send, Create, Delete, Guardar, Speichern …), or
 * when something was filled in or chosen first, unless it moves through a wizard (Next, Continue, Back …). A
 * menu item inside a dialog is a choice in the dialog.
 */
function clickInside(draft: ActivityState, open: OpenContainer, record: ActivityStep, container: ActionContainer | null): void {
  if (open.kind === 'menu') {
    if (record.role === 'menuitem' || record.role === 'option' || record.role === 'item') draft.open = null;
    return;
  }
  if (container?.kind === 'menu') {
    if (record.label && record.role === 'menuitem') draft.open = { ...open, choices: addLast(open.choices, record.label) };
    return;
  }
  if (record.role !== 'button' || !record.label) return;
  const firstWord = record.label.trim().split(/\s+/, 1)[0]!.toLowerCase();
  if (MOVING_ON_WORDS.has(firstWord)) return;
  if (CONFIRMING_WORDS.has(firstWord) || open.fields.length + open.choices.length > 0) {
    finish(draft, 'completed', record.label, container, record.page, record);
  }
}

/** Ends the open container (or the action's own, when nothing is open) as a finished flow. */
function finish(draft: ActivityState, outcome: FinishedFlow['outcome'], by: string | null, container: ActionContainer | null, pageTitle: string | null, record: ActivityStep): void {
  const open = draft.open;
  draft.beforeFinish = { open, lastFinished: draft.lastFinished, lost: draft.lost, lastProgressAt: draft.lastProgressAt ?? null };
  draft.lastFinished = {
    outcome,
    container: open ? { kind: open.kind, label: open.label } : refOf(container),
    openedBy: open?.openedBy ?? null,
    by,
    page: open?.page ?? pageTitle,
    ledTo: null,
    fields: open?.fields ?? [],
    choices: open?.choices ?? [],
    at: record.at,
    index: record.index,
  };
  draft.open = null;
  if (outcome === 'completed') {
    draft.lost = NOT_LOST;
    draft.lastProgressAt = record.at;
  }
}

function refOf(container: ActionContainer | null): ContainerRef | null {
  return container ? { kind: container.kind, label: container.label } : null;
}

/** In `ref`: the same kind and name (an unnamed one matching any), or a region nested in a dialog or drawer. */
function isWithin(container: ActionContainer, ref: ContainerRef): boolean {
  if (container.kind === ref.kind) return container.label === null || ref.label === null || container.label === ref.label;
  return OVERLAYS.has(ref.kind) && !OVERLAYS.has(container.kind);
}

function isIn(stepContainer: ContainerRef | null, container: ActionContainer | null): boolean {
  return stepContainer !== null && container !== null && stepContainer.kind === container.kind && stepContainer.label === container.label;
}

/** The two pages of the last four visits when they alternate A → B → A → B, else null. */
function pingPongOf(visits: readonly PageVisit[]): [string, string] | null {
  if (visits.length < 4) return null;
  const [first, second, third, fourth] = visits.slice(-4) as [PageVisit, PageVisit, PageVisit, PageVisit];
  if (first.path === second.path || first.path !== third.path || second.path !== fourth.path) return null;
  return [first.title, second.title];
}

function samePair(a: [string, string] | null, b: [string, string] | null): boolean {
  return a === b || (a !== null && b !== null && a[0] === b[0] && a[1] === b[1]);
}

function addOnce(list: readonly string[], item: string): string[] {
  return list.includes(item) ? [...list] : [...list, item];
}

/** Appends `item`, removing an earlier equal one: the latest choice last. */
function addLast(list: readonly string[], item: string): string[] {
  return [...list.filter((existing) => existing !== item), item];
}

function bounded<T>(list: T[], max: number): T[] {
  return list.length > max ? list.slice(list.length - max) : list;
}
