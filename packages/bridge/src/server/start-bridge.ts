/**
 * Starts the bridge: the SDK pipeline on the connector stream, the reply service, and every chat
 * surface (HTTP `/reply`, the Rasa action server, the socket.io channel) on one Fastify server.
 */
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { pino, type Logger } from 'pino';
import { systemClock, type Clock, type LlmFunction, type ProactiveTrigger } from '@sightline/sdk';
import { redactRedisUrl } from '@sightline/sdk/redis';
import { registerAdminRoutes } from '../admin/admin-routes.ts';
import { forgetUser } from '../admin/forget-user.ts';
import { ChatLimiter } from '../auth/chat-limiter.ts';
import { CredentialCheck, presentedCredential, requireCredential } from '../auth/credential-check.ts';
import { BRIDGE_DEFAULTS, checkBridgeSecurity, type BridgeConfig } from '../config/bridge-config.ts';
import { createBridgeMetrics } from '../health/bridge-metrics.ts';
import { registerHealthRoutes } from '../health/health-routes.ts';
import { IdentityVerifier } from '../identity/identity-verifier.ts';
import type { SenderDirectory } from '../identity/sender-directory.ts';
import type { ConversationHistory } from '../conversation/conversation-history.ts';
import { createChatModel } from '../llm/chat-model.ts';
import { OFFLINE_OPERATOR_HINT } from '../llm/llm-settings.ts';
import { createHelpCenterSource, type HelpCenterSource } from '../knowledge/help-center/help-center-source.ts';
import { registerKnowledgeRoutes } from '../knowledge/knowledge-routes.ts';
import type { KnowledgeSource } from '../knowledge/knowledge-types.ts';
import { createUiMapSource } from '../knowledge/ui-map/ui-map-source.ts';
import { registerUiMapRoutes } from '../knowledge/ui-map/ui-map-routes.ts';
import { UiMap } from '../knowledge/ui-map/ui-map.ts';
import { createBridgePipeline, productIdOf, type BridgePipeline } from '../pipeline/bridge-pipeline.ts';
import type { StreamState } from '../pipeline/stream-state.ts';
import { ActionForwarder } from '../rasa/action-forwarder.ts';
import { createBridgeActions } from '../rasa/bridge-actions.ts';
import { countOfferAnswers, createProactiveActions } from '../proactive/proactive-actions.ts';
import { createProactiveMetrics } from '../proactive/proactive-metrics.ts';
import { createProactiveService, notNowAnswer, type ProactiveService } from '../proactive/proactive-service.ts';
import { PROACTIVE_DEFAULTS } from '../proactive/proactive-settings.ts';
import { createRasaDelivery } from '../proactive/rasa-delivery.ts';
import { createWebhookDelivery } from '../proactive/webhook-delivery.ts';
import { registerRasaActionServer } from '../rasa/rasa-action-server.ts';
import { createReplyService } from '../reply/create-reply-service.ts';
import { registerReplyRoutes } from '../reply/reply-routes.ts';
import type { ReplyService } from '../reply/reply-types.ts';
import { createLlmResponder } from '../responder/llm-responder.ts';
import { createOfflineResponder } from '../responder/offline-responder.ts';
import type { Responder } from '../responder/reply-context.ts';
import { createSummaryLlm } from '../responder/summary-llm.ts';
import { attachSocketChannel, type SocketChannel } from '../socket/socket-channel.ts';
import { createBridgeStores } from './bridge-stores.ts';
import { installCors } from './cors.ts';
import { installErrorHandlers } from './http-errors.ts';

/** Options of {@link startBridge} beyond the configuration. */
export interface StartBridgeOptions {
  /** A pino logger, or `false` for none. Default: JSON logs to stdout at `config.logLevel`. */
  logger?: Logger | false;
  /** Time source for the pipeline, session states and watermarks. Default: the system clock. */
  clock?: Clock;
  /** fetch used by the stream client (tests inject one). Default: the global fetch. */
  fetch?: (input: string, init: RequestInit) => Promise<Response>;
  /** Answers chat messages; default: the configured LLM's responder, or the offline responder. */
  responder?: Responder;
  /** The summarizer's model function; default: the configured LLM, or an extractive summary. */
  summaryLlm?: LlmFunction;
  /**
   * Called once when the stream fails for good (wrong key, unknown product: 401/403/404, or retries
   * exhausted). The bridge keeps serving; the CLI uses this to exit with a one-line message.
   */
  onStreamFatal?: (error: Error) => void;
  /** Whether to open the connector stream (default true; false for tests and benchmarks that feed payloads). */
  connectStream?: boolean;
  /** Knowledge sources of the team's own, asked after the help center and the UI map. */
  knowledgeSources?: readonly KnowledgeSource[];
  /** Proactive triggers of the team's own, evaluated after the playbook and the built-ins (with `PROACTIVE` on; docs/proactive.md). */
  proactiveTriggers?: readonly ProactiveTrigger[];
}

