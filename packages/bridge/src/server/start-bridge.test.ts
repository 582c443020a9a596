/**
 * The whole path in-process: a real connector, the bridge on its stream, events posted the way a
 * PostHog destination does, then questions over HTTP, the Rasa action server and socket.io.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startConnector, type RunningConnector } from '@sightline/connector';
import { BRIDGE_DEFAULTS, type BridgeConfig } from '../config/bridge-config.ts';
import { startFakeLlmServer, type FakeLlmServer } from '../llm/__fixtures__/fake-llm-server.ts';
import { resolveLlmSettings } from '../llm/chat-model.ts';
import { DEFAULT_APOLOGY } from '../responder/llm-responder.ts';
import { EXAMPLE_RASA_CALL, connectWebchat, testBridgeConfig, until } from './__fixtures__/test-bridge.ts';
import { startBridge, type RunningBridge } from './start-bridge.ts';

const EXAMPLE_CALL = EXAMPLE_RASA_CALL;

const USER = 'u-42';
const SESSION = '01a2003e-3511-74aa-8210-33107c392d81';

const BRIDGE_ADMIN_TOKEN = 'admin-token-for-tests-0123456789';
const MODEL_TEXT = 'The invite dialog is open: enter their email and send it.';

let connector: RunningConnector;
let bridge: RunningBridge;
/** A second bridge on the same stream, answering through a language model (a fake OpenAI-compatible server). */
let llmBridge: RunningBridge;
let llm: FakeLlmServer;
let webhookUrl: string;
let webhookSecret: string;

function bridgeConfig(overrides: Partial<BridgeConfig>): BridgeConfig {
  return testBridgeConfig({ corsOrigins: '*', adminToken: BRIDGE_ADMIN_TOKEN, ...overrides });
}

function flatEvent(event: string, fields: Record<string, string>): Record<string, string> {
  return {
    event,
    referrer: '',
    email: 'ada.lovelace@example.com',
    timestamp: new Date().toISOString(),
    element_id: '',
    event_type: '',
    session_id: SESSION,
    current_url: 'https://app.example.com/team',
    distinct_id: USER,
    elements_chain: '',
    input_field_name: '',
    link_destination: '',
    button_or_link_text: '',
    ...fields,
  };
}

async function postEvent(body: Record<string, string>): Promise<void> {
  const response = await fetch(webhookUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-posthog-secret': webhookSecret },
    body: JSON.stringify(body),
  });
  assert.ok(response.status < 300, `webhook answered ${response.status}: ${await response.text()}`);
}

before(async () => {
  connector = await startConnector({ port: 0, dataDir: mkdtempSync(join(tmpdir(), 'sightline-bridge-it-')), logger: false, batchWindowMs: 20 });
  const credentials = await connector.registerProduct({ productId: 'acme', contactEmail: 'owner@example.com' });
  webhookUrl = credentials.webhook_url;
  webhookSecret = credentials.webhook_secret;
  bridge = await startBridge(bridgeConfig({ streamUrl: credentials.stream_url, streamKey: credentials.stream_key }), { logger: false });
  llm = await startFakeLlmServer(MODEL_TEXT);
  llmBridge = await startBridge(
    bridgeConfig({
      streamUrl: credentials.stream_url,
      streamKey: credentials.stream_key,
      llm: resolveLlmSettings({ LLM_BASE_URL: llm.baseUrl, LLM_MODEL: 'llama3.2', LLM_TIMEOUT_MS: '1500' }),
    }),
    { logger: false },
  );
  await until(() => bridge.streamState().isConnected && llmBridge.streamState().isConnected, 'the bridges to connect to the stream');

  await postEvent(flatEvent('$pageview', {}));
  await postEvent(
    flatEvent('$autocapture', {
      event_type: 'click',
      button_or_link_text: 'Invite member',
      elements_chain: 'button.btn:attr__class="btn"nth-child="1"nth-of-type="1"text="Invite member";div.team:attr__class="team"nth-child="1"nth-of-type="1";body:nth-child="2"nth-of-type="1"',
    }),
  );
  await connector.flush();
  await until(() => bridge.pipeline.usersTracked() > 0 && llmBridge.pipeline.usersTracked() > 0, 'the actions to reach the bridges');
});

