/**
 * Where the reply service reads a user's live activity from. The bridge pipeline implements it on the
 * SDK's ContextStore and UserSessionIndex; tests and the benchmark may hand in their own.
 */
import type { SlimAction } from '@sightline/protocol';
import type { ActivityState } from '@sightline/sdk';
import type { ReplySession } from '../responder/reply-context.ts';

/** A user's recent activity, as the reply service needs it. */
export interface UserActivity {
  /** The user's email as last seen on their payloads, or null. */
  email: string | null;
  /** Newest sessions (any order), each with its summary and recent actions (chronological). */
  sessions: ReplySession[];
  /** The tabs of these sessions (activity state per window), the one acted in last first; only this user's. */
  tabs: ActivityState[];
}

/** Reads activity for replies. */
export interface ActivitySource {
  /** The user's newest `sessions` sessions within the lookback, through the user index. */
  forUser(userId: string, options: { sessions: number }): Promise<UserActivity>;
  /** One session named directly (a `session_id` sent with the message); every product that has it. */
  forSession(userId: string, sessionId: string): Promise<UserActivity>;
  /**
   * Actions of these sessions that arrived after `cutoffS` (epoch seconds, the previous chat message's
   * time), chronological: the "activity since your last chat message" block.
   */
  activitySince(activity: UserActivity, cutoffS: number): Promise<SlimAction[]>;
}