/** A started bridge. */
export interface RunningBridge {
  /** Base URL, e.g. `http://127.0.0.1:8090`. */
  url: string;
  port: number;
  /** The Fastify app (for `inject` in tests, or to add routes). */
  app: FastifyInstance;
  /** The SDK pipeline (store, user index, session states); `pipeline.ingest(payload)` feeds a payload directly. */
  pipeline: BridgePipeline;
  /** The reply service every surface uses. */
  replies: ReplyService;
  /** Conversation history (shared through Redis with `REDIS_URL`). */
  history: ConversationHistory;
  /** user id → Rasa sender id / socket conversation, for proactive delivery (shared through Redis with `REDIS_URL`). */
  senders: SenderDirectory;
  /** The socket.io channel. */
  socket: SocketChannel;
  /** The product's UI map, learned from every user's paths (docs/knowledge.md, "UI map"). */
  uiMap: UiMap;
  /** The help center over `KNOWLEDGE_DIR` (docs/knowledge.md, "Help center"); null without one. */
  helpCenter: HelpCenterSource | null;
  /** The stream's health. */
  streamState(): StreamState;
  /** Stops the stream (draining queued payloads), the socket channel and the HTTP server. */
  close(): Promise<void>;
}

function defaultResponder(config: BridgeConfig): { responder: Responder; summaryLlm: LlmFunction } {
  const model = createChatModel(config.llm);
  const responder = model ? createLlmResponder(model, { maxHistoryTurns: config.historyTurns, tokenBudget: config.promptTokenBudget }) : createOfflineResponder();
  return { responder, summaryLlm: createSummaryLlm(model) };
}

/**
 * Starts the bridge and resolves once it listens. The stream connects in the background: the bridge
 * answers from the start, and keeps answering while the stream reconnects.
 *
 * @example
 * const bridge = await startBridge(loadBridgeConfig());
 * console.log(`bridge on ${bridge.url}`);
 * process.on('SIGTERM', () => void bridge.close());
 */
