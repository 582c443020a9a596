/**
 * The built-in proactive triggers, each a pure function of one tab's activity state with thresholds of its own
 * (docs/proactive.md lists them with their defaults):
 *
 * - `canonical_url_ping_pong`: back and forth between two pages (Autoplay's count of A → B → A triples).
 * - `user_page_dwell`: a long stay on one page with few actions (lingering, not exploring).
 * - `container_idle`: a dialog, drawer or form opened and then left alone.
 * - `repeated_failure`: rage clicks, dead clicks, or a submit that keeps landing back on the same form.
 */
import type { ActivityState, ActivityStep, PageVisit } from '../activity/activity-state.ts';
import { checkInteger, checkPositiveNumber } from '../options/option-checks.ts';
import { DEFAULT_TRIGGER_COOLDOWN_S, type ProactiveContext, type ProactiveProposal, type ProactiveTrigger } from './proactive-trigger.ts';

/** Thresholds of {@link pingPongTrigger}. */
export interface PingPongOptions {
  /** A → B → A triples needed (Autoplay counts them the same way); 2 is A → B → A → B. Default 2. */
  minCycles?: number;
  /** Only visits entered within this many seconds count. Default 180. */
  withinS?: number;
  cooldownS?: number;
}

/** Thresholds of {@link pageDwellTrigger}. */
export interface PageDwellOptions {
  /** Seconds on the page before it counts as lingering. Default 60. */
  afterS?: number;
  /** More actions than this on the page is exploring, not lingering. Default 5. */
  maxActions?: number;
  cooldownS?: number;
}

/** Thresholds of {@link containerIdleTrigger}. */
export interface ContainerIdleOptions {
  /** Seconds without an action while a dialog, drawer or form stays open. Default 30. */
  afterS?: number;
  cooldownS?: number;
}

/** Thresholds of {@link repeatedFailureTrigger}. */
export interface RepeatedFailureOptions {
  /** Rage clicks since the last progress. Default 1 (one rage click is already several clicks). */
  rageClicks?: number;
  /** Dead clicks since the last progress. Default 3. */
  deadClicks?: number;
  /** Submits of the open form that landed back on it. Default 2. */
  repeatedSubmits?: number;
  cooldownS?: number;
}

/** The ids of the built-in triggers. */
export const BuiltinTriggerId = {
  PING_PONG: 'canonical_url_ping_pong',
  PAGE_DWELL: 'user_page_dwell',
  CONTAINER_IDLE: 'container_idle',
  REPEATED_FAILURE: 'repeated_failure',
} as const;

/** Defaults of the built-in triggers' thresholds. */
export const TRIGGER_DEFAULTS = Object.freeze({
  pingPong: Object.freeze({ minCycles: 2, withinS: 180, cooldownS: DEFAULT_TRIGGER_COOLDOWN_S }),
  pageDwell: Object.freeze({ afterS: 60, maxActions: 5, cooldownS: DEFAULT_TRIGGER_COOLDOWN_S }),
  containerIdle: Object.freeze({ afterS: 30, cooldownS: DEFAULT_TRIGGER_COOLDOWN_S }),
  repeatedFailure: Object.freeze({ rageClicks: 1, deadClicks: 3, repeatedSubmits: 2, cooldownS: DEFAULT_TRIGGER_COOLDOWN_S }),
});

/** The visits since the last progress (a completed flow), and not older than `sinceS`. */
function visitsSince(state: ActivityState, sinceS: number): PageVisit[] {
  const from = Math.max(state.lastProgressAt ?? -Infinity, sinceS);
  return state.recentPages.filter((visit) => visit.enteredAt >= from);
}

/**
 * Back and forth between two pages. Autoplay's rule on the paths of the recent visits: count the positions where
 * `path[i] === path[i + 2]` and `path[i] !== path[i + 1]`; fire at `minCycles`. The moment is the start of the
 * alternating run, so staying in the same back and forth never counts as a new moment.
 *
 * @example
 * pingPongTrigger({ minCycles: 1 }).evaluate({ state, now }); // Billing → Team → Billing fires
 */
