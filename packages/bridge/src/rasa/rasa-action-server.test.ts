import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { deflateSync } from 'node:zlib';
import Fastify from 'fastify';
import { CredentialGuard } from '@sightline/protocol/internal';
import { guardFailures } from '../auth/credential-failures.ts';
import { CredentialCheck, requireCredential } from '../auth/credential-check.ts';
import { createError } from '../errors.ts';
import { IdentityVerifier } from '../identity/identity-verifier.ts';
import { MemorySenderDirectory, type SenderDirectory } from '../identity/sender-directory.ts';
import { signUserId } from '../identity/user-hash.ts';
import type { ReplyRequest, ReplyService } from '../reply/reply-types.ts';
import { createBridgeActions } from './bridge-actions.ts';
import { registerRasaActionServer } from './rasa-action-server.ts';

/** A complete action call, byte for byte (docs/reference/rasa-protocols.md#example-call). */
const EXAMPLE = JSON.parse(readFileSync(new URL('./__fixtures__/rasa-action-call.json', import.meta.url), 'utf8')) as Record<string, unknown>;

function fakeReplies(options: { fail?: Error } = {}) {
  const requests: ReplyRequest[] = [];
  let commits = 0;
  const service: ReplyService = {
    async prepare(request) {
      requests.push(request);
      if (options.fail) throw options.fail;
      return { body: { reply: `answer to ${request.query}`, name: 'Ada', has_activity: true }, commit: async () => void commits++ };
    },
    async greet() {
      return 'hello';
    },
  };
  return { service, requests, commits: () => commits };
}

async function appWith(replies: ReplyService, senders: SenderDirectory = new MemorySenderDirectory(), identitySecrets: string[] = []) {
  const app = Fastify({ logger: false });
  const now = () => 1_700_000_000_000;
  const identity = new IdentityVerifier({ secrets: identitySecrets, failures: guardFailures(new CredentialGuard({ now })), now });
  await registerRasaActionServer(app, { actions: createBridgeActions({ replies, senders, identity, now }) });
  await app.ready();
  return app;
}

test('GET /health and GET /actions answer as rasa-sdk does', async () => {
  const app = await appWith(fakeReplies().service);
  const health = await app.inject({ method: 'GET', url: '/health' });
  assert.equal(health.statusCode, 200);
  assert.equal(health.body, '{"status":"ok"}');
  const actions = await app.inject({ method: 'GET', url: '/actions' });
  assert.deepEqual(actions.json(), [{ name: 'action_ask_llm' }, { name: 'action_help_current_page' }, { name: 'action_recent_activity' }]);
});

test('the reference example call to action_ask_llm answers {events, responses} for metadata.userId and learns the sender', async () => {
  const replies = fakeReplies();
  const senders: SenderDirectory = new MemorySenderDirectory();
  const app = await appWith(replies.service, senders);
  const response = await app.inject({ method: 'POST', url: '/webhook', payload: { ...EXAMPLE, next_action: 'action_ask_llm' } });
  assert.equal(response.statusCode, 200);
  assert.equal(response.body, '{"events":[],"responses":[{"text":"answer to where is my order no 12345"}]}');
  assert.deepEqual(replies.requests, [
    { userId: 'u-42', query: 'where is my order no 12345', conversationId: '9f1c2e7a4b0d4f6e8a3c5b7d9e1f2a3b', language: 'en', verified: true, channel: 'rasa' },
  ]);
  assert.equal((await senders.get('u-42'))?.rasaSenderId, '9f1c2e7a4b0d4f6e8a3c5b7d9e1f2a3b');
  assert.equal(replies.commits(), 1, 'the turn is committed once the answer went out');
});

test('the reference example as is (action_check_order) is a 404 carrying action_name', async () => {
  const app = await appWith(fakeReplies().service);
  const response = await app.inject({ method: 'POST', url: '/webhook', payload: EXAMPLE });
  assert.equal(response.statusCode, 404);
  assert.deepEqual(response.json(), { error: "No registered action found for name 'action_check_order'.", action_name: 'action_check_order' });
});

test('a deflated body (COMPRESS_ACTION_SERVER_REQUEST) is accepted with any content type', async () => {
  const replies = fakeReplies();
  const app = await appWith(replies.service);
  const body = deflateSync(Buffer.from(JSON.stringify({ ...EXAMPLE, next_action: 'action_recent_activity' })));
  const response = await app.inject({
    method: 'POST',
    url: '/webhook',
    headers: { 'content-encoding': 'deflate', 'content-type': 'application/octet-stream' },
    payload: body,
  });
  assert.equal(response.statusCode, 200);
  assert.equal(replies.requests[0]?.query, 'What did I just do?');
});

test('a body that is not JSON, or broken deflate, answers 400 Invalid body request', async () => {
  const app = await appWith(fakeReplies().service);
  for (const request of [
    { headers: { 'content-type': 'application/json' }, payload: '{not json' },
    { headers: { 'content-type': 'application/json', 'content-encoding': 'deflate' }, payload: 'not deflated' },
    { headers: { 'content-type': 'application/json' }, payload: '[1,2]' },
  ]) {
    const response = await app.inject({ method: 'POST', url: '/webhook', ...request });
    assert.equal(response.statusCode, 400, String(request.payload));
    assert.deepEqual(response.json(), { error: 'Invalid body request' });
  }
});

