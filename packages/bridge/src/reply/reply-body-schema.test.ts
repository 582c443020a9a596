import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isSightlineError } from '@sightline/protocol';
import { parseReplyBody, parseReplyQuery } from './reply-body-schema.ts';

/** The code and status `parse` throws, or null when it accepts `input`. */
function rejection(parse: (input: unknown) => unknown, input: unknown): { code: string; status: number } | null {
  try {
    parse(input);
    return null;
  } catch (error) {
    assert.ok(isSightlineError(error), `not a coded error: ${String(error)}`);
    return { code: error.code, status: error.status };
  }
}

test('a POST body of the wrong type is SL_BODY_INVALID', () => {
  for (const body of [undefined, null, 'u-42', 42, [], [{ user_id: 'u-42' }]]) {
    assert.deepEqual(rejection(parseReplyBody, body), { code: 'SL_BODY_INVALID', status: 400 }, JSON.stringify(body));
  }
});

test('a POST field of the wrong type is SL_BODY_INVALID', () => {
  const bodies = [
    { user_id: true, query: 'hi' },
    { user_id: { id: 'u-42' }, query: 'hi' },
    { user_id: 'u-42', user_token: ['t'], query: 'hi' },
    { user_id: 'u-42', user_hash: false, query: 'hi' },
    { user_id: 'u-42', query: 42 },
    { user_id: 'u-42', query: ['hi'] },
    { user_id: 'u-42', query: 'hi', session_id: { id: 's' } },
    { user_id: 'u-42', query: 'hi', conversation_id: [] },
    { user_id: 'u-42', query: 'hi', language: true },
  ];
  for (const body of bodies) assert.deepEqual(rejection(parseReplyBody, body), { code: 'SL_BODY_INVALID', status: 400 }, JSON.stringify(body));
});

test('a POST body naming no user is SL_USER_ID_INVALID', () => {
  for (const body of [{ query: 'hi' }, {}, { user_id: '  ', query: 'hi' }, { user_id: null, user_token: '', query: 'hi' }, { user_hash: 'ab', query: 'hi' }]) {
    assert.deepEqual(rejection(parseReplyBody, body), { code: 'SL_USER_ID_INVALID', status: 400 }, JSON.stringify(body));
  }
});

test('numeric ids in a POST body are accepted as text', () => {
  const body = parseReplyBody({ user_id: 42, query: 'hi', session_id: 7, conversation_id: 0, user_hash: 12 });
  assert.equal(body.user_id, '42');
  assert.equal(body.session_id, '7');
  assert.equal(body.conversation_id, '0');
  assert.equal(body.user_hash, '12');
});

test('unknown POST fields are accepted and dropped', () => {
  const body = parseReplyBody({ user_id: 'u-42', query: 'hi', sender: 'widget', metadata: { page: '/x' }, extra: [1, 2] });
  assert.deepEqual(body, { user_id: 'u-42', user_token: null, user_hash: null, query: 'hi', session_id: null, conversation_id: null, language: null });
});

test('POST ids are trimmed, blank ones and null are absent, and a missing or null query is empty', () => {
  const body = parseReplyBody({ user_id: ' u-42 ', session_id: '  ', conversation_id: null, query: null });
  assert.deepEqual(body, { user_id: 'u-42', user_token: null, user_hash: null, query: '', session_id: null, conversation_id: null, language: null });
  assert.equal(parseReplyBody({ user_token: 'jwt' }).query, '');
});

test('a user token alone names the user', () => {
  assert.equal(parseReplyBody({ user_token: 'header.payload.signature', query: 'hi' }).user_token, 'header.payload.signature');
});

test('a GET parameter given twice is SL_QUERY_PARAMETER_INVALID', () => {
  for (const name of ['query', 'user_hash', 'user_token', 'session_id', 'conversation_id', 'language']) {
    assert.deepEqual(rejection(parseReplyQuery, { query: 'hi', [name]: ['a', 'b'] }), { code: 'SL_QUERY_PARAMETER_INVALID', status: 400 }, name);
  }
});

test('a GET query string with unknown parameters is accepted, and without query reads as empty', () => {
  const query = parseReplyQuery({ token: 'key', _: '1700000000', session_id: ' s-1 ', user_hash: '' });
  assert.deepEqual(query, { query: '', user_hash: null, user_token: null, session_id: 's-1', conversation_id: null, language: null });
  assert.equal(parseReplyQuery(undefined).query, '');
});
