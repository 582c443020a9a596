import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { test, type TestContext } from 'node:test';
import { deflateSync, gunzipSync, gzipSync } from 'node:zlib';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { CredentialGuard } from '@sightline/protocol/internal';
import { FakeClock } from '@sightline/sdk/testing';
import { CredentialCheck, presentedCredential, requireCredential } from '../auth/credential-check.ts';
import { guardFailures } from '../auth/credential-failures.ts';
import { IdentityVerifier } from '../identity/identity-verifier.ts';
import { MemorySenderDirectory } from '../identity/sender-directory.ts';
import type { ReplyService } from '../reply/reply-types.ts';
import { ActionForwarder, actionsUrlOf, endToEndHeaders, type ForwardOutcome } from './action-forwarder.ts';
import { createBridgeActions } from './bridge-actions.ts';
import { registerRasaActionServer } from './rasa-action-server.ts';
import { startBridge } from '../server/start-bridge.ts';
import { testBridgeConfig, until } from '../server/__fixtures__/test-bridge.ts';
import { startTeamActionServer, type TeamActionServer } from './__fixtures__/team-action-server.ts';

const KEY = 'bridge-key-for-forwarding-tests-0123456789';
const TEAM_TOKEN = 'team-token-5f1d';
/** Rasa's reference action call (action_check_order, with slot order_id 12345), as Rasa serialises it. */
const CALL_BYTES = readFileSync(new URL('./__fixtures__/rasa-action-call.json', import.meta.url));
const CALL = JSON.parse(CALL_BYTES.toString('utf8')) as Record<string, unknown>;

function callFor(action: string): Buffer {
  return Buffer.from(JSON.stringify({ ...CALL, next_action: action }));
}

const replies: ReplyService = {
  async prepare(request) {
    return { body: { reply: `bridge answer to ${request.query}`, name: 'Ada', has_activity: true }, commit: async () => undefined };
  },
  async greet() {
    return 'hello';
  },
};

interface Harness {
  app: FastifyInstance;
  team: TeamActionServer;
  clock: FakeClock;
  logs: Array<Record<string, unknown>>;
  outcomes: ForwardOutcome[];
  forwarder: ActionForwarder;
}

/** The bridge's action server (with its key check) in front of a real team action server on loopback. */
async function harness(t: TestContext, options: { token?: string | null; webhookUrl?: string; query?: string; maxAnswerBytes?: number } = {}): Promise<Harness> {
  const team = await startTeamActionServer();
  const clock = new FakeClock();
  const logs: Array<Record<string, unknown>> = [];
  const logger = pino(
    { level: 'info' },
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        logs.push(JSON.parse(chunk.toString('utf8')) as Record<string, unknown>);
        done();
      },
    }),
  );
  const outcomes: ForwardOutcome[] = [];
  const forwarder = new ActionForwarder({
    target: { url: options.webhookUrl ?? `${team.webhookUrl}${options.query ?? ''}`, token: options.token === undefined ? TEAM_TOKEN : options.token, timeoutS: 30 },
    clock,
    ...(options.maxAnswerBytes === undefined ? {} : { maxAnswerBytes: options.maxAnswerBytes }),
    onForward: (outcome) => outcomes.push(outcome),
  });
  const guard = guardFailures(new CredentialGuard({ now: () => clock.now() }));
  const apiKey = new CredentialCheck('bridge_key', [KEY], guard);
  // As in the bridge: no per-request lines (they would carry ?token=).
  const app = Fastify({ loggerInstance: logger as FastifyBaseLogger, disableRequestLogging: true });
  const identity = new IdentityVerifier({ secrets: [], failures: guard, now: () => clock.now() });
  await registerRasaActionServer(app, {
    actions: createBridgeActions({ replies, senders: new MemorySenderDirectory(), identity, now: () => clock.now() }),
    authorize: requireCredential(apiKey),
    forward: forwarder,
    canSeeDetails: async (request) => (await apiKey.check(presentedCredential(request), request.ip)) === 'valid',
  });
  await app.ready();
  t.after(async () => {
    forwarder.close();
    await app.close();
    await team.close();
  });
  return { app, team, clock, logs, outcomes, forwarder };
}

