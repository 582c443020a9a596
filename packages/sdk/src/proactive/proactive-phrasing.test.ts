import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { acceptPhrasing, proactiveLabels, proactivePhrasingPrompt } from './proactive-phrasing.ts';
import { proactiveMessage } from './proactive-text.ts';
import type { ProactiveProposal } from './proactive-trigger.ts';

const backAndForth: ProactiveProposal = {
  triggerId: 'canonical_url_ping_pong',
  moment: '/billing|/team@1700000000',
  cooldownS: 600,
  facts: { kind: 'back_and_forth', pages: ['Billing', 'Team'], cycles: 2 },
};
const idleDialog: ProactiveProposal = {
  triggerId: 'container_idle',
  moment: 'dialog:Upgrade plan@1700000000',
  cooldownS: 600,
  facts: { kind: 'container_idle', container: { kind: 'dialog', label: 'Upgrade plan' }, page: 'Billing', seconds: 42 },
};

describe('proactivePhrasingPrompt', () => {
  it('gives the model the situation, the labels it may name and the template, in the offer language', () => {
    const { system, prompt } = proactivePhrasingPrompt(idleDialog, proactiveMessage(idleDialog, ['es']));
    assert.match(system, /Write in Spanish\. At most 150 characters/);
    assert.match(prompt, /opened a dialog and left it for 42 seconds/);
    assert.match(prompt, /Labels you may name: "Upgrade plan", "Billing"\./);
    assert.match(prompt, /¿Te ayudo con Upgrade plan\?/);
  });

  it('lists each label once, whatever its case', () => {
    assert.deepEqual(proactiveLabels({ kind: 'repeated_failure', failure: 'rage', label: 'Export', page: 'export', count: 3 }), ['Export']);
    assert.deepEqual(proactiveLabels({ kind: 'playbook', ruleId: 'r', page: null, container: null }), []);
  });
});

describe('acceptPhrasing', () => {
  it('takes a short answer that names a label of the state, unwrapping quotes around the whole', () => {
    assert.equal(acceptPhrasing('  "Stuck between Billing and Team? I can point you to the right place."\n', backAndForth), 'Stuck between Billing and Team? I can point you to the right place.');
    assert.equal(acceptPhrasing("Not sure about 'Upgrade plan'? I'll explain what changes.", idleDialog), "Not sure about 'Upgrade plan'? I'll explain what changes.");
  });

  it('refuses an answer that names no label, or quotes one the state does not have', () => {
    assert.equal(acceptPhrasing('Looking for something? I can help.', backAndForth), null);
    assert.equal(acceptPhrasing('On Billing? Try "Invoices" for past payments.', backAndForth), null);
    assert.equal(acceptPhrasing('Need help with «Annual billing» on Billing?', backAndForth), null);
  });

  it('refuses empty, long, linked or marked-up answers', () => {
    assert.equal(acceptPhrasing('   ', backAndForth), null);
    assert.equal(acceptPhrasing(`Billing and Team ${'really '.repeat(30)}confuse you?`, backAndForth), null);
    assert.equal(acceptPhrasing('Billing questions? See https://help.example.com/billing', backAndForth), null);
    assert.equal(acceptPhrasing('**Billing** or **Team**? I can help.', backAndForth), null);
  });
});