after(async () => {
  await bridge?.close();
  await llmBridge?.close();
  await llm?.close();
  await connector?.close();
});

test('GET /reply names the clicked element and reports has_activity', async () => {
  const response = await fetch(`${bridge.url}/reply/${USER}?query=${encodeURIComponent('how do I add a teammate?')}`);
  assert.equal(response.status, 200);
  const body = (await response.json()) as { reply: string; name: string | null; has_activity: boolean; error?: unknown };
  assert.equal(body.has_activity, true);
  assert.equal(body.name, 'Ada');
  assert.match(body.reply, /Invite member/);
  assert.equal(body.error, undefined);
});

test('POST /reply with session_id and conversation_id answers the same contract', async () => {
  const response = await fetch(`${bridge.url}/reply`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ user_id: USER, query: 'what did I just do?', session_id: SESSION, conversation_id: 'conv-1' }),
  });
  assert.equal(response.status, 200);
  const body = (await response.json()) as { reply: string; has_activity: boolean };
  assert.equal(body.has_activity, true);
  assert.match(body.reply, /Invite member/);
});

test('a missing or too long query is a 400 with a code', async () => {
  const missing = await fetch(`${bridge.url}/reply/${USER}`);
  assert.equal(missing.status, 400);
  assert.equal(((await missing.json()) as { error: { code: string } }).error.code, 'SL_QUERY_MISSING');
  const tooLong = await fetch(`${bridge.url}/reply`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ user_id: USER, query: 'x'.repeat(BRIDGE_DEFAULTS.maxQueryLength + 1) }),
  });
  assert.equal(tooLong.status, 400);
  assert.equal(((await tooLong.json()) as { error: { code: string } }).error.code, 'SL_QUERY_TOO_LONG');
  const longUser = await fetch(`${bridge.url}/reply/${'u'.repeat(300)}?query=hi`);
  assert.equal(longUser.status, 400);
  assert.equal(((await longUser.json()) as { error: { code: string } }).error.code, 'SL_USER_ID_INVALID');
  const badBody = await fetch(`${bridge.url}/reply`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":' });
  assert.equal(badBody.status, 400);
  assert.equal(((await badBody.json()) as { error: { code: string } }).error.code, 'SL_BODY_INVALID');
});

test('a browser preflight to /reply is answered with CORS headers', async () => {
  const preflight = await fetch(`${bridge.url}/reply`, {
    method: 'OPTIONS',
    headers: { origin: 'http://app.example.com', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
  });
  assert.equal(preflight.status, 204);
  assert.equal(preflight.headers.get('access-control-allow-origin'), '*');
  assert.match(preflight.headers.get('access-control-allow-methods') ?? '', /POST/);
});

test('an unknown route is a coded 404', async () => {
  const response = await fetch(`${bridge.url}/nope`);
  assert.equal(response.status, 404);
  assert.equal(((await response.json()) as { error: { code: string } }).error.code, 'SL_ROUTE_NOT_FOUND');
});

test('an unknown user gets an honest reply with has_activity false', async () => {
  const response = await fetch(`${bridge.url}/reply/nobody?query=hello`);
  assert.equal(response.status, 200);
  const body = (await response.json()) as { has_activity: boolean; name: string | null };
  assert.equal(body.has_activity, false);
  assert.equal(body.name, null);
});

test('the Rasa webhook answers the reference example from the user’s live activity', async () => {
  const call = structuredClone(EXAMPLE_CALL);
  call['next_action'] = 'action_ask_llm';
  call.tracker.latest_message.metadata = { language: 'en', userId: USER };
  call.tracker.latest_message.text = 'how do I add a teammate?';
  const response = await fetch(`${bridge.url}/webhook`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(call) });
  assert.equal(response.status, 200);
  const body = (await response.json()) as { events: unknown[]; responses: Array<{ text: string }> };
  assert.deepEqual(body.events, []);
  assert.match(body.responses[0]!.text, /Invite member/);
  assert.equal((await bridge.senders.get(USER))?.rasaSenderId, '9f1c2e7a4b0d4f6e8a3c5b7d9e1f2a3b');
  const unknown = await fetch(`${bridge.url}/webhook`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(EXAMPLE_CALL) });
  assert.equal(unknown.status, 404);
  assert.equal(((await unknown.json()) as { action_name: string }).action_name, 'action_check_order');
});

