import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { detectLanguage, languageOfHint } from './detect-language.ts';

const QUESTIONS: Record<string, readonly string[]> = {
  en: [
    'what do I do next?', 'what now?', 'where am I', 'did that work?', 'how do I finish this?', 'which fare did I pick and what do I do now?',
    'what is the boiling point of water?', 'thanks', 'hello', 'help', 'are you a bot?', "what's next?", 'how do I export contacts', "why doesn't this work?",
  ],
  es: [
    '¿y ahora?', 'y ahora', '¿dónde estoy?', 'donde estoy', '¿qué hice?', 'que hice', '¿puedo cambiarlo a público después?', 'cómo envío la factura',
    'gracias', 'hola', 'ayuda', 'por qué no funciona', '¿Cómo termino el Passenger details?', 'no encuentro el botón de Send invoice',
    'como cambio mi plan', 'como agrego una etiqueta',
  ],
  fr: [
    'et maintenant ?', "qu'est-ce que j'ai fait jusqu'ici ?", 'que faire maintenant', 'où suis-je ?', 'comment ajouter un utilisateur', 'merci',
    'pourquoi ça ne marche pas ?', 'comment je confirme le Assign owner ?', 'aide', 'tu es un robot ?', 'ça a marché ?', 'bonjour', 'comment exporter les contacts',
    'Comment connecter mon agenda ?', 'comment changer ma photo',
  ],
  de: [
    'und jetzt?', 'Warum funktioniert das nicht?', 'was habe ich gemacht', 'wie geht es weiter', 'wo bin ich?', 'danke', 'wie füge ich einen Benutzer hinzu?',
    'wie kann ich Economy Flex ändern', 'hilfe', 'bist du ein Bot?', 'hat das geklappt?', 'hallo', 'was nun?', 'Wie melde ich mich für einen Kurs an?',
  ],
  pt: [
    'e agora?', 'Onde coloco o número do passaporte?', 'o que eu fiz', 'onde estou?', 'obrigado', 'o que faço agora?', 'funcionou?', 'ajuda',
    'você é um robô?', 'olá', 'oi', 'como exporto os contatos', 'qual é a capital da Austrália?', 'deu certo?', 'como termino isso?',
    'Como me matriculo num curso?', 'como adiciono um colaborador ao repositório?',
  ],
};

describe('detectLanguage', () => {
  for (const [language, questions] of Object.entries(QUESTIONS)) {
    test(`recognises short questions in ${language} without a hint`, () => {
      for (const question of questions) assert.equal(detectLanguage(question, null), language, question);
    });
  }

  test('quoted labels do not count: a Spanish question about an English button is Spanish', () => {
    assert.equal(detectLanguage("¿dónde está 'Export report'?", null), 'es');
    assert.equal(detectLanguage("wo finde ich 'Send invoice'?", null), 'de');
  });

  test('falls back to the widget language when the question says nothing, then to English', () => {
    assert.equal(detectLanguage('ok?', 'es-MX'), 'es');
    assert.equal(detectLanguage('ok?', 'pt_BR'), 'pt');
    assert.equal(detectLanguage('ok?', 'it'), 'en');
    assert.equal(detectLanguage('ok?', null), 'en');
    assert.equal(detectLanguage('', 'fr'), 'fr');
  });

  test('a confident question wins over the widget language', () => {
    assert.equal(detectLanguage('what do I do next?', 'de'), 'en');
    assert.equal(detectLanguage('¿y ahora?', 'en'), 'es');
  });
});

test('languageOfHint reads language tags of the five languages and nothing else', () => {
  assert.equal(languageOfHint('pt-BR'), 'pt');
  assert.equal(languageOfHint(' DE '), 'de');
  assert.equal(languageOfHint('zh-CN'), null);
  assert.equal(languageOfHint(null), null);
});
