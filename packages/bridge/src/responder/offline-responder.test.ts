import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ActivityState } from '@sightline/sdk';
import { OFFLINE_OPERATOR_HINT } from '../llm/llm-settings.ts';
import { createOfflineResponder, detectIntent, summaryForUser } from './offline-responder.ts';
import { activity, tabsContext } from './__fixtures__/activity-state.ts';
import type { ReplyContext } from './reply-context.ts';

const responder = createOfflineResponder();

// ---------------------------------------------------------------- checks shared by every scenario

/** Common words of each language; a reply reads as the language with the most of them (quoted labels left out). */
const LANGUAGE_WORDS: Record<string, readonly string[]> = {
  en: ['the', 'and', 'you', 'to', 'your', 'is', 'on', 'of', 'it', 'click', 'page', 'in', 'with', 'this', 'can', 'what'],
  es: ['el', 'la', 'los', 'las', 'de', 'que', 'en', 'para', 'tu', 'su', 'una', 'un', 'con', 'por', 'está', 'estás', 'puedes', 'haz', 'pulsa', 'página', 'y', 'es', 'se', 'lo', 'al', 'del'],
  fr: ['le', 'la', 'les', 'de', 'des', 'du', 'un', 'une', 'et', 'vous', 'tu', 'est', 'dans', 'pour', 'sur', 'pas', 'votre', 'cliquez', 'page', 'bouton', 'avez', 'êtes', 'puis', 'ce', 'cette'],
  pt: ['o', 'a', 'os', 'as', 'de', 'do', 'da', 'que', 'em', 'no', 'na', 'para', 'você', 'seu', 'sua', 'um', 'uma', 'com', 'por', 'está', 'clique', 'página', 'botão', 'e', 'é'],
  de: ['der', 'die', 'das', 'und', 'du', 'sie', 'ist', 'nicht', 'mit', 'auf', 'ein', 'eine', 'im', 'zu', 'den', 'dem', 'bitte', 'kannst', 'klicke', 'seite', 'dich', 'dein', 'deine', 'ich', 'wie'],
};

function languageOf(text: string): string {
  const words = text.toLowerCase().replace(/'[^']*'/g, ' ').match(/\p{L}+/gu) ?? [];
  const scores = Object.entries(LANGUAGE_WORDS).map(([language, list]) => [language, words.filter((word) => list.includes(word)).length] as const);
  return [...scores].sort((left, right) => right[1] - left[1])[0]![0];
}

/** Internal text: raw titles, snake_case names, form ids, key names, session ids (the grounding practice's check). */
const INTERNAL = /Page Load:|\b[a-z]+_[a-z_]+\b|\b[a-z]+(?:-[a-z]+)+-form\b|[A-Z]+_API_KEY|\bsession [0-9a-z-]{8,}/g;

const QUOTED = /(?:^|[\s([:])'([^'\n]{1,70}?)'(?=[\s.,;:!?)\]]|$)/g;

function quotedLabels(text: string): string[] {
  return [...text.matchAll(QUOTED)].map((match) => match[1]!.trim());
}

/** Every label a state shows: pages, steps, choices, containers, openers, finished flows. */
function labelsOf(tabs: readonly ActivityState[]): string[] {
  return tabs.flatMap((tab) => [
    ...tab.recentPages.map((visit) => visit.title),
    ...tab.recentSteps.flatMap((step) => [step.label, step.choice, step.page, step.container?.label]),
    tab.open?.label,
    tab.open?.openedBy,
    tab.lastFinished?.by,
    tab.lastFinished?.container?.label,
    tab.lastFinished?.ledTo,
  ]).filter((label): label is string => Boolean(label));
}

/** Instructions to use a control, in the five languages ("use 'X'", "clique em 'X'", "nutze 'X'" …). */
const INSTRUCTION =
  /\b(?:click(?: on)?|press|tap|hit|open|choose|use|select|haz clic en|pulsa|usa|abre|elige|cliquez sur|utilisez(?: de nouveau)?|ouvrez|choisissez|appuyez sur|klicke auf|nutze(?: noch einmal)?|öffne|wähle|drücke|clique em|use|abra|escolha|aperte)\s+'([^']+)'/gi;

function instructedLabels(text: string): string[] {
  return [...text.matchAll(INSTRUCTION)].map((match) => match[1]!);
}

interface Expectation {
  language: string;
  /** Patterns that must occur (the page or dialog the user is in, the choice made …). */
  names?: readonly RegExp[];
  /** Labels the reply must not tell the user to use (what they just did). */
  notAgain?: readonly string[];
  /** Patterns that must not occur. */
  absent?: readonly RegExp[];
}