function post(app: FastifyInstance, body: Buffer, headers: Record<string, string> = {}, query = `?token=${KEY}`) {
  return app.inject({ method: 'POST', url: `/webhook${query}`, headers: { 'content-type': 'application/json', ...headers }, payload: body });
}

test("the team's answers come back byte for byte: events and responses, a 400 rejection, a 404 unknown action, a 500", async (t) => {
  const { app, team, outcomes } = await harness(t);
  const cases: Array<[string, number, (body: Record<string, unknown>) => void]> = [
    ['action_check_order', 200, (body) => assert.deepEqual(body['events'], [{ event: 'slot', timestamp: null, name: 'order_status', value: 'shipped' }])],
    ['action_lookup_ticket', 200, (body) => assert.match(JSON.stringify(body['responses']), /está en curso/)],
    ['action_validate_iban_form', 400, (body) => assert.equal(body['action_name'], 'action_validate_iban_form')],
    ['action_send_invoice', 404, (body) => assert.equal(body['action_name'], 'action_send_invoice')],
    ['action_crash', 500, (body) => assert.equal((body['request_body'] as { next_action: string }).next_action, 'action_crash')],
  ];
  for (const [action, status, check] of cases) {
    const sent = callFor(action);
    const response = await post(app, sent);
    assert.equal(response.statusCode, status, action);
    const received = team.requests.at(-1)!;
    assert.ok(received.body.equals(sent), `${action}: the team server got the call's exact bytes`);
    // What the team server wrote is what Rasa reads: the same bytes, key order, spacing and UTF-8 included.
    assert.ok(response.rawPayload.equals(team.answers.at(-1)!), `${action}: the team's answer comes back byte for byte`);
    assert.equal(response.headers['content-type'], 'application/json');
    assert.equal(response.headers['x-team-trace'], 'crm-7f3a', 'end-to-end headers of the answer come back');
    check(JSON.parse(response.body) as Record<string, unknown>);
  }
  assert.deepEqual(outcomes, ['ok', 'ok', 'rejected', 'unknown_action', 'failed']);
});

test('a deflated call (as Rasa compresses) and a gzipped one are forwarded compressed, as sent, and gzipped answers, rejections and errors come back as is', async (t) => {
  const { app, team, outcomes } = await harness(t);
  const cases: Array<[string, number]> = [
    ['action_check_order', 200],
    ['action_validate_iban_form', 400],
    ['action_send_invoice', 404],
    ['action_crash', 500],
  ];
  for (const [action, status] of cases) {
    const plain = callFor(action);
    for (const [encoding, compressed] of [
      ['deflate', deflateSync(plain)],
      ['gzip', gzipSync(plain)],
    ] as const) {
      const what = `${action} (${encoding})`;
      const response = await post(app, compressed, { 'content-type': 'application/octet-stream', 'content-encoding': encoding, 'accept-encoding': 'gzip, deflate' });
      assert.equal(response.statusCode, status, what);
      const received = team.requests.at(-1)!;
      assert.equal(received.headers['content-encoding'], encoding);
      assert.equal(received.headers['content-type'], 'application/octet-stream');
      assert.ok(received.body.equals(compressed), `${what}: not re-encoded`);
      assert.equal(response.headers['content-encoding'], 'gzip', `${what}: the answer keeps its encoding`);
      // The team server gzipped its JSON; the bridge returned those bytes without unpacking them.
      assert.ok(response.rawPayload.equals(team.answers.at(-1)!), `${what}: the gzipped answer comes back byte for byte`);
      assert.equal(response.rawPayload[0], 0x1f);
      assert.equal(response.rawPayload[1], 0x8b);
      if (status === 400 || status === 404) assert.equal((JSON.parse(gunzipSync(response.rawPayload).toString('utf8')) as { action_name: string }).action_name, action);
    }
  }
  assert.deepEqual(outcomes, ['ok', 'ok', 'rejected', 'rejected', 'unknown_action', 'unknown_action', 'failed', 'failed']);
});

