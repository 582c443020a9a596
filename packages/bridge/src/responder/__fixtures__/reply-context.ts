/** Builders of action records and reply contexts for responder and prompt tests (demo app shaped). */
import type { SlimAction } from '@sightline/protocol';
import type { ReplyContext } from '../reply-context.ts';

/** A SlimAction with the demo app's wording; `at` is epoch seconds. */
export function action(index: number, type: string, title: string, description: string, path: string, at: number): SlimAction {
  return {
    title,
    description,
    canonical_url: path,
    index,
    type,
    timestamp_start: at,
    timestamp_end: at,
    raw_url: `http://localhost:5173${path}`,
    session_id: 's1',
    user_id: 'u1',
    email: 'jane.doe@acme.io',
    conversation_id: null,
  };
}

/** Dashboard → Team → clicked "Invite member" (the demo e2e path), at t = 1000…1020 s. */
export const INVITE_FLOW: SlimAction[] = [
  action(0, 'pageview', 'Page Load: Dashboard', 'User viewed the Dashboard page', '/dashboard', 1000),
  action(1, 'click', "Clicked 'Team'", 'User clicked Team on the Dashboard page', '/dashboard', 1010),
  action(2, 'pageview', 'Page Load: Team', 'User viewed the Team page', '/team', 1011),
  action(3, 'click', "Clicked 'Invite member'", 'User clicked Invite member on the Team page', '/team', 1020),
];

export function replyContext(query: string, overrides: Partial<ReplyContext> = {}): ReplyContext {
  return {
    userId: 'u1',
    query,
    email: 'jane.doe@acme.io',
    firstName: 'Jane',
    sessions: [{ productId: 'demo', sessionId: 's1', summary: '', actions: INVITE_FLOW }],
    activitySince: [],
    history: [],
    tabs: [],
    languageHint: null,
    now: 1_080_000,
    ...overrides,
  };
}