async function ask(query: string, tabs: readonly ActivityState[], expected: Expectation, overrides: Partial<ReplyContext> = {}): Promise<string> {
  const result = await responder.respond(tabsContext(query, tabs, overrides));
  const reply = result.reply;
  assert.equal(result.error, undefined);
  assert.equal(languageOf(reply), expected.language, `language of: ${reply}`);
  assert.deepEqual(reply.match(INTERNAL) ?? [], [], `internal text in: ${reply}`);
  assert.ok(!reply.includes(OFFLINE_OPERATOR_HINT) && !/API_KEY|LLM_PROVIDER|restart the bridge/.test(reply), `operator hint in: ${reply}`);
  const known = [...labelsOf(tabs), query].map((label) => label.toLowerCase());
  for (const label of quotedLabels(reply)) {
    assert.ok(known.some((knownLabel) => knownLabel.includes(label.toLowerCase())), `'${label}' is not a label of the state nor the question: ${reply}`);
  }
  for (const pattern of expected.names ?? []) assert.match(reply, pattern);
  for (const pattern of expected.absent ?? []) assert.doesNotMatch(reply, pattern);
  const instructed = instructedLabels(reply).map((label) => label.toLowerCase());
  for (const label of expected.notAgain ?? []) assert.ok(!instructed.includes(label.toLowerCase()), `tells the user to use '${label}' again: ${reply}`);
  return reply;
}

const NO_NOTE = { history: [{ role: 'user' as const, content: 'hi' }, { role: 'assistant' as const, content: 'Hi!' }] };

// ---------------------------------------------------------------- scenarios in products unlike the demo

describe('offline responder: CRM, a contact being created', () => {
  const state = activity({ productId: 'crm' })
    .visit('Contacts')
    .open('New contact', { name: 'Create contact' })
    .type('Email')
    .choose('Referral', { role: 'option', label: 'Lead source' })
    .state();
  const expected = { names: [/'Create contact'/, /'Contacts'/, /'Referral'/], notAgain: ['New contact'] };

  for (const [query, language] of [
    ['what do I do next?', 'en'],
    ['¿y ahora?', 'es'],
    ['et maintenant ?', 'fr'],
    ['und jetzt?', 'de'],
    ['e agora?', 'pt'],
  ] as const) {
    test(`"${query}" names the dialog, what opened it and the choice, in ${language}, without reopening it`, async () => {
      const reply = await ask(query, [state], { language, ...expected });
      assert.match(reply, /'New contact'/, 'what opened the dialog is named, since it differs from its name');
    });
  }

  test('without a finishing button seen before, it points to the confirming button without inventing a label', async () => {
    const reply = await ask('how do I finish this?', [state], { language: 'en', ...expected });
    assert.match(reply, /button that confirms it at the bottom of the dialog/);
  });
});

describe('offline responder: help desk, the owner being assigned again', () => {
  const state = activity({ productId: 'helpdesk' })
    .visit('Tickets')
    .follow('Printer on fire', 'Printer on fire')
    .open('Assign', { name: 'Assign owner' })
    .choose('Dana Whitfield')
    .submit('Save assignment')
    .follow('Tickets', 'Tickets')
    .follow('VPN drops every hour', 'VPN drops every hour')
    .open('Assign', { name: 'Assign owner' })
    .choose('Lee Ortiz')
    .state();

  test('names its finishing button from the earlier round and the choice made, never the opener', async () => {
    const reply = await ask('how do I finish this?', [state], {
      language: 'en',
      names: [/'Assign owner' dialog you opened with 'Assign'/, /picked 'Lee Ortiz'/, /finish with 'Save assignment'/, /'VPN drops every hour'/],
      notAgain: ['Assign', 'VPN drops every hour'],
      absent: [/Dana Whitfield/],
    });
    assert.doesNotMatch(reply, /Printer on fire/);
  });

  test('the same in Spanish and Portuguese', async () => {
    await ask('¿cómo termino esto?', [state], { language: 'es', names: [/'Assign owner'/, /'Save assignment'/, /'Lee Ortiz'/], notAgain: ['Assign'] });
    await ask('como termino isso?', [state], { language: 'pt', names: [/'Assign owner'/, /'Save assignment'/, /'Lee Ortiz'/], notAgain: ['Assign'] });
  });
});

