/**
 * The offline responder answers questions about flows the user has not started from product knowledge: a path other
 * users took (hand-made UiPath values, as the UI map gives them) or the help center's steps (real indexes of the
 * invented products' help centers), in the question's language, combined with where the user is, naming no label
 * found in none of the state, the paths and the passages.
 */
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import type { ActivityState } from '@sightline/sdk';
import { BANK_HELP, CRM_HELP, HELP_DESK_HELP, writeHelpCenter, type HelpCenterFiles } from '../knowledge/__fixtures__/help-centers.ts';
import { HelpCenterIndex } from '../knowledge/help-center/help-center-index.ts';
import { readHelpCenter } from '../knowledge/help-center/read-help-center.ts';
import type { ProductKnowledge, UiPath } from '../knowledge/knowledge-types.ts';
import { detectLanguage } from './language/detect-language.ts';
import { createOfflineResponder } from './offline-responder.ts';
import { activity, tabsContext } from './__fixtures__/activity-state.ts';

const responder = createOfflineResponder({ showOfflineNote: false });
const folders: string[] = [];
const indexes = new Map<string, HelpCenterIndex>();

async function indexOf(name: string, files: HelpCenterFiles): Promise<void> {
  const dir = await writeHelpCenter(files);
  folders.push(dir);
  const content = await readHelpCenter(dir);
  indexes.set(name, await HelpCenterIndex.build(content.articles, content.fingerprint, 1));
}

before(async () => {
  await indexOf('crm', CRM_HELP);
  await indexOf('bank', BANK_HELP);
  await indexOf('helpdesk', HELP_DESK_HELP);
});
after(async () => {
  for (const folder of folders) await rm(folder, { recursive: true, force: true });
});

const QUOTED = /(?:^|[\s([:])'([^'\n]{1,70}?)'(?=[\s.,;:!?)\]]|$)/g;

/** Every label the answer may name: the state's, the paths', the passages' (their step labels and titles). */
function allowedLabels(tabs: readonly ActivityState[], knowledge: ProductKnowledge): string[] {
  return [
    ...tabs.flatMap((tab) => [tab.page?.title, tab.open?.label, tab.open?.openedBy, ...tab.recentPages.map((visit) => visit.title), ...tab.recentSteps.map((step) => step.label)]),
    ...knowledge.paths.flatMap((path) => [path.goal, ...path.steps.map((step) => step.label)]),
    ...knowledge.passages.flatMap((passage) => [passage.title, ...(passage.steps ?? []).flatMap((step) => step.labels)]),
  ].filter((label): label is string => typeof label === 'string');
}

/** Asks with what the product's sources would give for the question: the help center's passages and the given paths. */
async function ask(product: string, query: string, tabs: readonly ActivityState[], paths: UiPath[] = []): Promise<string> {
  const passages = await indexes.get(product)!.search(query, { language: detectLanguage(query, null) });
  const knowledge: ProductKnowledge = { passages, paths };
  const { reply } = await responder.respond(tabsContext(query, tabs, { knowledge }));
  // Quoting the user's own words back ("I can't see 'archive an invoice'") names no label.
  const allowed = [...allowedLabels(tabs, knowledge), query];
  for (const [, label] of reply.matchAll(QUOTED)) assert.ok(allowed.some((known) => known === label!.trim() || (known === query && query.includes(label!.trim()))), `'${label}' is in none of the state, the paths or the passages:\n${reply}`);
  return reply;
}

