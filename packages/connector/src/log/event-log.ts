/**
 * The product event log behind `GET /stream/:product`: every payload fanned out is appended first, gets an id
 * `<epoch>-<seq>`, and can be replayed after a reconnect (docs/reference/wire-contract.md#stream-frames,
 * docs/decisions/D-8-resume-by-id.md). The memory ring buffer is the default; the Redis Streams log
 * (redis-event-log.ts) shares it between instances.
 */
import type { ActionsPayload, GapReason, SummaryPayload } from '@sightline/protocol';
import type { CapturedEvent } from '../ingest/captured-event.ts';

/** A payload the connector logs and streams (gap frames are per connection and never logged). */
export type LoggablePayload = ActionsPayload | SummaryPayload;

/** One payload as the log holds it. */
export interface LoggedPayload {
  /** The SSE id, `<epoch>-<seq>`. */
  id: string;
  /** Sequence number within the log's epoch, per product, starting at 1. */
  seq: number;
  payload: LoggablePayload;
  /** When it was appended, epoch milliseconds (drives age retention). */
  loggedAt: number;
  /** High-resolution epoch ms when its earliest event arrived, when the appender said (for the latency histogram). */
  ingestedAt?: number;
}

/** Why a replay cannot start right after the requested id, and where it starts instead. */
export interface ReplayGap {
  reason: GapReason;
  /** Id of the first payload replayed, or null when the log holds nothing to replay. */
  resumedFrom: string | null;
}

/** What a reconnecting subscriber is owed: a gap notice (or null) and the payloads to send, oldest first. */
export interface ReplayResult {
  gap: ReplayGap | null;
  entries: LoggedPayload[];
}

/** Which payloads belong to one person, for {@link EventLog.forgetUser}. */
export interface UserMatch {
  /** An `actions` payload belongs to the user when its `user_id`, or an action's, equals this (exactly). */
  userId: string;
  /** Also match payloads whose `email` (or an action's) equals this, compared trimmed and case-insensitively. */
  email?: string;
}

/** What {@link EventLog.forgetUser} removed. */
export interface ForgetUserResult {
  /** Payloads removed: the user's `actions` payloads and the `summary` payloads of their sessions. */
  payloads: number;
  /** Distinct session ids of the removed payloads (null sessions not counted). */
  sessions: number;
}

/**
 * Storage of streamed payloads per product, with ids and replay.
 *
 * Ordering: `append` calls for one product take effect and resolve in call order, also when a call is made before
 * the previous one resolved, and their `seq` values increase (by one in the memory log; on Redis strictly,
 * whichever instance appends, so one instance may see steps of more than one).
 */
export interface EventLog {
  /**
   * The epoch of a product's ids: the log's start time in seconds for the memory log (the same for every product);
   * on Redis, set once per product when it first needs one and kept across instances and restarts.
   */
  epochOf(productId: string): Promise<number>;
  /**
   * Stores a payload and returns it with its new id. `ingestedAt` (high-resolution epoch ms of its earliest event)
   * travels with it where the log is shared, so another instance can measure delivery latency too. `receipts` are
   * held events ({@link IngestInbox}) this payload completes: a log that holds events releases them in the same
   * atomic step as the append, so a crash leaves them either held or logged, never both and never neither.
   */
  append(productId: string, payload: LoggablePayload, ingestedAt?: number | null, receipts?: readonly string[]): Promise<LoggedPayload>;
  /**
   * The payloads after `lastEventId` that the log still holds. When the id is from another epoch, older than
   * retention, malformed or not yet handed out, `gap` says so and `entries` holds what can still be sent.
   */
  readAfter(productId: string, lastEventId: string): Promise<ReplayResult>;
  /**
   * Removes one person's retained payloads from a product's log (docs/forget-a-user.md): every `actions` payload
   * that {@link UserMatch} names, and every `summary` payload of a session one of those payloads belongs to (a
   * summary tells that session's actions but carries no user). Ids are never reused or renumbered: the remaining
   * payloads keep theirs, so a client resuming after any id still gets what remains after it, in order, with no gap
   * frame for the removed ones (they are simply absent from the replay). Payloads already delivered to live
   * subscribers cannot be called back. Unknown products and users remove nothing.
   */
  forgetUser(productId: string, match: UserMatch): Promise<ForgetUserResult>;
  /** Forgets a product's payloads (its sequence restarts only with a new epoch). */
  drop(productId: string): Promise<void>;
  /** Releases resources; further calls are not allowed. */
  close(): Promise<void>;
}

/** Events of one acknowledged request that no batch has logged yet, as an {@link IngestInbox} holds them. */
export interface HeldEvents {
  /** The name of the hold, released by the append of the batch that completes it. */
  receipt: string;
  /** The events as the door normalised them (without their parsed chains, which extraction makes again). */
  events: CapturedEvent[];
}

/**
 * Where a shared log keeps accepted events from the moment they are acknowledged until the batch that carries them
 * is logged (docs/scaling.md, "Nothing acknowledged is lost"). The door waits for {@link hold} before it answers;
 * the append of the completing batch releases the hold atomically; another instance takes over holds that no
 * batch released within a grace time (their instance died).
 */
export interface IngestInbox {
  /** Stores a request's events durably; resolves with the hold's receipt. */
  hold(productId: string, events: readonly CapturedEvent[]): Promise<string>;
  /** Releases holds that no batch will complete (none of their events became an action). */
  release(productId: string, receipts: readonly string[]): Promise<void>;
  /**
   * Takes over, atomically, at most `limit` holds older than `olderThan` (epoch ms): each is held again under a new
   * receipt of this instance, so of two instances claiming at once each hold goes to exactly one.
   */
  claimStale(productId: string, olderThan: number, limit: number): Promise<HeldEvents[]>;
}
