/**
 * The bridge's error catalogue: one stable code, HTTP status and message per case (docs/STYLE.md).
 * HTTP errors answer `{"error": {"code", "message"}}`. Tests assert codes and statuses, not messages.
 * Add entries in alphabetical order; never rename a published code.
 */
import { defineErrors } from '@sightline/protocol';

export const { catalogue: bridgeErrors, createError } = defineErrors({
  SL_ACTION_SERVER_ANSWER_TOO_LARGE: { status: 502, message: "The team's action server at {url} answered more than {limitBytes} bytes." },
  SL_ACTION_SERVER_TIMEOUT: { status: 502, message: "The team's action server at {url} did not answer within {timeoutS} s (ACTION_SERVER_TIMEOUT_S)." },
  SL_ACTION_SERVER_UNREACHABLE: { status: 502, message: "Could not reach the team's action server at {url}: {reason}" },
  SL_ADMIN_DISABLED: { status: 404, message: 'Admin routes are disabled: set BRIDGE_ADMIN_TOKEN to enable them.' },
  SL_ADMIN_TOKEN_INVALID: { status: 401, message: 'Missing or wrong admin token: send "Authorization: Bearer <BRIDGE_ADMIN_TOKEN>".' },
  SL_AUTH_REQUIRED: { status: 401, message: 'Missing or wrong key: send "Authorization: Bearer <BRIDGE_API_KEY>" (or ?token=<BRIDGE_API_KEY>).' },
  SL_BODY_INVALID: { status: 400, message: 'Invalid request body: {reason}' },
  SL_CONFIG_INVALID: { status: 500, message: 'Invalid option {option}: {reason}' },
  SL_IDENTITY_UNVERIFIED: {
    status: 401,
    message: 'The user id is not verified ({reason}): send user_hash = hex HMAC-SHA256(IDENTITY_SECRET, user id) from your backend, or call with the bridge key.',
  },
  SL_INTERNAL: { status: 500, message: 'Internal error: {reason}' },
  SL_LLM_ABORTED: { status: 499, message: '{provider} request was cancelled before it finished.' },
  SL_LLM_AUTH: { status: 502, message: '{provider} rejected the API key (HTTP {statusCode}); check {option}.' },
  SL_LLM_EMPTY_REPLY: { status: 502, message: '{provider} answered with no text.' },
  SL_LLM_RATE_LIMITED: { status: 503, message: '{provider} is rate limiting requests (HTTP 429); try again shortly.' },
  SL_LLM_TIMEOUT: { status: 504, message: '{provider} did not answer within {timeoutMs} ms (LLM_TIMEOUT_MS).' },
  SL_LLM_UNREACHABLE: { status: 502, message: 'Could not reach {provider} at {url}: {reason}' },
  SL_LLM_UPSTREAM_ERROR: { status: 502, message: '{provider} failed (HTTP {statusCode}): {reason}' },
  SL_QUERY_MISSING: { status: 400, message: 'The query is missing or empty: pass ?query=<text> (GET) or "query" in the body (POST).' },
  SL_QUERY_PARAMETER_INVALID: { status: 400, message: 'Invalid query parameter {name}: {reason}' },
  SL_QUERY_TOO_LONG: { status: 400, message: 'The query is {length} characters long; the limit is {limit} (MAX_QUERY_LENGTH).' },
  SL_RATE_LIMITED: { status: 429, message: 'Too many requests; retry in {retryAfterS} s.' },
  SL_RECORD_VERSION_UNKNOWN: {
    status: 500,
    message: 'A stored {what} has schema version {version}, which this bridge does not read (it reads version 1); upgrade this bridge.',
  },
  SL_ROUTE_NOT_FOUND: { status: 404, message: 'No route {method} {url}.' },
  SL_USER_ID_INVALID: { status: 400, message: 'Invalid user id: {reason}' },
});

/** Codes of {@link bridgeErrors}. */
export type BridgeErrorCode = keyof typeof bridgeErrors;