export function pingPongTrigger(options: PingPongOptions = {}): ProactiveTrigger {
  const defaults = TRIGGER_DEFAULTS.pingPong;
  const minCycles = checkInteger('minCycles', options.minCycles ?? defaults.minCycles);
  const withinS = checkPositiveNumber('withinS', options.withinS ?? defaults.withinS);
  const cooldownS = checkPositiveNumber('cooldownS', options.cooldownS ?? defaults.cooldownS, true);
  return {
    id: BuiltinTriggerId.PING_PONG,
    evaluate({ state, now }: ProactiveContext): ProactiveProposal | null {
      const visits = visitsSince(state, now / 1000 - withinS);
      const paths = visits.map((visit) => visit.path);
      let cycles = 0;
      for (let i = 0; i + 2 < paths.length; i++) if (paths[i] === paths[i + 2] && paths[i] !== paths[i + 1]) cycles++;
      if (cycles < minCycles || visits.length < 3) return null;
      // The alternating run that ends at the last visit: where it started is the moment.
      let start = paths.length - 3;
      while (start > 0 && paths[start - 1] === paths[start + 1] && paths[start - 1] !== paths[start]) start--;
      if (!(paths[start] === paths[start + 2] && paths[start] !== paths[start + 1])) return null;
      const first = visits[start]!;
      const second = visits[start + 1]!;
      return {
        triggerId: BuiltinTriggerId.PING_PONG,
        moment: `${first.path}|${second.path}@${first.enteredAt}`,
        facts: { kind: 'back_and_forth', pages: [first.title, second.title], cycles },
        cooldownS,
      };
    },
  };
}

/** The steps taken on the current page since the tab arrived there (the page view itself not counted). */
function stepsOnPage(state: ActivityState): ActivityStep[] {
  const page = state.page;
  if (!page) return [];
  return state.recentSteps.filter((step) => step.at >= page.since && step.path === page.path && step.step !== 'navigate');
}

/**
 * A long stay on one page with few actions: Autoplay's `user_page_dwell`, measured from when the tab entered the page
 * to now. More than `maxActions` actions there is exploring; an open dialog is {@link containerIdleTrigger}'s.
 */
export function pageDwellTrigger(options: PageDwellOptions = {}): ProactiveTrigger {
  const defaults = TRIGGER_DEFAULTS.pageDwell;
  const afterS = checkPositiveNumber('afterS', options.afterS ?? defaults.afterS);
  const maxActions = checkInteger('maxActions', options.maxActions ?? defaults.maxActions, 0);
  const cooldownS = checkPositiveNumber('cooldownS', options.cooldownS ?? defaults.cooldownS, true);
  return {
    id: BuiltinTriggerId.PAGE_DWELL,
    evaluate({ state, now }: ProactiveContext): ProactiveProposal | null {
      const page = state.page;
      if (!page || state.open) return null;
      const seconds = now / 1000 - page.since;
      if (seconds < afterS || stepsOnPage(state).length > maxActions) return null;
      return {
        triggerId: BuiltinTriggerId.PAGE_DWELL,
        moment: `${page.path}@${page.since}`,
        facts: { kind: 'page_dwell', page: page.title, seconds: Math.round(seconds) },
        cooldownS,
      };
    },
  };
}

/**
 * A dialog, drawer or form left open without an action for `afterS` seconds (menus close by themselves and never
 * count). One moment per opening: coming back to it and leaving it again is not a new moment.
 */
export function containerIdleTrigger(options: ContainerIdleOptions = {}): ProactiveTrigger {
  const defaults = TRIGGER_DEFAULTS.containerIdle;
  const afterS = checkPositiveNumber('afterS', options.afterS ?? defaults.afterS);
  const cooldownS = checkPositiveNumber('cooldownS', options.cooldownS ?? defaults.cooldownS, true);
  return {
    id: BuiltinTriggerId.CONTAINER_IDLE,
    evaluate({ state, now }: ProactiveContext): ProactiveProposal | null {
      const open = state.open;
      if (!open || open.kind === 'menu') return null;
      const seconds = now / 1000 - Math.max(open.openedAt, state.lastAt);
      if (seconds < afterS) return null;
      return {
        triggerId: BuiltinTriggerId.CONTAINER_IDLE,
        moment: `${open.kind}:${open.label ?? ''}@${open.openedAt}`,
        facts: { kind: 'container_idle', container: { kind: open.kind, label: open.label }, page: open.page, seconds: Math.round(seconds) },
        cooldownS,
      };
    },
  };
}