test('rasa-webchat’s socket.io client is greeted and answered from the activity', async () => {
  const socket = connectWebchat(bridge.url, { path: '/socket.io/' });
  try {
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    const confirmed = new Promise<string>((resolve) => socket.once('session_confirm', (id: string) => resolve(id)));
    socket.emit('session_request', { session_id: null });
    const sessionId = await confirmed;
    const texts: string[] = [];
    let notify: (() => void) | undefined;
    socket.on('bot_uttered', (data: { text: string }) => {
      texts.push(data.text);
      notify?.();
    });
    const waitFor = (count: number) => until(() => texts.length >= count, `${count} bot messages`);
    socket.emit('user_uttered', { message: '/greet', customData: { language: 'en', userId: USER }, session_id: sessionId });
    await waitFor(1);
    assert.match(texts[0]!, /^Hi Ada!/);
    socket.emit('user_uttered', { message: 'how do I add a teammate?', customData: { language: 'en', userId: USER }, session_id: sessionId });
    await waitFor(2);
    assert.match(texts.slice(1).join('\n'), /Invite member/);
  } finally {
    socket.close();
  }
});

test('GET /healthz reports users, sessions and the stream; /metrics is Prometheus text', async () => {
  const health = (await (await fetch(`${bridge.url}/healthz`)).json()) as {
    status: string;
    users_tracked: number;
    sessions_tracked: number;
    stream: { connected: boolean; last_event_age_s: number | null; dropped: number; last_event_id: string | null };
  };
  assert.equal(health.status, 'ok');
  assert.equal(health.users_tracked, 1);
  assert.equal(health.sessions_tracked, 1);
  assert.equal(health.stream.connected, true);
  assert.equal(health.stream.dropped, 0);
  assert.ok(health.stream.last_event_age_s !== null && health.stream.last_event_age_s >= 0);
  assert.match(health.stream.last_event_id ?? '', /^\d+-\d+$/);
  const metrics = await fetch(`${bridge.url}/metrics`);
  assert.equal(metrics.status, 200);
  const text = await metrics.text();
  assert.match(text, /sightline_bridge_replies_total\{channel="http",outcome="ok"\} \d+/);
  assert.match(text, /sightline_bridge_stream_connected 1/);
});

test('the chat marks the user’s session REACTIVE', async () => {
  assert.equal((await bridge.pipeline.states.get({ productId: 'acme', sessionId: SESSION }))?.state, 'reactive_assistance');
});

test('POST /admin/reset needs the admin token, then forgets the user', async () => {
  const denied = await fetch(`${bridge.url}/admin/reset/${USER}`, { method: 'POST' });
  assert.equal(denied.status, 401);
  assert.equal(((await denied.json()) as { error: { code: string } }).error.code, 'SL_ADMIN_TOKEN_INVALID');
  const reset = await fetch(`${bridge.url}/admin/reset/${USER}`, { method: 'POST', headers: { authorization: `Bearer ${BRIDGE_ADMIN_TOKEN}` } });
  assert.equal(reset.status, 200);
  const body = (await reset.json()) as { status: string; user_id: string; removed: { sessions: number } };
  assert.deepEqual([body.status, body.user_id, body.removed.sessions], ['ok', USER, 1]);
  const after = (await (await fetch(`${bridge.url}/reply/${USER}?query=hi`)).json()) as { has_activity: boolean };
  assert.equal(after.has_activity, false);
});