describe('offline responder: bank, a transfer that does not go through', () => {
  const state = activity({ productId: 'bank' })
    .visit('Accounts')
    .follow('Transfers', 'Transfers')
    .open('New transfer', { kind: 'drawer', name: 'Transfer money' })
    .type('Amount')
    .fail('Review transfer', 'rage')
    .state();

  for (const [query, language] of [
    ["why doesn't this work?", 'en'],
    ['Warum funktioniert das nicht?', 'de'],
    ['pourquoi ça ne marche pas ?', 'fr'],
    ['¿por qué no funciona?', 'es'],
    ['por que não funciona?', 'pt'],
  ] as const) {
    test(`"${query}" says the click on 'Review transfer' did nothing and what may be missing, in ${language}`, async () => {
      await ask(query, [state], { language, names: [/'Review transfer'/, /'Transfers'/], notAgain: ['New transfer', 'Review transfer'] });
    });
  }

  test('"what now?" after the failed click leads with it too', async () => {
    const reply = await ask('what now?', [state], { language: 'en', names: [/didn’t do anything/, /required field/] });
    assert.ok(reply.indexOf('Review transfer') < reply.indexOf('Transfers'));
  });
});

describe('offline responder: CMS, a dialog dismissed', () => {
  const state = activity({ productId: 'cms' })
    .visit('Posts')
    .open('Schedule', { name: 'Schedule post' })
    .type('Publish date')
    .dismiss('Cancel')
    .state();

  test('says it was closed without finishing and names the opener to reopen it (here that is right)', async () => {
    await ask('what now?', [state], { language: 'en', names: [/closed 'Schedule post' without finishing/, /use 'Schedule' on the 'Posts' page/], notAgain: ['Cancel'] });
  });

  test('the same in French and German', async () => {
    await ask('que faire maintenant ?', [state], { language: 'fr', names: [/'Schedule post'/, /'Schedule'/] });
    await ask('wie geht es weiter?', [state], { language: 'de', names: [/'Schedule post'/, /'Schedule'/] });
  });
});

describe('offline responder: travel booking, a fare picked before the passenger dialog', () => {
  const state = activity({ productId: 'travel' })
    .visit('Trips')
    .click('Search flights')
    .visit('Results')
    .choose('Economy Flex', { role: 'radio', label: null })
    .open('Continue', { name: 'Passenger details' })
    .type('First name')
    .state();

  test('"which fare did I pick and what do I do now?" names the fare and the dialog', async () => {
    await ask('which fare did I pick and what do I do now?', [state], {
      language: 'en',
      names: [/'Economy Flex'/, /'Passenger details'/],
      notAgain: ['Continue', 'Search flights', 'Economy Flex'],
    });
  });

  test('a Portuguese question about a field it has not seen quotes the question and points into the open dialog', async () => {
    await ask('Onde coloco o número do passaporte?', [state], {
      language: 'pt',
      names: [/'número do passaporte'/, /'Passenger details'/, /nesta janela/],
      notAgain: ['Continue'],
    });
  });
});

describe('offline responder: learning platform, dead clicks on a quiz', () => {
  const state = activity({ productId: 'lms' })
    .visit('Courses')
    .follow('Intro to SQL', 'Intro to SQL')
    .follow('Lesson 3: Joins', 'Lesson 3: Joins')
    .open('Start quiz', { kind: 'section', name: 'Quiz' })
    .fail('Submit answer', 'dead')
    .fail('Submit answer', 'dead')
    .state();

  test('"Warum funktioniert das nicht?" answers in German about the clicks on \'Submit answer\' in \'Quiz\'', async () => {
    await ask('Warum funktioniert das nicht?', [state], {
      language: 'de',
      names: [/'Submit answer' in 'Quiz' nichts bewirkt/, /'Lesson 3: Joins'/],
      notAgain: ['Start quiz', 'Intro to SQL'],
    });
  });
});

