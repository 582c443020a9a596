/**
 * The request that (re)opens the stream and the checks on its answer: a stream counts as connected only once the
 * status and the content type say it is an event stream with a body.
 */
import { SightlineError } from '@sightline/protocol';
import { createError } from '../errors.ts';

/** 401, 403 and 404 mean the URL or key is wrong: retrying cannot help (docs/reference/wire-contract.md#stream-endpoint). */
const FATAL_STATUSES = new Set([401, 403, 404]);

/** Header values fetch accepts: Latin-1 without control characters that would break the header. */
const HEADER_SAFE = /^[\t\x20-\x7e\x80-\xff]*$/;

function isEventStream(contentType: string | null): boolean {
  return (contentType ?? '').split(';', 1)[0]!.trim().toLowerCase() === 'text/event-stream';
}

/** Frees the connection of a response we will not read. */
export function discardBody(response: Response): void {
  response.body?.cancel().catch(() => undefined);
}

/** The URL and headers of a (re)connect: the token as a bearer, and where to resume after, when known. */
export function streamRequest(url: string, token: string, resumeAfter: string | undefined): { requestUrl: string; headers: Record<string, string> } {
  const headers: Record<string, string> = { Accept: 'text/event-stream' };
  if (token) headers.Authorization = `Bearer ${token}`;
  let requestUrl = url;
  if (resumeAfter && HEADER_SAFE.test(resumeAfter)) {
    headers['Last-Event-ID'] = resumeAfter;
  } else if (resumeAfter) {
    // An id fetch cannot put in a header (non-Latin-1) would fail every reconnect: use the query form instead.
    const withQuery = new URL(url);
    withQuery.searchParams.set('last_event_id', resumeAfter);
    requestUrl = withQuery.href;
  }
  return { requestUrl, headers };
}

/** A stream's answer: a status not worth retrying, a failed attempt, or a body to read. */
export type StreamAnswer =
  | { kind: 'fatal'; error: SightlineError }
  | { kind: 'failed'; error: SightlineError }
  | { kind: 'open'; body: ReadableStream<Uint8Array> };

/** Checks the status, the content type and the body of a stream response; a refused response's body is discarded. */
export function checkStreamAnswer(response: Response, url: string): StreamAnswer {
  const status = response.status;
  if (FATAL_STATUSES.has(status)) {
    discardBody(response);
    const template = createError('SL_STREAM_FATAL_STATUS', { url, status });
    // The catalogue's status is a placeholder: this error carries the status the server answered.
    return { kind: 'fatal', error: new SightlineError(template.code, status, template.message, template.details) };
  }
  if (status < 200 || status > 299) {
    discardBody(response);
    return { kind: 'failed', error: createError('SL_STREAM_HTTP_STATUS', { url, status }) };
  }
  const contentType = response.headers.get('content-type');
  if (!isEventStream(contentType)) {
    discardBody(response);
    return { kind: 'failed', error: createError('SL_STREAM_CONTENT_TYPE', { url, status, contentType: contentType ?? '(none)' }) };
  }
  if (!response.body) return { kind: 'failed', error: createError('SL_STREAM_NETWORK', { url, reason: 'the response has no body' }) };
  return { kind: 'open', body: response.body };
}
