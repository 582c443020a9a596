import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HEARTBEAT_FRAME, createSummaryPayload, encodePayloadFrame } from '@sightline/protocol';
import { startSseTestServer } from './sse-test-server.ts';

/** Reads from a streaming response until `expected` bytes of text have arrived. */
async function readText(response: Response, length: number): Promise<string> {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  while (text.length < length) {
    const { done, value } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
  }
  await reader.cancel();
  return text;
}

test('streams frames byte-for-byte, backlog first, and records the request headers', async (t) => {
  const server = await startSseTestServer();
  t.after(() => server.close());
  const summary = createSummaryPayload({ product_id: 'acme', session_id: 's1', summary: 'Opened billing', replaces: 2, forwarded_at: 1 });
  server.send(summary, { id: '1-1' }); // no stream open yet: waits for the next one
  const response = await fetch(server.streamUrl('acme'), { headers: { Authorization: 'Bearer k', 'Last-Event-ID': '1-0' } });
  assert.equal(response.status, 200);
  assert.equal(response.headers.get('content-type'), 'text/event-stream');
  await server.waitForStreams(1);
  server.heartbeat();
  server.sendRaw(': comment\n\n');
  server.send({ type: 'usertour_trigger', product_id: 'acme', flow_id: 'f', session_id: 's1' });
  const expected =
    encodePayloadFrame(summary, '1-1') +
    HEARTBEAT_FRAME +
    ': comment\n\n' +
    'data: {"type":"usertour_trigger","product_id":"acme","flow_id":"f","session_id":"s1"}\n\n';
  assert.equal(await readText(response, expected.length), expected);
  const request = await server.waitForRequest(1);
  assert.equal(request.productId, 'acme');
  assert.equal(request.authorization, 'Bearer k');
  assert.equal(request.lastEventId, '1-0');
});

test('with a token, a missing or wrong Bearer gets 401 JSON', async (t) => {
  const server = await startSseTestServer({ token: 'right' });
  t.after(() => server.close());
  const missing = await fetch(server.streamUrl());
  assert.equal(missing.status, 401);
  assert.equal(((await missing.json()) as { error: { code: string } }).error.code, 'SL_STREAM_KEY_INVALID');
  const wrong = await fetch(server.streamUrl(), { headers: { Authorization: 'Bearer wrong' } });
  assert.equal(wrong.status, 401);
  await wrong.body?.cancel();
  assert.equal(server.requests.length, 2);
});

test('scripted responses answer the next requests in order, then streams open again', async (t) => {
  const server = await startSseTestServer();
  t.after(() => server.close());
  server.respondWith(503, { times: 2 });
  server.respondWith(200, { contentType: 'text/plain', body: 'hello' });
  const statuses: string[] = [];
  for (let index = 0; index < 4; index++) {
    const response = await fetch(server.streamUrl());
    statuses.push(`${response.status} ${response.headers.get('content-type')}`);
    await response.body?.cancel();
  }
  assert.deepEqual(statuses, ['503 application/json', '503 application/json', '200 text/plain', '200 text/event-stream']);
  assert.throws(() => server.respondWith(42), RangeError);
});

test('paths other than GET /stream/:product get 404', async (t) => {
  const server = await startSseTestServer();
  t.after(() => server.close());
  const response = await fetch(`${server.url}/healthz`);
  assert.equal(response.status, 404);
  await response.body?.cancel();
  assert.equal(server.requests[0]!.productId, null);
});

test('dropConnections breaks the stream; endStreams ends it cleanly', async (t) => {
  const server = await startSseTestServer();
  t.after(() => server.close());
  const dropped = await fetch(server.streamUrl());
  await server.waitForStreams(1);
  server.dropConnections();
  const outcome = await dropped.body!.getReader().read().then(
    (chunk) => (chunk.done ? 'ended' : 'data'),
    () => 'error',
  );
  assert.equal(outcome, 'error');
  const ended = await fetch(server.streamUrl());
  await server.waitForStreams(2);
  server.endStreams();
  assert.equal(await ended.text(), '');
  assert.equal(server.openStreams, 0);
});

test('waitForRequest rejects instead of hanging when nothing comes', async (t) => {
  const server = await startSseTestServer({ waitTimeoutMs: 20 });
  t.after(() => server.close());
  await assert.rejects(server.waitForRequest(1), /timed out/);
});
