/**
 * Hand-built activity states for responder tests, in any product: a small script of what the user did
 * (`visit`, `open`, `type`, `choose`, `submit`, `dismiss`, `fail`…) kept as the SDK's `ActivityState` type
 * declares it. This is not the SDK's reducer: it only writes the fields a test names, so tests state exactly the
 * situation they answer.
 */
import type { ActionStep, ContainerKind, TargetRole } from '@sightline/protocol';
import { emptyActivityState, type ActivityState, type ActivityStep, type ContainerRef } from '@sightline/sdk';
import type { ReplyContext } from '../reply-context.ts';

/** Seconds between two scripted actions. */
const STEP_SECONDS = 5;

/** Options of {@link activity}. */
export interface ActivityOptions {
  productId?: string;
  sessionId?: string;
  windowId?: string | null;
  /** Epoch seconds of the first action. Default 1_000_000. */
  startAt?: number;
}

/** A script of one tab's activity; every call appends one action and returns the script. */
export interface ActivityScript {
  /** A page load of `title` (at `/screens/<n>` unless a path is given). Closes whatever was open; records where a just-finished flow led. */
  visit(title: string, path?: string): ActivityScript;
  /** A link (or menu item, tab) followed from the current page to `title`. */
  follow(label: string, title: string, options?: { role?: TargetRole; path?: string }): ActivityScript;
  /** A click that changes nothing recorded (a button, a row). */
  click(label: string, options?: { role?: TargetRole; container?: ContainerRef | null }): ActivityScript;
  /**
   * A control that opens a container; the container is named `name` (else after the control). `isPending`: nothing
   * has happened inside it yet, so the state knows only that the control was used to open something (as the SDK
   * records a dialog's opener before any action in the dialog).
   */
  open(label: string, options?: { kind?: ContainerKind; name?: string | null; step?: ActionStep; isPending?: boolean }): ActivityScript;
  /** Typing into a field of the open container (or of the page). */
  type(field: string): ActivityScript;
  /** Choosing an option (radio card, checkbox, tab) in the open container (or on the page). */
  choose(choice: string, options?: { role?: TargetRole; label?: string | null }): ActivityScript;
  /** Finishing the open container with `label`. */
  submit(label: string | null): ActivityScript;
  /** Closing the open container without finishing it. */
  dismiss(label: string | null): ActivityScript;
  /** A rage or dead click on `label`. */
  fail(label: string | null, failure?: 'rage' | 'dead'): ActivityScript;
  /** Lets time pass. */
  wait(seconds: number): ActivityScript;
  /** The state so far (a copy). */
  state(): ActivityState;
}

/**
 * Starts a script of one tab.
 *
 * @example
 * const state = activity().visit('Week').open('New event', { kind: 'dialog' }).type('Title').state();
 */