test("a forwarded call carries the team's token, not the bridge's key, and no hop-by-hop headers", async (t) => {
  const { app, team } = await harness(t);
  const response = await post(
    app,
    callFor('action_check_order'),
    {
      authorization: `Bearer ${KEY}`,
      connection: 'keep-alive, x-hop-note',
      'keep-alive': 'timeout=5',
      'x-hop-note': 'connection-scoped',
      te: 'trailers',
      trailer: 'x-checksum',
      'proxy-authorization': 'Basic b3BzOnNlY3JldA==',
      'user-agent': 'Python/3.10 aiohttp/3.8.6',
      'x-request-id': 'req-2024-0042',
    },
    '?region=eu',
  );
  assert.equal(response.statusCode, 200);
  const received = team.requests.at(-1)!;
  const url = new URL(received.url, 'http://team.invalid');
  assert.equal(url.searchParams.get('token'), TEAM_TOKEN, "the team's credential, sent as Rasa sends tokens");
  assert.equal(url.searchParams.get('region'), 'eu', 'other query parameters go on');
  assert.equal(received.headers.authorization, undefined, "the bridge's key stays with the bridge");
  for (const name of ['keep-alive', 'x-hop-note', 'te', 'trailer', 'proxy-authorization']) assert.equal(received.headers[name], undefined, name);
  assert.equal(received.headers['user-agent'], 'Python/3.10 aiohttp/3.8.6');
  assert.equal(received.headers['x-request-id'], 'req-2024-0042');
  assert.match(String(received.headers.via), /sightline-bridge/);

  await post(app, callFor('action_check_order'), {}, `?token=${KEY}`);
  const second = new URL(team.requests.at(-1)!.url, 'http://team.invalid');
  assert.deepEqual([...second.searchParams.getAll('token')], [TEAM_TOKEN], "?token=<bridge key> is replaced, never passed on");
});

test('without the team token the forwarded call has no token at all', async (t) => {
  const { app, team } = await harness(t, { token: null });
  await post(app, callFor('action_check_order'));
  assert.equal(new URL(team.requests.at(-1)!.url, 'http://team.invalid').search, '');
});

test('no open relay: without the bridge key, or with a wrong one, nothing reaches the team server', async (t) => {
  const { app, team } = await harness(t);
  for (const query of ['', '?token=not-the-bridge-key', `?token=${TEAM_TOKEN}`]) {
    const response = await post(app, callFor('action_check_order'), {}, query);
    assert.ok([401, 429].includes(response.statusCode), `${query}: ${response.statusCode}`);
  }
  assert.deepEqual(team.requests, []);
});

test("the bridge's own actions still answer from the bridge; the team server never sees them", async (t) => {
  const { app, team } = await harness(t);
  const response = await post(app, callFor('action_ask_llm'));
  assert.equal(response.statusCode, 200);
  assert.equal(response.body, '{"events":[],"responses":[{"text":"bridge answer to where is my order no 12345"}]}');
  assert.deepEqual(team.requests, []);
});

test('a team server that is down answers 502 {error, action_name} with a coded log', async (t) => {
  const closed = await startTeamActionServer();
  await closed.close();
  const { app, logs, outcomes } = await harness(t, { webhookUrl: closed.webhookUrl });
  const response = await post(app, callFor('action_check_order'));
  assert.equal(response.statusCode, 502);
  const body = response.json() as Record<string, unknown>;
  assert.deepEqual(Object.keys(body).sort(), ['action_name', 'error']);
  assert.equal(body['action_name'], 'action_check_order');
  const logged = logs.find((line) => line['msg'] === 'rasa-action-forward-failed');
  assert.equal(logged?.['code'], 'SL_ACTION_SERVER_UNREACHABLE');
  assert.equal(logged?.['action'], 'action_check_order');
  assert.deepEqual(outcomes, ['unreachable']);
  assert.doesNotMatch(JSON.stringify(logs), new RegExp(`${KEY}|${TEAM_TOKEN}`), 'no key or token in the log');
});

