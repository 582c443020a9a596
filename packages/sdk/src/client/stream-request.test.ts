import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkStreamAnswer, streamRequest } from './stream-request.ts';

const url = 'https://connector.example.com/stream/acme';

test('a reconnect sends the token as a bearer and the resume point as Last-Event-ID', () => {
  assert.deepEqual(streamRequest(url, 'sk_1', '7-42'), {
    requestUrl: url,
    headers: { Accept: 'text/event-stream', Authorization: 'Bearer sk_1', 'Last-Event-ID': '7-42' },
  });
  assert.deepEqual(streamRequest(url, '', undefined), { requestUrl: url, headers: { Accept: 'text/event-stream' } });
});

test('a resume point a header cannot carry goes in the last_event_id query parameter', () => {
  const { requestUrl, headers } = streamRequest(url, 'sk_1', 'id-☃');
  assert.equal(new URL(requestUrl).searchParams.get('last_event_id'), 'id-☃');
  assert.equal(headers['Last-Event-ID'], undefined);
});

test('401, 403 and 404 are fatal and carry the status the server answered', () => {
  for (const status of [401, 403, 404]) {
    const answer = checkStreamAnswer(new Response('no', { status }), url);
    assert.equal(answer.kind, 'fatal');
    assert.equal(answer.kind === 'fatal' && answer.error.code, 'SL_STREAM_FATAL_STATUS');
    assert.equal(answer.kind === 'fatal' && answer.error.status, status);
  }
});

test('another status or another content type is a failed attempt; an event stream with a body is open', () => {
  const failedStatus = checkStreamAnswer(new Response('busy', { status: 503 }), url);
  assert.equal(failedStatus.kind === 'failed' && failedStatus.error.code, 'SL_STREAM_HTTP_STATUS');
  const wrongType = checkStreamAnswer(new Response('{}', { status: 200, headers: { 'content-type': 'application/json' } }), url);
  assert.equal(wrongType.kind === 'failed' && wrongType.error.code, 'SL_STREAM_CONTENT_TYPE');
  const open = checkStreamAnswer(new Response(': hi\n\n', { status: 200, headers: { 'content-type': 'Text/Event-Stream; charset=utf-8' } }), url);
  assert.equal(open.kind, 'open');
});
