import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConversationHistory } from './conversation-history.ts';

test('history keeps the last turns per conversation, oldest first', () => {
  const history = new ConversationHistory({ maxTurns: 3 });
  history.append('c1', { role: 'user', content: 'one' }, { role: 'assistant', content: 'two' });
  history.append('c1', { role: 'user', content: 'three' }, { role: 'assistant', content: 'four' });
  assert.deepEqual(
    history.get('c1').map((turn) => turn.content),
    ['two', 'three', 'four'],
  );
  assert.deepEqual(history.get('other'), []);
});

test('history is bounded in conversations and in turn length', () => {
  const history = new ConversationHistory({ maxConversations: 2, maxTurnLength: 5 });
  history.append('a', { role: 'user', content: 'abcdefgh' });
  history.append('b', { role: 'user', content: 'b' });
  history.append('c', { role: 'user', content: 'c' });
  assert.equal(history.size, 2);
  assert.deepEqual(history.get('a'), [], 'least recently used conversation dropped');
  const stored = new ConversationHistory({ maxTurnLength: 5 });
  stored.append('x', { role: 'user', content: 'abcdefgh' });
  assert.equal(stored.get('x')[0]!.content, 'abcde');
});

test('maxTurns 0 keeps no history', () => {
  const history = new ConversationHistory({ maxTurns: 0 });
  history.append('c1', { role: 'user', content: 'hi' });
  assert.deepEqual(history.get('c1'), []);
});

test('forgetUser removes every conversation the user chatted in, plus the ids given, and returns them', () => {
  const history = new ConversationHistory();
  history.append('a', { role: 'user', content: 'one' });
  history.assign('a', 'ann');
  history.append('shared', { role: 'user', content: 'two' });
  history.assign('shared', 'bob');
  history.assign('shared', 'ann');
  history.append('learned', { role: 'user', content: 'three' });
  history.append('bobs', { role: 'user', content: 'four' });
  history.assign('bobs', 'bob');
  const result = history.forgetUser('ann', ['learned', 'never-held']);
  assert.deepEqual([result.conversationIds.sort(), result.removed], [['a', 'learned', 'never-held', 'shared'], 3]);
  assert.equal(history.size, 1);
  // Bob's index no longer points at the removed shared conversation.
  assert.deepEqual(history.forgetUser('bob').conversationIds, ['bobs']);
});

test('owners are bounded with the conversations: an evicted conversation is no longer listed for its user', () => {
  const history = new ConversationHistory({ maxConversations: 1 });
  history.append('a', { role: 'user', content: 'one' });
  history.assign('a', 'ann');
  history.append('b', { role: 'user', content: 'two' });
  history.assign('b', 'bob');
  assert.deepEqual(history.forgetUser('ann').conversationIds, []);
});
