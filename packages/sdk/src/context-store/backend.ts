/**
 * Where a {@link ContextStore} keeps its state. Asynchronous so that shared storage (Redis) can
 * implement it; `MemoryContextBackend` is the default. The record operations themselves are the pure
 * functions of `session-record.ts`, so every backend trims and evicts exactly alike.
 */
import type { ActionsPayload } from '@sightline/protocol';
import type { SessionKey } from '../session-key/session-key.ts';

/** One received batch and when it arrived locally (epoch ms), which the lookback uses (docs/decisions/D-13-local-receipt-time.md). */
export interface StoredBatch {
  payload: ActionsPayload;
  receivedAt: number;
  /**
   * How many of the batch's first actions the session's summary already tells (absent: none). Covered
   * actions stay stored beside the summary until the write limits trim them (docs/rolling-summaries.md).
   */
  covered?: number;
}

/** A session's story: its rolling summary. */
export interface StoredSummary {
  text: string;
  /** How many actions the story condenses, over every summary folded into it. */
  replaces: number;
  /** Local receipt time of the latest summary, epoch ms. */
  receivedAt: number;
}

/**
 * How a new summary joins the session's story: `replace` when its text already continues the story
 * (the SDK's summarizer is given the previous summary), `fold` when it tells only its own actions (a
 * connector's `summary` frame) and is folded after the story, bounded (`foldSummary`).
 */
export type SummaryMerge = 'replace' | 'fold';

/** A summary arriving for a session: its text and how it joins the story (default `replace`). */
export interface SummaryUpdate extends StoredSummary {
  merge?: SummaryMerge;
}

/** Everything a store keeps for one (product, session). */
export interface SessionRecord {
  key: SessionKey;
  /** Oldest first, covered or not. */
  batches: StoredBatch[];
  /** The session's story, or null before its first summary. */
  summary: StoredSummary | null;
  /** Local time of the latest write, epoch ms. */
  lastSeenAt: number;
  /**
   * The stream event id (`<epoch>-<seq>`) of the latest payload applied to the session, when the payload came with
   * one: a payload at or before it in the same epoch is a replay and is not applied again (idempotent apply).
   */
  lastEventId?: string;
}

/** Bounds applied on every write. */
export interface ContextWriteLimits {
  /** Batches received before this time (epoch ms) are dropped; `null` keeps them. */
  keepReceivedFrom: number | null;
  /** Most recent actions kept for the session (splitting a batch when needed); `null` for no bound. */
  maxActions: number | null;
  /** Most sessions kept, least recently written evicted first; `null` for no bound. */
  maxSessions: number | null;
  /**
   * How long a session nobody writes stays worth keeping, ms (the store's lookback), or `null`/absent for no bound.
   * Shared stores set it as the session key's TTL, refreshed on every write; the memory backend ignores it.
   */
  retainMs?: number | null;
}

/**
 * Which stored actions a summary stands in for (docs/decisions/D-21-summarised-actions-left-out.md): the exact
 * actions it was made from (matched by {@link actionFingerprint}), or, for a connector's summary that only carries
 * `replaces`, the oldest N not yet covered.
 */
export type SummaryCoverage = { kind: 'actions'; fingerprints: readonly string[] } | { kind: 'oldest'; count: number };

/** Storage for a {@link ContextStore}. Every method may be called concurrently. */
export interface ContextBackend {
  /**
   * Appends a batch to the session (creating it), marks the session most recently written and applies
   * `limits` (to this session's batches, and `maxSessions` across sessions). Resolves to the keys of
   * sessions evicted to make room, or to null, writing nothing, when `eventId` names a payload the session
   * already applied (`isReplayedEvent`). Check and write are one atomic step per session.
   */
  append(key: SessionKey, batch: StoredBatch, limits: ContextWriteLimits, eventId?: string | null): Promise<SessionKey[] | null>;
  /**
   * Joins the summary to the session's story (per its `merge`), marks the actions it covers as covered
   * (they stay stored), and marks the session most recently written. Resolves to the keys of evicted
   * sessions, or null for a replayed `eventId` (as `append`). Implementations apply `applySummaryToRecord`
   * atomically per session.
   */
  applySummary(
    key: SessionKey,
    summary: SummaryUpdate,
    coverage: SummaryCoverage,
    limits: ContextWriteLimits,
    eventId?: string | null,
  ): Promise<SessionKey[] | null>;
  /** The session's record, or undefined. Reads do not change recency. */
  read(key: SessionKey): Promise<SessionRecord | undefined>;
  /** Several records at once, in the order asked. */
  readMany(keys: readonly SessionKey[]): Promise<Array<SessionRecord | undefined>>;
  /** Removes the session; resolves to whether it existed. */
  delete(key: SessionKey): Promise<boolean>;
  /** Every stored session, least recently written first. */
  keys(): Promise<SessionKey[]>;
  /** Removes everything. */
  clear(): Promise<void>;
  /** Releases connections; the memory backend has none. */
  close?(): Promise<void>;
}

/**
 * A value identity of an action, used to find the actions a summary covers even after their batches
 * were split or copied. The wire `index` is left out on purpose: a debounced writer merges batches
 * with `mergeActionsPayloads`, which renumbers it, and the summary must still match the stored actions.
 */
export function actionFingerprint(action: ActionsPayload['actions'][number]): string {
  return `${action.timestamp_start}\u001f${action.type}\u001f${action.canonical_url}\u001f${action.title}\u001f${action.description}`;
}