export async function startBridge(config: BridgeConfig, options: StartBridgeOptions = {}): Promise<RunningBridge> {
  checkBridgeSecurity(config);
  const clock = options.clock ?? systemClock;
  const logger: Logger =
    options.logger === false ? pino({ level: 'silent' }) : (options.logger ?? pino({ level: config.logLevel, base: { service: 'sightline-bridge' } }));
  const defaults = options.responder && options.summaryLlm ? undefined : defaultResponder(config);
  const responder = options.responder ?? defaults!.responder;
  const summaryLlm = options.summaryLlm ?? defaults!.summaryLlm;

  // The channel is attached after the routes; the metrics read it lazily.
  const attached: { socket?: SocketChannel; proactive?: ProactiveService } = {};
  const stores = createBridgeStores(config, { clock, logger });
  const uiMap = new UiMap({
    store: stores.uiMap,
    clock,
    minUsers: config.uiMap.minUsers,
    // With identity verification on, only users who proved their id at a chat door count (docs/knowledge.md).
    requireVerified: config.identitySecrets.length > 0,
    deny: config.uiMap.deny,
    demoSeed: config.uiMap.demoSeed,
  });
  const knowledge = config.knowledge ?? BRIDGE_DEFAULTS.knowledge;
  const helpCenter = knowledge.dir
    ? createHelpCenterSource({
        dir: knowledge.dir,
        ...(knowledge.indexPath ? { indexPath: knowledge.indexPath } : {}),
        defaultLanguage: knowledge.defaultLanguage,
        clock,
        logger,
      })
    : null;
  // A reply asks the help center, then the UI map, then the team's own sources (docs/knowledge.md).
  const knowledgeSources: KnowledgeSource[] = [
    ...(helpCenter ? [helpCenter] : []),
    createUiMapSource(uiMap, { onError: (error) => logger.warn({ err: error }, 'ui-map-source-failed') }),
    ...(options.knowledgeSources ?? []),
  ];
  const pipeline = createBridgePipeline({
    config,
    clock,
    logger,
    summaryLlm,
    ...(stores.pipeline ? { stores: stores.pipeline } : {}),
    onActionsApplied: async (payload, tabs) => {
      // The connector names where the events came from (keyed hashes): the UI map's tenant rule and address cap.
      await uiMap.learn(payload, tabs, payload.origin ?? {});
      await attached.proactive?.onActivity(tabs);
    },
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.onStreamFatal ? { onStreamFatal: options.onStreamFatal } : {}),
  });
  const metrics = createBridgeMetrics({
    trackedCounts: () => pipeline.trackedCounts(),
    isStreamConnected: () => pipeline.streamState().isConnected,
    streamDropped: () => pipeline.streamState().droppedCount,
    socketConnections: () => attached.socket?.connectedCount ?? 0,
    sessionStates: () => pipeline.states.counts(),
  });
  pipeline.setMetrics(metrics);
  // Proactive help (docs/proactive.md): on with PROACTIVE; `sightline dev` turns it on.
  const proactiveSettings = config.proactive ?? PROACTIVE_DEFAULTS;
  // With a model configured it words the offers (checked to be short and name only labels of the state).
  const phrasingModel = proactiveSettings.enabled ? createChatModel(config.llm) : null;
  const proactive = proactiveSettings.enabled
    ? createProactiveService({
        settings: proactiveSettings,
        tracker: pipeline.tracker,
        states: pipeline.states,
        ledger: stores.proactiveLedger,
        senders: stores.senders,
        clock,
        logger,
        metrics: createProactiveMetrics(metrics.registry),
        interactionTimeoutS: config.interactionTimeoutS,
        ...(options.proactiveTriggers ? { triggers: [...options.proactiveTriggers] } : {}),
        ...(phrasingModel ? { phrase: (request) => phrasingModel({ ...request, temperature: 0.4, maxOutputTokens: 80 }) } : {}),
        ...(proactiveSettings.rasaUrl ? { rasa: createRasaDelivery({ url: proactiveSettings.rasaUrl, token: proactiveSettings.rasaToken, logger }) } : {}),
        ...(proactiveSettings.webhookUrl && proactiveSettings.webhookSecret
          ? { webhook: createWebhookDelivery({ url: proactiveSettings.webhookUrl, secret: proactiveSettings.webhookSecret, now: () => clock.now(), logger }) }
          : {}),
      })
    : undefined;
  attached.proactive = proactive;

  const { history, senders, failures: guard } = stores;
  const apiKey = new CredentialCheck('bridge_key', config.apiKeys, guard);
  const identity = new IdentityVerifier({
    secrets: config.identitySecrets,
    failures: guard,
    now: () => clock.now(),
    onVerified: (userId) => void uiMap.markVerified(productIdOf(config.streamUrl), userId).catch((error: unknown) => logger.warn({ err: error }, 'ui-map-verify-failed')),
  });
  const replies = createReplyService({
    activity: pipeline.activity,
    responder,
    history,
    watermarks: pipeline.watermarks,
    onChat: (session) => pipeline.states.markReactive({ productId: session.productId, sessionId: session.sessionId }),
    onOutcome: (outcome) => metrics.recordReply(outcome),
    maxQueryLength: config.maxQueryLength,
    sessionsPerUser: config.sessionsPerUser,
    knowledgeSources,
    knowledgeTimeoutMs: knowledge.timeoutMs,
    chatLimiter: new ChatLimiter({ perMinute: config.chatMessagesPerMinute, maxUsers: config.maxConversations, now: () => clock.now() }),
    clock,
    logger,
  });

  const app = Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    // One line per request would drown the log at chat rates; routes log what matters themselves.
    logController: new LogController({ disableRequestLogging: true }),
    forceCloseConnections: true,
    // Long user ids must reach the handler's coded 400, not the router's 404 (its default limit is 100).
    routerOptions: { maxParamLength: 1024 },
    // With proxies in front, the client is the address the farthest trusted hop saw (docs/limits.md).
    // (Fastify's own number form does the same; its types accept only this function form.)
    trustProxy: (_address: string, hop: number) => hop < config.trustProxyHops,
  });
  await installCors(app, config.corsOrigins);
  installErrorHandlers(app);
  registerReplyRoutes(app, replies, { apiKey, identity });
  registerHealthRoutes(
    app,
    {
      trackedCounts: () => pipeline.trackedCounts(),
      streamState: () => pipeline.streamState(),
      llm: config.llm,
      redis: () => stores.isRedisConnected(),
    },
    metrics,
    { apiKey, metricsPublic: config.metricsPublic },
  );
  registerUiMapRoutes(app, { map: uiMap, productId: productIdOf(config.streamUrl), decayDays: config.uiMap.decayDays, authorize: requireCredential(apiKey) });
  registerKnowledgeRoutes(app, {
    sources: knowledgeSources,
    helpCenter: helpCenter ? () => helpCenter.stats() : null,
    productId: productIdOf(config.streamUrl),
    authorize: requireCredential(apiKey),
    timeoutMs: knowledge.timeoutMs,
    clock,
    logger,
  });
  registerAdminRoutes(app, {
    adminToken: config.adminToken,
    check: new CredentialCheck('admin_token', config.adminToken === null ? [] : [config.adminToken], guard),
    // The socket channel is attached below; it is read when a user is forgotten.
    forgetUser: async (userId) => {
      const report = await forgetUser({ pipeline, history, senders, socket: attached.socket, uiMap }, userId);
      // Offers, cooldowns and "Not now" of the user go too (kept whether or not PROACTIVE is on now).
      await (proactive ? proactive.forgetUser(userId) : stores.proactiveLedger.forgetUser(userId));
      return report;
    },
  });
  const bridgeActions = {
    ...(proactive
      ? countOfferAnswers(createBridgeActions({ replies, senders, identity, now: () => clock.now() }), (senderId) => proactive.onRasaAnswer(senderId))
      : createBridgeActions({ replies, senders, identity, now: () => clock.now() })),
    // Served with PROACTIVE off too: a Rasa domain that lists them never gets a 404, and an old "Not now" still answers.
    ...createProactiveActions({
      identity,
      dismiss: async (userId, language) => (proactive ? proactive.dismiss(userId, language) : notNowAnswer(language)),
      senders,
      now: () => clock.now(),
      ...(proactive ? { onReady: (userId: string) => proactive.onWidgetReady(userId) } : {}),
    }),
  };
  // The team's own action server, for the actions the bridge does not serve (docs/rasa-actions.md).
  const forwarder =
    config.actionServerUrl === null
      ? undefined
      : new ActionForwarder({
          target: { url: config.actionServerUrl, token: config.actionServerToken, timeoutS: config.actionServerTimeoutS },
          clock,
          onForward: (outcome, durationMs) => metrics.recordActionForward(outcome, durationMs),
        });
  await registerRasaActionServer(app, {
    actions: bridgeActions,
    authorize: requireCredential(apiKey),
    ...(forwarder
      ? {
          forward: forwarder,
          canSeeDetails: async (request) => !apiKey.isConfigured || (await apiKey.check(presentedCredential(request), request.ip)) === 'valid',
        }
      : {}),
  });
  const socket = attachSocketChannel(app.server, {
    replies,
    senders,
    identity,
    now: () => clock.now(),
    corsOrigins: config.corsOrigins,
    trustProxyHops: config.trustProxyHops,
    maxConversations: config.maxConversations,
    ...(stores.bindings ? { bindings: stores.bindings } : {}),
    ...(stores.socketAdapter ? { adapter: stores.socketAdapter } : {}),
    sessionPersistence: config.socketSessionPersistence,
    ...(proactive ? { proactive } : {}),
    logger,
  });
  attached.socket = socket;
  proactive?.setWidgets(socket);

  try {
    // The first answers already use the help center: its saved index loads (or builds) before the bridge listens.
    await helpCenter?.ready();
    await app.listen({ port: config.port, host: config.host });
  } catch (error) {
    await helpCenter?.close();
    forwarder?.close();
    await socket.close();
    await pipeline.stop();
    await stores.close();
    throw error;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : config.port;
  const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  if (options.connectStream !== false) pipeline.start();
  await proactive?.start();
  logger.info(
    {
      url,
      llm: config.llm.provider,
      model: config.llm.model,
      responder: responder.kind,
      api_key: apiKey.isConfigured ? 'required' : 'off',
      identity: identity.isRequired ? 'verified' : 'trusted',
      state: config.redisUrl === null ? 'memory' : `redis ${redactRedisUrl(config.redisUrl)}`,
      help_center: helpCenter ? { dir: knowledge.dir, ...helpCenter.stats() } : 'off',
    },
    'bridge-started',
  );
  if (!apiKey.isConfigured || !identity.isRequired) {
    logger.warn(
      { host: config.host, insecure: config.insecure },
      'bridge-doors-open: without BRIDGE_API_KEY and IDENTITY_SECRET anyone who reaches this bridge can ask about any user id',
    );
  }
  if (forwarder) void forwarder.announce(Object.keys(bridgeActions), app.log);
  // Info, not warn: running offline is a valid choice, and `sightline dev` says so in its banner already.
  if (responder.kind === 'offline') logger.info({ hint: OFFLINE_OPERATOR_HINT }, 'llm-not-configured');

  let closing: Promise<void> | undefined;
  return {
    url,
    port,
    app,
    pipeline,
    replies,
    history,
    senders,
    socket,
    uiMap,
    helpCenter,
    streamState: () => pipeline.streamState(),
    close() {
      closing ??= (async () => {
        proactive?.stop();
        await pipeline.stop();
        forwarder?.close();
        await helpCenter?.close();
        await socket.close();
        await app.close();
        await stores.close();
        logger.info('bridge-stopped');
      })();
      return closing;
    },
  };
}