describe('a CRM with an English and a Spanish help center', () => {
  const dashboard = activity({ productId: 'crm' }).visit('Dashboard').click('Refresh').state();
  const contacts = activity({ productId: 'crm' }).visit('Dashboard').follow('Contacts', 'Contacts').state();

  test('a question about a flow not started gets the article’s steps with its title as the source', async () => {
    const reply = await ask('crm', 'How do I export my contacts?', [dashboard]);
    assert.equal(reply, "The help article 'Export your contacts' says:\n\n1. Open 'Contacts' in the sidebar.\n2. Click 'Export'.\n3. Choose 'CSV' and click 'Download'.");
  });

  test('on the page of step 1, the answer says so and skips it', async () => {
    const reply = await ask('crm', 'how can I export contacts?', [contacts]);
    assert.match(reply, /^You’re already on the 'Contacts' page, so skip step 1\. The help article 'Export your contacts' says:\n\n2\. Click 'Export'\.\n3\. /);
    assert.doesNotMatch(reply, /1\. Open/);
  });

  test('a Spanish question gets the Spanish article', async () => {
    const reply = await ask('crm', '¿Cómo exporto mis contactos?', [dashboard]);
    assert.match(reply, /^El artículo de ayuda 'Exportar tus contactos' dice:\n\n1\. Abre 'Contactos' en la barra lateral\.\n2\. Pulsa 'Exportar'\./);
  });

  test('a path other users took is preferred over the article, from where the user is', async () => {
    const invite: UiPath = {
      goal: 'Send invite',
      steps: [
        { kind: 'click', label: 'Team', page: '/dashboard' },
        { kind: 'open', label: 'Invite member', page: '/team' },
        { kind: 'submit', label: 'Send invite', page: '/team' },
      ],
      users: 4,
      score: 6,
    };
    assert.equal(
      await ask('crm', 'how do I invite a teammate?', [dashboard], [invite]),
      "Other users do it like this from the 'Dashboard' page: click 'Team', then open 'Invite member', then finish with 'Send invite'.",
    );
    assert.equal(
      await ask('crm', 'Wie kann ich ein Mitglied einladen?', [dashboard], [invite]),
      "So machen es andere Nutzer von der Seite 'Dashboard' aus: klicke auf 'Team', dann öffne 'Invite member', dann schließ ab mit 'Send invite'.",
    );
  });

  test("a path that stands only on the demo's simulated users says so, in the question's language", async () => {
    const seeded: UiPath = { goal: 'Confirm upgrade', steps: [{ kind: 'click', label: 'Billing', page: '/dashboard' }, { kind: 'open', label: 'Upgrade plan', page: '/billing' }, { kind: 'submit', label: 'Confirm upgrade', page: '/billing' }], users: 4, score: 5, isDemoData: true };
    assert.equal(
      await ask('crm', 'how do I upgrade my plan?', [dashboard], [seeded]),
      "The demo’s simulated users do it like this from the 'Dashboard' page: click 'Billing', then open 'Upgrade plan', then finish with 'Confirm upgrade'.",
    );
    assert.match(await ask('crm', '¿Cómo cambio mi plan?', [dashboard], [seeded]), /^Los usuarios simulados de la demo lo hacen así desde la página 'Dashboard': haz clic en 'Billing'/);
  });

  test("a path to a record's page, asked from its list (named alike), says to open one of them instead of skipping the step", async () => {
    const courses = activity({ productId: 'crm' }).visit('Courses', '/courses').state();
    const enroll: UiPath = {
      goal: 'Confirm enrollment',
      steps: [{ kind: 'navigate', label: 'Courses', page: '/courses/:id' }, { kind: 'open', label: 'Enroll', page: '/courses/:id' }, { kind: 'submit', label: 'Confirm enrollment', page: '/courses/:id' }],
      users: 3,
      score: 4,
    };
    assert.equal(await ask('crm', 'how do I enroll in a course?', [courses], [enroll]), "Other users do it like this: open one of the 'Courses', then open 'Enroll', then finish with 'Confirm enrollment'.");
    assert.equal(await ask('crm', '¿Cómo me inscribo en un curso?', [courses], [enroll]), "Otros usuarios lo hacen así: abre uno de los elementos de 'Courses', luego abre 'Enroll', luego termina con 'Confirm enrollment'.");
  });

  test('a path whose first step is the page the user is on starts after it', async () => {
    const team = activity({ productId: 'crm' }).visit('Team', '/team').state();
    const path: UiPath = { goal: 'Send invite', steps: [{ kind: 'navigate', label: 'Team', page: '/team' }, { kind: 'open', label: 'Invite member', page: '/team' }, { kind: 'submit', label: 'Send invite', page: '/team' }], users: 3, score: 4 };
    const reply = await ask('crm', '¿Cómo invito a un miembro?', [team], [path]);
    assert.equal(reply, "Otros usuarios lo hacen así desde la página Team: abre 'Invite member', luego termina con 'Send invite'.");
  });

  test('knowledge about something else is not used: the answer says it cannot see it and names nothing from it', async () => {
    const unrelatedPath: UiPath = { goal: 'Send invite', steps: [{ kind: 'click', label: 'Team', page: '/dashboard' }], users: 3, score: 1 };
    const reply = await ask('crm', 'how do I archive an invoice?', [dashboard], [unrelatedPath]);
    assert.match(reply, /I can’t see 'archive an invoice'/);
    assert.doesNotMatch(reply, /Team|Export|Contacts/);
  });

  test('what the user is doing now still comes first: a question about the open dialog is answered from it', async () => {
    const filling = activity({ productId: 'crm' }).visit('Pipeline').open('New deal', { kind: 'dialog' }).type('Deal name').state();
    const reply = await ask('crm', 'how do I create a deal?', [filling]);
    assert.match(reply, /You’re already in 'New deal'/);
    assert.doesNotMatch(reply, /help article/);
  });
});

