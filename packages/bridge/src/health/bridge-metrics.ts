/**
 * The bridge's Prometheus metrics, on a registry of its own (two bridges in one process, as in tests
 * or `sightline dev`, never share counters). Names are noun-then-verb (STYLE.md).
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { ReplyOutcome } from '../reply/create-reply-service.ts';

/** Live figures the gauges read at scrape time. */
export interface BridgeGaugeSources {
  /** Users and sessions tracked (read from Redis at scrape time when the pipeline's stores live there). */
  trackedCounts(): Promise<{ users: number; sessions: number }>;
  isStreamConnected(): boolean;
  streamDropped(): number;
  socketConnections(): number;
  /** Sessions per state (read from Redis at scrape time when the states live there). */
  sessionStates(): Promise<Record<string, number>>;
}

/** The metrics and the hooks that feed them. */
export interface BridgeMetrics {
  registry: Registry;
  recordReply(outcome: ReplyOutcome): void;
  recordPayload(type: string): void;
  recordStreamDisconnect(): void;
  recordGap(): void;
  /** One Rasa action call forwarded to the team's action server, by how it ended (docs/rasa-actions.md). */
  recordActionForward(outcome: string, durationMs: number): void;
}

/**
 * Creates the registry with the bridge's metrics and Node's default process metrics.
 *
 * @example
 * const metrics = createBridgeMetrics(sources);
 * app.get('/metrics', async (_request, reply) => reply.type(metrics.registry.contentType).send(await metrics.registry.metrics()));
 */
export function createBridgeMetrics(sources: BridgeGaugeSources): BridgeMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'sightline_bridge_' });

  const replies = new Counter({
    name: 'sightline_bridge_replies_total',
    help: 'Chat messages handled, by channel and outcome (ok, llm_error, or the code of a rejected request).',
    labelNames: ['channel', 'outcome'] as const,
    registers: [registry],
  });
  const replyDuration = new Histogram({
    name: 'sightline_bridge_reply_duration_seconds',
    help: 'Time to prepare a reply, model call included.',
    labelNames: ['channel'] as const,
    buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 2, 5, 10, 20],
    registers: [registry],
  });
  const payloads = new Counter({
    name: 'sightline_bridge_payloads_received_total',
    help: 'Stream payloads received from the connector, by type.',
    labelNames: ['type'] as const,
    registers: [registry],
  });
  const disconnects = new Counter({
    name: 'sightline_bridge_stream_disconnects_total',
    help: 'Times the connector stream was lost (each is followed by a reconnect that resumes by id).',
    registers: [registry],
  });
  const gaps = new Counter({
    name: 'sightline_bridge_stream_gaps_total',
    help: 'Gap frames: the connector could not replay everything missed while disconnected.',
    registers: [registry],
  });
  const actionForwards = new Counter({
    name: 'sightline_bridge_action_calls_forwarded_total',
    help: "Rasa action calls forwarded to the team's action server, by outcome (ok, rejected, unknown_action, failed: its answers; timeout, unreachable, answer_too_large: a 502).",
    labelNames: ['outcome'] as const,
    registers: [registry],
  });
  const actionForwardDuration = new Histogram({
    name: 'sightline_bridge_action_forward_duration_seconds',
    help: "Time a forwarded Rasa action call took, the team's action server included.",
    buckets: [0.005, 0.01, 0.05, 0.1, 0.5, 1, 2, 5, 10, 30, 60],
    registers: [registry],
  });
  new Gauge({
    name: 'sightline_bridge_stream_connected',
    help: '1 while the connector stream is connected.',
    registers: [registry],
    collect() {
      this.set(sources.isStreamConnected() ? 1 : 0);
    },
  });
  new Gauge({
    name: 'sightline_bridge_stream_dropped_payloads',
    help: 'Payloads the stream client dropped because its queue was full (since start).',
    registers: [registry],
    collect() {
      this.set(sources.streamDropped());
    },
  });
  new Gauge({
    name: 'sightline_bridge_users_tracked',
    help: 'Users with recent activity in the user index.',
    registers: [registry],
    async collect() {
      this.set((await sources.trackedCounts()).users);
    },
  });
  new Gauge({
    name: 'sightline_bridge_sessions_tracked',
    help: 'Sessions held in the context store.',
    registers: [registry],
    async collect() {
      this.set((await sources.trackedCounts()).sessions);
    },
  });
  new Gauge({
    name: 'sightline_bridge_socket_connections',
    help: 'Open socket.io connections (chat widgets).',
    registers: [registry],
    collect() {
      this.set(sources.socketConnections());
    },
  });
  new Gauge({
    name: 'sightline_bridge_session_states',
    help: 'Tracked sessions by conversation state (thinking, proactive_assistance, reactive_assistance).',
    labelNames: ['state'] as const,
    registers: [registry],
    async collect() {
      for (const [state, count] of Object.entries(await sources.sessionStates())) this.set({ state }, count);
    },
  });

  return {
    registry,
    recordReply(outcome) {
      replies.inc({ channel: outcome.channel, outcome: outcome.outcome });
      replyDuration.observe({ channel: outcome.channel }, outcome.durationMs / 1000);
    },
    recordPayload: (type) => payloads.inc({ type }),
    recordStreamDisconnect: () => disconnects.inc(),
    recordGap: () => gaps.inc(),
    recordActionForward(outcome, durationMs) {
      actionForwards.inc({ outcome });
      actionForwardDuration.observe(durationMs / 1000);
    },
  };
}
