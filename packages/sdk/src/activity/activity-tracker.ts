/**
 * Keeps one {@link ActivityState} per tab, reduced from the stream's `actions` payloads, in an
 * {@link ActivityBackend}. Summaries never reach it: a summary stands in for actions in the context store, while
 * the state already holds what those actions meant.
 */
import { systemClock, type ActionsPayload, type Clock, type SlimAction } from '@sightline/protocol';
import { checkInteger, checkPositiveNumber, resolveLimit } from '../options/option-checks.ts';
import { sessionKeyOf } from '../session-key/session-key.ts';
import { KeyedSerialQueue } from '../writer/keyed-serial-queue.ts';
import { activityKeyId, type ActivityBackend } from './activity-backend.ts';
import type { ActivityKey, ActivityState } from './activity-state.ts';
import { MemoryActivityBackend } from './memory-activity-backend.ts';
import { ACTIVITY_DEFAULTS, reduceActivity, type ReduceActivityOptions } from './reduce-activity.ts';

/** Options of {@link ActivityTracker}. */
export interface ActivityTrackerOptions {
  /** Where states live. Default: a {@link MemoryActivityBackend} with its defaults (10 000 tabs). */
  backend?: ActivityBackend;
  /** Time for expiry. Default {@link systemClock}. */
  clock?: Clock;
  /** A tab not written for longer than this (seconds by `clock`) reads as gone and is removed. Default null: kept until evicted. */
  lookbackSeconds?: number | null;
  /** Bounds of each state; see {@link ReduceActivityOptions}. Checked here: a wrong value throws `SL_CONFIG_INVALID`. */
  reduce?: ReduceActivityOptions;
}

/**
 * One activity state per tab (product, session, `window_id`; the session alone when the stream carries no window).
 *
 * @example
 * const activity = new ActivityTracker();
 * client.onActions((payload) => activity.apply(payload));
 * const [current] = await activity.tabsOf('acme', 'ps_123'); // the tab the user acted in last
 * current?.open?.label; // 'Assign owner'
 */
export class ActivityTracker {
  private readonly backend: ActivityBackend;
  private readonly clock: Clock;
  private readonly lookbackMs: number | null;
  private readonly reduceOptions: ReduceActivityOptions;
  private readonly queue = new KeyedSerialQueue();

  constructor(options: ActivityTrackerOptions = {}) {
    this.backend = options.backend ?? new MemoryActivityBackend();
    this.clock = options.clock ?? systemClock;
    const lookbackSeconds = resolveLimit('lookbackSeconds', options.lookbackSeconds, null, checkPositiveNumber);
    this.lookbackMs = lookbackSeconds === null ? null : lookbackSeconds * 1000;
    const reduce = options.reduce ?? {};
    this.reduceOptions = {
      maxRecentPages: checkInteger('reduce.maxRecentPages', reduce.maxRecentPages ?? ACTIVITY_DEFAULTS.maxRecentPages),
      maxRecentSteps: checkInteger('reduce.maxRecentSteps', reduce.maxRecentSteps ?? ACTIVITY_DEFAULTS.maxRecentSteps),
      ledToWithin: checkInteger('reduce.ledToWithin', reduce.ledToWithin ?? ACTIVITY_DEFAULTS.ledToWithin, 0),
    };
  }

  /**
   * Reduces a payload's actions, in order, into the states of the tabs they belong to, and returns those states
   * (one per tab, in the order the tabs first appear). A payload that belongs to no session is ignored (`[]`).
   * Payloads of one tab are applied one after another, even when calls overlap.
   */
  async apply(payload: ActionsPayload): Promise<ActivityState[]> {
    const session = sessionKeyOf(payload);
    if (!session) return [];
    const byTab = new Map<string, { key: ActivityKey; actions: SlimAction[] }>();
    for (const action of payload.actions) {
      const key: ActivityKey = { productId: session.productId, sessionId: session.sessionId, windowId: action.window_id || null };
      const id = activityKeyId(key);
      const tab = byTab.get(id);
      if (tab) tab.actions.push(action);
      else byTab.set(id, { key, actions: [action] });
    }
    const results: ActivityState[] = [];
    await Promise.all(
      [...byTab.entries()].map(([id, tab], position) =>
        this.queue.run(id, async () => {
          let state = await this.read(tab.key);
          for (const action of tab.actions) {
            state = reduceActivity(state, action, { key: tab.key, userId: action.user_id ?? payload.user_id, email: action.email ?? payload.email }, this.reduceOptions);
          }
          if (state) {
            await this.backend.set(tab.key, { state, updatedAt: this.clock.now() });
            results[position] = state;
          }
        }),
      ),
    );
    return results.filter((state) => state !== undefined);
  }

  /** The tab's state, or null when it has none (or it expired). */
  async get(key: ActivityKey): Promise<ActivityState | null> {
    return this.read(key);
  }

  /** Every live tab of a session, the one acted in last first. */
  async tabsOf(productId: string, sessionId: string): Promise<ActivityState[]> {
    const records = await this.backend.listSession(productId, sessionId);
    const live: ActivityState[] = [];
    for (const record of records) {
      if (this.isExpired(record.updatedAt)) await this.backend.delete(record.state.key);
      else live.push(record.state);
    }
    return live.sort((a, b) => b.lastAt - a.lastAt || b.lastIndex - a.lastIndex);
  }

  /** Forgets every tab of a session. */
  async reset(productId: string, sessionId: string): Promise<void> {
    await this.backend.deleteSession(productId, sessionId);
  }

  /**
   * Forgets a user's tabs: every tab of the given sessions (the user's, as the context store found them), and every
   * other tab whose state names the user. Resolves to the number of tabs removed.
   *
   * @example
   * const { sessions } = await store.forgetUser('user_42');
   * await activity.forgetUser('user_42', sessions); // 2
   */
  async forgetUser(userId: string, sessions: readonly { productId: string; sessionId: string }[] = []): Promise<number> {
    let removed = 0;
    for (const session of sessions) {
      removed += (await this.backend.listSession(session.productId, session.sessionId)).length;
      await this.backend.deleteSession(session.productId, session.sessionId);
    }
    for (const record of await this.backend.list()) {
      if (record.state.userId !== userId) continue;
      await this.backend.delete(record.state.key);
      removed++;
    }
    return removed;
  }

  /** Number of tabs held (expired ones included until they are read). */
  async size(): Promise<number> {
    return this.backend.size();
  }

  private async read(key: ActivityKey): Promise<ActivityState | null> {
    const record = await this.backend.get(key);
    if (!record) return null;
    if (this.isExpired(record.updatedAt)) {
      await this.backend.delete(key);
      return null;
    }
    return record.state;
  }

  private isExpired(updatedAt: number): boolean {
    return this.lookbackMs !== null && this.clock.now() - updatedAt > this.lookbackMs;
  }
}