describe('a help desk whose help center is in English (one article in French)', () => {
  const inbox = activity({ productId: 'helpdesk' }).visit('Reports').state();

  test('a Spanish question about an English article: its steps’ labels in order, framed in Spanish, with the article named', async () => {
    assert.equal(
      await ask('helpdesk', '¿Cómo asigno un ticket a otro agente?', [inbox]),
      "El artículo de ayuda 'Assign a ticket' (en inglés) indica estos pasos: 'Inbox', luego 'Assign', luego 'Save'.",
    );
  });

  test('a Portuguese question about the same article reads in Portuguese', async () => {
    assert.equal(
      await ask('helpdesk', 'Como atribuir um ticket?', [inbox]),
      "O artigo de ajuda 'Assign a ticket' (em inglês) descreve estes passos: 'Inbox', depois 'Assign', depois 'Save'.",
    );
  });

  test('a French question gets the French article’s own steps', async () => {
    const reply = await ask('helpdesk', 'Comment fusionner deux tickets ?', [inbox]);
    assert.match(reply, /^L’article d’aide 'Fusionner des tickets' indique :\n\n1\. Ouvrez 'Boîte de réception'\.\n2\. Cochez les tickets et cliquez sur 'Fusionner'\.$/);
  });

  test('a word written as one in the question and as two in the article ("timezone", "time zone") still finds its steps', async () => {
    const reply = await ask('helpdesk', 'how do I change the timezone?', [inbox]);
    assert.match(reply, /^The help article 'Set your business hours' says:\n\n1\. Open 'Admin'\.\n2\. Choose the time zone/);
  });

  test('a time zone asked for in Spanish, French or German meets the English article through its concept', async () => {
    assert.equal(
      await ask('helpdesk', '¿Cómo cambio la zona horaria?', [inbox]),
      "El artículo de ayuda 'Set your business hours' (en inglés) indica estos pasos: 'Admin', luego 'Business hours', luego 'Save hours'.",
    );
    assert.match(await ask('helpdesk', 'Comment changer le fuseau horaire ?', [inbox]), /^L’article d’aide 'Set your business hours' \(en anglais\)/);
    assert.match(await ask('helpdesk', 'Wie ändere ich die Zeitzone?', [inbox]), /^Der Hilfeartikel 'Set your business hours' \(auf Englisch\)/);
  });

  test('with no activity at all, a how-to question is still answered from the help center', async () => {
    const passages = await indexes.get('helpdesk')!.search('how do I assign a ticket?', { language: 'en' });
    const { reply } = await responder.respond(tabsContext('how do I assign a ticket?', [], { knowledge: { passages, paths: [] } }));
    assert.match(reply, /^The help article 'Assign a ticket' says:\n\n1\. Open 'Inbox'\./);
  });
});

describe('a bank with Portuguese Markdown and German HTML articles', () => {
  test('German: the HTML article’s steps; the page the user is on is not one of them, so nothing is skipped', async () => {
    const accounts = activity({ productId: 'bank' }).visit('Konten').state();
    const reply = await ask('bank', 'Wie sperre ich meine Karte?', [accounts]);
    assert.equal(reply, "Der Hilfeartikel 'Karte sperren' sagt:\n\n1. Öffne 'Karten'.\n2. Wähle die Karte und klicke auf 'Karte sperren'.\n3. Bestätige mit 'Sperren'.");
  });

  test('German, already on the cards page: step 1 is skipped', async () => {
    const cards = activity({ productId: 'bank' }).visit('Karten').state();
    const reply = await ask('bank', 'Wie kann ich meine Karte sperren?', [cards]);
    assert.match(reply, /^Du bist schon auf der Seite 'Karten', also überspring Schritt 1\. Der Hilfeartikel 'Karte sperren' sagt:\n\n2\. /);
  });

  test('Portuguese: the article’s steps from its step section, the title as the source', async () => {
    const home = activity({ productId: 'bank' }).visit('Início').state();
    const reply = await ask('bank', 'Como faço uma transferência?', [home]);
    assert.match(reply, /^O artigo de ajuda 'Fazer uma transferência' diz:\n\n1\. Abra 'Transferências'\.\n2\. Clique em 'Nova transferência'\.\n3\. /);
  });

  test('an English question on the Portuguese help center: labels only, framed in English', async () => {
    const home = activity({ productId: 'bank' }).visit('Início').state();
    const reply = await ask('bank', 'How do I make a transfer?', [home]);
    assert.equal(reply, "The help article 'Fazer uma transferência' (in Portuguese) goes through 'Transferências', then 'Nova transferência', then 'Enviar'.");
  });
});