describe('offline responder: calendar, a finished flow and an unrelated question', () => {
  const state = activity({ productId: 'calendar' })
    .visit('Week')
    .open('New event')
    .type('Title')
    .submit('Save')
    .visit('Week')
    .state();

  test('"did that work?" says it went through and where to check, without repeating any click', async () => {
    await ask('did that work?', [state], {
      language: 'en',
      names: [/it looks like that worked/i, /finished 'New event' with 'Save'/, /'Week'/],
      notAgain: ['New event', 'Save'],
    });
  });

  for (const [query, language] of [
    ['¿funcionó?', 'es'],
    ['ça a marché ?', 'fr'],
    ['hat das geklappt?', 'de'],
    ['funcionou?', 'pt'],
  ] as const) {
    test(`"${query}" says the same in ${language}`, async () => {
      await ask(query, [state], { language, names: [/'New event'/, /'Save'/], notAgain: ['New event', 'Save'] });
    });
  }

  for (const [query, language] of [
    ['what is the boiling point of water?', 'en'],
    ['What is the capital of Australia?', 'en'],
    ['¿cuál es la capital de Australia?', 'es'],
    ["quelle est la capitale de l'Australie ?", 'fr'],
    ['Was ist die Hauptstadt von Australien?', 'de'],
    ['qual é a capital da Austrália?', 'pt'],
  ] as const) {
    test(`an unrelated question ("${query}") gets a plain answer that names nothing of the activity`, async () => {
      const reply = await ask(query, [state], { language, absent: [/Week|New event|Save|Title/] });
      assert.equal(quotedLabels(reply).length, 0);
    });
  }
});

describe('offline responder: invoicing, a long session', () => {
  let script = activity({ productId: 'invoicing' }).visit('Invoices');
  for (let number = 1001; number <= 1006; number++) {
    script = script.follow(`INV-${number}`, `INV-${number}`).click('Mark as paid').visit('Invoices');
  }
  const state = script.follow('INV-1007', 'INV-1007').open('Send invoice').type('Recipient').state();

  test('"what now?" is about the open dialog first, not the older work', async () => {
    const reply = await ask('what now?', [state], { language: 'en', names: [/'Send invoice' dialog/, /'Recipient'/], notAgain: ['Send invoice'] });
    assert.doesNotMatch(reply.split(/\n\s*\n/)[0]!, /Mark as paid/);
  });

  test('a French recap is short, in French, page by page, and ends with where the user is', async () => {
    const reply = await ask("qu'est-ce que j'ai fait jusqu'ici ?", [state], { language: 'fr', names: [/'Mark as paid'/, /'Send invoice'/] });
    const lines = reply.split('\n').filter((line) => line.trim());
    assert.ok(lines.length <= 9, `recap of ${lines.length} lines: ${reply}`);
    assert.doesNotMatch(reply, /Here’s|you’ve/);
  });

  for (const [query, language] of [
    ['what have I done so far?', 'en'],
    ['¿qué hice?', 'es'],
    ['was habe ich gemacht?', 'de'],
    ['o que eu fiz?', 'pt'],
  ] as const) {
    test(`"${query}" is a bounded recap in ${language}`, async () => {
      const reply = await ask(query, [state], { language, names: [/'Mark as paid'/] });
      assert.ok(reply.split('\n').filter((line) => line.trim()).length <= 9, reply);
    });
  }

  test('an English recap tells the rolling story, without its sentences that hold internal text', async () => {
    const sessions = [
      {
        productId: 'invoicing',
        sessionId: 'session-1',
        summary: 'The user opened six invoices and marked each as paid. They edited the billing_address field. They then opened the seventh invoice.',
        actions: [],
      },
    ];
    const reply = await ask('what did I do so far?', [state], { language: 'en', names: [/You opened six invoices and marked each as paid\./, /You then opened the seventh invoice\./] }, { sessions });
    assert.doesNotMatch(reply, /billing/);
  });

  test('a Spanish recap does not paste the English story', async () => {
    const sessions = [{ productId: 'invoicing', sessionId: 'session-1', summary: 'The user opened six invoices.', actions: [] }];
    const reply = await ask('¿qué he hecho hasta ahora?', [state], { language: 'es' }, { sessions });
    assert.doesNotMatch(reply, /six invoices/);
  });

  test('"cómo envío la factura" finds the open dialog through the Spanish words', async () => {
    await ask('¿cómo envío la factura?', [state], { language: 'es', names: [/Ya estás en 'Send invoice'/], notAgain: ['Send invoice'] });
  });
});

describe('offline responder: code hosting, a repository being created', () => {
  const state = activity({ productId: 'forge' })
    .visit('Repositories')
    .open('New', { name: 'Create a new repository' })
    .type('Repository name')
    .choose('Private')
    .choose('Add a README file', { role: 'checkbox' })
    .state();

  test('"how do I finish creating it?" stays in the dialog and never says to use \'New\'', async () => {
    await ask('how do I finish creating it?', [state], {
      language: 'en',
      names: [/'Create a new repository' dialog you opened with 'New'/, /'Private'/, /confirms/],
      notAgain: ['New'],
    });
  });
});

