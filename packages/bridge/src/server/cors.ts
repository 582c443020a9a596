/**
 * CORS for the bridge's HTTP routes (the widget or a web app may call `/reply` from the browser), through
 * `@fastify/cors`. The socket.io channel takes the same origins through its own option.
 */
import cors from '@fastify/cors';
import type { FastifyInstance } from 'fastify';

/**
 * Answers allowed origins with `Access-Control-Allow-Origin` and their preflights with 204; an origin not listed
 * gets no CORS header, so the browser blocks it. `'*'` allows every origin (rasa-sdk's default, and fine for a
 * server that takes no cookies).
 */
export async function installCors(app: FastifyInstance, origins: '*' | string[]): Promise<void> {
  await app.register(cors, {
    origin: origins === '*' ? '*' : origins,
    methods: ['GET', 'POST', 'OPTIONS'],
    maxAge: 600,
    // Preflights for any path answer 204, as a browser expects, whether or not the origin is allowed.
    strictPreflight: false,
  });
}
