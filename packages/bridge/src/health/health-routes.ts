/**
 * `GET /healthz` (the tutorial's `{status, users_tracked, sessions_tracked}` plus stream state), `GET /livez` and
 * `GET /readyz` (for probes: alive, and ready to give grounded answers), and `GET /metrics` (Prometheus text). The
 * probes and the `{status}` of `/healthz` are public; the details and the metrics need the bridge key when one is
 * configured (docs/security.md), unless `BRIDGE_METRICS_PUBLIC` opens the metrics.
 */
import type { FastifyInstance } from 'fastify';
import { presentedCredential, requireCredential, type CredentialCheck } from '../auth/credential-check.ts';
import type { LlmSettings } from '../llm/chat-model.ts';
import { OFFLINE_OPERATOR_HINT } from '../llm/llm-settings.ts';
import type { StreamState } from '../pipeline/stream-state.ts';
import type { BridgeMetrics } from './bridge-metrics.ts';

/** What `/healthz` reads. */
export interface HealthSources {
  /** Users and sessions tracked (on Redis read from Redis, docs/scaling.md "The pipeline on Redis"). */
  trackedCounts(): Promise<{ users: number; sessions: number }>;
  streamState(): StreamState;
  llm: LlmSettings;
  /** Whether Redis answers, or null when the bridge keeps its state in memory (then the body has no `redis`). */
  redis?: () => boolean | null;
}

/** The `/healthz` body: `status` is `ok` while the stream is connected, else `degraded` (replies still work). */
export interface HealthBody {
  status: 'ok' | 'degraded' | 'error';
  users_tracked: number;
  sessions_tracked: number;
  stream: {
    connected: boolean;
    state: StreamState['status'];
    last_event_age_s: number | null;
    last_event_id: string | null;
    dropped: number;
    malformed: number;
    gaps: number;
    disconnects: number;
    error: string | null;
  };
  /** `hint` says how to configure a model while the offline responder answers. */
  llm: { provider: string; model: string; hint?: string };
  /** Present when the bridge keeps its state in Redis (`REDIS_URL`). */
  redis?: { connected: boolean };
}

/** Builds the `/healthz` body. */
export async function healthBody(sources: HealthSources): Promise<HealthBody> {
  const stream = sources.streamState();
  const isRedisConnected = sources.redis?.() ?? null;
  const tracked = await sources.trackedCounts();
  return {
    status: stream.status === 'connected' ? 'ok' : stream.status === 'failed' ? 'error' : 'degraded',
    users_tracked: tracked.users,
    sessions_tracked: tracked.sessions,
    stream: {
      connected: stream.isConnected,
      state: stream.status,
      last_event_age_s: stream.lastEventAgeS,
      last_event_id: stream.lastEventId,
      dropped: stream.droppedCount,
      malformed: stream.malformedCount,
      gaps: stream.gapCount,
      disconnects: stream.disconnectCount,
      error: stream.error,
    },
    llm: {
      provider: sources.llm.provider,
      model: sources.llm.model,
      ...(sources.llm.provider === 'offline' ? { hint: OFFLINE_OPERATOR_HINT } : {}),
    },
    ...(isRedisConnected === null ? {} : { redis: { connected: isRedisConnected } }),
  };
}

/** The `/readyz` answer: ready while the stream is connected (and Redis answers, when the bridge uses it). */
export interface ReadyBody {
  status: 'ready' | 'not_ready';
  /** What keeps the bridge from being ready: `stream` (connecting, reconnecting or failed) and/or `redis`. */
  waiting_for: Array<'stream' | 'redis'>;
}

/** Builds the `/readyz` answer. */
export function readyBody(sources: Pick<HealthSources, 'streamState' | 'redis'>): ReadyBody {
  const waiting: ReadyBody['waiting_for'] = [];
  if (!sources.streamState().isConnected) waiting.push('stream');
  if (sources.redis?.() === false) waiting.push('redis');
  return { status: waiting.length === 0 ? 'ready' : 'not_ready', waiting_for: waiting };
}

/** Who may read the details: the bridge key, and whether the metrics are open to anyone. */
export interface HealthAccess {
  apiKey: CredentialCheck;
  metricsPublic: boolean;
}

/** Adds `/healthz`, `/livez`, `/readyz` and `/metrics`. */
export function registerHealthRoutes(app: FastifyInstance, sources: HealthSources, metrics: BridgeMetrics, access: HealthAccess): void {
  // Liveness: the process serves requests. A probe that restarts on failure belongs here, never on /readyz, or a
  // connector outage would restart every bridge.
  app.get('/livez', async () => ({ status: 'ok' }));
  // Readiness: grounded answers need the stream (and Redis, where the state lives); 503 takes the bridge out of a
  // load balancer or a compose `service_healthy` wait until they are back. Replies without activity still work.
  app.get('/readyz', async (_request, reply) => {
    const body = readyBody(sources);
    return reply.status(body.status === 'ready' ? 200 : 503).send(body);
  });
  app.get('/healthz', async (request) => {
    const body = await healthBody(sources);
    if (!access.apiKey.isConfigured) return body;
    // A probe without the key learns only whether the bridge is up; a wrong key is counted like on any door.
    const result = await access.apiKey.check(presentedCredential(request), request.ip);
    return result === 'valid' ? body : { status: body.status };
  });
  app.get('/metrics', { ...(access.metricsPublic ? {} : { onRequest: requireCredential(access.apiKey) }) }, async (_request, reply) =>
    reply.type(metrics.registry.contentType).send(await metrics.registry.metrics()),
  );
}
