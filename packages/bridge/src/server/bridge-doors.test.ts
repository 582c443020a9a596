/**
 * The doors with the keys on (BRIDGE_API_KEY and IDENTITY_SECRET), against a real connector: an attacker who knows a
 * user id (and even that user's session id) gets nothing of theirs through any door, while the rightful widget,
 * Rasa and backend get grounded answers as before.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startConnector, type RunningConnector } from '@sightline/connector';
import { BRIDGE_DEFAULTS } from '../config/bridge-config.ts';
import { signUserId, signUserToken } from '../identity/user-hash.ts';
import { EXAMPLE_RASA_CALL, connectWebchat, testBridgeConfig, until } from './__fixtures__/test-bridge.ts';
import { startBridge, type RunningBridge } from './start-bridge.ts';

const EXAMPLE_CALL = EXAMPLE_RASA_CALL;

const VICTIM = 'u-victim-42';
const VICTIM_SESSION = '01a2003e-3511-74aa-8210-33107c392d99';
const ATTACKER = 'u-attacker-7';
/** Only the victim did this; no answer to anyone else may name it. */
const SECRET_LABEL = 'Approve payroll run';
const API_KEY = 'bridge-key-for-door-tests-0123456789abcdef';
const IDENTITY_SECRET = 'identity-secret-for-door-tests-0123456789';
const BRIDGE_ADMIN_TOKEN = 'admin-token-for-door-tests-0123456789abcd';

let connector: RunningConnector;
let bridge: RunningBridge;

before(async () => {
  connector = await startConnector({ port: 0, dataDir: mkdtempSync(join(tmpdir(), 'sightline-doors-')), logger: false, batchWindowMs: 0 });
  const credentials = await connector.registerProduct({ productId: 'payroll', contactEmail: 'owner@example.com' });
  const config = testBridgeConfig({
    streamUrl: credentials.stream_url,
    streamKey: credentials.stream_key,
    adminToken: BRIDGE_ADMIN_TOKEN,
    apiKeys: [API_KEY],
    identitySecrets: [IDENTITY_SECRET],
    corsOrigins: ['https://app.example.com'],
  });
  bridge = await startBridge(config, { logger: false });
  await until(() => bridge.streamState().isConnected, 'the bridge to connect');
  const event = (name: string, fields: Record<string, string>) => ({
    event: name,
    referrer: '',
    email: 'victoria.victim@example.com',
    timestamp: new Date().toISOString(),
    element_id: '',
    event_type: '',
    session_id: VICTIM_SESSION,
    current_url: 'https://payroll.example.com/runs',
    distinct_id: VICTIM,
    elements_chain: '',
    input_field_name: '',
    link_destination: '',
    button_or_link_text: '',
    ...fields,
  });
  for (const body of [
    event('$pageview', {}),
    event('$autocapture', {
      event_type: 'click',
      button_or_link_text: SECRET_LABEL,
      elements_chain: `button.btn:attr__class="btn"nth-child="1"nth-of-type="1"text="${SECRET_LABEL}";body:nth-child="2"nth-of-type="1"`,
    }),
  ]) {
    const response = await fetch(credentials.webhook_url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-posthog-secret': credentials.webhook_secret },
      body: JSON.stringify(body),
    });
    assert.ok(response.status < 300);
  }
  await connector.flush();
  await until(() => bridge.pipeline.usersTracked() > 0, 'the victim’s actions to arrive');
});

after(async () => {
  await bridge?.close();
  await connector?.close();
});

type ReplyJson = { reply?: string; has_activity?: boolean; name?: string | null; error?: { code: string } };

async function reply(path: string, init: RequestInit = {}): Promise<{ status: number; body: ReplyJson }> {
  const response = await fetch(`${bridge.url}${path}`, init);
  return { status: response.status, body: (await response.json()) as ReplyJson };
}