describe('offline responder: onboarding checklist, a link that already led to the page', () => {
  const state = activity({ productId: 'hosting' })
    .visit('Setup checklist')
    .follow('Connect a domain', 'Domains')
    .state();

  test('"what now?" acknowledges where the link led and never says to use it again', async () => {
    await ask('what now?', [state], { language: 'en', names: [/'Domains'/, /already where 'Connect a domain' leads/], notAgain: ['Connect a domain'] });
  });

  test('the same in Portuguese', async () => {
    await ask('o que faço agora?', [state], { language: 'pt', names: [/'Domains'/], notAgain: ['Connect a domain'] });
  });

  test('a control used on the page since arriving is what "what now?" starts from, not the link that led there', async () => {
    const clicked = activity({ productId: 'hosting' }).visit('Setup checklist').follow('Connect a domain', 'Domains').click('Verify DNS').state();
    const reply = await ask('what now?', [clicked], { language: 'en', names: [/'Domains'/, /last step was 'Verify DNS'/] });
    assert.doesNotMatch(reply, /leads/);
  });
});

describe('offline responder: recruiting, a menu open', () => {
  const state = activity({ productId: 'ats' }).visit('Candidate: Ana Lima').open('Move to stage', { kind: 'menu' }).state();

  test('with a menu open, the next step is to pick an option in it', async () => {
    await ask('what next?', [state], { language: 'en', names: [/'Move to stage' menu/, /Pick the option/], notAgain: ['Move to stage'] });
    await ask('¿qué hago ahora?', [state], { language: 'es', names: [/'Move to stage'/, /Elige/] });
  });
});

describe('offline responder: shop admin, the finishing button used but the dialog still open', () => {
  const state = activity({ productId: 'shop' })
    .visit('Order 5521')
    .open('Refund', { name: 'Refund order' })
    .type('Amount')
    .submit('Issue refund')
    .visit('Order 5522')
    .open('Refund', { name: 'Refund order' })
    .type('Amount')
    .click('Issue refund', { container: { kind: 'dialog', label: 'Refund order' } })
    .state();

  test('says the button was used and something in the dialog is probably missing, without saying to use it again', async () => {
    await ask('how do I finish this?', [state], { language: 'en', names: [/already used 'Issue refund'/, /still open/], notAgain: ['Issue refund', 'Refund'] });
    await ask('e agora?', [state], { language: 'pt', names: [/já usou 'Issue refund'/], notAgain: ['Issue refund', 'Refund'] });
  });
});

describe('offline responder: analytics, two tabs', () => {
  const sharing = activity({ productId: 'analytics', windowId: 'tab-a', startAt: 2_000_000 }).visit('Dashboards').open('Share', { name: 'Share dashboard' }).type('Invite by email').state();
  const billing = activity({ productId: 'analytics', windowId: 'tab-b', startAt: 1_000_000 }).visit('Billing').open('Change plan').state();

  test('"where am I?" answers from the tab acted in last and mentions the other briefly', async () => {
    const reply = await ask('where am I?', [sharing, billing], { language: 'en', names: [/'Share dashboard'/, /'Dashboards'/, /another tab you’re on the 'Billing' page/] });
    assert.doesNotMatch(reply, /Change plan/);
  });

  test('"what now?" is about the current tab only', async () => {
    const reply = await ask('what now?', [sharing, billing], { language: 'en', names: [/'Share dashboard'/], notAgain: ['Share'] });
    assert.doesNotMatch(reply, /Billing|Change plan/);
  });

  test('"wo bin ich?" in German', async () => {
    await ask('wo bin ich?', [sharing, billing], { language: 'de', names: [/Du bist auf der Seite 'Dashboards', im Dialog 'Share dashboard'/] });
  });
});

describe('offline responder: project tool, a how-to seen on another page', () => {
  const state = activity({ productId: 'kanban' })
    .visit('Boards')
    .click('Export CSV')
    .follow('Sprint 12', 'Sprint 12')
    .click('Add card')
    .state();

  test('"how do I export the board?" points back to where it was seen', async () => {
    await ask('how do I export the board?', [state], { language: 'en', names: [/Earlier you used 'Export CSV' on the 'Boards' page/, /go back to the 'Boards' page/], notAgain: ['Add card', 'Sprint 12'] });
  });

  test('"comment exporter le tableau ?" finds it through the French word', async () => {
    await ask('comment exporter le tableau ?', [state], { language: 'fr', names: [/'Export CSV'/, /'Boards'/] });
  });

  test('a topic not seen anywhere is said plainly, with where the user is', async () => {
    await ask('how do I set up two-factor authentication?', [state], { language: 'en', names: [/can’t see/, /'Sprint 12'/] });
  });
});

