/**
 * The connector's error catalogue: one stable code, HTTP status and message per case (docs/STYLE.md).
 * HTTP errors answer `{"error": {"code", "message"}}`. Tests assert codes and statuses, not messages.
 * Add entries in alphabetical order; never rename a published code.
 */
import { defineErrors } from '@sightline/protocol';

export const { catalogue: connectorErrors, createError } = defineErrors({
  SL_ADMIN_TOKEN_INVALID: { status: 401, message: 'Admin token missing or wrong: send Authorization: Bearer <admin token> (CONNECTOR_ADMIN_TOKEN).' },
  SL_ADMIN_TOKEN_RATE_LIMITED: { status: 429, message: 'This admin token already failed; retry in {retryAfterS} s with the right one (CONNECTOR_ADMIN_TOKEN).' },
  SL_BODY_INVALID: { status: 400, message: 'Request body is not valid: {reason}' },
  SL_BODY_TOO_LARGE: { status: 413, message: 'Request body is larger than {limit} bytes {stage}; send smaller batches.' },
  SL_CAPTURE_TOKEN_MISSING: { status: 400, message: 'No project token in the capture body: posthog.init must be given the capture_token from POST /products.' },
  SL_CAPTURE_TOKEN_UNKNOWN: { status: 404, message: 'No product has this capture token; register the product and use its capture_token.' },
  SL_CONFIG_INVALID: { status: 500, message: 'Invalid option {option}: {reason}' },
  SL_CONTACT_EMAIL_INVALID: { status: 400, message: 'contact_email is required and must be an email address (got {value}).' },
  SL_DATA_DIR_INVALID: { status: 500, message: 'Data dir {path} cannot be used: {reason}' },
  SL_EVENT_LOG_RECORD_UNSUPPORTED: { status: 500, message: 'The event log holds a record of version {version}, which this connector cannot read; upgrade it.' },
  SL_EVENT_LOG_UNAVAILABLE: { status: 503, message: 'The event log (Redis) is not reachable; events were not accepted, retry shortly.' },
  SL_FORGET_REQUEST_INVALID: { status: 400, message: 'Cannot forget the user: {reason}' },
  SL_INGEST_EVENT_INVALID: { status: 400, message: 'Event {index} of the batch was skipped: {reason}' },
  SL_INTERNAL: { status: 500, message: 'Internal error; the connector logged the details.' },
  SL_ORIGIN_NOT_ALLOWED: { status: 403, message: 'Origin {origin} is not in the allowed origins of product {productId}.' },
  SL_PRIVACY_RULE_INVALID: { status: 400, message: 'Privacy rule {rule} is not accepted: {reason}' },
  SL_PRODUCT_EXISTS: { status: 409, message: 'Product {productId} is already registered; send force_reregister: true to rotate its secrets.' },
  SL_PRODUCT_ID_INVALID: { status: 400, message: 'product_id must be 1-128 characters of letters, digits, ".", "_" or "-" (got {value}).' },
  SL_PRODUCT_NOT_FOUND: { status: 404, message: 'Product {productId} is not registered.' },
  SL_REDIS_UNAVAILABLE: { status: 503, message: 'Redis at {target} does not answer ({reason}); start it, or fix REDIS_URL (--redis).' },
  SL_ROUTE_NOT_FOUND: { status: 404, message: 'No route {method} {path}.' },
  SL_STORED_RECORD_UNSUPPORTED: { status: 500, message: 'Stored record {key} has schema version {version}; this connector reads version {known}: upgrade it.' },
  SL_STREAM_KEY_FOREIGN: { status: 403, message: 'This stream key belongs to another product than {productId}.' },
  SL_STREAM_KEY_INVALID: { status: 401, message: 'Stream key is not valid for this product, or no such product is registered.' },
  SL_STREAM_KEY_MISSING: { status: 401, message: 'Send the stream key as Authorization: Bearer <stream_key>.' },
  SL_STREAM_RATE_LIMITED: { status: 429, message: 'This stream key already failed for this product; retry in {retryAfterS} s with the right key.' },
  SL_WEBHOOK_RATE_LIMITED: { status: 429, message: 'This webhook secret or signature already failed; retry in {retryAfterS} s with the product\'s webhook_secret.' },
  SL_WEBHOOK_SIGNATURE_INVALID: { status: 401, message: 'Webhook signature does not match this product\'s webhook_secret, or no such product is registered.' },
  SL_WEBHOOK_SIGNATURE_MISSING: { status: 401, message: 'Webhook carries no X-PostHog-Secret or webhook-signature header: send the product\'s webhook_secret.' },
});

/** Codes of {@link connectorErrors}. */
export type ConnectorErrorCode = keyof typeof connectorErrors;
