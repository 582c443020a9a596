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