interface ReplyBody {
  reply: string;
  name: string | null;
  has_activity: boolean;
  error?: { code: string; message: string };
}

function userMessageOf(request: FakeLlmServer['requests'][number]): { system: string; user: string } {
  const messages = request.body['messages'] as Array<{ role: string; content: string }>;
  return { system: messages.find((message) => message.role === 'system')!.content, user: messages.find((message) => message.role === 'user')!.content };
}

test('with a language model, the prompt carries the clicked element and the query, and the reply is the model’s', async () => {
  llm.requests.length = 0;
  const response = await fetch(`${llmBridge.url}/reply/${USER}?query=${encodeURIComponent('how do I add a teammate?')}`);
  assert.equal(response.status, 200);
  assert.deepEqual(await response.json(), { reply: MODEL_TEXT, name: 'Ada', has_activity: true });
  assert.equal(llm.requests.length, 1);
  const { system, user } = userMessageOf(llm.requests[0]!);
  assert.match(system, /User's first name: Ada\./);
  assert.match(user, /clicked 'Invite member'/);
  assert.match(user, /\[CURRENT USER MESSAGE\]\nhow do I add a teammate\?$/);
  assert.equal(llm.requests[0]!.body['temperature'], 0.4);
});

test('a language model that answers 500 twice or not at all still gets a 200 with the apology and an error field', async () => {
  llm.script({ status: 500 }, { status: 500 });
  const failed = await fetch(`${llmBridge.url}/reply`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ user_id: USER, query: 'how do I add a teammate?' }),
  });
  assert.equal(failed.status, 200);
  const failedBody = (await failed.json()) as ReplyBody;
  assert.equal(failedBody.reply, DEFAULT_APOLOGY);
  assert.equal(failedBody.error?.code, 'SL_LLM_UPSTREAM_ERROR');
  assert.equal(failedBody.has_activity, true);

  llm.script({ hang: true });
  const slow = await fetch(`${llmBridge.url}/reply/${USER}?query=hello`);
  assert.equal(slow.status, 200);
  const slowBody = (await slow.json()) as ReplyBody;
  assert.equal(slowBody.reply, DEFAULT_APOLOGY);
  assert.equal(slowBody.error?.code, 'SL_LLM_TIMEOUT');

  const metrics = await (await fetch(`${llmBridge.url}/metrics`)).text();
  assert.match(metrics, /sightline_bridge_replies_total\{channel="http",outcome="llm_error"\} 2/);
});

test('a Rasa conversation’s history reaches the prompt, and POST /admin/reset forgets it', async () => {
  const call = (text: string) => {
    const body = structuredClone(EXAMPLE_CALL);
    body['next_action'] = 'action_ask_llm';
    body.tracker.latest_message.metadata = { userId: USER };
    body.tracker.latest_message.text = text;
    return fetch(`${llmBridge.url}/webhook`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  };
  assert.equal((await call('first question about invites')).status, 200);
  llm.requests.length = 0;
  assert.equal((await call('and then?')).status, 200);
  assert.match(userMessageOf(llm.requests[0]!).user, /Prior conversation:\nuser: first question about invites/);

  const reset = await fetch(`${llmBridge.url}/admin/reset/${USER}`, { method: 'POST', headers: { authorization: `Bearer ${BRIDGE_ADMIN_TOKEN}` } });
  assert.equal(reset.status, 200);
  llm.requests.length = 0;
  assert.equal((await call('anything left?')).status, 200);
  const { user } = userMessageOf(llm.requests[0]!);
  assert.doesNotMatch(user, /first question about invites/, 'the Rasa conversation is forgotten');
  assert.doesNotMatch(user, /Invite member/, 'the activity is forgotten');
});
