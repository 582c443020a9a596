import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ActionContainer } from '@sightline/protocol';
import type { KnowledgeQuestion, UiPath } from '../knowledge-types.ts';
import type { JourneyStep } from './journey-payload.ts';
import { mapFixture, type MapFixture } from './__fixtures__/ui-map-fixture.ts';
import { createUiMapSource } from './ui-map-source.ts';

const dialog = (label: string): ActionContainer => ({ kind: 'dialog', label });

/** Invented products, nothing like the demo: their users' journeys, walked by several users each. */
const PRODUCTS: Record<string, JourneyStep[][]> = {
  crm: [
    [
      { go: 'Home', path: '/home' },
      { click: 'Contacts', role: 'link' },
      { go: 'Contacts', path: '/contacts' },
      { open: 'New contact' },
      { type: 'First name', container: dialog('New contact') },
      { click: 'Save contact', container: dialog('New contact') },
      { click: 'Import', role: 'button' },
    ],
    [
      { go: 'Home', path: '/home' },
      { click: 'Pipeline', role: 'link' },
      { go: 'Pipeline', path: '/pipeline' },
      { open: 'New deal' },
      { type: 'Deal name', container: dialog('New deal') },
      { click: 'Create deal', container: dialog('New deal') },
      { submit: dialog('New deal') },
      { go: 'Pipeline', path: '/pipeline' },
    ],
  ],
  helpdesk: [
    [
      { go: 'Inbox', path: '/inbox' },
      { open: 'New ticket' },
      { type: 'Subject', container: dialog('New ticket') },
      { click: 'Create ticket', container: dialog('New ticket') },
      { click: 'Unassigned', role: 'tab' },
    ],
    [
      { go: 'Inbox', path: '/inbox' },
      { click: 'Settings', role: 'link' },
      { go: 'Settings', path: '/settings' },
      { click: 'Macros', role: 'link' },
      { go: 'Macros', path: '/settings/macros' },
      { open: 'Add macro' },
      { type: 'Macro name', container: dialog('Add macro') },
      { click: 'Save macro', container: dialog('Add macro') },
      { click: 'Macros', role: 'tab' },
    ],
    [
      { go: 'Ticket', path: '/tickets/:id' },
      { open: 'Merge' },
      { choose: 'Ticket', role: 'option', container: dialog('Merge tickets') },
      { click: 'Confirm merge', container: dialog('Merge tickets') },
      { go: 'Inbox', path: '/inbox' },
    ],
    [
      { go: 'Inbox', path: '/inbox' },
      { click: 'Agents', role: 'link' },
      { go: 'Agents', path: '/agents' },
      { open: 'Invite agent' },
      { type: 'Email', container: dialog('Invite agent') },
      { click: 'Send invitation', container: dialog('Invite agent') },
      { click: 'Pending', role: 'tab' },
    ],
  ],
  forge: [
    [
      { go: 'Repository', path: '/repo' },
      { click: 'Settings', role: 'link' },
      { go: 'Settings', path: '/repo/settings' },
      { open: 'Add collaborator' },
      { type: 'Username', container: dialog('Add a collaborator') },
      { click: 'Add to repository', container: dialog('Add a collaborator') },
      { click: 'Branches', role: 'tab' },
    ],
    [
      { go: 'Repository', path: '/repo' },
      { click: 'Organizations', role: 'link' },
      { go: 'Organizations', path: '/organizations' },
      { open: 'New organization' },
      { click: 'Create organization', container: dialog('New organization') },
      { click: 'Members', role: 'tab' },
    ],
  ],
  lms: [
    [
      { go: 'Courses', path: '/courses' },
      { click: 'Intro to SQL', role: 'link' },
      { go: 'Intro to SQL', path: '/courses/:id' },
      { open: 'Enroll' },
      { click: 'Confirm enrollment', container: dialog('Enroll in course') },
      { click: 'Start lesson' },
    ],
  ],
  bank: [
    [
      { go: 'Accounts', path: '/accounts' },
      { click: 'Payments', role: 'link' },
      { go: 'Payments', path: '/payments' },
      { open: 'New transfer' },
      { type: 'Amount', container: dialog('New transfer') },
      { type: 'IBAN', container: dialog('New transfer') },
      { click: 'Send transfer', container: dialog('New transfer') },
      { click: 'History', role: 'tab' },
    ],
    [
      { go: 'Accounts', path: '/accounts' },
      { click: 'Cards', role: 'link' },
      { go: 'Cards', path: '/cards' },
      { open: 'Freeze card' },
      { click: 'Freeze', container: dialog('Freeze card') },
      { click: 'Card details' },
    ],
  ],
};

