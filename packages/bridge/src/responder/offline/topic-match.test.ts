import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { topicWords } from './detect-intent.ts';
import { compoundParts, isGenericAction, isTopicMatch, matchedTopicWords, namesSpecifically, relatedWords, topicRank } from './topic-match.ts';

describe('topic words of a how-to question', () => {
  test("a German separable verb's particle goes back onto the verb", () => {
    assert.deepEqual(topicWords('Wie lade ich jemanden ein?'), ['einladen', 'jemanden']);
    assert.deepEqual(topicWords('Wie füge ich einen Kunden hinzu?'), ['hinzufugen', 'kunden']);
    // Not a question that opens with the verb: left as written.
    assert.deepEqual(topicWords('Ich möchte ein Konto'), ['konto']);
  });

  test("a German question's first-person verb goes back to its infinitive, and only that word", () => {
    assert.deepEqual(topicWords('Wie ändere ich die Zeitzone?'), ['andern', 'zeitzone']);
    assert.deepEqual(topicWords('Wie speichere ich den Entwurf?'), ['speichern', 'entwurf']);
    // "andere" elsewhere is "other"; a filler stays a filler.
    assert.deepEqual(topicWords('Wie sehe ich andere Projekte?'), ['sehen', 'andere', 'projekte']);
    assert.deepEqual(topicWords('Wo finde ich die Rechnungen?'), ['rechnungen']);
    assert.equal(matchedTopicWords(topicWords('Wie ändere ich die Zeitzone?'), 'Change the workspace name or the time zone.'), 2);
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

  test('one thing written as one word or as two neighbouring words is the same word', () => {
    // A question's one word meets two words of an article, and two words of a question meet one word of a label.
    assert.equal(matchedTopicWords(['change', 'timezone'], 'Rename your workspace or change its time zone'), 2);
    assert.equal(matchedTopicWords(['add', 'webhook'], 'To add a web hook, open Integrations.'), 2);
    assert.equal(matchedTopicWords(['web', 'hook'], 'Webhooks'), 2);
    assert.ok(isTopicMatch(['check', 'out'], 'Checkout'));
    assert.ok(isTopicMatch(['setup'], 'Set up payouts'));
    assert.ok(topicRank(['workspace'], 'Work space settings') > topicRank(['workspace'], 'Space settings'));
    // Only neighbours, and only words long enough together: "in to" is not "into", and distant words join nothing.
    assert.equal(matchedTopicWords(['into'], 'log in to your bank'), 0);
    assert.equal(matchedTopicWords(['webhook'], 'web pages and a hook'), 0);
  });

  test('a time zone is one concept in five languages, however it is written', () => {
    assert.deepEqual(topicWords('¿Cómo cambio la zona horaria?'), ['cambio', 'zonahoraria']);
    assert.deepEqual(topicWords('Comment changer le fuseau horaire ?'), ['changer', 'fuseauhoraire']);
    for (const topic of [['cambio', 'zonahoraria'], ['changer', 'fuseauhoraire'], ['andern', 'zeitzone'], ['mudar', 'fusohorario'], ['change', 'timezone']]) {
      assert.equal(matchedTopicWords(topic, 'Change the workspace name or the time zone.'), 2, topic.join(' '));
    }
    assert.deepEqual(compoundParts('timezone'), ['time', 'zone']);
  });
});
