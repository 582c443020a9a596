/**
 * CORS for the capture door, as posthog-js needs it (docs/reference/posthog-capture.md#cors): echo the Origin, allow
 * credentials (posthog-js 1.200 sent XHR with credentials), GET/POST/OPTIONS, and echo the requested headers.
 *
 * The bridge uses `@fastify/cors`; this door does not, on purpose: the plugin is a global hook that reads each
 * request's route config to know whether it applies, on every webhook too, while these headers are attached only to
 * the capture routes when they are added (start-connector.ts, `onRoute`; docs/hot-path.md).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';

/** Adds the capture door's CORS headers to a reply. */
export function applyCaptureCors(request: FastifyRequest, reply: FastifyReply): void {
  const origin = request.headers.origin;
  void reply.header('vary', 'Origin');
  if (origin) {
    void reply.header('access-control-allow-origin', origin);
    void reply.header('access-control-allow-credentials', 'true');
  } else {
    void reply.header('access-control-allow-origin', '*');
  }
  void reply.header('access-control-allow-methods', 'GET, POST, OPTIONS');
  const requested = request.headers['access-control-request-headers'];
  if (requested) void reply.header('access-control-allow-headers', requested);
  void reply.header('access-control-max-age', '86400');
}
