/**
 * Session states in Redis, shared by every bridge of the product: `session-state:<session>` under the session's
 * product hash tag holds `{"v":1,"snapshot":<SessionState snapshot>}` and lives `LOOKBACK_SECONDS` after its last
 * change; a sorted set `session-states` (member `<product>␟<session>`, score the last save) lets the counts find
 * them without scanning keys.
 */
import { SessionState, type Clock, type SessionKey } from '@sightline/sdk';
import { decodeRecord, encodeRecord, type BridgeRedis } from '../redis/bridge-redis.ts';
import type { SessionStateBackend } from './session-states.ts';

/** Options of {@link RedisSessionStateBackend}. */
export interface RedisSessionStateBackendOptions {
  redis: BridgeRedis;
  lookbackSeconds: number;
  /** Most sessions read for the counts, the most recently saved first (default 50,000). */
  maxSessions?: number;
  clock: Clock;
}

const SEPARATOR = '\u001f';
/** Keys per MGET, so one read never blocks Redis for long. */
const READ_BATCH = 500;

/**
 * @example
 * const states = new SessionStates({ clock, backend: new RedisSessionStateBackend({ redis, lookbackSeconds: 300, clock }) });
 */
export class RedisSessionStateBackend implements SessionStateBackend {
  private readonly redis: BridgeRedis;
  private readonly ttlMs: number;
  private readonly maxSessions: number;
  private readonly clock: Clock;

  constructor(options: RedisSessionStateBackendOptions) {
    this.redis = options.redis;
    this.ttlMs = Math.ceil(options.lookbackSeconds * 1000);
    this.maxSessions = options.maxSessions ?? 50_000;
    this.clock = options.clock;
  }

  async load(key: SessionKey): Promise<SessionState | undefined> {
    return this.restore(await this.redis.client.get(this.stateKey(key)));
  }

  async save(key: SessionKey, state: SessionState): Promise<void> {
    const now = this.clock.now();
    const index = this.indexKey();
    await this.redis.client
      .multi()
      .set(this.stateKey(key), encodeRecord({ snapshot: state.toSnapshot() }), 'PX', this.ttlMs)
      .zadd(index, now, `${key.productId}${SEPARATOR}${key.sessionId}`)
      .zremrangebyscore(index, '-inf', now - this.ttlMs)
      .pexpire(index, this.ttlMs)
      .exec();
  }

  async delete(key: SessionKey): Promise<boolean> {
    await this.redis.client.zrem(this.indexKey(), `${key.productId}${SEPARATOR}${key.sessionId}`);
    return (await this.redis.client.del(this.stateKey(key))) === 1;
  }

  async all(): Promise<SessionState[]> {
    const members = await this.redis.client.zrangebyscore(this.indexKey(), this.clock.now() - this.ttlMs, '+inf');
    const keys = members.slice(-this.maxSessions).map((member) => {
      const [productId = '', sessionId = ''] = member.split(SEPARATOR);
      return this.stateKey({ productId, sessionId });
    });
    const states: SessionState[] = [];
    for (let start = 0; start < keys.length; start += READ_BATCH) {
      for (const text of await this.redis.client.mget(...keys.slice(start, start + READ_BATCH))) {
        const state = this.restore(text);
        if (state) states.push(state);
      }
    }
    return states;
  }

  private restore(text: string | null): SessionState | undefined {
    const record = decodeRecord(text, 'session state');
    return record === null ? undefined : SessionState.fromSnapshot(record['snapshot'], { clock: this.clock });
  }

  private stateKey(key: SessionKey): string {
    return this.redis.key(['session-state', key.sessionId], key.productId);
  }

  private indexKey(): string {
    return this.redis.key(['session-states']);
  }
}
