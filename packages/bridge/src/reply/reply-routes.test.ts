import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import Fastify from 'fastify';
import { CredentialGuard } from '@sightline/protocol/internal';
import { CredentialCheck } from '../auth/credential-check.ts';
import { guardFailures } from '../auth/credential-failures.ts';
import { IdentityVerifier } from '../identity/identity-verifier.ts';
import { installErrorHandlers } from '../server/http-errors.ts';
import { registerReplyRoutes } from './reply-routes.ts';
import type { ReplyRequest, ReplyService } from './reply-types.ts';

const KEY = 'bridge-key-for-reply-route-tests-0123456789';

/** The routes in front of a service that records what reached it; `apiKey` makes the key door required. */
async function routes(t: TestContext, options: { apiKey?: string } = {}) {
  const requests: ReplyRequest[] = [];
  const replies: ReplyService = {
    async prepare(request) {
      requests.push(request);
      return { body: { reply: 'ok', name: null, has_activity: false }, commit: async () => {} };
    },
    async greet() {
      return 'hello';
    },
  };
  const now = () => 1_700_000_000_000;
  const failures = guardFailures(new CredentialGuard({ now }));
  const app = Fastify({ logger: false });
  installErrorHandlers(app);
  registerReplyRoutes(app, replies, {
    apiKey: new CredentialCheck('bridge_key', options.apiKey ? [options.apiKey] : [], failures),
    identity: new IdentityVerifier({ secrets: [], failures, now }),
  });
  await app.ready();
  t.after(() => app.close());
  const post = async (body: unknown, headers: Record<string, string> = {}) => {
    const response = await app.inject({ method: 'POST', url: '/reply', headers: { 'content-type': 'application/json', ...headers }, payload: JSON.stringify(body) });
    return { status: response.statusCode, code: (response.json() as { error?: { code: string } }).error?.code };
  };
  const get = async (url: string) => {
    const response = await app.inject({ method: 'GET', url });
    return { status: response.statusCode, code: (response.json() as { error?: { code: string } }).error?.code };
  };
  return { post, get, requests };
}

test('POST /reply of the wrong shape answers coded 400s and never reaches the service', async (t) => {
  const { post, requests } = await routes(t);
  assert.deepEqual(await post([1, 2]), { status: 400, code: 'SL_BODY_INVALID' });
  assert.deepEqual(await post({ user_id: true, query: 'hi' }), { status: 400, code: 'SL_BODY_INVALID' });
  assert.deepEqual(await post({ user_id: 'u-42', query: { text: 'hi' } }), { status: 400, code: 'SL_BODY_INVALID' });
  assert.deepEqual(await post({ user_id: 'u-42', query: 'hi', session_id: ['s'] }), { status: 400, code: 'SL_BODY_INVALID' });
  assert.deepEqual(await post({ query: 'hi' }), { status: 400, code: 'SL_USER_ID_INVALID' });
  assert.equal(requests.length, 0);
});

test('POST /reply passes numeric ids on as text and ignores unknown fields', async (t) => {
  const { post, requests } = await routes(t);
  assert.deepEqual(await post({ user_id: 42, query: 'hi', session_id: 7, conversation_id: 9, language: 'es', sender: 'widget', metadata: {} }), { status: 200, code: undefined });
  assert.deepEqual(requests, [{ userId: '42', query: 'hi', sessionId: '7', conversationId: '9', language: 'es', channel: 'http' }]);
});

test('POST /reply with the key and only a user token names no one: SL_USER_ID_INVALID', async (t) => {
  const { post, requests } = await routes(t, { apiKey: KEY });
  assert.deepEqual(await post({ user_token: 'header.payload.signature', query: 'hi' }, { authorization: `Bearer ${KEY}` }), { status: 400, code: 'SL_USER_ID_INVALID' });
  assert.equal(requests.length, 0);
});

test('GET /reply with a parameter given twice is SL_QUERY_PARAMETER_INVALID; unknown parameters are ignored', async (t) => {
  const { get, requests } = await routes(t);
  assert.deepEqual(await get('/reply/u-42?query=hi&session_id=a&session_id=b'), { status: 400, code: 'SL_QUERY_PARAMETER_INVALID' });
  assert.deepEqual(await get('/reply/u-42?query=a&query=b'), { status: 400, code: 'SL_QUERY_PARAMETER_INVALID' });
  assert.equal(requests.length, 0);
  assert.deepEqual(await get('/reply/u-42?query=hi&session_id=%20s-1%20&user_hash=&_=1700000000'), { status: 200, code: undefined });
  assert.deepEqual(requests, [{ userId: 'u-42', query: 'hi', sessionId: 's-1', conversationId: null, language: null, channel: 'http' }]);
});
