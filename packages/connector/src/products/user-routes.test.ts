import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hogFlatPayloads } from '../__fixtures__/index.ts';
import { openStream } from '../testing/sse-client.ts';
import { post, startTestConnector } from '../testing/test-connector.ts';

function click(sessionId: string, distinctId: string, email = '') {
  return { ...hogFlatPayloads.buttonClick, session_id: sessionId, distinct_id: distinctId, email };
}

async function forget(url: string, token: string | null, query = '') {
  const response = await fetch(`${url}${query}`, { method: 'DELETE', headers: token === null ? {} : { authorization: `Bearer ${token}` } });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> & { error?: { code: string } } };
}

test('DELETE /products/:id/users/:userId removes the user\'s logged payloads and says what it removed', async (t) => {
  const connector = await startTestConnector();
  t.after(() => connector.cleanup());
  const credentials = await connector.registerProduct({ productId: 'acme', contactEmail: 'owner@acme.com' });
  const headers = { 'x-posthog-secret': credentials.webhook_secret };
  for (const body of [click('s1', 'ann'), click('s2', 'bob'), click('s3', 'ann'), click('s4', 'carl', 'Carl@Example.com')]) {
    assert.equal((await post(credentials.webhook_url, JSON.stringify(body), headers)).status, 200);
    // One payload per body, so the log order is the sending order.
    await connector.flush();
  }
  const answer = await forget(`${connector.url}/products/acme/users/ann`, connector.adminToken);
  assert.equal(answer.status, 200);
  assert.deepEqual(answer.json, {
    user_id: 'ann',
    product_id: 'acme',
    removed: { log_payloads: 2, log_sessions: 2, sessions: 2, pending_sessions: 0, pending_actions: 0 },
  });
  const byEmail = await forget(`${connector.url}/products/acme/users/carl-id`, connector.adminToken, '?email=carl%40example.com');
  assert.deepEqual(byEmail.json.removed, { log_payloads: 1, log_sessions: 1, sessions: 1, pending_sessions: 0, pending_actions: 0 });

  // A client resuming from before the removal replays what remains, in order, with no gap frame.
  const replay = await openStream(`${credentials.stream_url}?last_event_id=${connector.epoch}-0`, { authorization: `Bearer ${credentials.stream_key}` });
  assert.equal(replay.status, 200);
  const payloads = await replay.until((messages) => messages.some((message) => message.event !== 'heartbeat'));
  const frames = payloads.filter((message) => message.event !== 'heartbeat');
  assert.deepEqual(frames.map((message) => message.id), [`${connector.epoch}-2`]);
  assert.deepEqual(replay.payloads().map((payload) => payload.user_id), ['bob']);
  replay.close();
  // Resuming after a removed id works the same way, and new payloads keep counting up.
  const resumed = await openStream(`${credentials.stream_url}?last_event_id=${connector.epoch}-3`, { authorization: `Bearer ${credentials.stream_key}` });
  await post(credentials.webhook_url, JSON.stringify(click('s5', 'bob')), headers);
  await connector.flush();
  const live = await resumed.until((messages) => messages.some((message) => message.event !== 'heartbeat'));
  assert.deepEqual(live.filter((message) => message.event !== 'heartbeat').map((message) => message.id), [`${connector.epoch}-5`]);
  resumed.close();
});

test('a batch still in its window is dropped before it reaches the stream', async (t) => {
  // A window long enough that the batch is surely pending when the DELETE arrives; nothing waits for it.
  const connector = await startTestConnector({ batchWindowMs: 600_000 });
  t.after(() => connector.cleanup());
  const credentials = await connector.registerProduct({ productId: 'acme', contactEmail: 'owner@acme.com' });
  const stream = await openStream(credentials.stream_url, { authorization: `Bearer ${credentials.stream_key}` });
  await post(credentials.webhook_url, JSON.stringify({ batch: [click('s1', 'ann'), click('s2', 'bob')] }), { 'x-posthog-secret': credentials.webhook_secret });
  const answer = await forget(`${connector.url}/products/acme/users/ann`, connector.adminToken);
  assert.deepEqual(answer.json.removed, { log_payloads: 0, log_sessions: 0, sessions: 1, pending_sessions: 1, pending_actions: 1 });
  await connector.flush();
  await stream.until((messages) => messages.some((message) => message.event !== 'heartbeat'));
  assert.deepEqual(stream.payloads().map((payload) => payload.user_id), ['bob']);
  stream.close();
});

test('the forget route needs the admin token, a known product and a usable email', async (t) => {
  const connector = await startTestConnector();
  t.after(() => connector.cleanup());
  await connector.registerProduct({ productId: 'acme', contactEmail: 'owner@acme.com' });
  const base = `${connector.url}/products`;
  assert.deepEqual([(await forget(`${base}/acme/users/ann`, null)).status, (await forget(`${base}/acme/users/ann`, null)).json.error?.code], [401, 'SL_ADMIN_TOKEN_INVALID']);
  assert.equal((await forget(`${base}/acme/users/ann`, 'wrong')).json.error?.code, 'SL_ADMIN_TOKEN_INVALID');
  const unknown = await forget(`${base}/nobody/users/ann`, connector.adminToken);
  assert.deepEqual([unknown.status, unknown.json.error?.code], [404, 'SL_PRODUCT_NOT_FOUND']);
  const blankEmail = await forget(`${base}/acme/users/ann`, connector.adminToken, '?email=%20');
  assert.deepEqual([blankEmail.status, blankEmail.json.error?.code], [400, 'SL_FORGET_REQUEST_INVALID']);
  const twoEmails = await forget(`${base}/acme/users/ann`, connector.adminToken, '?email=a%40b.co&email=c%40d.co');
  assert.deepEqual([twoEmails.status, twoEmails.json.error?.code], [400, 'SL_FORGET_REQUEST_INVALID']);
  const blankUser = await forget(`${base}/acme/users/%20`, connector.adminToken);
  assert.deepEqual([blankUser.status, blankUser.json.error?.code], [400, 'SL_FORGET_REQUEST_INVALID']);
  // Forgetting someone never seen is fine and removes nothing.
  const nobody = await forget(`${base}/acme/users/zoe`, connector.adminToken);
  assert.deepEqual([nobody.status, nobody.json.removed], [200, { log_payloads: 0, log_sessions: 0, sessions: 0, pending_sessions: 0, pending_actions: 0 }]);
});
