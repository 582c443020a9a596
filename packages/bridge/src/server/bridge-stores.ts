/**
 * Where the bridge keeps its own state (docs/scaling.md, "Bridge-only state"): this process's memory by default, or,
 * with `REDIS_URL`, Redis shared by every bridge of the product, with socket.io rooms spanning the bridges through
 * `@socket.io/redis-adapter`.
 */
import { createAdapter } from '@socket.io/redis-adapter';
import type { Logger } from 'pino';
import type { ServerOptions } from 'socket.io';
import { CredentialGuard } from '@sightline/protocol/internal';
import type { Clock } from '@sightline/sdk';
import { RedisActivityBackend, RedisContextBackend, RedisStreamPositionStore, RedisSummaryLease, RedisUserSessionIndex } from '@sightline/sdk/redis';
import { guardFailures, type CredentialFailures } from '../auth/credential-failures.ts';
import { RedisCredentialFailures } from '../auth/redis-credential-failures.ts';
import type { BridgeConfig } from '../config/bridge-config.ts';
import { MemoryConversationHistory, type ConversationHistory } from '../conversation/conversation-history.ts';
import { RedisConversationHistory } from '../conversation/redis-conversation-history.ts';
import { RedisSenderDirectory } from '../identity/redis-sender-directory.ts';
import { MemorySenderDirectory, type SenderDirectory } from '../identity/sender-directory.ts';
import { productIdOf, type PipelineStores } from '../pipeline/bridge-pipeline.ts';
import { RedisSessionProducts } from '../pipeline/redis-session-products.ts';
import { RedisSessionStateBackend } from '../pipeline/redis-session-states.ts';
import { RedisTrackedActivity } from '../pipeline/tracked-activity.ts';
import { bridgeRedis, connectRedis, type BridgeRedis } from '../redis/bridge-redis.ts';
import { RedisUiMapStore } from '../knowledge/ui-map/redis-ui-map-store.ts';
import { MemoryUiMapStore, type UiMapStore } from '../knowledge/ui-map/ui-map-store.ts';
import { RedisChatWatermarks } from '../reply/redis-chat-watermarks.ts';
import type { ConversationBindings } from '../socket/conversation-bindings.ts';
import { RedisConversationBindings } from '../socket/redis-conversation-bindings.ts';
import { MemoryProactiveLedger, type ProactiveLedger } from '../proactive/proactive-ledger.ts';
import { RedisProactiveLedger } from '../proactive/redis-proactive-ledger.ts';

/** The bridge's stores, and the Redis behind them when there is one. */
export interface BridgeStores {
  history: ConversationHistory;
  senders: SenderDirectory;
  /** Proactive claims, cooldowns, caps and "Not now" (docs/proactive.md). */
  proactiveLedger: ProactiveLedger;
  failures: CredentialFailures;
  /** Socket bindings; undefined lets the channel keep its own in memory. */
  bindings: ConversationBindings | undefined;
  /** The pipeline's stores; undefined keeps its memory defaults. */
  pipeline: PipelineStores | undefined;
  /** The UI map's contributions (docs/knowledge.md, "UI map"). */
  uiMap: UiMapStore;
  /** The socket.io adapter; undefined keeps socket.io's in-memory one. */
  socketAdapter: ServerOptions['adapter'] | undefined;
  /** The Redis connection, or null in memory. */
  redis: BridgeRedis | null;
  /** Whether Redis answers commands now (`/healthz`); null in memory. */
  isRedisConnected(): boolean | null;
  /** Closes the Redis connections (after the servers stopped). */
  close(): Promise<void>;
}

/**
 * Builds the stores for a configuration: memory without `redisUrl`, Redis with it.
 *
 * @example
 * const stores = createBridgeStores(config, { clock, logger });
 */