test('a team server slower than ACTION_SERVER_TIMEOUT_S answers 502 with SL_ACTION_SERVER_TIMEOUT', async (t) => {
  const { app, team, clock, logs, outcomes } = await harness(t);
  const pending = post(app, callFor('action_wait_for_bank'));
  await team.waiting;
  await clock.advance(29_000);
  assert.equal(outcomes.length, 0, 'still waiting within the limit');
  await clock.advance(1_000);
  const response = await pending;
  assert.equal(response.statusCode, 502);
  assert.deepEqual(response.json(), { error: (response.json() as { error: string }).error, action_name: 'action_wait_for_bank' });
  assert.equal(logs.find((line) => line['msg'] === 'rasa-action-forward-failed')?.['code'], 'SL_ACTION_SERVER_TIMEOUT');
  assert.deepEqual(outcomes, ['timeout']);
});

test('a team server that sends its headers and stops mid-answer ends in a clean 502 at the time limit', async (t) => {
  const { app, team, clock, logs, outcomes } = await harness(t);
  const pending = post(app, callFor('action_stall_midway'));
  await team.stalled;
  await clock.advance(30_000);
  const response = await pending;
  assert.equal(response.statusCode, 502);
  assert.deepEqual(Object.keys(response.json() as object).sort(), ['action_name', 'error']);
  assert.equal((response.json() as { action_name: string }).action_name, 'action_stall_midway');
  assert.doesNotMatch(response.body, /"events": \[/, 'nothing of the half answer reaches Rasa');
  assert.equal(logs.find((line) => line['msg'] === 'rasa-action-forward-failed')?.['code'], 'SL_ACTION_SERVER_TIMEOUT');
  assert.deepEqual(outcomes, ['timeout']);
});

test('an answer larger than the limit is not passed on: 502 with SL_ACTION_SERVER_ANSWER_TOO_LARGE', async (t) => {
  const { app, logs, outcomes } = await harness(t, { maxAnswerBytes: 200 });
  const small = await post(app, callFor('action_send_invoice'));
  assert.equal(small.statusCode, 404, 'an answer within the limit still comes back');
  const response = await post(app, callFor('action_check_order'));
  assert.equal(response.statusCode, 502);
  assert.equal((response.json() as { action_name: string }).action_name, 'action_check_order');
  assert.equal(logs.find((line) => line['msg'] === 'rasa-action-forward-failed')?.['code'], 'SL_ACTION_SERVER_ANSWER_TOO_LARGE');
  assert.deepEqual(outcomes, ['unknown_action', 'answer_too_large']);
});

test("GET /actions lists both servers' actions once, the bridge's own winning a shared name, and logs the shadowed one", async (t) => {
  const { app, logs } = await harness(t);
  const listed = await app.inject({ method: 'GET', url: '/actions', headers: { authorization: `Bearer ${KEY}` } });
  assert.equal(listed.statusCode, 200);
  assert.deepEqual(
    (listed.json() as Array<{ name: string }>).map((action) => action.name),
    [
      'action_ask_llm',
      'action_check_order',
      'action_crash',
      'action_help_current_page',
      'action_lookup_ticket',
      'action_recent_activity',
      'action_stall_midway',
      'action_validate_iban_form',
      'action_wait_for_bank',
    ],
  );
  const shadowed = logs.filter((line) => String(line['msg']).startsWith('rasa-actions-shadowed'));
  assert.equal(shadowed.length, 1);
  assert.deepEqual(shadowed[0]?.['actions'], ['action_ask_llm']);
  await app.inject({ method: 'GET', url: '/actions', headers: { authorization: `Bearer ${KEY}` } });
  assert.equal(logs.filter((line) => String(line['msg']).startsWith('rasa-actions-shadowed')).length, 1, 'said once, not on every listing');

  const anonymous = await app.inject({ method: 'GET', url: '/actions' });
  assert.deepEqual(
    (anonymous.json() as Array<{ name: string }>).map((action) => action.name),
    ['action_ask_llm', 'action_help_current_page', 'action_recent_activity'],
    "without the key only the bridge's own (the team's server is not asked)",
  );
});

test('announce() logs at start what is forwarded and what the bridge shadows, or that the team server is away', async (t) => {
  const { forwarder, logs, app } = await harness(t);
  await forwarder.announce(['action_ask_llm', 'action_help_current_page', 'action_recent_activity'], app.log);
  const started = logs.find((line) => line['msg'] === 'rasa-action-server-forwarding');
  assert.deepEqual(started?.['shadowed'], ['action_ask_llm']);
  assert.deepEqual(started?.['forwarded'], ['action_check_order', 'action_crash', 'action_lookup_ticket', 'action_stall_midway', 'action_validate_iban_form', 'action_wait_for_bank']);

  const closed = await startTeamActionServer();
  await closed.close();
  const away = new ActionForwarder({ target: { url: closed.webhookUrl, token: null, timeoutS: 5 } });
  await away.announce([], app.log);
  away.close();
  assert.equal(logs.find((line) => line['msg'] === 'rasa-action-server-unreachable')?.['code'], 'SL_ACTION_SERVER_UNREACHABLE');
});

test('GET /health reports the forward target (no token, no query) to a caller with the key, and rasa-sdk\'s {status} to others', async (t) => {
  const { app, team } = await harness(t, { query: '?key=secret-query' });
  const withKey = await app.inject({ method: 'GET', url: '/health', headers: { authorization: `Bearer ${KEY}` } });
  assert.equal(withKey.statusCode, 200);
  const body = withKey.json() as { status: string; action_server: { url: string; timeout_s: number; last_outcome: unknown } };
  assert.equal(body.status, 'ok');
  assert.equal(body.action_server.timeout_s, 30);
  assert.equal(body.action_server.url, team.webhookUrl);
  assert.equal(body.action_server.last_outcome, null);
  assert.doesNotMatch(withKey.body, new RegExp(`${TEAM_TOKEN}|secret-query`));
  assert.equal((await app.inject({ method: 'GET', url: '/health' })).body, '{"status":"ok"}');
});

test('endToEndHeaders drops hop-by-hop headers, Proxy-*, and those the Connection header names', () => {
  assert.deepEqual(
    endToEndHeaders({ connection: 'close, X-Trace-Hop', 'x-trace-hop': '1', 'transfer-encoding': 'chunked', upgrade: 'h2c', 'proxy-connection': 'keep-alive', 'content-type': 'application/json', 'content-encoding': 'deflate' }),
    { 'content-type': 'application/json', 'content-encoding': 'deflate' },
  );
});

test("the team's action list is read next to its webhook", () => {
  assert.equal(actionsUrlOf('http://actions:5055/webhook').href, 'http://actions:5055/actions');
  assert.equal(actionsUrlOf('https://bot.example.com/helpdesk/webhook?region=eu').href, 'https://bot.example.com/helpdesk/actions?region=eu');
});

test('a started bridge with ACTION_SERVER_URL forwards over HTTP, counts each call and each 502 in /metrics, reports the target in /health and logs the shadowed action at start', async (t) => {
  const team = await startTeamActionServer();
  const clock = new FakeClock({ now: Date.now() });
  t.after(() => team.close());
  const logs: Array<Record<string, unknown>> = [];
  const logger = pino(
    { level: 'info' },
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        logs.push(JSON.parse(chunk.toString('utf8')) as Record<string, unknown>);
        done();
      },
    }),
  );
  const bridge = await startBridge(
    testBridgeConfig({ streamUrl: 'http://127.0.0.1:9/stream/helpdesk', streamKey: 'sk_helpdesk', apiKeys: [KEY], actionServerUrl: team.webhookUrl, actionServerToken: TEAM_TOKEN, actionServerTimeoutS: 5 }),
    { logger, connectStream: false, clock },
  );
  t.after(() => bridge.close());
  await until(() => logs.some((line) => line['msg'] === 'rasa-action-server-forwarding'), 'the start-up listing');
  assert.deepEqual(logs.find((line) => String(line['msg']).startsWith('rasa-actions-shadowed'))?.['actions'], ['action_ask_llm']);

  const webhook = `${bridge.url}/webhook?token=${KEY}`;
  for (const action of ['action_lookup_ticket', 'action_validate_iban_form', 'action_send_invoice']) {
    const response = await fetch(webhook, { method: 'POST', headers: { 'content-type': 'application/json' }, body: new Uint8Array(callFor(action)) });
    await response.arrayBuffer();
  }
  const answer = await fetch(webhook, { method: 'POST', headers: { 'content-type': 'application/json' }, body: new Uint8Array(callFor('action_lookup_ticket')) });
  assert.equal(answer.status, 200);
  assert.match(await answer.text(), /Su ticket n\.º 4521 está en curso/);
  const metrics = await (await fetch(`${bridge.url}/metrics`, { headers: { authorization: `Bearer ${KEY}` } })).text();
  assert.match(metrics, /sightline_bridge_action_calls_forwarded_total\{outcome="ok"\} 2/);
  assert.match(metrics, /sightline_bridge_action_calls_forwarded_total\{outcome="rejected"\} 1/);
  assert.match(metrics, /sightline_bridge_action_calls_forwarded_total\{outcome="unknown_action"\} 1/);
  const health = (await (await fetch(`${bridge.url}/health`, { headers: { authorization: `Bearer ${KEY}` } })).json()) as { action_server: { url: string; last_outcome: string } };
  assert.deepEqual(health.action_server, { url: team.webhookUrl, timeout_s: 5, last_outcome: 'ok' });

  // A slow team server, then one that is gone: Rasa gets a 502 each time, and each is counted by its reason.
  const slow = fetch(webhook, { method: 'POST', headers: { 'content-type': 'application/json' }, body: new Uint8Array(callFor('action_wait_for_bank')) });
  await team.waiting;
  await clock.advance(5_000);
  const timedOut = await slow;
  assert.equal(timedOut.status, 502);
  assert.deepEqual(await timedOut.json(), { error: (logs.find((line) => line['msg'] === 'rasa-action-forward-failed')?.['reason'] as string), action_name: 'action_wait_for_bank' });
  await team.close();
  const gone = await fetch(webhook, { method: 'POST', headers: { 'content-type': 'application/json' }, body: new Uint8Array(callFor('action_check_order')) });
  assert.equal(gone.status, 502);
  assert.equal(((await gone.json()) as { action_name: string }).action_name, 'action_check_order');
  const codes = logs.filter((line) => line['msg'] === 'rasa-action-forward-failed').map((line) => line['code']);
  assert.deepEqual(codes, ['SL_ACTION_SERVER_TIMEOUT', 'SL_ACTION_SERVER_UNREACHABLE']);
  const after = await (await fetch(`${bridge.url}/metrics`, { headers: { authorization: `Bearer ${KEY}` } })).text();
  assert.match(after, /sightline_bridge_action_calls_forwarded_total\{outcome="timeout"\} 1/);
  assert.match(after, /sightline_bridge_action_calls_forwarded_total\{outcome="unreachable"\} 1/);
  assert.match(after, /sightline_bridge_action_calls_forwarded_total\{outcome="ok"\} 2/);
  assert.doesNotMatch(JSON.stringify(logs), new RegExp(`${KEY}|${TEAM_TOKEN}`), 'no key or token in the log');
});
