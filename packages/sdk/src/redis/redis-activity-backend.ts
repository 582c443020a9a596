/**
 * The {@link ActivityBackend} on Redis (docs/scaling.md, "Bridge state on Redis"): one key per tab,
 * `<prefix>{<product>}:tab:<session>:<window>` (ids URI-encoded, no window: empty), a hash of the state as JSON
 * (`"v":1`) and its `lastIndex`; and a set of each session's windows, `<prefix>{<product>}:tabs:<session>`. Both get
 * the lookback as TTL on every write, so a tab nobody writes leaves Redis on its own (the memory backend expires only
 * when read). A write that would not move the tab's `lastIndex` forward is ignored, so two bridges applying the same
 * payloads never move a tab back.
 */
import type { Redis } from 'ioredis';
import type { ActivityBackend, StoredActivity } from '../activity/activity-backend.ts';
import type { ActivityKey } from '../activity/activity-state.ts';
import { checkPositiveNumber } from '../options/option-checks.ts';
import { connectRedis, globEscape, parseRecord, productKey, RECORD_VERSION, scanKeys, type RedisBackendOptions, type RedisConnection } from './redis-connection.ts';

/** Options of {@link RedisActivityBackend}. */
export type RedisActivityBackendOptions = RedisBackendOptions & {
  /** TTL of a tab's keys after its latest write, seconds: the tracker's lookback. Default 300. */
  lookbackSeconds?: number;
};

/**
 * KEYS: tab, session's window set. ARGV: record JSON, lastIndex, TTL ms, window member.
 * 1 when written; 0 when the stored state is already at or past this lastIndex.
 */
const SET_SCRIPT = `
local stored = redis.call('HGET', KEYS[1], 'last')
if stored and tonumber(stored) >= tonumber(ARGV[2]) then return 0 end
redis.call('HSET', KEYS[1], 'data', ARGV[1], 'last', ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
redis.call('SADD', KEYS[2], ARGV[4])
redis.call('PEXPIRE', KEYS[2], ARGV[3])
return 1
`;

type SetCommand = (tab: string, windows: string, record: string, lastIndex: number, ttlMs: number, window: string) => Promise<number>;

/**
 * Activity states on Redis, shared by several bridges.
 *
 * @example
 * new ActivityTracker({ backend: new RedisActivityBackend({ url: process.env.REDIS_URL!, lookbackSeconds: 300 }), lookbackSeconds: 300 })
 */
export class RedisActivityBackend implements ActivityBackend {
  /** The connection, to share with other backends. */
  readonly client: Redis;
  private readonly connection: RedisConnection;
  private readonly ttlMs: number;
  private readonly setTab: SetCommand;

  constructor(options: RedisActivityBackendOptions) {
    this.ttlMs = Math.ceil(checkPositiveNumber('lookbackSeconds', options.lookbackSeconds ?? 300) * 1000);
    this.connection = connectRedis(options);
    this.client = this.connection.client;
    const commands = this.client as unknown as { sightlineActivitySet?: SetCommand };
    if (!commands.sightlineActivitySet) this.client.defineCommand('sightlineActivitySet', { numberOfKeys: 2, lua: SET_SCRIPT });
    this.setTab = (commands.sightlineActivitySet as SetCommand).bind(this.client);
  }

  async get(key: ActivityKey): Promise<StoredActivity | null> {
    const tab = this.tabKey(key.productId, key.sessionId, windowMember(key.windowId));
    return this.decode(await this.client.hget(tab, 'data'), tab);
  }

  async set(key: ActivityKey, record: StoredActivity): Promise<void> {
    const member = windowMember(key.windowId);
    const encoded = JSON.stringify({ v: RECORD_VERSION, ...record });
    await this.setTab(this.tabKey(key.productId, key.sessionId, member), this.windowsKey(key.productId, key.sessionId), encoded, record.state.lastIndex, this.ttlMs, member);
  }

  async listSession(productId: string, sessionId: string): Promise<StoredActivity[]> {
    const windows = this.windowsKey(productId, sessionId);
    const members = await this.client.smembers(windows);
    if (members.length === 0) return [];
    const tabs = members.map((member) => this.tabKey(productId, sessionId, member));
    const pipeline = this.client.pipeline();
    for (const tab of tabs) pipeline.hget(tab, 'data');
    const results = (await pipeline.exec()) ?? [];
    const found: StoredActivity[] = [];
    const gone: string[] = [];
    results.forEach(([error, text], position) => {
      if (error) throw error;
      const record = this.decode(text as string | null, tabs[position]!);
      if (record) found.push(record);
      else gone.push(members[position]!);
    });
    // A tab key that expired leaves its window in the set until here.
    if (gone.length > 0) await this.client.srem(windows, ...gone);
    return found;
  }

  async delete(key: ActivityKey): Promise<void> {
    const member = windowMember(key.windowId);
    await this.client.multi().del(this.tabKey(key.productId, key.sessionId, member)).srem(this.windowsKey(key.productId, key.sessionId), member).exec();
  }

  async deleteSession(productId: string, sessionId: string): Promise<void> {
    const windows = this.windowsKey(productId, sessionId);
    const members = await this.client.smembers(windows);
    await this.client.del(windows, ...members.map((member) => this.tabKey(productId, sessionId, member)));
  }

  /** Tabs stored under the prefix (SCAN: an admin figure, not for the chat path). */
  async size(): Promise<number> {
    return (await this.tabKeys()).length;
  }

  /** Every stored tab (SCAN: admin scans such as forgetting a user). */
  async list(): Promise<StoredActivity[]> {
    const tabs = await this.tabKeys();
    const found: StoredActivity[] = [];
    for (let at = 0; at < tabs.length; at += 500) {
      const slice = tabs.slice(at, at + 500);
      const pipeline = this.client.pipeline();
      for (const tab of slice) pipeline.hget(tab, 'data');
      const results = (await pipeline.exec()) ?? [];
      results.forEach(([error, text], position) => {
        if (error) throw error;
        const record = this.decode(text as string | null, slice[position]!);
        if (record) found.push(record);
      });
    }
    return found;
  }

  /** Closes the connection when the backend opened it. */
  async close(): Promise<void> {
    await this.connection.close();
  }

  private decode(text: string | null, tab: string): StoredActivity | null {
    if (text === null) return null;
    const { v: _version, ...record } = parseRecord<StoredActivity>(text, tab);
    return record;
  }

  private tabKey(productId: string, sessionId: string, member: string): string {
    return productKey(this.connection.prefix, productId, 'tab', encodeURIComponent(sessionId), member);
  }

  private windowsKey(productId: string, sessionId: string): string {
    return productKey(this.connection.prefix, productId, 'tabs', sessionId);
  }

  private tabKeys(): Promise<string[]> {
    return scanKeys(this.client, `${globEscape(this.connection.prefix)}{*}:tab:*`);
  }
}

/** A window as stored: URI-encoded (no `:` inside), empty for a session without windows. */
function windowMember(windowId: string | null): string {
  return windowId === null ? '' : encodeURIComponent(windowId);
}