describe('offline responder: insurance, a form on the page', () => {
  const state = activity({ productId: 'claims' }).visit('New claim').open('Start claim', { kind: 'form', name: 'Claim details', step: 'click' }).type('Policy number').choose('Water damage').state();

  test('a form is finished with the button at its end', async () => {
    await ask('wie geht es weiter?', [state], { language: 'de', names: [/im Formular 'Claim details'/, /'Water damage'/, /am Ende des Formulars/], notAgain: ['Start claim'] });
  });
});

describe('offline responder: the demo flow from the issue (Cancel, then Upgrade plan)', () => {
  const state = activity({ productId: 'demo' })
    .visit('Team')
    .open('Invite member')
    .dismiss('Cancel')
    .follow('Billing', 'Billing')
    .open('Upgrade plan')
    .choose('Business')
    .state();

  test('"what happens when I confirm?" is answered inside the Upgrade plan dialog with the chosen plan', async () => {
    await ask('what happens when I confirm?', [state], { language: 'en', names: [/'Upgrade plan' dialog/, /picked 'Business'/], notAgain: ['Upgrade plan', 'Business'] });
  });
});

describe('offline responder: the demo, right after clicking a button whose dialog is not seen yet', () => {
  const state = activity({ productId: 'demo' }).visit('Dashboard').follow('Team', 'Team').click('Invite member').state();

  test('"how do I add a teammate?" says the click was the way, and does not ask for it again', async () => {
    await ask('how do I add a teammate?', [state], { language: 'en', names: [/last step was 'Invite member'/, /'Team'/], notAgain: ['Invite member', 'Team'] });
    await ask('¿cómo invito a un compañero?', [state], { language: 'es', names: [/'Invite member'/], notAgain: ['Invite member'] });
  });
});

describe('offline responder: no activity yet', () => {
  test('says it cannot see any activity, in the language of the widget when the question is too short', async () => {
    await ask('ok?', [], { language: 'es', names: [/Todavía no veo ninguna actividad/] }, { languageHint: 'es-MX' });
    await ask('what now?', [], { language: 'en', names: [/can’t see any activity/] });
  });

  test('answers unrelated questions plainly', async () => {
    await ask('What is the capital of Australia?', [], { language: 'en', names: [/only help with this product/] });
  });

  test('a recap with only an English story still tells it', async () => {
    const sessions = [{ productId: 'p', sessionId: 's', summary: 'The user looked at the pricing page.', actions: [] }];
    await ask('recap please', [], { language: 'en', names: [/You looked at the pricing page\./] }, { sessions });
  });
});

describe('offline responder: conversation', () => {
  const state = activity().visit('Inbox').open('Compose', { name: 'New message' }).type('Subject').state();

  test('greets by name in the language of the greeting and says where the user is', async () => {
    await ask('hola', [state], { language: 'es', names: [/¡Hola, Sam!/, /'New message'/] });
    await ask('hallo', [state], { language: 'de', names: [/Hallo Sam!/, /'New message'/] });
    await ask('bonjour', [state], { language: 'fr', names: [/Bonjour Sam/] });
    await ask('olá', [state], { language: 'pt', names: [/Olá, Sam!/] });
  });

  test('thanks and "are you a bot?" get short answers in the language asked', async () => {
    await ask('gracias', [state], { language: 'es', names: [/De nada/] });
    await ask('merci', [state], { language: 'fr', names: [/Avec plaisir/] });
    await ask('bist du ein Bot?', [state], { language: 'de', names: [/ohne Sprachmodell/] });
    await ask('are you a bot?', [state], { language: 'en', names: [/without a language model/] });
  });

  test('the note about answering without a language model comes on the first answer only', async () => {
    const first = await ask('what now?', [state], { language: 'en' });
    const later = await ask('what now?', [state], { language: 'en' }, NO_NOTE);
    assert.match(first, /without a language model/);
    assert.doesNotMatch(later, /language model/);
  });

  test('is deterministic and of kind offline', async () => {
    assert.equal(responder.kind, 'offline');
    const context = tabsContext('what now?', [state]);
    assert.equal((await responder.respond(context)).reply, (await responder.respond(context)).reply);
  });
});

describe('offline responder: page names made from the path', () => {
  const state = activity().visit('Results', '/trips/results').open('Continue', { name: 'Passenger details' }).type('First name').state();

  test('are not quoted, since the product never showed them as a label', async () => {
    const reply = await ask('where am I?', [state], { language: 'en', names: [/on the Results page, in the 'Passenger details' dialog/] });
    assert.ok(!quotedLabels(reply).includes('Results'));
  });
});

