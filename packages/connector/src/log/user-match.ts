/** The {@link UserMatch} test shared by the event logs' `forgetUser`. */
import type { LoggablePayload, LoggedPayload, UserMatch } from './event-log.ts';

/** The test of {@link UserMatch} over one payload (summaries carry no user and never match by themselves). */
export function payloadMatcher(match: UserMatch): (payload: LoggablePayload) => boolean {
  const email = match.email?.trim().toLowerCase() || null;
  const isEmail = (value: string | null | undefined): boolean => email !== null && typeof value === 'string' && value.trim().toLowerCase() === email;
  return (payload) => {
    if (payload.type !== 'actions') return false;
    if (payload.user_id === match.userId || isEmail(payload.email)) return true;
    return payload.actions.some((action) => action.user_id === match.userId || isEmail(action.email));
  };
}

/**
 * The retained payloads that `EventLog.forgetUser` removes: those {@link UserMatch} names, and the `summary`
 * payloads of their sessions (a summary tells that session's actions but carries no user), wherever they sit.
 */
export function selectForgotten(retained: readonly LoggedPayload[], match: UserMatch): { removed: Set<LoggedPayload>; sessions: number } {
  const matches = payloadMatcher(match);
  // Sessions first (over the whole log), so a summary logged before the user's actions goes too.
  const sessions = new Set<string>();
  const removed = new Set<LoggedPayload>();
  for (const entry of retained) {
    if (!matches(entry.payload)) continue;
    removed.add(entry);
    if (entry.payload.session_id) sessions.add(entry.payload.session_id);
  }
  for (const entry of retained) {
    if (entry.payload.type === 'summary' && entry.payload.session_id && sessions.has(entry.payload.session_id)) removed.add(entry);
  }
  return { removed, sessions: sessions.size };
}
