import assert from 'node:assert/strict';
import { test } from 'node:test';
import Fastify from 'fastify';
import { installCors } from './cors.ts';

async function appWith(origins: '*' | string[]) {
  const app = Fastify({ logger: false });
  await installCors(app, origins);
  app.post('/reply', async () => ({ reply: 'ok' }));
  await app.ready();
  return app;
}

const preflight = (origin: string) => ({
  method: 'OPTIONS' as const,
  url: '/reply',
  headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
});

test('a listed origin gets its own origin back on preflights and requests, with Vary: Origin', async () => {
  const app = await appWith(['https://app.example.com']);
  const answer = await app.inject(preflight('https://app.example.com'));
  assert.equal(answer.statusCode, 204);
  assert.equal(answer.headers['access-control-allow-origin'], 'https://app.example.com');
  assert.equal(answer.headers['access-control-allow-headers'], 'content-type');
  assert.match(String(answer.headers['vary']), /\bOrigin\b/);
  const post = await app.inject({ method: 'POST', url: '/reply', headers: { origin: 'https://app.example.com' }, payload: {} });
  assert.equal(post.headers['access-control-allow-origin'], 'https://app.example.com');
});

test('an origin not listed gets no Access-Control-Allow-Origin, so the browser blocks it', async () => {
  const app = await appWith(['https://app.example.com']);
  const answer = await app.inject(preflight('https://evil.example.com'));
  assert.equal(answer.headers['access-control-allow-origin'], undefined);
  assert.equal(answer.headers['access-control-allow-credentials'], undefined);
  const post = await app.inject({ method: 'POST', url: '/reply', headers: { origin: 'https://evil.example.com' }, payload: {} });
  assert.equal(post.headers['access-control-allow-origin'], undefined);
});

test("'*' allows every origin", async () => {
  const app = await appWith('*');
  const answer = await app.inject(preflight('https://anywhere.example.org'));
  assert.equal(answer.statusCode, 204);
  assert.equal(answer.headers['access-control-allow-origin'], '*');
});