test('a call without next_action answers a literal null', async () => {
  const app = await appWith(fakeReplies().service);
  const response = await app.inject({ method: 'POST', url: '/webhook', payload: { sender_id: 's1', tracker: { sender_id: 's1' } } });
  assert.equal(response.statusCode, 200);
  assert.equal(response.body, 'null');
});

test('the user id falls back to customData.userId, then the session_started_metadata slot, then sender_id', async () => {
  const replies = fakeReplies();
  const app = await appWith(replies.service);
  const call = (tracker: Record<string, unknown>) =>
    app.inject({ method: 'POST', url: '/webhook', payload: { next_action: 'action_ask_llm', sender_id: 'sender-1', tracker: { sender_id: 'sender-1', ...tracker } } });
  await call({ latest_message: { text: 'hi', metadata: { customData: { userId: 'from-custom' } } } });
  await call({ latest_message: { text: 'hi', metadata: {} }, slots: { session_started_metadata: { userId: 'from-slot' } } });
  await call({ latest_message: { text: 'hi' } });
  assert.deepEqual(
    replies.requests.map((request) => request.userId),
    ['from-custom', 'from-slot', 'sender-1'],
  );
});

test('when the reply service fails the action still answers 200 with canned text', async () => {
  for (const fail of [new Error('store down'), createError('SL_QUERY_TOO_LONG', { length: 5000, limit: 2000 })]) {
    const app = await appWith(fakeReplies({ fail }).service);
    const response = await app.inject({ method: 'POST', url: '/webhook', payload: { ...EXAMPLE, next_action: 'action_help_current_page' } });
    assert.equal(response.statusCode, 200);
    const body = response.json() as { events: unknown[]; responses: Array<{ text: string }> };
    assert.deepEqual(body.events, []);
    assert.equal(body.responses.length, 1);
    assert.ok(body.responses[0]!.text.length > 0);
  }
});

const SECRET = 'identity-secret-for-rasa-tests-0123456789';
const KEY = 'bridge-key-for-rasa-tests-0123456789abcd';

test('with IDENTITY_SECRET only a userId signed with its userHash reads activity; the sender is learned only then', async () => {
  const replies = fakeReplies();
  const senders: SenderDirectory = new MemorySenderDirectory();
  const app = await appWith(replies.service, senders, [SECRET]);
  const call = (metadata: Record<string, unknown>) =>
    app.inject({
      method: 'POST',
      url: '/webhook',
      payload: { next_action: 'action_ask_llm', sender_id: 'sender-9', tracker: { sender_id: 'sender-9', latest_message: { text: 'where am I?', metadata } } },
    });
  for (const metadata of [{ customData: { userId: 'u-42' } }, { userId: 'u-42', userHash: 'f'.repeat(64) }, { customData: { userId: 'u-42', userHash: signUserId(SECRET, 'u-7') } }]) {
    const response = await call(metadata);
    assert.equal(response.statusCode, 200, 'Rasa gets an answer either way');
  }
  assert.deepEqual(replies.requests.map((request) => request.verified), [false, false, false]);
  assert.equal(await senders.get('u-42'), undefined);
  await call({ customData: { userId: 'u-42', userHash: signUserId(SECRET, 'u-42') } });
  assert.equal(replies.requests.at(-1)?.verified, true);
  assert.equal(replies.requests.at(-1)?.userId, 'u-42');
  assert.equal((await senders.get('u-42'))?.rasaSenderId, 'sender-9');
});

test('with BRIDGE_API_KEY the webhook takes the key as Bearer or as ?token= (Rasa endpoints.yml token:), else a coded 401', async () => {
  const now = () => 1_700_000_000_000;
  const guard = guardFailures(new CredentialGuard({ now }));
  const app = Fastify({ logger: false });
  const identity = new IdentityVerifier({ secrets: [], failures: guard, now });
  await registerRasaActionServer(app, {
    actions: createBridgeActions({ replies: fakeReplies().service, senders: new MemorySenderDirectory(), identity, now }),
    authorize: requireCredential(new CredentialCheck('bridge_key', [KEY], guard)),
  });
  const call = (url: string, headers: Record<string, string> = {}) =>
    app.inject({ method: 'POST', url, headers, payload: { ...EXAMPLE, next_action: 'action_ask_llm' } });
  assert.equal((await call(`/webhook?token=${KEY}`)).statusCode, 200);
  assert.equal((await call('/webhook', { authorization: `Bearer ${KEY}` })).statusCode, 200);
  const missing = await call('/webhook');
  assert.equal(missing.statusCode, 401);
  assert.equal((missing.json() as { error: { code: string } }).error.code, 'SL_AUTH_REQUIRED');
  assert.equal((await call('/webhook?token=wrong-key')).statusCode, 401);
  const again = await call('/webhook?token=wrong-key');
  assert.equal(again.statusCode, 429, 'a value that already failed is refused before any lookup');
  assert.ok(Number(again.headers['retry-after']) > 0);
  assert.equal((await call(`/webhook?token=${KEY}`)).statusCode, 200, 'the right key still works at once');
  assert.equal((await app.inject({ method: 'GET', url: '/health' })).statusCode, 200, 'health stays open');
});