async function learnedProduct(productId: string, users = 3): Promise<MapFixture> {
  const fixture = mapFixture({ productId });
  for (let user = 0; user < users; user++) for (const journey of PRODUCTS[productId]!) await fixture.walk(`${productId}-user-${user}`, journey);
  return fixture;
}

function question(productId: string, query: string, page: string | null, language: string): KnowledgeQuestion {
  return { productId, query, language, page, pageTitle: null };
}

/** A path as people read it: `Contacts → New contact → Save contact`. */
function line(path: UiPath | undefined): string {
  return path ? path.steps.map((step) => step.label).join(' → ') : '(none)';
}

describe('UI map source: the paths others took, from where the user is, in five languages', () => {
  const cases: [product: string, page: string, language: string, query: string, expected: string][] = [
    ['crm', '/home', 'en', 'How do I add a new contact?', 'Contacts → New contact → Save contact'],
    ['crm', '/home', 'es', '¿Cómo agrego un contacto nuevo?', 'Contacts → New contact → Save contact'],
    ['crm', '/home', 'fr', 'Comment créer un nouveau contact ?', 'Contacts → New contact → Save contact'],
    ['crm', '/home', 'de', 'Wie lege ich einen neuen Kontakt an?', 'Contacts → New contact → Save contact'],
    ['crm', '/home', 'pt', 'Como adiciono um contato novo?', 'Contacts → New contact → Save contact'],
    ['crm', '/contacts', 'en', 'how do I create a deal', 'Pipeline → New deal → Create deal'],
    ['helpdesk', '/inbox', 'en', 'how can I merge two tickets?', 'Tickets → Merge → Confirm merge'],
    ['helpdesk', '/inbox', 'es', '¿Cómo creo una macro?', 'Settings → Macros → Add macro → Save macro'],
    ['helpdesk', '/settings/macros', 'fr', 'comment ajouter une macro ?', 'Add macro → Save macro'],
    ['helpdesk', '/settings', 'de', 'Wie erstelle ich ein neues Ticket?', 'Inbox → New ticket → Create ticket'],
    ['helpdesk', '/inbox', 'pt', 'como crio um chamado novo?', 'New ticket → Create ticket'],
    // "invite" is a way to add, and a concept of its own: it names the flow where "add" alone would not.
    ['helpdesk', '/inbox', 'en', 'how do I invite someone?', 'Agents → Invite agent → Send invitation'],
    ['helpdesk', '/inbox', 'es', '¿Cómo invito a alguien?', 'Agents → Invite agent → Send invitation'],
    ['helpdesk', '/inbox', 'fr', "Comment inviter quelqu'un ?", 'Agents → Invite agent → Send invitation'],
    // A German separable verb ("einladen") puts its particle last: "lade … ein".
    ['helpdesk', '/inbox', 'de', 'Wie lade ich einen Kollegen ein?', 'Agents → Invite agent → Send invitation'],
    ['helpdesk', '/inbox', 'pt', 'Como convido alguém?', 'Agents → Invite agent → Send invitation'],
    // The same word in another language ('collaborateur', 'colaborador'), and a co-worker is a member.
    ['forge', '/repo', 'fr', 'Comment ajouter un collaborateur ?', 'Settings → Add collaborator → Add to repository'],
    ['forge', '/repo', 'pt', 'Como adiciono um colaborador?', 'Settings → Add collaborator → Add to repository'],
    ['forge', '/repo', 'de', 'Wie füge ich einen Mitarbeiter hinzu?', 'Settings → Add collaborator → Add to repository'],
    // No concept names organisations: the word of another language that begins alike does.
    ['forge', '/repo', 'es', '¿Cómo creo una organización?', 'Organizations → New organization → Create organization'],
    ['forge', '/repo', 'pt', 'Como crio uma organização?', 'Organizations → New organization → Create organization'],
    // Enrolling is its own concept in five languages; the course's page is a record's, reached by opening one.
    ['lms', '/courses', 'en', 'how do I enroll in a course?', 'Courses → Enroll → Confirm enrollment'],
    ['lms', '/courses', 'es', '¿Cómo me inscribo en un curso?', 'Courses → Enroll → Confirm enrollment'],
    ['lms', '/courses', 'fr', "Comment s'inscrire à un cours ?", 'Courses → Enroll → Confirm enrollment'],
    ['lms', '/courses', 'de', 'Wie melde ich mich für einen Kurs an?', 'Courses → Enroll → Confirm enrollment'],
    ['lms', '/courses', 'pt', 'Como me matriculo num curso?', 'Courses → Enroll → Confirm enrollment'],
    ['bank', '/accounts', 'en', 'how do I send money to someone?', 'Payments → New transfer → Send transfer'],
    ['bank', '/accounts', 'es', '¿Cómo hago una transferencia?', 'Payments → New transfer → Send transfer'],
    ['bank', '/payments', 'fr', 'Comment faire un virement ?', 'New transfer → Send transfer'],
    ['bank', '/accounts', 'de', 'Wie kann ich meine Karte sperren?', 'Cards → Freeze card → Freeze'],
    ['bank', '/accounts', 'pt', 'Como congelo meu cartão?', 'Cards → Freeze card → Freeze'],
  ];
  for (const [product, page, language, query, expected] of cases) {
    test(`${product} (${language}) on ${page}: "${query}" → ${expected}`, async () => {
      const { map } = await learnedProduct(product);
      const { paths = [] } = await createUiMapSource(map).find(question(product, query, page, language));
      assert.equal(line(paths[0]), expected);
      assert.equal(paths[0]!.users, 3);
    });
  }

  test('the steps say what to do: click the way there, open the dialog, submit', async () => {
    const { map } = await learnedProduct('crm');
    const { paths = [] } = await createUiMapSource(map).find(question('crm', 'how do I add a contact?', '/home', 'en'));
    assert.deepEqual(paths[0], {
      goal: 'Save contact',
      steps: [
        { kind: 'click', label: 'Contacts', page: '/home' },
        { kind: 'open', label: 'New contact', page: '/contacts' },
        { kind: 'submit', label: 'Save contact', page: '/contacts' },
      ],
      users: 3,
      score: paths[0]!.score,
    });
  });

  test('with no known way from the user\'s page, the path starts by going to the flow\'s page', async () => {
    const { map } = await learnedProduct('bank');
    const { paths = [] } = await createUiMapSource(map).find(question('bank', 'how do I freeze my card?', '/profile', 'en'));
    assert.deepEqual(paths[0]!.steps[0], { kind: 'navigate', label: 'Cards', page: '/cards' });
  });

  test("a path that stands only on the demo's simulated users is marked demo data, and only then", async () => {
    const demo = mapFixture({ productId: 'bank', demoSeed: true });
    for (let user = 1; user <= 3; user++) for (const journey of PRODUCTS['bank']!) await demo.walk(`sightline-demo-seed:${user}`, journey);
    const seeded = await createUiMapSource(demo.map).find(question('bank', 'how do I make a transfer?', '/accounts', 'en'));
    assert.equal(seeded.paths?.[0]?.isDemoData, true);
    const { map } = await learnedProduct('bank');
    const real = await createUiMapSource(map).find(question('bank', 'how do I make a transfer?', '/accounts', 'en'));
    assert.equal(real.paths?.[0]?.isDemoData, undefined);
  });

  test('with a dialog open, a path through it follows what the message found, so its finishing control is known', async () => {
    const { map } = await learnedProduct('crm');
    const { paths = [] } = await createUiMapSource(map).find({ ...question('crm', 'what now?', '/contacts', 'en'), openLabel: 'New contact' });
    assert.equal(paths.length, 1);
    assert.equal(paths[0]!.steps.at(-1)!.label, 'Save contact');
    assert.deepEqual(await createUiMapSource(map).find(question('crm', 'what now?', '/contacts', 'en')), { paths: [] }, 'without it, nothing');
  });

  test('a flow fewer users took than the threshold is never offered', async () => {
    const { map } = await learnedProduct('bank', 2);
    assert.deepEqual(await createUiMapSource(map).find(question('bank', 'how do I make a transfer?', '/accounts', 'en')), { paths: [] });
  });

  test('a question about something no one did gets no path', async () => {
    const { map } = await learnedProduct('bank');
    assert.deepEqual(await createUiMapSource(map).find(question('bank', 'how do I export my tax report?', '/accounts', 'en')), { paths: [] });
    assert.deepEqual(await createUiMapSource(map).find(question('bank', 'how?', '/accounts', 'en')), { paths: [] });
  });

  test("another product's map is never used", async () => {
    const { map } = await learnedProduct('crm');
    assert.deepEqual(await createUiMapSource(map).find(question('bank', 'how do I add a new contact?', '/home', 'en')), { paths: [] });
  });

  test('find never rejects: a failing store gives no paths and is reported', async () => {
    const errors: unknown[] = [];
    const failing = { known: () => Promise.reject(new Error('redis away')) };
    const source = createUiMapSource(failing, { onError: (error) => errors.push(error) });
    assert.deepEqual(await source.find(question('crm', 'how do I add a contact?', '/home', 'en')), { paths: [] });
    assert.equal(errors.length, 1);
  });
});
