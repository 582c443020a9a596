/**
 * Reads one tab's recent steps (the SDK's activity state) into UI-map entries: pages, control labels, dialogs, what a
 * click led to, and flows that finished. Pure: the same steps always give the same entries.
 *
 * A step is read together with the one before it (which may have arrived in an earlier payload), so a click learns
 * where it led when the next step comes, and a submit counts as finished only when the next step left its dialog or
 * form (a validation error keeps the user inside: nothing led on).
 */
import type { ActivityStep } from '@sightline/sdk';
import type { UiPathStep } from '../knowledge-types.ts';
import { CONTROL_ROLES, type FlowEntry, type UiMapEntry } from './ui-map-entry.ts';
import { nameFromPath, namesRecord, type LabelGate } from './control-label.ts';

/** Control steps before the final submit kept in a flow (the last ones: what users did just before finishing). */
export const MAX_FLOW_CONTROLS = 3;
/** Steps looked back through for a flow's beginning. */
const MAX_LOOK_BACK = 15;

/** What {@link observeSteps} needs besides the steps. */
export interface ObserveContext {
  gate: LabelGate;
  /** The user's own values (id, email), which never enter the map even when a label holds them. */
  knownValues?: readonly (string | null | undefined)[];
}

/** A step's page path, or null. */
function pathOf(step: ActivityStep): string | null {
  return typeof step.path === 'string' && step.path.startsWith('/') ? step.path : null;
}

/** Whether a step is a click on a control (not a way out, not a failed click). */
function isControlClick(step: ActivityStep): boolean {
  if (step.role === null || !CONTROL_ROLES.has(step.role)) return false;
  return step.step === 'click' || step.step === 'open' || (step.step === 'choose' && step.role === 'tab');
}

/** Whether `step` sits in the dialog, drawer or form `container` (by kind and name). */
function isInside(step: ActivityStep, container: ActivityStep['container']): boolean {
  if (!container || !step.container) return false;
  return step.container.kind === container.kind && step.container.label === container.label;
}

/** Whether a step could finish a flow: a submit, or a button click inside a dialog, drawer or form. */
function isFinishCandidate(step: ActivityStep): boolean {
  if (step.step === 'submit') return true;
  const kind = step.container?.kind;
  return step.step === 'click' && step.role === 'button' && (kind === 'dialog' || kind === 'drawer' || kind === 'form');
}

/** Whether `next` shows that the finish candidate `finish` led on: the user left its page, dialog or form. */
function ledOn(finish: ActivityStep, next: ActivityStep): boolean {
  if (next.step === 'navigate') return pathOf(next) !== null;
  if (next.step === 'submit' && isInside(next, finish.container)) return false;
  if (!finish.container) return next.step !== 'failed';
  return !isInside(next, finish.container) && next.step !== 'failed';
}

/**
 * The entries the steps at positions where `isNew(step)` teach, each read with the step before it.
 *
 * @example
 * const entries = observeSteps(state.recentSteps, (step) => step.index >= firstNewIndex, { gate });
 */
