/**
 * `@sightline/sdk/redis`: the SDK's stores on Redis, so several bridges share one state (docs/scaling.md, "Bridge
 * state on Redis"). A subpath of its own because it needs Node and `ioredis`, while the main entry runs wherever
 * `fetch` does. Each backend is built from `{ client, prefix }` (a shared ioredis client, left open) or
 * `{ url, prefix }` (its own client, closed by `close()`); the prefix defaults to `sightline:`.
 */
export { DEFAULT_REDIS_PREFIX, type RedisBackendOptions } from './redis-connection.ts';
// One definition of how a Redis URL is shown (without credentials), re-exported for the SDK's users.
export { redactRedisUrl } from '@sightline/protocol/internal';
export { RedisUserSessionIndex, type RedisUserSessionIndexOptions } from './redis-user-session-index.ts';
export { RedisContextBackend, type RedisContextBackendOptions } from './redis-context-backend.ts';
export { RedisActivityBackend, type RedisActivityBackendOptions } from './redis-activity-backend.ts';
export { RedisSummaryLease } from './redis-summary-lease.ts';
export { RedisStreamPositionStore, type RedisStreamPositionStoreOptions } from './redis-stream-position-store.ts';