describe('a dialog just opened, nothing done in it yet: the knowledge continues after the control that opened it', () => {
  test('CRM, English: the article’s steps from the one after the opener, never the steps the user already did', async () => {
    const opened = activity({ productId: 'crm' }).visit('Pipeline').open('New deal', { isPending: true }).state();
    const reply = await ask('crm', 'how do I create a deal?', [opened]);
    assert.equal(reply, "You already have 'New deal' open, so skip the first 2 steps. The help article 'Create a deal' says:\n\n3. Fill in the deal's name and value, then click 'Save deal'.");
  });

  test('bank, Portuguese: the same from the Portuguese article', async () => {
    const opened = activity({ productId: 'bank' }).visit('Transferências').open('Nova transferência', { isPending: true }).state();
    const reply = await ask('bank', 'Como faço uma transferência?', [opened]);
    assert.match(reply, /'Nova transferência'/);
    assert.match(reply, /3\. Preencha o IBAN do destinatário e confirme com 'Enviar'\./);
    assert.doesNotMatch(reply, /1\. Abra|2\. Clique/);
  });

  test('a path other users took through the opener gives what comes after it, when no article goes through it', async () => {
    const opened = activity({ productId: 'crm' }).visit('Contacts', '/contacts').open('New contact', { isPending: true }).state();
    const path: UiPath = { goal: 'Save contact', steps: [{ kind: 'navigate', label: 'Contacts', page: '/contacts' }, { kind: 'open', label: 'New contact', page: '/contacts' }, { kind: 'submit', label: 'Save contact', page: '/contacts' }], users: 5, score: 4 };
    const reply = await ask('crm', 'how do I add a new contact?', [opened], [path]);
    assert.equal(reply, "Other users do it like this from the Contacts page: finish with 'Save contact'.");
  });

  test('an article through the opener is preferred to a path there: its words say what to fill in', async () => {
    const opened = activity({ productId: 'helpdesk' }).visit('Inbox', '/inbox').open('Assign', { isPending: true }).state();
    const path: UiPath = { goal: 'Save', steps: [{ kind: 'navigate', label: 'Inbox', page: '/inbox' }, { kind: 'open', label: 'Assign', page: '/inbox' }, { kind: 'submit', label: 'Save', page: '/inbox' }], users: 5, score: 4 };
    const reply = await ask('helpdesk', 'how do I assign this ticket?', [opened], [path]);
    assert.match(reply, /3\. Pick an agent and click 'Save'\.$/);
    assert.doesNotMatch(reply, /Open 'Inbox'|click 'Assign'/, reply);
  });

  test('knowledge that does not go through the opener is not used: the answer says what was opened', async () => {
    const opened = activity({ productId: 'crm' }).visit('Pipeline').open('Import deals', { isPending: true }).state();
    const reply = await ask('crm', 'how do I import deals?', [opened]);
    assert.match(reply, /'Import deals'/);
    assert.doesNotMatch(reply, /help article/);
  });
});

describe('what finishes the open dialog, when the user has not finished it before, comes from the knowledge', () => {
  test('help desk: a ticket being assigned is finished with the article’s last control', async () => {
    const assigning = activity({ productId: 'helpdesk' }).visit('Inbox').open('Assign', { kind: 'dialog', name: 'Assign ticket' }).choose('Dana').state();
    const reply = await ask('helpdesk', 'how do I assign a ticket?', [assigning]);
    assert.match(reply, /finish with 'Save'/, reply);
  });

  test('without knowledge about it, the answer still says how to finish, naming no control', async () => {
    const assigning = activity({ productId: 'helpdesk' }).visit('Inbox').open('Snooze', { kind: 'dialog' }).choose('Tomorrow').state();
    const reply = await ask('helpdesk', 'what now?', [assigning]);
    assert.match(reply, /the button that confirms it/);
  });
});

test('a question that shares one word with the article about what was just opened still gets the steps after it', async () => {
  const opened = activity({ productId: 'helpdesk' }).visit('Inbox').open('Assign', { isPending: true }).state();
  const reply = await ask('helpdesk', 'how do I assign it to a colleague?', [opened], []);
  assert.equal(reply, "You already have 'Assign' open, so skip the first 2 steps. The help article 'Assign a ticket' says:\n\n3. Pick an agent and click 'Save'.");
});
