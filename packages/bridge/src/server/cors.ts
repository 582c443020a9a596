/**
 * CORS for the bridge's HTTP routes (the widget or a web app may call `/reply` from the browser). The
 * socket.io channel takes the same origins through its own option.
 */
import type { FastifyInstance } from 'fastify';

/**
 * Adds `Access-Control-Allow-Origin` for allowed origins and answers preflights with 204.
 * `'*'` allows every origin (rasa-sdk's default, and fine for a server that takes no cookies).
 */
export function installCors(app: FastifyInstance, origins: '*' | string[]): void {
  const allowed = origins === '*' ? null : new Set(origins);
  app.addHook('onRequest', async (request, reply) => {
    const origin = request.headers.origin;
    if (origin === undefined) return;
    if (allowed === null) reply.header('access-control-allow-origin', '*');
    else if (allowed.has(origin)) {
      reply.header('access-control-allow-origin', origin);
      reply.header('vary', 'Origin');
    } else return;
    if (request.method === 'OPTIONS' && request.headers['access-control-request-method'] !== undefined) {
      reply.header('access-control-allow-methods', 'GET, POST, OPTIONS');
      reply.header('access-control-allow-headers', request.headers['access-control-request-headers'] ?? 'content-type');
      reply.header('access-control-max-age', '600');
      return reply.code(204).send();
    }
  });
  // Preflights to any path reach the hook above through this catch-all route.
  app.options('/*', async (_request, reply) => reply.code(204).send());
}
