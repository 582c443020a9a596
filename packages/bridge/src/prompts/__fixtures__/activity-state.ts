/**
 * Hand-built activity states and structured actions for prompt tests. They follow the SDK's `ActivityState` type
 * only, not its reducer, so the prompt is tested on exactly the state it is given.
 */
import type { ActionContainer, ActionStep, SlimAction, TargetRole } from '@sightline/protocol';
import { emptyActivityState, type ActivityState, type ActivityStep, type ContainerRef } from '@sightline/sdk';
import type { ReplyContext, ReplySession } from '../../responder/reply-context.ts';

/** "Now" of every fixture: epoch seconds 10 000 (epoch ms 10 000 000). */
export const NOW_SECONDS = 10_000;

/** A step of a state, `secondsAgo` before {@link NOW_SECONDS}. */
export function step(
  index: number,
  kind: ActionStep,
  secondsAgo: number,
  fields: Partial<Omit<ActivityStep, 'index' | 'step' | 'at'>> = {},
): ActivityStep {
  return {
    index,
    step: kind,
    role: null,
    label: null,
    choice: null,
    page: null,
    path: null,
    container: null,
    failure: null,
    ...fields,
    at: NOW_SECONDS - secondsAgo,
  };
}

export function dialog(label: string | null): ContainerRef {
  return { kind: 'dialog', label };
}

/** An empty state of one tab (the SDK's `emptyActivityState`) of user u1, with every field overridable. */
export function activityState(overrides: Partial<ActivityState> = {}): ActivityState {
  return {
    ...emptyActivityState({ productId: 'demo', sessionId: 's1', windowId: 'w1' }, NOW_SECONDS - 3600),
    userId: 'u1',
    email: 'jane.doe@acme.io',
    actionCount: overrides.recentSteps?.length ?? 0,
    lastIndex: overrides.lastAction?.index ?? 0,
    lastAt: overrides.lastAt ?? overrides.lastAction?.at ?? NOW_SECONDS - 5,
    ...overrides,
  };
}

/** A structured wire action, `secondsAgo` before {@link NOW_SECONDS} on the connector's clock. */
export function structuredAction(
  index: number,
  kind: ActionStep,
  secondsAgo: number,
  fields: {
    page?: string;
    path?: string;
    role?: TargetRole;
    label?: string | null;
    container?: ActionContainer | null;
    choice?: string | null;
    windowId?: string;
    title?: string;
  } = {},
): SlimAction {
  const at = NOW_SECONDS - secondsAgo;
  const path = fields.path ?? '/dashboard';
  return {
    title: fields.title ?? `Action ${index}`,
    description: '',
    canonical_url: `http://localhost:5173${path}`,
    index,
    type: kind === 'navigate' && !fields.role ? 'pageview' : 'click',
    // The browser's clock is off by a minute: the prompt must use the connector's receipt time.
    timestamp_start: at - 60,
    timestamp_end: at - 60,
    raw_url: `http://localhost:5173${path}?token=abc123&utm_source=mail`,
    session_id: 's1',
    user_id: 'u1',
    email: 'jane.doe@acme.io',
    conversation_id: null,
    window_id: fields.windowId ?? 'w1',
    page: { title: fields.page ?? 'Dashboard', path },
    target: fields.role ? { role: fields.role, label: fields.label ?? null } : null,
    container: fields.container ?? null,
    choice: fields.choice ?? null,
    step: kind,
    received_at: at,
  };
}

/** A reply context for prompt tests: no sessions or activity unless given, "now" at {@link NOW_SECONDS}. */
export function stateContext(query: string, overrides: Partial<ReplyContext> = {}): ReplyContext {
  return {
    userId: 'u1',
    query,
    email: 'jane.doe@acme.io',
    firstName: 'Jane',
    sessions: [],
    activitySince: [],
    history: [],
    tabs: [],
    languageHint: null,
    now: NOW_SECONDS * 1000,
    ...overrides,
  };
}

export function session(summary: string, actions: SlimAction[] = [], sessionId = 's1'): ReplySession {
  return { productId: 'demo', sessionId, summary, actions };
}

const PAGES = [
  { title: 'Dashboard', path: '/dashboard' },
  { title: 'Projects', path: '/projects' },
  { title: 'Project settings', path: '/projects/:id/settings' },
  { title: 'Team', path: '/team' },
  { title: 'Billing', path: '/billing' },
];

/** How many steps the SDK's state keeps in `recentSteps` in the 90-action fixture. */
export const RECENT_STEPS_KEPT = 30;

/**
 * A 90-action session: the user browsed projects and the team page (earlier work the summary tells), cancelled an
 * invite, went to Billing, clicked 'Upgrade plan' and chose 'Business' in the dialog it opened. The state keeps only
 * the last {@link RECENT_STEPS_KEPT} steps; the summary carries the rest.
 */
export function ninetyActionSession(): { state: ActivityState; summary: string } {
  const steps: ActivityStep[] = [];
  for (let index = 0; index < 86; index += 1) {
    const page = PAGES[Math.floor(index / 6) % 4]!;
    const secondsAgo = 1800 - index * 20;
    steps.push(
      index % 3 === 0
        ? step(index, 'navigate', secondsAgo, { page: page.title, path: page.path })
        : step(index, 'click', secondsAgo, { role: 'button', label: `Row ${index}`, page: page.title, path: page.path }),
    );
  }
  const billing = { page: 'Billing', path: '/billing' };
  const upgrade = dialog('Upgrade plan');
  steps.push(
    step(86, 'navigate', 90, billing),
    step(87, 'open', 60, { ...billing, role: 'button', label: 'Upgrade plan' }),
    step(88, 'choose', 30, { ...billing, role: 'radio', label: 'Business', choice: 'Business', container: upgrade }),
    step(89, 'type', 12, { ...billing, role: 'field', label: 'Seats', container: upgrade }),
  );
  const state = activityState({
    page: { title: 'Billing', path: '/billing', since: NOW_SECONDS - 90 },
    open: {
      ...upgrade,
      openedBy: 'Upgrade plan',
      page: 'Billing',
      openedAt: NOW_SECONDS - 60,
      fields: ['Seats'],
      choices: ['Business'],
    },
    lastAction: steps.at(-1)!,
    lastFinished: {
      outcome: 'dismissed',
      container: dialog('Invite member'),
      openedBy: 'Invite member',
      by: 'Cancel',
      page: 'Team',
      ledTo: 'Billing',
      fields: [],
      choices: [],
      at: NOW_SECONDS - 120,
    },
    recentPages: [
      { title: 'Team', path: '/team', enteredAt: NOW_SECONDS - 400, leftAt: NOW_SECONDS - 90 },
      { title: 'Billing', path: '/billing', enteredAt: NOW_SECONDS - 90, leftAt: null },
    ],
    recentSteps: steps.slice(-RECENT_STEPS_KEPT),
    actionCount: 90,
    lastIndex: 89,
  });
  const summary =
    'The user reviewed the Projects list, renamed the project Apollo in Project settings, and checked the Team page, where they opened Invite member and cancelled it.';
  return { state, summary };
}
