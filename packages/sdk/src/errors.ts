/**
 * The SDK's error catalogue: one stable code per case (docs/STYLE.md). Tests assert codes, not messages.
 * Add entries in alphabetical order; never rename a published code.
 */
import { defineErrors } from '@sightline/protocol';

/** Code → `{ status, message }` of every error the SDK raises (`sdkErrors`); `createError` is internal. */
export const { catalogue: sdkErrors, createError } = defineErrors({
  SL_CLIENT_ALREADY_STARTED: { status: 409, message: 'ConnectorClient is already running; await stop() before calling start() again' },
  SL_CONFIG_INVALID: { status: 500, message: 'Invalid option {option}: {reason}' },
  SL_PLAYBOOK_INVALID: { status: 400, message: 'Playbook {source} is not valid: {reason}' },
  SL_SESSION_KEY_INVALID: { status: 400, message: 'Session key is not valid: {reason}. Pass { productId, sessionId } as strings.' },
  SL_STATE_SNAPSHOT_INVALID: { status: 400, message: 'SessionState snapshot is not valid: {reason}' },
  SL_STATE_TRANSITION_INVALID: { status: 409, message: 'Invalid session state transition: {operation} from {from}' },
  SL_STORE_CONFLICT: { status: 503, message: 'Could not write {key}: other writers changed it {attempts} times in a row; try again' },
  SL_STORE_RECORD_VERSION: { status: 500, message: 'Stored record {key} has schema version {version}; this version of the SDK reads {known}. Upgrade the SDK or remove the key' },
  SL_STREAM_ABORTED: { status: 499, message: 'Stream {url} was aborted by the caller\'s AbortSignal' },
  SL_STREAM_CONNECT_TIMEOUT: { status: 504, message: 'No response from {url} within {timeoutMs} ms' },
  SL_STREAM_CONTENT_TYPE: { status: 502, message: 'Stream {url} answered Content-Type {contentType}, expected text/event-stream; check the URL points at /stream/<product>' },
  SL_STREAM_ENDED: { status: 502, message: 'Stream {url} was closed by the server' },
  SL_STREAM_FATAL_STATUS: { status: 401, message: 'Stream {url} answered HTTP {status}; not retrying. Check the URL (product id) and the stream key' },
  SL_STREAM_FRAME_TOO_LARGE: { status: 502, message: 'Stream {url} buffered more than {maxFrameLength} characters of one unfinished event' },
  SL_STREAM_HTTP_STATUS: { status: 502, message: 'Stream {url} answered HTTP {status}; retrying' },
  SL_STREAM_IDLE_TIMEOUT: { status: 504, message: 'Stream {url} sent nothing (not even a heartbeat) for {idleTimeoutMs} ms' },
  SL_STREAM_NETWORK: { status: 502, message: 'Stream {url} failed: {reason}' },
  SL_STREAM_RETRIES_EXHAUSTED: { status: 503, message: 'Stream {url}: maxRetries={maxRetries} exhausted after {attempts} attempts' },
  SL_WRITER_CLOSED: { status: 409, message: 'AgentContextWriter is closed; payloads added after close() are not delivered' },
});

/** Codes of {@link sdkErrors}. */
export type SdkErrorCode = keyof typeof sdkErrors;