describe('offline responder: an ARIA opener just used, nothing inside it yet', () => {
  const state = activity().visit('Dashboards').open('Add widget', { kind: 'dialog' }).state();
  state.open = null;

  test('"where am I?" and "what now?" say what the last step opened without asking to use it again', async () => {
    await ask('where am I?', [state], { language: 'en', names: [/'Dashboards'/, /last step was 'Add widget'/], notAgain: ['Add widget'] });
    await ask('y ahora?', [state], { language: 'es', names: [/'Add widget'/], notAgain: ['Add widget'] });
  });
});

describe('offline responder: labels that must not be shown as they are', () => {
  const state = activity()
    .visit('Settings')
    .open('notification_settings', { name: 'invite-member-form' })
    .type('weekly_summary')
    .choose('Say "hi" & bye')
    .state();

  test('field names and form ids never reach the reply; a label with double quotes stays whole', async () => {
    const reply = await ask('what now?', [state], { language: 'en', names: [/'Say "hi" & bye'/, /'Settings'/] });
    assert.doesNotMatch(reply, /notification|weekly|invite-member/);
  });
});

describe('offline responder: a dialog the stream only shows from the inside', () => {
  // 'Assign' opened a dialog, but the pick was seen only in its listbox: the state has nothing open.
  const state = activity({ productId: 'helpdesk' })
    .visit('Ticket 4411')
    .click('Assign', { role: 'button' })
    .state();
  state.recentSteps.at(-1)!.step = 'open';
  state.recentSteps.push({ ...state.recentSteps.at(-1)!, index: 99, step: 'choose', role: 'option', label: 'Dana Whitfield', choice: 'Dana Whitfield', container: { kind: 'menu', label: 'Owner' }, at: state.lastAt + 5 });
  state.lastAction = state.recentSteps.at(-1)!;

  test('is still answered as an open dialog named by its opener, with the pick', async () => {
    await ask('how do I finish this?', [state], { language: 'en', names: [/the dialog you opened with 'Assign'/, /picked 'Dana Whitfield'/, /button that confirms it/], notAgain: ['Assign', 'Dana Whitfield'] });
  });
});

describe('offline responder: doing a finished flow again', () => {
  const state = activity({ productId: 'crm' }).visit('Contacts').open('New contact', { name: 'Create contact' }).type('Email').submit('Save contact').visit('Ada Lovelace').state();

  test('"how do I add another contact?" names the opener, which is right to use again after finishing', async () => {
    await ask('how do I add another contact?', [state], { language: 'en', names: [/just finished 'Create contact'/, /use 'New contact' again on the 'Contacts' page/], notAgain: ['Save contact'] });
    await ask('¿cómo agrego otro contacto?', [state], { language: 'es', names: [/'New contact'/], notAgain: ['Save contact'] });
  });

  test('a dialog seen earlier is opened again through its opener, never "used" by its name', async () => {
    const later = activity({ productId: 'crm' }).visit('Contacts').open('New contact', { name: 'Create contact' }).type('Email').dismiss('Cancel').follow('Deals', 'Deals').click('Filter').state();
    const reply = await ask('how do I create a contact?', [later], { language: 'en', names: [/'Create contact'/, /'New contact'/] });
    assert.doesNotMatch(reply, /use 'Create contact'/);
  });
});

describe('offline responder: wandering after leaving a dialog unfinished', () => {
  const state = activity({ productId: 'crm' })
    .visit('Deals')
    .open('Add deal', { name: 'New deal' })
    .type('Deal name')
    .dismiss('Cancel')
    .follow('Reports', 'Reports')
    .follow('Deals', 'Deals')
    .follow('Reports', 'Reports')
    .state();

  test('"what now?" recalls the unfinished dialog and how to reopen it', async () => {
    await ask('what now?', [state], { language: 'en', names: [/closed 'New deal' without finishing/, /use 'Add deal' on the 'Deals' page/, /'Reports'/] });
  });

  test('going back and forth is noticed when nothing was left unfinished', async () => {
    const wandering = activity().visit('Plans').follow('Compare', 'Compare plans').follow('Plans', 'Plans').follow('Compare', 'Compare plans').state();
    wandering.lost.pingPong = ['Plans', 'Compare plans'];
    await ask('what should I do?', [wandering], { language: 'en', names: [/back and forth between the 'Plans' and 'Compare plans' pages/] });
    await ask('¿qué hago ahora?', [wandering], { language: 'es', names: [/ido y vuelto/] });
  });
});

