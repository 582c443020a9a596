/**
 * Request URLs as they may be logged: the path, and a query string only as `?[redacted]`. Tokens travel in
 * query strings (`?token=`, a resume id, a capture body in `?data=`), so no logged URL carries one.
 */

/** A request's URL without the values of its query string. */
export function redactUrl(url: string): string {
  const queryAt = url.indexOf('?');
  return queryAt === -1 ? url : `${url.slice(0, queryAt)}?[redacted]`;
}

/** pino `req` serializer for the connector's logger: method and redacted URL, no headers, no client address. */
export function serializeRequest(request: { method?: string; url?: string }): { method?: string; url?: string } {
  return {
    ...(request.method === undefined ? {} : { method: request.method }),
    ...(request.url === undefined ? {} : { url: redactUrl(request.url) }),
  };
}
