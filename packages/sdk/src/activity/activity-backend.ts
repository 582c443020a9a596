/**
 * Where the {@link ActivityTracker}'s states live. Async, so a shared store (Redis) can stand in for the memory
 * one; the states are plain JSON.
 */
import { sessionKeyId } from '../session-key/session-key.ts';
import type { ActivityKey, ActivityState } from './activity-state.ts';

/** A tab's state as stored, with when it was last written (the tracker's clock, epoch ms). */
export interface StoredActivity {
  state: ActivityState;
  updatedAt: number;
}

/** Storage of activity states, one per tab. Implementations keep states as given (no copies needed). */
export interface ActivityBackend {
  /** The tab's stored state, or null. */
  get(key: ActivityKey): Promise<StoredActivity | null>;
  /** Stores (replaces) the tab's state. */
  set(key: ActivityKey, record: StoredActivity): Promise<void>;
  /** Every stored tab of one session, in no particular order. */
  listSession(productId: string, sessionId: string): Promise<StoredActivity[]>;
  /** Removes one tab. */
  delete(key: ActivityKey): Promise<void>;
  /** Removes every tab of one session. */
  deleteSession(productId: string, sessionId: string): Promise<void>;
  /** Number of tabs stored. */
  size(): Promise<number>;
  /** Every stored tab, in no particular order (admin scans, such as forgetting a user; not on the chat path). */
  list(): Promise<StoredActivity[]>;
}

/** The unit separator keeps composite keys unambiguous: it does not occur in ids (as in `sessionKeyId`). */
const SEPARATOR = '\u001f';

/** A string form of a tab for maps: the session's `sessionKeyId`, then `"\x1f\x1f" + windowId` (nothing for a null window). */
export function activityKeyId(key: ActivityKey): string {
  const session = sessionKeyId(key);
  return key.windowId === null ? session : `${session}${SEPARATOR}${SEPARATOR}${key.windowId}`;
}
