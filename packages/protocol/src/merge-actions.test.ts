import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mergeActionsPayloads } from './merge-actions.ts';
import { isSightlineError } from './sightline-error.ts';
import type { ActionsPayload } from './types.ts';
import { createActionsPayload } from './wire-json.ts';

function batch(overrides: Partial<ActionsPayload>, descriptions: string[]): ActionsPayload {
  const payload = createActionsPayload({ product_id: 'p', forwarded_at: 0, actions: descriptions.map((description, index) => ({ description, index: index + 10 })) });
  return { ...payload, ...overrides };
}

test('mergeActionsPayloads throws SL_MERGE_EMPTY for an empty list', () => {
  assert.throws(() => mergeActionsPayloads([]), (error) => isSightlineError(error, 'SL_MERGE_EMPTY') && error.status === 500);
});

test('mergeActionsPayloads concatenates in order and renumbers index 0..n-1 without changing the inputs', () => {
  const first = batch({}, ['a', 'b']);
  const second = batch({}, ['c']);
  const before = structuredClone([first, second]);
  const merged = mergeActionsPayloads([first, second]);
  assert.deepEqual(merged.actions.map((action) => [action.index, action.description]), [[0, 'a'], [1, 'b'], [2, 'c']]);
  assert.deepEqual([first, second], before);
  assert.notEqual(merged.actions[0], first.actions[0]);
  assert.equal(merged.count, 3);
});

test('mergeActionsPayloads takes product_id and session_id from the first payload even when it is null', () => {
  const merged = mergeActionsPayloads([batch({ product_id: 'p1', session_id: null }, []), batch({ product_id: 'p2', session_id: 's2' }, [])]);
  assert.equal(merged.product_id, 'p1');
  assert.equal(merged.session_id, null);
});

test('mergeActionsPayloads takes the first truthy user_id, email and conversation_id', () => {
  const merged = mergeActionsPayloads([
    batch({ user_id: null, email: '', conversation_id: null }, []),
    batch({ user_id: 'u2', email: null, conversation_id: 'c2' }, []),
    batch({ user_id: 'u3', email: 'e3@example.com', conversation_id: 'c3' }, []),
  ]);
  assert.deepEqual([merged.user_id, merged.email, merged.conversation_id], ['u2', 'e3@example.com', 'c2']);
  const none = mergeActionsPayloads([batch({}, []), batch({ email: '' }, [])]);
  assert.deepEqual([none.user_id, none.email, none.conversation_id], [null, null, null]);
});

test('mergeActionsPayloads uses the maximum forwarded_at and the total count', () => {
  const merged = mergeActionsPayloads([batch({ forwarded_at: 5, count: 99 }, ['a']), batch({ forwarded_at: 9.5 }, ['b']), batch({ forwarded_at: 7 }, [])]);
  assert.equal(merged.forwarded_at, 9.5);
  assert.equal(merged.count, 2);
  assert.equal(merged.type, 'actions');
});

test('mergeActionsPayloads of one payload is an equal copy', () => {
  const only = batch({ session_id: 's', user_id: 'u' }, ['a']);
  const merged = mergeActionsPayloads([only]);
  assert.deepEqual(merged, { ...only, actions: [{ ...only.actions[0]!, index: 0 }] });
});
