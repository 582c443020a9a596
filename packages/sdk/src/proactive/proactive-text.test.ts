import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parsePlaybook } from '../playbook/parse-playbook.ts';
import { playbookTrigger } from './playbook.ts';
import type { ProactiveProposal } from './proactive-trigger.ts';
import { isNotNowReply, notNowReply, proactiveMessage, templateLanguage } from './proactive-text.ts';

const idle: ProactiveProposal = {
  triggerId: 'container_idle',
  moment: 'm',
  cooldownS: 600,
  facts: { kind: 'container_idle', container: { kind: 'dialog', label: 'Nuevo ticket' }, page: 'Tickets', seconds: 40 },
};

describe('proactiveMessage', () => {
  it('fills the template of the first available language with labels from the state, and ends with "Not now"', () => {
    const spanish = proactiveMessage(idle, [null, 'es-MX', 'en']);
    assert.equal(spanish.language, 'es');
    assert.equal(spanish.text, '¿Te ayudo con Nuevo ticket? Puedo explicarte las opciones antes de confirmar.');
    assert.deepEqual(spanish.quickReplies, ['¿Qué pasa si confirmo Nuevo ticket?', 'Ahora no']);
    assert.equal(proactiveMessage(idle, ['ja', 'fr']).language, 'fr', 'a language without templates falls through to the next');
    assert.equal(proactiveMessage(idle, []).language, 'en');
  });

  it('every trigger has a template in every language, at most 150 characters even with long labels', () => {
    const long = 'L'.repeat(120);
    const proposals: ProactiveProposal[] = [
      { ...idle, facts: { kind: 'back_and_forth', pages: [long, long], cycles: 2 } },
      { ...idle, facts: { kind: 'page_dwell', page: long, seconds: 60 } },
      { ...idle, facts: { kind: 'container_idle', container: { kind: 'form', label: long }, page: null, seconds: 30 } },
      { ...idle, facts: { kind: 'repeated_failure', failure: 'rage', label: long, page: null, count: 2 } },
    ];
    for (const language of ['en', 'es', 'fr', 'de', 'pt']) {
      for (const proposal of proposals) {
        const message = proactiveMessage(proposal, [language]);
        assert.equal(message.language, language);
        assert.ok(message.text.length <= 150, `${language} ${proposal.facts.kind}: ${message.text.length}`);
        assert.equal(message.quickReplies.length, 2);
        assert.ok(isNotNowReply(message.quickReplies[1]!));
      }
    }
  });

  it("a playbook rule speaks its own words, in the user's language when it has it, and always offers Not now", () => {
    const playbook = parsePlaybook('rules:\n  - id: r\n    match: { path: /a }\n    message: { en: "Hi there", pt: "Olá!" }\n    quick_replies: { pt: ["Como faço?"] }\n');
    const hit = playbookTrigger(() => playbook).evaluate({
      state: { page: { title: 'A', path: '/a', since: 0 }, open: null } as never,
      now: 1000,
    });
    assert.ok(hit);
    assert.deepEqual(proactiveMessage(hit, ['pt-BR']), { text: 'Olá!', quickReplies: ['Como faço?', 'Agora não'], language: 'pt' });
    assert.deepEqual(proactiveMessage(hit, ['de']), { text: 'Hi there', quickReplies: ['Not now'], language: 'en' });
  });
});

describe('Not now', () => {
  it('is recognised in each language, without case or trailing punctuation, and nothing else is', () => {
    for (const reply of ['Not now', 'not now.', 'Ahora no', '¡Ahora no!', 'Pas maintenant', 'Pas maintenant !', 'Pas maintenant\u202f!', 'Nicht jetzt', 'Agora não']) assert.ok(isNotNowReply(reply), reply);
    for (const other of ['now', 'Not now, but how do I invite?', 'Yes please']) assert.ok(!isNotNowReply(other), other);
    assert.equal(notNowReply('de-AT'), 'Nicht jetzt');
    assert.equal(templateLanguage('zh'), null);
  });
});
