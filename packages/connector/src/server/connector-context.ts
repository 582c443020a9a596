/** What the route modules share: stores, hub, metrics and resolved options of one running connector. */
import type { Clock } from '@sightline/protocol';
import type { CredentialGuard } from '@sightline/protocol/internal';
import type { RedisLogTail } from '../hub/redis-log-tail.ts';
import type { StreamHub } from '../hub/stream-hub.ts';
import type { IngestMemo } from '../ingest/ingest-memo.ts';
import type { EventLog } from '../log/event-log.ts';
import type { ConnectorMetrics } from '../metrics/connector-metrics.ts';
import type { ProductRecord, ProductStore } from '../products/product-store.ts';
import type { IngestPipeline } from './ingest-pipeline.ts';

/** The registration result, exactly the `POST /products` 201 body. */
export interface ProductCredentials {
  product_id: string;
  /** `{publicUrl}/webhook/{product_id}`: the PostHog destination's URL. */
  webhook_url: string;
  /** Sent as `X-PostHog-Secret` (plain or `sha256=` HMAC) or used as the destination's signing secret. */
  webhook_secret: string;
  /** `{publicUrl}/stream/{product_id}`. */
  stream_url: string;
  /** `Authorization: Bearer <stream_key>` for the stream; shown once, stored hashed. */
  stream_key: string;
  /** Alias of `stream_key` (the name Autoplay's tutorial uses). */
  unkey_key: string;
  /** Identifier of the stream key (not secret), for Autoplay's onboarding client. */
  unkey_key_id: string;
  /** Public token for `posthog.init` when posthog-js posts straight to the connector. */
  capture_token: string;
  /** Always `event_stream` (Autoplay's onboarding client reads it). */
  integration_type: 'event_stream';
}

/** Shared state of one connector, handed to each route module. */
export interface ConnectorContext {
  store: ProductStore;
  log: EventLog;
  hub: StreamHub;
  /** With the Redis log: what feeds the hub from the shared log (a stream follows its product before replaying). */
  logTail: RedisLogTail | null;
  pipeline: IngestPipeline;
  metrics: ConnectorMetrics;
  clock: Clock;
  /** The memo of pure string work both ingest doors and extraction share (ingest/ingest-memo.ts). */
  memo: IngestMemo;
  /** Failed credential checks per address and per fingerprint (docs/limits.md). */
  guard: CredentialGuard;
  adminToken: string;
  /** Base URL used in `webhook_url` / `stream_url`; resolved once the server listens. */
  publicUrl(): string;
  maxBodyBytes: number;
  maxDecodedBytes: number;
}

/** The admin view of a product: everything but its secrets. */
export function describeProduct(context: ConnectorContext, record: ProductRecord) {
  const base = context.publicUrl();
  return {
    product_id: record.product_id,
    contact_email: record.contact_email,
    webhook_url: `${base}/webhook/${encodeURIComponent(record.product_id)}`,
    stream_url: `${base}/stream/${encodeURIComponent(record.product_id)}`,
    capture_token: record.capture_token,
    allowed_origins: record.allowed_origins,
    privacy: record.privacy,
    created_at: record.created_at,
    updated_at: record.updated_at,
    subscribers: context.hub.count(record.product_id),
  };
}

/** The credentials body for a freshly (re-)registered product. */
export function credentialsOf(context: ConnectorContext, record: ProductRecord, streamKey: string): ProductCredentials {
  const base = context.publicUrl();
  return {
    product_id: record.product_id,
    webhook_url: `${base}/webhook/${encodeURIComponent(record.product_id)}`,
    webhook_secret: record.webhook_secret,
    stream_url: `${base}/stream/${encodeURIComponent(record.product_id)}`,
    stream_key: streamKey,
    unkey_key: streamKey,
    unkey_key_id: `key_${record.stream_key_hash.slice(0, 24)}`,
    capture_token: record.capture_token,
    integration_type: 'event_stream',
  };
}