export function observeSteps(steps: readonly ActivityStep[], isNew: (step: ActivityStep) => boolean, context: ObserveContext): UiMapEntry[] {
  const accept = (label: string | null) => context.gate.accept(label, context.knownValues ?? []);
  const entries: UiMapEntry[] = [];
  for (let position = 0; position < steps.length; position++) {
    const current = steps[position]!;
    if (!isNew(current)) continue;
    const previous = position > 0 ? steps[position - 1]! : null;
    const path = pathOf(current);
    if (path === null) continue;

    if (current.step === 'navigate') entries.push({ kind: 'page', path, title: pageTitleOf(current, accept) });
    const container = current.container;
    if (container && (container.kind === 'dialog' || container.kind === 'drawer')) {
      const label = accept(container.label);
      if (label !== null) entries.push({ kind: 'dialog', page: path, label });
    }
    // Buttons, tabs and menu items are controls wherever they are; a link counts once it is seen leading to a page
    // that is not one record (a customer's name in a list links to /customers/:id: that is data, not the UI).
    if (isControlClick(current) && current.role !== 'link') {
      const label = accept(current.label);
      if (label !== null) entries.push({ kind: 'label', page: path, role: current.role!, label });
    }
    if (previous === null) continue;
    const previousPath = pathOf(previous);
    if (previousPath === null) continue;

    if (isControlClick(previous)) {
      const label = accept(previous.label);
      if (label !== null && current.step === 'navigate' && path !== previousPath && !namesRecord(path)) {
        entries.push({ kind: 'transition', page: previousPath, label, toPage: path, toDialog: null });
        if (previous.role === 'link') entries.push({ kind: 'label', page: previousPath, role: 'link', label });
      }
      const opened = current.container;
      if (label !== null && current.step !== 'navigate' && path === previousPath && opened && (opened.kind === 'dialog' || opened.kind === 'drawer') && !isInside(previous, opened)) {
        const dialog = accept(opened.label);
        if (dialog !== null) entries.push({ kind: 'transition', page: previousPath, label, toPage: null, toDialog: dialog });
      }
    }
    if (isFinishCandidate(previous) && ledOn(previous, current)) {
      const flow = flowEndingAt(steps, position - 1, accept);
      if (flow !== null) entries.push(flow);
    }
  }
  return entries;
}

/** The page's title as the map keeps it: a name made from the path for a page that names a record, or whose title is not a label. */
function pageTitleOf(step: ActivityStep, accept: (label: string | null) => string | null): string {
  const path = pathOf(step)!;
  if (namesRecord(path)) return nameFromPath(path);
  return accept(step.page) ?? nameFromPath(path);
}

/**
 * The flow finished by the step at `end`: the page it happened on, the last few control clicks on that page since
 * the user arrived, and the finish. Null when the finish has no acceptable name.
 */
function flowEndingAt(steps: readonly ActivityStep[], end: number, accept: (label: string | null) => string | null): FlowEntry | null {
  let finish = steps[end]!;
  let last = end;
  // A submit right after the click that sent it (same form or dialog) is one finish, named by the click.
  if (finish.step === 'submit' && end > 0) {
    const before = steps[end - 1]!;
    if (before.step === 'click' && before.role === 'button' && (isInside(before, finish.container) || (finish.container === null && before.path === finish.path))) {
      finish = before;
      last = end - 1;
    }
  }
  const page = pathOf(finish);
  if (page === null) return null;
  const goal = accept(finish.label) ?? (finish.step === 'submit' ? accept(finish.container?.label ?? null) : null);
  if (goal === null) return null;

  const controls: { step: ActivityStep; position: number }[] = [];
  let pageTitle: string | null = null;
  for (let position = last - 1; position >= 0 && position >= last - MAX_LOOK_BACK; position--) {
    const step = steps[position]!;
    if (pathOf(step) !== page) break;
    if (step.step === 'navigate') {
      pageTitle = pageTitleOf(step, accept);
      break;
    }
    // An earlier finish on the same page ends the look back: what came before it belongs to that flow.
    if (step.step === 'submit' || step.step === 'dismiss') break;
    if (isControlClick(step) && step.role !== 'link') controls.unshift({ step, position });
  }
  const kept = controls.slice(-MAX_FLOW_CONTROLS);
  const pathSteps: UiPathStep[] = [];
  for (const { step, position } of kept) {
    const label = accept(step.label);
    if (label === null) return null;
    const next = steps[position + 1];
    const opens = next !== undefined && next.container !== null && (next.container.kind === 'dialog' || next.container.kind === 'drawer') && !isInside(step, next.container);
    const kind: UiPathStep['kind'] = opens || step.step === 'open' ? 'open' : 'click';
    if (pathSteps.at(-1)?.label === label) continue;
    pathSteps.push({ kind, label, page });
  }
  pathSteps.push({ kind: 'submit', label: goal, page });
  return { kind: 'flow', page, pageTitle: pageTitle ?? pageTitleOf(finish, accept), steps: pathSteps, goal };
}
