/**
 * Builds an `actions` payload of structured actions from a user's steps written as data ("go to Team, open Invite
 * member, type in Email, click Send invite"), as the connector would send them. The demo's simulated sessions, the
 * UI map's tests and its benchmark write journeys this way.
 */
import { createActionsPayload, type ActionContainer, type ActionsPayload, type SlimActionFields, type TargetRole } from '@sightline/protocol';

/** One step of a journey. A container is written `{ kind, label }` as on the wire. */
export type JourneyStep =
  | { go: string; path: string }
  | { click: string; role?: TargetRole; container?: ActionContainer | null }
  | { open: string; role?: TargetRole; container?: ActionContainer | null }
  | { type: string; container?: ActionContainer | null }
  | { choose: string; role?: TargetRole; container?: ActionContainer | null }
  | { submit: ActionContainer | null }
  | { dismiss: string; container: ActionContainer | null };

/** Who walks a journey, and when. */
export interface JourneyOptions {
  productId: string;
  userId: string | null;
  sessionId: string;
  email?: string | null;
  windowId?: string;
  /** Index of the first action (continue a session after an earlier payload). Default 0. */
  startIndex?: number;
  /** Time of the first action, epoch seconds. Default 1 800 000 000. */
  startAt?: number;
}

/**
 * @example
 * journeyPayload({ productId: 'acme', userId: 'u1', sessionId: 's1' }, [
 *   { go: 'Team', path: '/team' }, { open: 'Invite member' }, { type: 'Email', container: INVITE }, { click: 'Send invite', container: INVITE },
 * ]);
 */
export function journeyPayload(options: JourneyOptions, steps: readonly JourneyStep[]): ActionsPayload {
  let page: { title: string; path: string } | null = null;
  let at = options.startAt ?? 1_800_000_000;
  const index0 = options.startIndex ?? 0;
  const actions: SlimActionFields[] = steps.map((step, position) => {
    at += 2;
    const base = (type: string): SlimActionFields => ({
      type,
      index: index0 + position,
      title: '',
      canonical_url: page ? `https://app.example.com${page.path}` : '',
      raw_url: page ? `https://app.example.com${page.path}` : '',
      timestamp_start: at,
      window_id: options.windowId ?? 'w1',
      page,
      received_at: at,
    });
    if ('go' in step) {
      page = { title: step.go, path: step.path };
      return { ...base('pageview'), canonical_url: `https://app.example.com${step.path}`, page, target: null, container: null, step: 'navigate' };
    }
    if ('click' in step) return { ...base('click'), target: { role: step.role ?? 'button', label: step.click }, container: step.container ?? null, step: 'click' };
    if ('open' in step) return { ...base('click'), target: { role: step.role ?? 'button', label: step.open }, container: step.container ?? null, step: 'open' };
    if ('type' in step) return { ...base('change'), target: { role: 'field', label: step.type }, container: step.container ?? null, step: 'type' };
    if ('choose' in step) {
      return { ...base('click'), target: { role: step.role ?? 'radio', label: step.choose }, container: step.container ?? null, choice: step.choose, step: 'choose' };
    }
    if ('submit' in step) return { ...base('submit'), target: { role: 'form', label: null }, container: step.submit, step: 'submit' };
    return { ...base('click'), target: { role: 'button', label: step.dismiss }, container: step.container, step: 'dismiss' };
  });
  return createActionsPayload({
    product_id: options.productId,
    session_id: options.sessionId,
    user_id: options.userId,
    email: options.email ?? null,
    forwarded_at: at,
    actions,
  });
}
