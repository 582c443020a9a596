/**
 * The bridge's SDK pipeline: the connector stream feeds the context store (which feeds the user index),
 * the agent context writer (which feeds the summarizer, whose summaries land back in the store), and
 * one SessionState per session. A lost stream reconnects and resumes by event id while replies go on
 * being served from what is already held.
 */
import type { ActionsPayload, SummaryPayload } from '@sightline/protocol';
import {
  ActivityTracker,
  AgentContextWriter,
  ConnectorClient,
  ContextStore,
  MemoryActivityBackend,
  MemoryChatWatermarkStore,
  type ChatWatermarkStore,
  MemoryContextBackend,
  SessionSummarizer,
  UserSessionIndex,
  sessionKeyOf,
  type ActivityBackend,
  type ContextBackend,
  type StreamPositionStore,
  type SummaryLease,
  type UserIndex,
  type ActivityState,
  type SessionContext,
  type SessionKey,
  type Clock,
  type LlmFunction,
  type Logger as SdkLogger,
} from '@sightline/sdk';
import type { Logger } from 'pino';
import type { BridgeConfig } from '../config/bridge-config.ts';
import type { BridgeMetrics } from '../health/bridge-metrics.ts';
import { summaryActionLines } from '../prompts/step-line.ts';
import type { ReplySession } from '../responder/reply-context.ts';
import type { ActivitySource, UserActivity } from '../reply/activity-source.ts';
import type { ReplyWatermarks } from '../reply/create-reply-service.ts';
import { MemorySessionProducts, type SessionProducts } from './session-products.ts';
import { SessionStates, type SessionStateBackend } from './session-states.ts';
import type { StreamState } from './stream-state.ts';
import type { TrackedActivity, TrackedCounts } from './tracked-activity.ts';
import { WaitingSummaryLease } from './waiting-summary-lease.ts';

/** What the pipeline needs from the configuration. */
export type PipelineConfig = Pick<
  BridgeConfig,
  'streamUrl' | 'streamKey' | 'summaryThreshold' | 'lookbackSeconds' | 'maxActions' | 'maxSessions' | 'maxConversations' | 'interactionTimeoutS' | 'cooldownPeriodS'
>;

/** Options of {@link createBridgePipeline}. */
export interface BridgePipelineOptions {
  config: PipelineConfig;
  clock: Clock;
  logger: Logger;
  /** The summarizer's model function. */
  summaryLlm: LlmFunction;
  fetch?: (input: string, init: RequestInit) => Promise<Response>;
  /** Called once when the stream fails for good (401/403/404 or retries exhausted). */
  onStreamFatal?: (error: Error) => void;
  /**
   * Where the pipeline's state lives (watermarks, session products, session states, and the SDK's stores); default:
   * this process's memory. startBridge passes the Redis stores when `REDIS_URL` is set.
   */
  stores?: PipelineStores;
  /** Reconnect when nothing arrives for this long, heartbeats included (default 75 000 ms; connectors beat every 15–30 s). */
  idleTimeoutMs?: number;
  /**
   * Called once per `actions` payload applied (never for a replay), with the tab states the activity tracker returned
   * for it: the UI map learns here. A failure is logged (`payload-learner-failed`) and the payload stays applied.
   */
  onActionsApplied?: (payload: ActionsPayload, tabs: readonly ActivityState[]) => Promise<unknown>;
}

/** The pipeline's own stores, each memory or Redis. */
export interface PipelineStores {
  watermarks: ChatWatermarkStore;
  sessionProducts: SessionProducts;
  sessionStates: SessionStateBackend;
  /** The SDK's stores shared with other bridges; undefined keeps the SDK's memory ones. */
  shared?: SharedPipelineStores;
}

/**
 * The SDK's stores when several bridges share them (docs/scaling.md, "The pipeline on Redis"): payloads are applied
 * once by event id, summaries are made under a shared lease and continue the stored story, and the stream resumes from
 * the stored position.
 */
