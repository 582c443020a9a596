/**
 * The connector's Prometheus metrics, on a registry of their own so several connectors in one process
 * (tests, `sightline dev`) never collide in prom-client's global registry.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Ingest doors. */
export type IngestDoor = 'webhook' | 'capture';

/** The metric handles the server updates. */
export interface ConnectorMetrics {
  registry: Registry;
  /** Events by door and result: `accepted`, `invalid` (skipped inside a batch), `unknown_token`. */
  ingestEvents: Counter<'door' | 'result'>;
  /** Ingest requests by door and HTTP status. */
  ingestRequests: Counter<'door' | 'status'>;
  /** Webhook authentication failures per product. */
  signatureFailures: Counter<'product'>;
  /** Open SSE subscribers per product. */
  subscribers: Gauge<'product'>;
  /** Subscribers cut because their queue filled up (they resume by id). */
  subscribersCut: Counter<'product'>;
  /**
   * Rejected stream connects by reason (`missing_key`, `invalid_key`, `foreign_key`, `rate_limited`). An unknown
   * product counts as `invalid_key`, so the metric cannot tell a prober which products exist.
   */
  streamRejects: Counter<'reason'>;
  /**
   * Credential checks by kind (`stream_key`, `admin_token`, `webhook_secret`) and result: `accepted`, `missing`,
   * `rejected` (answered at once), `slowed` (answered after the guard's delay), `refused` (429 before a lookup).
   */
  credentialChecks: Counter<'kind' | 'result'>;
  /** Payloads appended to the event log and fanned out. */
  payloadsPublished: Counter<'type'>;
  /** Acknowledged events another instance held and never logged, taken over by this one (on Redis). */
  eventsRecovered: Counter<'product'>;
  /** Seconds from an event's receipt to the write of its payload frame on a subscriber's socket. */
  deliveryLatency: Histogram;
}

/** Creates the metrics on a new registry (with Node's default process metrics unless disabled). */
export function createConnectorMetrics(options: { defaultMetrics?: boolean } = {}): ConnectorMetrics {
  const registry = new Registry();
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry, prefix: 'sightline_connector_' });
  const registers = [registry];
  return {
    registry,
    ingestEvents: new Counter({ name: 'sightline_ingest_events_total', help: 'Ingested events by door and result.', labelNames: ['door', 'result'], registers }),
    ingestRequests: new Counter({ name: 'sightline_ingest_requests_total', help: 'Ingest requests by door and HTTP status.', labelNames: ['door', 'status'], registers }),
    signatureFailures: new Counter({ name: 'sightline_webhook_signature_failures_total', help: 'Webhook requests whose secret or signature did not verify, per product.', labelNames: ['product'], registers }),
    subscribers: new Gauge({ name: 'sightline_stream_subscribers', help: 'Open SSE subscribers per product.', labelNames: ['product'], registers }),
    subscribersCut: new Counter({ name: 'sightline_stream_subscribers_cut_total', help: 'Subscribers disconnected for falling behind (they resume by id).', labelNames: ['product'], registers }),
    streamRejects: new Counter({ name: 'sightline_stream_connects_rejected_total', help: 'Stream connects refused before streaming, by reason.', labelNames: ['reason'], registers }),
    credentialChecks: new Counter({ name: 'sightline_credential_checks_total', help: 'Credential checks at the connector doors, by kind and result.', labelNames: ['kind', 'result'], registers }),
    eventsRecovered: new Counter({ name: 'sightline_ingest_events_recovered_total', help: 'Acknowledged events held in Redis by an instance that died before logging them, taken over by this one.', labelNames: ['product'], registers }),
    payloadsPublished: new Counter({ name: 'sightline_stream_payloads_published_total', help: 'Payloads appended to the event log and fanned out, by type.', labelNames: ['type'], registers }),
    deliveryLatency: new Histogram({
      name: 'sightline_stream_delivery_latency_seconds',
      help: 'Time from receiving an event to writing its payload frame to a subscriber socket (includes the batching window).',
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    }),
  };
}
