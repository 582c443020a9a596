/**
 * What the UI map knows about a product, one entry at a time: a page, a control's label on a page, a dialog on a page,
 * where a click leads (a page or a dialog), and a flow (the short path that ended in a submit or confirm that led on).
 * Entries are plain data, identified by a canonical id, so a memory and a Redis store count users per entry alike
 * (docs/knowledge.md, "UI map").
 */
import type { TargetRole } from '@sightline/protocol';
import type { UiPathStep } from '../knowledge-types.ts';

/** The roles whose labels name controls of the product's UI, never its data (rows, options, fields, values). */
export const CONTROL_ROLES: ReadonlySet<TargetRole> = new Set<TargetRole>(['button', 'link', 'tab', 'menuitem']);

/** A page: its canonical path, and its title (a name made from the path when the path names a record). */
export interface PageEntry {
  kind: 'page';
  path: string;
  title: string;
}

/** A control's label as the product shows it, on a page. */
export interface LabelEntry {
  kind: 'label';
  page: string;
  role: TargetRole;
  label: string;
}

/** A dialog or drawer with a name, on a page. */
export interface DialogEntry {
  kind: 'dialog';
  page: string;
  label: string;
}

/** A click on `label` on `page` that led to another page or opened a dialog. */
export interface TransitionEntry {
  kind: 'transition';
  page: string;
  label: string;
  /** The page it led to (canonical path), or null when it opened a dialog. */
  toPage: string | null;
  /** The dialog it opened, or null when it led to a page. */
  toDialog: string | null;
}

/** The steps users took on one page to finish something, ending in its submit or confirm. */
export interface FlowEntry {
  kind: 'flow';
  /** Canonical path of the page the flow happens on. */
  page: string;
  /** The page's title as users saw it (a name made from the path for pages that name a record). */
  pageTitle: string;
  /** The steps after arriving on the page, the final submit or confirm last. */
  steps: UiPathStep[];
  /** The label of the final submit or confirm. */
  goal: string;
}

/** Anything the map knows. */
export type UiMapEntry = PageEntry | LabelEntry | DialogEntry | TransitionEntry | FlowEntry;

/** The canonical id of an entry: equal entries have equal ids, whatever produced them. */
export function entryIdOf(entry: UiMapEntry): string {
  switch (entry.kind) {
    case 'page':
      return JSON.stringify(['page', entry.path, entry.title]);
    case 'label':
      return JSON.stringify(['label', entry.page, entry.role, entry.label]);
    case 'dialog':
      return JSON.stringify(['dialog', entry.page, entry.label]);
    case 'transition':
      return JSON.stringify(['transition', entry.page, entry.label, entry.toPage, entry.toDialog]);
    case 'flow':
      return JSON.stringify(['flow', entry.page, entry.steps.map((step) => [step.kind, step.label]), entry.goal]);
  }
}

/** Whether a value read back from a store is an entry this bridge understands (a newer bridge may write others). */
export function isUiMapEntry(value: unknown): value is UiMapEntry {
  if (typeof value !== 'object' || value === null) return false;
  const entry = value as Record<string, unknown>;
  const isText = (key: string) => typeof entry[key] === 'string';
  switch (entry['kind']) {
    case 'page':
      return isText('path') && isText('title');
    case 'label':
      return isText('page') && isText('role') && isText('label');
    case 'dialog':
      return isText('page') && isText('label');
    case 'transition':
      return isText('page') && isText('label') && (isText('toPage') || isText('toDialog'));
    case 'flow':
      return isText('page') && isText('pageTitle') && isText('goal') && Array.isArray(entry['steps']);
    default:
      return false;
  }
}
