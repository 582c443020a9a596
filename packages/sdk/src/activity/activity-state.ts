/**
 * The activity state: what one browser tab of one user is doing right now, reduced from the stream's actions.
 * Pure data (JSON-serialisable, no class instances), so it can live in memory or in Redis and move between
 * processes. Summaries never touch it.
 */
import type { ActionStep, ContainerKind, TargetRole } from '@sightline/protocol';

/** One tab's activity: (product, session, window). `windowId` is null when the stream carries no window. */
export interface ActivityKey {
  productId: string;
  sessionId: string;
  windowId: string | null;
}

/** A region as the state names it. */
export interface ContainerRef {
  kind: ContainerKind;
  /** Its accessible name, else the label of what opened it, else null. */
  label: string | null;
}

/** One action as the state keeps it: structure only, labels as the product shows them, never prose. */
export interface ActivityStep {
  /** The action's `index` in its session. */
  index: number;
  step: ActionStep;
  /** The target's role, null when unknown (a page view). */
  role: TargetRole | null;
  /** The target's label, null when it has none. */
  label: string | null;
  /** The chosen option's label (radios, checkboxes, options, tabs), else null. */
  choice: string | null;
  /** The page's title and canonical path when the action happened. */
  page: string | null;
  path: string | null;
  container: ContainerRef | null;
  /** `rage` or `dead` for `failed` steps, else null. */
  failure: 'rage' | 'dead' | null;
  /** When it happened, epoch seconds: the connector's receipt time when the stream has it, else `timestamp_start`. */
  at: number;
}

/** The dialog, drawer, menu or form the user has open, and what they did in it so far. */
export interface OpenContainer extends ContainerRef {
  /** The label of the control that opened it, or null when that is unknown (opened on page load). */
  openedBy: string | null;
  /** The page it was opened on (title). */
  page: string | null;
  openedAt: number;
  /** Labels of the fields used in it (typed in, picked from), first use first, each once. */
  fields: string[];
  /** Labels of the options chosen in it (radio cards, checkboxes, tabs), the latest last, each once. */
  choices: string[];
}

/** The last dialog or form that was finished (submitted, confirmed) or dismissed (cancelled, closed). */
export interface FinishedFlow {
  outcome: 'completed' | 'dismissed';
  /** What was finished, or null for a form with no name. */
  container: ContainerRef | null;
  openedBy: string | null;
  /** The label of the control that finished it ("Send invite", "Cancel"), or null for a bare submit. */
  by: string | null;
  /** The page it happened on (title). */
  page: string | null;
  /** The page the user went to right after, when they navigated within a few actions; null otherwise. */
  ledTo: string | null;
  fields: string[];
  choices: string[];
  at: number;
  /** The index of the action that finished it (a submit merged into a finishing click moves it to the submit). */
  index?: number;
}

/** One visit to a page. Dwell time is `(leftAt ?? state.lastAt) - enteredAt`. */
export interface PageVisit {
  title: string;
  path: string;
  enteredAt: number;
  leftAt: number | null;
}

/** Signs that the user may be lost or stuck. */
export interface LostSignals {
  /** The two pages (titles) the user went back and forth between (A → B → A → B) recently, or null. */
  pingPong: [string, string] | null;
  /** Rage and dead clicks since the last progress (a completed flow). */
  rageClicks: number;
  deadClicks: number;
  /** Distinct pages (paths) entered since the last completed flow, counted over `recentPages`. */
  pagesWithoutProgress: number;
}

/** The state of one tab. Version-tagged so stored states can be migrated. */
export interface ActivityState {
  v: 1;
  key: ActivityKey;
  userId: string | null;
  email: string | null;
  /** Where the tab is now. */
  page: { title: string; path: string; since: number } | null;
  /** The open dialog, drawer, menu or form, or null. */
  open: OpenContainer | null;
  lastAction: ActivityStep | null;
  lastFinished: FinishedFlow | null;
  /** Recent page visits, oldest first (bounded). */
  recentPages: PageVisit[];
  /** Recent steps, oldest first (bounded). */
  recentSteps: ActivityStep[];
  lost: LostSignals;
  /** Actions reduced into this state so far. */
  actionCount: number;
  /** The highest action index applied (replays of older indexes are ignored). */
  lastIndex: number;
  firstAt: number;
  lastAt: number;
  /** When the last flow completed (epoch seconds), or null before any: the start of "without progress". */
  lastProgressAt?: number | null;
  /**
   * What `open`, `lastFinished`, `lost` and `lastProgressAt` were before the last action finished a flow, kept only while that
   * action is the last one: when the next action sits in the same container again (a validation error kept the
   * dialog open), the flow is taken back. Null otherwise.
   */
  beforeFinish?: { open: OpenContainer | null; lastFinished: FinishedFlow | null; lost: LostSignals; lastProgressAt: number | null } | null;
}