describe('offline responder: messages the rules do not know', () => {
  const state = activity().visit('Inbox').open('Compose', { name: 'New message' }).state();

  test('a question with nothing of the product in it is not forced onto the activity', async () => {
    const reply = await ask('Can you write me a poem about cats?', [state], { language: 'en', names: [/only help with this product/] });
    assert.doesNotMatch(reply, /Inbox|New message/);
  });

  test('a remark about the screen says what it can help with and where the user is', async () => {
    await ask('this page looks odd', [state], { language: 'en', names: [/Without a language model/, /'New message'/] });
  });
});

describe('offline responder: every phrase book speaks its language', () => {
  const state = activity().visit('Inbox').open('Compose', { name: 'New message' }).type('Subject').state();
  const questions: Record<string, readonly string[]> = {
    en: ['thanks', 'are you a bot?', 'hello', 'where am I?', 'what now?', 'what is the capital of Australia?'],
    es: ['gracias', '¿eres un bot?', 'hola', '¿dónde estoy?', '¿y ahora?', '¿cuál es la capital de Australia?'],
    fr: ['merci', 'tu es un robot ?', 'bonjour', 'où suis-je ?', 'et maintenant ?', "quelle est la capitale de l'Australie ?"],
    de: ['danke', 'bist du ein Bot?', 'hallo', 'wo bin ich?', 'und jetzt?', 'Was ist die Hauptstadt von Australien?'],
    pt: ['obrigado', 'você é um robô?', 'olá', 'onde estou?', 'e agora?', 'qual é a capital da Austrália?'],
  };
  for (const [language, queries] of Object.entries(questions)) {
    test(`short answers read as ${language}, with and without activity`, async () => {
      for (const query of queries) {
        await ask(query, [state], { language });
        await ask(query, [], { language });
        await ask(query, [state], { language }, NO_NOTE);
      }
    });
  }
});

// ---------------------------------------------------------------- intents

describe('detectIntent', () => {
  const cases: Record<string, readonly string[]> = {
    greeting: ['hi', '/greet', 'Good morning!', 'hola', 'bonjour', 'hallo', 'olá'],
    thanks: ['thanks!', 'gracias', 'merci beaucoup', 'danke', 'obrigado'],
    about: ['are you a bot?', '¿eres un bot?', 'tu es un robot ?', 'bist du ein Bot?', 'você é um robô?'],
    recap: ['what did I just do', 'what have I done so far', "qu'est-ce que j'ai fait jusqu'ici ?", '¿qué hice?', 'was habe ich gemacht', 'o que eu fiz'],
    where: ['where am I', '¿dónde estoy?', 'où suis-je ?', 'wo bin ich?', 'onde estou?'],
    next: [
      'what do I do next?', 'what now?', "what's next", 'how do I finish this?', '¿y ahora?', 'que faire maintenant',
      'wie geht es weiter', 'e agora?', 'did that work?', 'et maintenant ?', 'und jetzt?', 'what happens when I confirm?',
      'is it saved?', '¿se guardó?', "c'est enregistré ?", 'ist es gespeichert?', 'foi salvo?',
    ],
    'how-to': ['how do I add a teammate?', 'cómo exporto los contactos', 'comment ajouter un utilisateur', 'wie füge ich einen Benutzer hinzu?', 'como envio a fatura?', 'where is the export button?'],
    'why-failing': ["why doesn't this work?", 'Warum funktioniert das nicht?', 'pourquoi ça ne marche pas ?', '¿por qué no funciona?', 'por que não funciona?'],
    unrelated: ['What is the capital of Australia?', 'what is the boiling point of water?', '¿cuál es la capital de Australia?', 'Was ist die Hauptstadt von Australien?'],
    other: ['the chart looks odd'],
  };
  for (const [intent, queries] of Object.entries(cases)) {
    test(`recognises ${intent} in the five languages`, () => {
      for (const query of queries) assert.equal(detectIntent(query), intent, query);
    });
  }

  test('a question about the user\'s own things is not general knowledge', () => {
    assert.notEqual(detectIntent('what is my balance?'), 'unrelated');
    assert.notEqual(detectIntent('which plan did I choose?'), 'unrelated');
  });
});

test('summaryForUser speaks to the user instead of about them', () => {
  assert.equal(summaryForUser('The user opened Billing. They picked Business.'), 'You opened Billing. You picked Business.');
});