export function createBridgeStores(config: BridgeConfig, options: { clock: Clock; logger: Logger }): BridgeStores {
  const { clock, logger } = options;
  const uiMapLimits = { windowMs: config.uiMap.decayDays * 24 * 3600 * 1000 };
  if (config.redisUrl === null) {
    return {
      history: new MemoryConversationHistory({ maxTurns: config.historyTurns, maxConversations: config.maxConversations }),
      senders: new MemorySenderDirectory({ maxUsers: config.maxConversations }),
      proactiveLedger: new MemoryProactiveLedger({ clock, maxUsers: config.maxConversations }),
      // Wrong credentials of every kind are counted in one place, so guessing slows down and the owner never waits.
      failures: guardFailures(new CredentialGuard(clock)),
      bindings: undefined,
      pipeline: undefined,
      uiMap: new MemoryUiMapStore({ clock, limits: uiMapLimits }),
      socketAdapter: undefined,
      redis: null,
      isRedisConnected: () => null,
      close: async () => undefined,
    };
  }
  const client = connectRedis(config.redisUrl, (message) => logger.warn({ reason: message }, 'redis-connection-failed'));
  // A subscriber connection cannot run commands, so the adapter gets one of its own.
  const subscriber = client.duplicate();
  subscriber.on('error', () => undefined);
  // The adapter publishes every room emit and never handles a failed publish: with Redis gone (or the bridge closing)
  // that would be an unhandled rejection, which ends a Node process. Its own publisher logs the failure instead.
  const publisher = client.duplicate();
  publisher.on('error', () => undefined);
  const publish = publisher.publish.bind(publisher) as (channel: string, message: string | Buffer) => Promise<number>;
  publisher.publish = ((channel: string, message: string | Buffer) => {
    const sent = publish(channel, message);
    sent.catch((error: Error) => logger.warn({ reason: error.message }, 'socket-broadcast-failed'));
    return sent;
  }) as typeof publisher.publish;
  const redis = bridgeRedis(client, config.redisPrefix, productIdOf(config.streamUrl));
  const ttlSeconds = config.historyTtlSeconds;
  // The SDK's stores share the bridge's one connection and prefix (they leave a client handed in open).
  const shared = { client, prefix: config.redisPrefix };
  const lookbackSeconds = config.lookbackSeconds;
  return {
    history: new RedisConversationHistory({ redis, maxTurns: config.historyTurns, ttlSeconds }),
    senders: new RedisSenderDirectory({ redis, ttlSeconds }),
    proactiveLedger: new RedisProactiveLedger({ redis, clock }),
    failures: new RedisCredentialFailures({ redis }),
    bindings: new RedisConversationBindings({ redis, ttlSeconds }),
    pipeline: {
      watermarks: new RedisChatWatermarks({ redis, ttlSeconds }),
      sessionProducts: new RedisSessionProducts({ redis, lookbackSeconds: config.lookbackSeconds }),
      sessionStates: new RedisSessionStateBackend({ redis, lookbackSeconds, maxSessions: config.maxSessions, clock }),
      shared: {
        userIndex: new RedisUserSessionIndex({ ...shared, lookbackSeconds, clock }),
        contextBackend: new RedisContextBackend(shared),
        activityBackend: new RedisActivityBackend({ ...shared, lookbackSeconds }),
        summaryLease: new RedisSummaryLease(shared),
        streamPosition: new RedisStreamPositionStore(shared),
        tracked: new RedisTrackedActivity({ redis, lookbackSeconds, clock }),
      },
    },
    uiMap: new RedisUiMapStore({ redis, clock, limits: uiMapLimits }),
    // The channels carry the product's hash tag too, so bridges of other products (or test runs) never hear them.
    socketAdapter: createAdapter(publisher, subscriber, { key: redis.key(['socket.io']) }),
    redis,
    isRedisConnected: () => client.status === 'ready',
    async close() {
      await Promise.all([subscriber, publisher, client].map((connection) => connection.quit().catch(() => connection.disconnect())));
    },
  };
}