/**
 * Repeated failure since the last progress: rage clicks, dead clicks, or submits of the open form that landed back on
 * it (the reducer takes a finished form back when the next action is in it again). One moment per stretch without
 * progress, or per opening of the form.
 */
export function repeatedFailureTrigger(options: RepeatedFailureOptions = {}): ProactiveTrigger {
  const defaults = TRIGGER_DEFAULTS.repeatedFailure;
  const rageClicks = checkInteger('rageClicks', options.rageClicks ?? defaults.rageClicks);
  const deadClicks = checkInteger('deadClicks', options.deadClicks ?? defaults.deadClicks);
  const repeatedSubmits = checkInteger('repeatedSubmits', options.repeatedSubmits ?? defaults.repeatedSubmits);
  const cooldownS = checkPositiveNumber('cooldownS', options.cooldownS ?? defaults.cooldownS, true);
  return {
    id: BuiltinTriggerId.REPEATED_FAILURE,
    evaluate({ state }: ProactiveContext): ProactiveProposal | null {
      const stretch = `${state.lastProgressAt ?? state.firstAt}`;
      const failed = (failure: 'rage' | 'dead') => state.recentSteps.filter((step) => step.step === 'failed' && step.failure === failure);
      const propose = (failure: 'rage' | 'dead' | 'submit', steps: readonly ActivityStep[], count: number, moment: string): ProactiveProposal => {
        const last = steps.at(-1) ?? null;
        return {
          triggerId: BuiltinTriggerId.REPEATED_FAILURE,
          moment,
          facts: { kind: 'repeated_failure', failure, label: last?.label ?? null, page: last?.page ?? state.page?.title ?? null, count },
          cooldownS,
        };
      };
      if (state.lost.rageClicks >= rageClicks) return propose('rage', failed('rage'), state.lost.rageClicks, `rage@${stretch}`);
      if (state.lost.deadClicks >= deadClicks) return propose('dead', failed('dead'), state.lost.deadClicks, `dead@${stretch}`);
      const open = state.open;
      if (open && open.kind !== 'menu') {
        const submits = state.recentSteps.filter(
          (step) => step.step === 'submit' && step.at >= open.openedAt && step.container !== null && step.container.kind === open.kind && (step.container.label === null || step.container.label === open.label),
        );
        if (submits.length >= repeatedSubmits) {
          const facts = propose('submit', submits, submits.length, `submit:${open.kind}:${open.label ?? ''}@${open.openedAt}`);
          return { ...facts, facts: { ...facts.facts, label: open.label } as typeof facts.facts };
        }
      }
      return null;
    },
  };
}

/** Options of {@link builtinTriggers}: thresholds per trigger, or `false` to leave one out. */
export interface BuiltinTriggersOptions {
  pingPong?: PingPongOptions | false;
  pageDwell?: PageDwellOptions | false;
  containerIdle?: ContainerIdleOptions | false;
  repeatedFailure?: RepeatedFailureOptions | false;
}

/**
 * The built-in triggers in their order of precedence: what the user is stuck on right now first (failure, an idle
 * dialog), then where they wander (back and forth), then lingering.
 *
 * @example
 * const registry = new ProactiveTriggerRegistry(builtinTriggers({ pageDwell: false }));
 */
export function builtinTriggers(options: BuiltinTriggersOptions = {}): ProactiveTrigger[] {
  const triggers: ProactiveTrigger[] = [];
  if (options.repeatedFailure !== false) triggers.push(repeatedFailureTrigger(options.repeatedFailure));
  if (options.containerIdle !== false) triggers.push(containerIdleTrigger(options.containerIdle));
  if (options.pingPong !== false) triggers.push(pingPongTrigger(options.pingPong));
  if (options.pageDwell !== false) triggers.push(pageDwellTrigger(options.pageDwell));
  return triggers;
}