function post(body: Record<string, unknown>, headers: Record<string, string> = {}) {
  return reply('/reply', { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
}

const query = encodeURIComponent('what did I just do?');

test('/reply without the key or a valid hash is a coded 401 that says nothing of the user', async () => {
  const attempts = [
    await reply(`/reply/${VICTIM}?query=${query}`),
    await reply(`/reply/${VICTIM}?query=${query}&session_id=${VICTIM_SESSION}`),
    await reply(`/reply/${VICTIM}?query=${query}`, { headers: { authorization: 'Bearer not-the-key' } }),
    await reply(`/reply/${VICTIM}?query=${query}&user_hash=${'0'.repeat(64)}`),
    await reply(`/reply/${VICTIM}?query=${query}&user_hash=${signUserId(IDENTITY_SECRET, ATTACKER)}`),
    await post({ user_id: VICTIM, query: 'what did I just do?' }),
    await post({ user_id: VICTIM, query: 'what did I just do?', user_hash: signUserId('a-different-secret-0123456789abcdef', VICTIM) }),
  ];
  for (const attempt of attempts) {
    assert.equal(attempt.status, 401, JSON.stringify(attempt.body));
    assert.match(attempt.body.error?.code ?? '', /^SL_(AUTH_REQUIRED|IDENTITY_UNVERIFIED)$/);
    assert.ok(!JSON.stringify(attempt.body).includes('Approve'), 'nothing of the user');
  }
});

test('the backend with the key, and the browser with the user hash or a signed token, get grounded answers', async () => {
  const server = await reply(`/reply/${VICTIM}?query=${query}`, { headers: { authorization: `Bearer ${API_KEY}` } });
  assert.equal(server.status, 200);
  assert.equal(server.body.has_activity, true);
  assert.match(server.body.reply ?? '', new RegExp(SECRET_LABEL));
  const viaQueryToken = await reply(`/reply/${VICTIM}?query=${query}&token=${API_KEY}`);
  assert.equal(viaQueryToken.status, 200);
  const browser = await post({ user_id: VICTIM, user_hash: signUserId(IDENTITY_SECRET, VICTIM), query: 'what did I just do?' }, { origin: 'https://app.example.com' });
  assert.equal(browser.status, 200);
  assert.match(browser.body.reply ?? '', new RegExp(SECRET_LABEL));
  const token = await signUserToken(IDENTITY_SECRET, VICTIM, 600);
  const withToken = await post({ user_token: token, query: 'what did I just do?' });
  assert.equal(withToken.status, 200);
  assert.equal(withToken.body.has_activity, true);
  const expired = await post({ user_token: await signUserToken(IDENTITY_SECRET, VICTIM, 1, Date.now() - 3_600_000), query: 'hi' });
  assert.equal(expired.status, 401);
  const mismatched = await post({ user_id: VICTIM, user_hash: signUserId(IDENTITY_SECRET, ATTACKER), query: 'hi' }, { authorization: `Bearer ${API_KEY}` });
  assert.equal(mismatched.status, 401, 'a server-to-server call that carries a hash has it checked');
});

test("a verified attacker who names the victim's session id reads nothing of it", async () => {
  const own = await post({
    user_id: ATTACKER,
    user_hash: signUserId(IDENTITY_SECRET, ATTACKER),
    session_id: VICTIM_SESSION,
    query: 'what did I just do?',
  });
  assert.equal(own.status, 200);
  assert.equal(own.body.has_activity, false);
  assert.ok(!(own.body.reply ?? '').includes(SECRET_LABEL));
});

test('the Rasa action server needs the key (?token= as Rasa sends it); an unsigned userId in metadata gets no activity', async () => {
  const call = (metadata: Record<string, unknown>) => {
    const body = structuredClone(EXAMPLE_CALL);
    body['next_action'] = 'action_recent_activity';
    body.tracker.latest_message.metadata = metadata;
    return JSON.stringify(body);
  };
  const headers = { 'content-type': 'application/json' };
  const noKey = await fetch(`${bridge.url}/webhook`, { method: 'POST', headers, body: call({ userId: VICTIM }) });
  assert.equal(noKey.status, 401);
  const unsigned = await fetch(`${bridge.url}/webhook?token=${API_KEY}`, { method: 'POST', headers, body: call({ customData: { userId: VICTIM } }) });
  assert.equal(unsigned.status, 200);
  const unsignedText = ((await unsigned.json()) as { responses: Array<{ text: string }> }).responses[0]!.text;
  assert.ok(!unsignedText.includes(SECRET_LABEL), unsignedText);
  const signed = await fetch(`${bridge.url}/webhook?token=${API_KEY}`, {
    method: 'POST',
    headers,
    body: call({ customData: { userId: VICTIM, userHash: signUserId(IDENTITY_SECRET, VICTIM), language: 'en' } }),
  });
  assert.equal(signed.status, 200);
  assert.match(((await signed.json()) as { responses: Array<{ text: string }> }).responses[0]!.text, new RegExp(SECRET_LABEL));
});

test('socket.io: an unsigned userId is answered without activity, the signed widget is grounded', async () => {
  const ask = async (customData: Record<string, unknown>) => {
    const socket = connectWebchat(bridge.url, { path: '/socket.io/', extraHeaders: { origin: 'https://app.example.com' }, transports: ['websocket'] });
    try {
      await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
      const confirmed = new Promise<string>((resolve) => socket.once('session_confirm', (id: string) => resolve(id)));
      socket.emit('session_request', { session_id: null });
      const sessionId = await confirmed;
      const texts: string[] = [];
      socket.on('bot_uttered', (data: { text: string }) => texts.push(data.text));
      socket.emit('user_uttered', { message: 'what did I just do?', customData, session_id: sessionId });
      await until(() => texts.length > 0, 'an answer');
      await new Promise((resolve) => setTimeout(resolve, 50));
      return texts.join('\n');
    } finally {
      socket.close();
    }
  };
  assert.ok(!(await ask({ userId: VICTIM, language: 'en' })).includes(SECRET_LABEL));
  assert.match(await ask({ userId: VICTIM, userHash: signUserId(IDENTITY_SECRET, VICTIM), language: 'en' }), new RegExp(SECRET_LABEL));
});

test('/healthz is liveness only without the key, details with it; /metrics needs the key', async () => {
  const open = (await (await fetch(`${bridge.url}/healthz`)).json()) as Record<string, unknown>;
  assert.deepEqual(Object.keys(open), ['status']);
  const detailed = (await (await fetch(`${bridge.url}/healthz`, { headers: { authorization: `Bearer ${API_KEY}` } })).json()) as Record<string, unknown>;
  assert.equal(detailed['users_tracked'], 1);
  assert.equal((await fetch(`${bridge.url}/metrics`)).status, 401);
  assert.equal((await fetch(`${bridge.url}/metrics`, { headers: { authorization: `Bearer ${API_KEY}` } })).status, 200);
});

test('the admin routes take the admin token, not the bridge key', async () => {
  const withKey = await fetch(`${bridge.url}/admin/reset/${ATTACKER}`, { method: 'POST', headers: { authorization: `Bearer ${API_KEY}` } });
  assert.equal(withKey.status, 401);
});

test('a user sending more messages than CHAT_MESSAGES_PER_MINUTE gets 429 with Retry-After, others are unaffected', async () => {
  const headers = { authorization: `Bearer ${API_KEY}` };
  const statuses: number[] = [];
  for (let sent = 0; sent < BRIDGE_DEFAULTS.chatMessagesPerMinute + 2; sent++) {
    statuses.push((await fetch(`${bridge.url}/reply/u-chatty?query=hi`, { headers })).status);
  }
  assert.equal(statuses.filter((status) => status === 200).length, BRIDGE_DEFAULTS.chatMessagesPerMinute);
  const limited = await fetch(`${bridge.url}/reply/u-chatty?query=hi`, { headers });
  assert.equal(limited.status, 429);
  assert.ok(Number(limited.headers.get('retry-after')) > 0);
  assert.equal((await fetch(`${bridge.url}/reply/u-quiet?query=hi`, { headers })).status, 200);
});