export function activity(options: ActivityOptions = {}): ActivityScript {
  let at = options.startAt ?? 1_000_000;
  let index = -1;
  const key = { productId: options.productId ?? 'product', sessionId: options.sessionId ?? 'session-1', windowId: options.windowId ?? 'window-1' };
  const empty = emptyActivityState(key, at);
  // The SDK's empty `lost` is shared and frozen; the script counts failed clicks in its own.
  const state: ActivityState = { ...empty, userId: 'user-1', email: 'sam@example.test', lost: { ...empty.lost } };
  let stepsSinceFinish = Number.POSITIVE_INFINITY;

  function push(step: ActionStep, role: TargetRole | null, label: string | null, extra: Partial<ActivityStep> = {}): ActivityStep {
    index++;
    at += STEP_SECONDS;
    const record: ActivityStep = {
      index,
      step,
      role,
      label,
      choice: null,
      page: state.page?.title ?? null,
      path: state.page?.path ?? null,
      container: state.open ? { kind: state.open.kind, label: state.open.label } : null,
      failure: null,
      at,
      ...extra,
    };
    state.recentSteps.push(record);
    state.lastAction = record;
    state.actionCount++;
    state.lastIndex = index;
    state.lastAt = at;
    stepsSinceFinish++;
    return record;
  }

  function finish(outcome: 'completed' | 'dismissed', by: string | null): void {
    const open = state.open;
    state.lastFinished = {
      outcome,
      container: open ? { kind: open.kind, label: open.label } : null,
      openedBy: open?.openedBy ?? null,
      by,
      page: state.page?.title ?? null,
      ledTo: null,
      fields: open?.fields ?? [],
      choices: open?.choices ?? [],
      at,
    };
    state.open = null;
    stepsSinceFinish = 0;
    if (outcome === 'completed') {
      state.lost.rageClicks = 0;
      state.lost.deadClicks = 0;
      state.lost.pagesWithoutProgress = 0;
    }
  }

  function enter(title: string, path: string): void {
    const previous = state.recentPages.at(-1);
    if (previous && previous.leftAt === null) previous.leftAt = at;
    state.page = { title, path, since: at };
    state.recentPages.push({ title, path, enteredAt: at, leftAt: null });
    state.open = null;
    state.lost.pagesWithoutProgress++;
    if (state.lastFinished && stepsSinceFinish <= 3 && title !== state.lastFinished.page) state.lastFinished.ledTo = title;
  }

  const script: ActivityScript = {
    // Default paths do not spell the title, so titles read as the product's own (see pageRef in the responder).
    visit(title, path = `/screens/${state.recentPages.length + 1}`) {
      index++;
      at += STEP_SECONDS;
      enter(title, path);
      const record: ActivityStep = { index, step: 'navigate', role: null, label: null, choice: null, page: title, path, container: null, failure: null, at };
      state.recentSteps.push(record);
      state.lastAction = record;
      state.actionCount++;
      state.lastIndex = index;
      state.lastAt = at;
      stepsSinceFinish++;
      return script;
    },
    follow(label, title, options = {}) {
      push('navigate', options.role ?? 'link', label);
      return script.visit(title, options.path);
    },
    click(label, options = {}) {
      push('click', options.role ?? 'button', label, options.container === undefined ? {} : { container: options.container });
      return script;
    },
    open(label, options = {}) {
      push(options.step ?? 'open', 'button', label);
      if (options.isPending) {
        state.open = null;
        return script;
      }
      state.open = {
        kind: options.kind ?? 'dialog',
        label: options.name === undefined ? label : options.name,
        openedBy: label,
        page: state.page?.title ?? null,
        openedAt: at,
        fields: [],
        choices: [],
      };
      return script;
    },
    type(field) {
      push('type', 'field', field);
      if (state.open && !state.open.fields.includes(field)) state.open.fields.push(field);
      return script;
    },
    choose(choice, options = {}) {
      push('choose', options.role ?? 'radio', options.label === undefined ? choice : options.label, { choice });
      if (state.open) state.open.choices = [...state.open.choices.filter((known) => known !== choice), choice];
      return script;
    },
    submit(label) {
      push('submit', 'button', label);
      finish('completed', label);
      return script;
    },
    dismiss(label) {
      push('dismiss', 'button', label);
      finish('dismissed', label);
      return script;
    },
    fail(label, failure = 'rage') {
      push('failed', 'button', label, { failure });
      if (failure === 'rage') state.lost.rageClicks++;
      else state.lost.deadClicks++;
      return script;
    },
    wait(seconds) {
      at += seconds;
      return script;
    },
    state: () => structuredClone(state),
  };
  return script;
}

/** A reply context for `query` over these tabs (the first is the one acted in last). */
export function tabsContext(query: string, tabs: readonly ActivityState[], overrides: Partial<ReplyContext> = {}): ReplyContext {
  const sessionId = tabs[0]?.key.sessionId ?? 'session-1';
  return {
    userId: 'user-1',
    query,
    email: 'sam@example.test',
    firstName: 'Sam',
    sessions: [{ productId: tabs[0]?.key.productId ?? 'product', sessionId, summary: '', actions: [] }],
    activitySince: [],
    history: [],
    tabs: [...tabs],
    languageHint: null,
    now: ((tabs[0]?.lastAt ?? 1_000_000) + 30) * 1000,
    ...overrides,
  };
}