export interface SharedPipelineStores {
  userIndex: UserIndex;
  contextBackend: ContextBackend;
  activityBackend: ActivityBackend;
  summaryLease: SummaryLease;
  streamPosition: StreamPositionStore;
  /** The users and sessions counts, which the shared index and store cannot give synchronously. */
  tracked: TrackedActivity;
}

/** The running pipeline. */
export interface BridgePipeline {
  readonly store: ContextStore;
  readonly userIndex: UserIndex;
  readonly summarizer: SessionSummarizer;
  readonly states: SessionStates;
  /** Where each tab of each session is: the activity state, which summaries never empty. */
  readonly tracker: ActivityTracker;
  /** What the reply service reads. */
  readonly activity: ActivitySource;
  /** Per-conversation watermarks of the last inbound chat message. */
  readonly watermarks: ReplyWatermarks;
  /**
   * Feeds one payload as if it came from the stream (tests, benchmarks, embedding without a stream). With `meta.id`
   * (its stream event id) a payload already applied, by this bridge or another on the same store, is not applied again.
   */
  ingest(payload: ActionsPayload | SummaryPayload, meta?: { id?: string | null }): Promise<void>;
  /** Opens the stream in the background and starts the state pulse. */
  start(): void;
  /** Stops the stream (handling what is queued), the pulse and the summarizer. */
  stop(): Promise<void>;
  streamState(): StreamState;
  /**
   * Users in the user index, counted synchronously: exact in memory; on Redis the figure of the latest
   * {@link trackedCounts} call (every `/healthz` and `/metrics` read refreshes it).
   */
  usersTracked(): number;
  /** Sessions in the context store, as {@link usersTracked} counts users. */
  sessionsTracked(): number;
  /** Users and sessions tracked now: the stores' sizes in memory, two `ZCOUNT`s on Redis. */
  trackedCounts(): Promise<TrackedCounts>;
  /** Forgets a user's sessions (store, summarizer, states) and index entry. */
  resetUser(userId: string): Promise<void>;
  /**
   * Forgets everything the pipeline holds about a user (docs/forget-a-user.md): their sessions in the context store
   * (actions, stories, covered actions, pending summaries), the user index entry and email, their tabs, the sessions'
   * states and product lookups, and the watermarks of the given conversations. Says what it removed.
   */
  forgetUser(userId: string, conversationIds?: Iterable<string>): Promise<PipelineForgetReport>;
  /** Connects the metrics (done once by startBridge). */
  setMetrics(metrics: BridgeMetrics): void;
}

/** What {@link BridgePipeline.forgetUser} removed. */
export interface PipelineForgetReport {
  /** Sessions removed from the context store (with their stories and covered actions). */
  sessions: number;
  /** Tabs removed from the activity tracker. */
  tabs: number;
  /** Session states (THINKING / PROACTIVE / REACTIVE) removed. */
  sessionStates: number;
  /** Session → product lookups removed. */
  sessionProducts: number;
  /** Conversation watermarks removed. */
  watermarks: number;
}

/** Adapts pino (fields first) to the SDK's small logger interface (message first). */
function sdkLogger(logger: Logger): SdkLogger {
  return {
    debug: (message, fields) => logger.debug(fields ?? {}, message),
    info: (message, fields) => logger.info(fields ?? {}, message),
    warn: (message, fields) => logger.warn(fields ?? {}, message),
    error: (message, fields) => logger.error(fields ?? {}, message),
  };
}

/** The product id of a stream URL (`…/stream/<product>`), or `""`. */
export function productIdOf(streamUrl: string): string {
  try {
    const segments = new URL(streamUrl).pathname.split('/').filter(Boolean);
    return decodeURIComponent(segments.at(-1) ?? '');
  } catch {
    return '';
  }
}

/** A stored session as replies read it: its story, and its last raw actions whether the story covers them or not. */
function toReplySession(session: SessionContext): ReplySession {
  return { productId: session.productId, sessionId: session.sessionId, summary: session.summary ?? '', actions: session.recentActions };
}

