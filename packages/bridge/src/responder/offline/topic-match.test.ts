import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { topicWords } from './detect-intent.ts';
import { compoundParts, isGenericAction, matchedTopicWords, namesSpecifically, relatedWords } from './topic-match.ts';

describe('topic words of a how-to question', () => {
  test("a German separable verb's particle goes back onto the verb", () => {
    assert.deepEqual(topicWords('Wie lade ich jemanden ein?'), ['einlade', 'jemanden']);
    assert.deepEqual(topicWords('Wie füge ich einen Kunden hinzu?'), ['hinzufuge', 'kunden']);
    // Not a question that opens with the verb: left as written.
    assert.deepEqual(topicWords('Ich möchte ein Konto'), ['konto']);
  });

  test('a term written in several words is one word, and a search looks for its parts', () => {
    assert.deepEqual(topicWords('Comment réinitialiser mon mot de passe ?'), ['reinitialiser', 'motdepasse']);
    assert.deepEqual(compoundParts('motdepasse'), ['mot', 'passe']);
    assert.deepEqual(compoundParts('password'), []);
  });
});

describe('matching a topic to labels across languages', () => {
  test('generic actions say what is done, not to what; a word with a concept of its own is not generic', () => {
    for (const word of ['add', 'new', 'crear', 'neue', 'change', 'cambiar']) assert.equal(isGenericAction(word), true, word);
    for (const word of ['invite', 'einladen', 'export', 'share', 'contact']) assert.equal(isGenericAction(word), false, word);
  });

  test('a word names a label specifically only through its own concept', () => {
    assert.equal(namesSpecifically('einlade', 'Invite agent'), true);
    assert.equal(namesSpecifically('einlade', 'New ticket'), false);
    assert.equal(namesSpecifically('add', 'Add contact'), false);
  });

  test('a long word of another language that begins alike is the same word', () => {
    assert.equal(matchedTopicWords(['organizacion'], 'Create organization'), 1);
    assert.equal(matchedTopicWords(['colaborador'], 'Add collaborator'), 1);
    // Short words, or words that part before eight letters, are not.
    assert.equal(matchedTopicWords(['internacional'], 'Internal notes'), 0);
    assert.equal(matchedTopicWords(['departure'], 'Department'), 0);
  });

  test('common product verbs and nouns are concepts in five languages', () => {
    const cases: [string[], string][] = [
      [['comparto', 'calendario'], 'Share your calendar'],
      [['teilen'], 'Sharing'],
      [['archivar'], 'Archive project'],
      [['reinitialiser', 'motdepasse'], 'Reset password'],
      [['matriculo'], 'Confirm enrollment'],
      [['conecto'], 'Connect calendar'],
      [['proyecto'], 'Add Project'],
    ];
    for (const [topic, label] of cases) assert.ok(matchedTopicWords(topic, label) >= 1, `${topic.join(' ')} → ${label}`);
    assert.ok(relatedWords('compartir').includes('share'));
  });
});