/**
 * Builds the pipeline. Nothing connects until `start()`.
 *
 * @example
 * const pipeline = createBridgePipeline({ config, clock: systemClock, logger, summaryLlm });
 * pipeline.start();
 */
export function createBridgePipeline(options: BridgePipelineOptions): BridgePipeline {
  const { config, clock, logger } = options;
  const shared = options.stores?.shared;
  let metrics: BridgeMetrics | undefined;
  // Bridges on one store each hold the payloads they stored first, so a busy session is waited for, never left.
  const lease = shared ? new WaitingSummaryLease({ lease: shared.summaryLease, clock }) : undefined;
  // The backend is ours too, so /healthz can count the sessions it holds (in memory).
  const memoryBackend = shared ? undefined : new MemoryContextBackend();
  const backend: ContextBackend = shared?.contextBackend ?? memoryBackend!;

  const summarizer = new SessionSummarizer({
    llm: options.summaryLlm,
    // The model reads steps ("went to 'Billing'", "chose 'Business' in 'Upgrade plan'"), not URLs and ids.
    formatActions: summaryActionLines,
    threshold: config.summaryThreshold,
    maxSessions: config.maxSessions,
    clock,
    onError: (error, context) => logger.warn({ err: error, ...context }, 'summary-failed'),
    // On a shared store another bridge may have told part of the story: continue the stored one.
    ...(lease ? { lease, readStory: async (key: SessionKey) => (await backend.read(key))?.summary?.text ?? null } : {}),
  });
  const memoryIndex = shared ? undefined : new UserSessionIndex({ lookbackSeconds: config.lookbackSeconds, maxUsers: config.maxSessions, clock });
  const userIndex: UserIndex = shared?.userIndex ?? memoryIndex!;
  const store = new ContextStore({
    summarizer,
    // The writer feeds the summarizer; the store only stores (so actions are not counted twice).
    feedSummarizer: false,
    lookbackSeconds: config.lookbackSeconds,
    maxActions: config.maxActions,
    maxSessions: config.maxSessions,
    backend,
    userIndex,
    clock,
    onError: (error, context) => logger.warn({ err: error, ...context }, 'summary-store-failed'),
  });
  // The store already subscribes to the summarizer; the writer's destination is the log (the
  // Autoplay recipe's order, with listeners instead of an overwritten callback,
  // docs/decisions/D-24-summary-listeners.md).
  const writer = new AgentContextWriter({
    summarizer,
    debounceMs: 0,
    clock,
    overwriteWithSummary: (summary) => {
      logger.debug({ product_id: summary.productId, session_id: summary.sessionId, replaces: summary.replaces }, 'session-summarized');
    },
    onError: (error, context) => logger.warn({ err: error, ...context }, 'writer-failed'),
  });
  // Several tabs per session at most: room for every session's tabs before the oldest are evicted.
  const tracker = new ActivityTracker({
    backend: shared?.activityBackend ?? new MemoryActivityBackend({ maxTabs: config.maxSessions * 4 }),
    lookbackSeconds: config.lookbackSeconds,
    clock,
  });
  const states = new SessionStates({
    interactionTimeoutS: config.interactionTimeoutS,
    cooldownPeriodS: config.cooldownPeriodS,
    maxSessions: config.maxSessions,
    ...(options.stores ? { backend: options.stores.sessionStates } : {}),
    clock,
  });
  const chatWatermarks = options.stores?.watermarks ?? new MemoryChatWatermarkStore({ maxConversations: config.maxConversations });
  // The bridge serves one product's stream: its conversations are scoped to that product.
  const watermarks: ReplyWatermarks = {
    getPreviousInboundAt: (conversationId) => chatWatermarks.getPreviousInboundAt({ productId, conversationId }),
    setLastInboundAt: (conversationId, atS) => chatWatermarks.setLastInboundAt({ productId, conversationId }, atS),
  };
  /** session id → products it was seen in, so a message naming only a session id finds its key. */
  const productsBySession: SessionProducts = options.stores?.sessionProducts ?? new MemorySessionProducts({ maxSessions: config.maxSessions });

  let status: StreamState['status'] = 'stopped';
  let lastEventAt: number | null = null;
  let gapCount = 0;
  let disconnectCount = 0;
  let failure: string | null = null;
  let running: Promise<void> | undefined;

  let counted: TrackedCounts = { users: 0, sessions: 0 };

  async function ingestActions(payload: ActionsPayload, eventId: string | null): Promise<void> {
    metrics?.recordPayload('actions');
    // False for a replay too (this bridge restarted, or another bridge applied it first): the rest is done already.
    const stored = await store.add(payload, { id: eventId });
    if (!stored) return;
    const tabs = await tracker.apply(payload);
    if (options.onActionsApplied) {
      await options.onActionsApplied(payload, tabs).catch((error: unknown) => logger.warn({ err: error, product_id: payload.product_id }, 'payload-learner-failed'));
    }
    // The store keyed it the same way, so the key is never null here.
    const key = sessionKeyOf(payload)!;
    await Promise.all([
      productsBySession.add(key.sessionId, key.productId),
      states.touch(key),
      shared?.tracked.record(key, typeof payload.user_id === 'string' ? payload.user_id : null),
    ]);
    await writer.add(payload);
  }

  async function ingest(payload: ActionsPayload | SummaryPayload, meta: { id?: string | null } = {}): Promise<void> {
    lastEventAt = clock.now();
    const eventId = meta.id ?? null;
    if (payload.type === 'actions') await ingestActions(payload, eventId);
    else {
      metrics?.recordPayload('summary');
      await store.add(payload, { id: eventId });
    }
  }

  async function trackedCounts(): Promise<TrackedCounts> {
    counted = shared ? await shared.tracked.counts() : { users: memoryIndex!.size, sessions: memoryBackend!.size };
    return counted;
  }

  const productId = productIdOf(config.streamUrl);

  const client = new ConnectorClient({
    url: config.streamUrl,
    token: config.streamKey,
    clock,
    logger: sdkLogger(logger),
    idleTimeoutMs: options.idleTimeoutMs ?? 75_000,
    ...(options.fetch ? { fetch: options.fetch } : {}),
    // A restarted bridge resumes where the product's bridges stopped: nothing retained is lost, the replay is absorbed.
    ...(shared && productId !== '' ? { position: { store: shared.streamPosition, productId } } : {}),
  })
    .onActions((payload, meta) => ingest(payload, meta))
    .onSummary((payload, meta) => ingest(payload, meta))
    .onGap((gap) => {
      gapCount++;
      metrics?.recordGap();
      logger.warn({ last_event_id: gap.last_event_id, resumed_from: gap.resumed_from, reason: gap.reason }, 'stream-gap-received');
    })
    .onDrop((drop) => logger.warn({ reason: drop.reason, total_dropped: drop.totalDropped }, 'stream-payload-dropped'))
    .onConnect(() => {
      status = 'connected';
      logger.info({ url: config.streamUrl, last_event_id: client.lastEventId }, 'stream-connected');
    })
    .onDisconnect((info) => {
      status = 'reconnecting';
      disconnectCount++;
      metrics?.recordStreamDisconnect();
      logger.warn({ code: info.error.code, retry_count: info.retryCount }, 'stream-disconnected');
    });

  /**
   * A session named directly, in every product that has it, when it is this user's: the user index lists it for them,
   * or none of its actions names anyone else (a visitor not identified yet). Knowing another user's session id
   * reads nothing of theirs.
   */
  async function sessionsOf(userId: string, sessionId: string): Promise<ReplySession[]> {
    const products = new Set(await productsBySession.productsOf(sessionId));
    const indexed = new Set<string>();
    for (const ref of await userIndex.getRecentSessions(userId)) {
      if (ref.sessionId === sessionId) {
        products.add(ref.productId);
        indexed.add(ref.productId);
      }
    }
    const sessions = await Promise.all([...products].map((productId) => store.getSession({ productId, sessionId })));
    const isOwn = (session: SessionContext) =>
      indexed.has(session.productId) || !session.recentActions.some((action) => action.user_id !== null && action.user_id !== undefined && action.user_id !== userId);
    return sessions.filter((session) => session.context !== '' && isOwn(session)).map(toReplySession);
  }

  /**
   * The tabs of these sessions that belong to this user, the one acted in last first. A tab whose actions name
   * another user is never returned, so no activity of one user reaches another's reply.
   */
  async function tabsOf(userId: string, sessions: readonly ReplySession[]): Promise<ActivityState[]> {
    const tabs = (await Promise.all(sessions.map((session) => tracker.tabsOf(session.productId, session.sessionId)))).flat();
    return tabs.filter((tab) => tab.userId === null || tab.userId === userId).sort((a, b) => b.lastAt - a.lastAt);
  }

  async function forgetUser(userId: string, conversationIds: Iterable<string> = []): Promise<PipelineForgetReport> {
    // The store's forgetUser also empties the user index (it is the store's), and hands back every session of the user.
    const { sessions, removed } = await store.forgetUser(userId);
    const report: PipelineForgetReport = { sessions: removed, tabs: 0, sessionStates: 0, sessionProducts: 0, watermarks: 0 };
    report.tabs = await tracker.forgetUser(userId, sessions);
    await shared?.tracked.forgetUser(userId, sessions);
    for (const key of sessions) {
      if (await states.delete(key)) report.sessionStates++;
      if (await productsBySession.remove(key.sessionId, key.productId)) report.sessionProducts++;
    }
    for (const conversationId of conversationIds) {
      if (await chatWatermarks.delete({ productId, conversationId })) report.watermarks++;
    }
    return report;
  }

  const activity: ActivitySource = {
    async forUser(userId, { sessions }) {
      const context = await store.forUser(userId, { sessions });
      const replySessions = context.sessions.map(toReplySession);
      return { email: context.email, sessions: replySessions, tabs: await tabsOf(userId, replySessions) };
    },
    async forSession(userId, sessionId) {
      const replySessions = await sessionsOf(userId, sessionId);
      return { email: await userIndex.getEmail(userId), sessions: replySessions, tabs: await tabsOf(userId, replySessions) };
    },
    activitySince(user: UserActivity, cutoffS: number) {
      // Covered by a summary or not: everything received after the previous message.
      const keys = user.sessions.map((session) => ({ productId: session.productId, sessionId: session.sessionId }));
      return store.actionsReceivedSince(keys, cutoffS * 1000);
    },
  };

  return {
    store,
    userIndex,
    summarizer,
    states,
    tracker,
    activity,
    watermarks,
    ingest,
    start() {
      if (running) return;
      states.start();
      status = 'connecting';
      running = client.start().then(
        () => {
          status = 'stopped';
        },
        (error: Error) => {
          status = 'failed';
          failure = error.message;
          logger.error({ err: error, code: (error as { code?: string }).code }, 'stream-failed');
          options.onStreamFatal?.(error);
        },
      );
    },
    async stop() {
      states.stop();
      await client.stop();
      await running;
      await writer.close();
      lease?.stop();
      await summarizer.close({ summarizePending: false });
      await store.close();
      status = status === 'failed' ? 'failed' : 'stopped';
    },
    streamState() {
      // Payloads only: heartbeats say the stream is open (isConnected), not that the product is in use.
      return {
        status,
        isConnected: client.isConnected,
        lastEventAt,
        lastEventAgeS: lastEventAt === null ? null : Math.max(0, (clock.now() - lastEventAt) / 1000),
        lastEventId: client.lastEventId,
        droppedCount: client.droppedCount,
        malformedCount: client.malformedCount,
        gapCount,
        disconnectCount,
        error: failure,
      };
    },
    usersTracked: () => memoryIndex?.size ?? counted.users,
    sessionsTracked: () => memoryBackend?.size ?? counted.sessions,
    trackedCounts,
    async resetUser(userId) {
      await forgetUser(userId);
    },
    forgetUser,
    setMetrics(value) {
      metrics = value;
    },
  };
}
