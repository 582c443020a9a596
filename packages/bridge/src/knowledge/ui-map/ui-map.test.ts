import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ActionContainer } from '@sightline/protocol';
import type { JourneyStep } from './journey-payload.ts';
import { mapFixture } from './__fixtures__/ui-map-fixture.ts';
import { DEMO_SEED_USER_PREFIX } from './ui-map.ts';

const DAY_MS = 24 * 3600 * 1000;
const NEW_DEAL: ActionContainer = { kind: 'dialog', label: 'New deal' };

/** A CRM user on the pipeline board creating a deal: the flow other users' answers are made of. */
const CREATE_DEAL: JourneyStep[] = [
  { go: 'Home', path: '/home' },
  { click: 'Pipeline', role: 'link' },
  { go: 'Pipeline', path: '/pipeline' },
  { open: 'New deal' },
  { type: 'Deal name', container: NEW_DEAL },
  { choose: 'Qualified', container: NEW_DEAL },
  { click: 'Create deal', container: NEW_DEAL },
  { submit: NEW_DEAL },
  { click: 'Filters' },
];

describe('UiMap construction', () => {
  test('learns pages, control labels, the dialog, what each click led to and the finished flow', async () => {
    const { map, walk } = mapFixture();
    for (const user of ['u1', 'u2', 'u3']) await walk(user, CREATE_DEAL);
    const known = await map.known('crm');
    assert.deepEqual(known.pages.map((page) => [page.path, page.title]).sort(), [['/home', 'Home'], ['/pipeline', 'Pipeline']]);
    assert.deepEqual(known.labels.map((label) => `${label.page} ${label.role} ${label.label}`).sort(), [
      '/home link Pipeline',
      '/pipeline button Create deal',
      '/pipeline button Filters',
      '/pipeline button New deal',
    ]);
    assert.deepEqual(known.dialogs.map((dialog) => [dialog.page, dialog.label]), [['/pipeline', 'New deal']]);
    assert.deepEqual(
      known.transitions.map((transition) => [transition.page, transition.label, transition.toPage, transition.toDialog]).sort(),
      [
        ['/home', 'Pipeline', '/pipeline', null],
        ['/pipeline', 'New deal', null, 'New deal'],
      ],
    );
    assert.equal(known.flows.length, 1);
    const [flow] = known.flows;
    assert.equal(flow!.goal, 'Create deal');
    assert.equal(flow!.page, '/pipeline');
    assert.equal(flow!.users, 3);
    assert.deepEqual(flow!.steps, [
      { kind: 'open', label: 'New deal', page: '/pipeline' },
      { kind: 'submit', label: 'Create deal', page: '/pipeline' },
    ]);
  });

  test('never keeps field labels, chosen options, list items, or anything redacted', async () => {
    const { map, walk } = mapFixture();
    const steps: JourneyStep[] = [
      { go: 'Contacts', path: '/contacts' },
      { click: 'Maria Lopez', role: 'item' },
      { click: 'Acme Corp', role: 'link' },
      { go: 'Acme Corp', path: '/companies/:id' },
      { click: 'Email jane@example.com' },
      { click: 'Invoice 2024-0042' },
      { click: 'Call +1 415 555 2671' },
      { open: 'Edit company' },
    ];
    for (const user of ['u1', 'u2', 'u3']) await walk(user, steps);
    const known = await map.known('crm');
    const everything = JSON.stringify(known);
    for (const secret of ['Maria', 'Acme', 'jane', '2024', '415', 'Qualified']) assert.ok(!everything.includes(secret), secret);
    // The record's page is named from its path, and its button still counts.
    assert.ok(known.pages.some((page) => page.path === '/companies/:id' && page.title === 'Companies'));
    assert.ok(known.labels.some((label) => label.label === 'Edit company'));
  });

  test("a user's own id or email in a label keeps the label out", async () => {
    const { map, walk } = mapFixture();
    for (const user of ['kowalski', 'nowak', 'wozniak']) await walk(user, [{ go: 'Profile', path: '/me' }, { click: `Signed in as ${user}` }, { click: 'Log out' }]);
    const labels = (await map.known('crm')).labels.map((label) => label.label);
    assert.deepEqual(labels, ['Log out']);
  });

  test('the deny-list removes labels that hold a listed word, in any case or accent', async () => {
    const { map, walk } = mapFixture({ deny: ['internal', 'équipe rouge'] });
    for (const user of ['u1', 'u2', 'u3']) {
      await walk(user, [{ go: 'Admin', path: '/admin' }, { click: 'Internal tools' }, { click: 'Equipe Rouge board' }, { click: 'Export' }]);
    }
    assert.deepEqual((await map.known('crm')).labels.map((label) => label.label), ['Export']);
  });

  test('a submit the product refused (the dialog stays open) is no finished flow', async () => {
    const { map, walk } = mapFixture();
    const refused: JourneyStep[] = [
      { go: 'Pipeline', path: '/pipeline' },
      { open: 'New deal' },
      { click: 'Create deal', container: NEW_DEAL },
      { type: 'Deal name', container: NEW_DEAL },
    ];
    for (const user of ['u1', 'u2', 'u3']) await walk(user, refused);
    assert.deepEqual((await map.known('crm')).flows, []);
  });

  test('anonymous visitors (no user id) contribute nothing', async () => {
    const { map, walk } = mapFixture();
    for (let visit = 0; visit < 5; visit++) assert.deepEqual(await walk(null, CREATE_DEAL), { accepted: 0, refused: 0 });
    assert.deepEqual((await map.known('crm')).flows, []);
  });
});

describe('UiMap trust rules', () => {
  test('an entry seen from fewer distinct users than the threshold is never given out', async () => {
    const { map, walk } = mapFixture({ minUsers: 3 });
    await walk('u1', CREATE_DEAL);
    await walk('u2', CREATE_DEAL);
    // The same user again and again is still one user.
    for (let repeat = 0; repeat < 10; repeat++) await walk('u2', CREATE_DEAL);
    const before = await map.known('crm');
    assert.deepEqual([before.pages, before.labels, before.dialogs, before.transitions, before.flows], [[], [], [], [], []]);
    await walk('u3', CREATE_DEAL);
    assert.equal((await map.known('crm')).flows[0]?.users, 3);
  });

  test('the threshold is a setting (UI_MAP_MIN_USERS)', async () => {
    const { map, walk } = mapFixture({ minUsers: 5 });
    for (const user of ['u1', 'u2', 'u3', 'u4']) await walk(user, CREATE_DEAL);
    assert.deepEqual((await map.known('crm')).flows, []);
    await walk('u5', CREATE_DEAL);
    assert.equal((await map.known('crm')).flows.length, 1);
  });

  test('when events name organisations, an entry needs two of them: one tenant alone never reaches another', async () => {
    const { map, walk } = mapFixture();
    for (const user of ['a1', 'a2', 'a3', 'a4']) await walk(user, CREATE_DEAL, { organisation: 'org-acme' });
    assert.deepEqual((await map.known('crm')).flows, [], 'four users of one organisation');
    await walk('b1', CREATE_DEAL, { organisation: 'org-globex' });
    assert.equal((await map.known('crm')).flows[0]?.users, 5);
  });

  test('forged ids from one capture-door address count as two users at most: one address alone never plants a path', async () => {
    const { map, walk } = mapFixture();
    const results = [];
    for (let forged = 0; forged < 20; forged++) results.push(await walk(`forged-${forged}`, CREATE_DEAL, { address: '203.0.113.9' }));
    assert.ok(results.slice(0, 2).every((result) => result.accepted > 0));
    assert.ok(results.slice(2).every((result) => result.accepted === 0 && result.refused > 0));
    assert.deepEqual((await map.known('crm')).flows, []);
    await walk('real-user', CREATE_DEAL, { address: '198.51.100.4' });
    assert.equal((await map.known('crm')).flows[0]?.users, 3);
  });

  test('one user contributes to a bounded number of entries, so a single forged id cannot flood the map', async () => {
    const { walk } = mapFixture({ limits: { maxEntriesPerUser: 5 } });
    const steps: JourneyStep[] = [{ go: 'Junk', path: '/junk' }, ...Array.from({ length: 20 }, (_, position) => ({ click: `Junk button ${'abcdefghijklmnopqrst'[position]}` }))];
    const result = await walk('flooder', steps);
    assert.equal(result.accepted, 5);
    assert.ok(result.refused > 10);
  });

  test('with identity verification on, only users verified at a chat door count', async () => {
    const { map, walk } = mapFixture({ requireVerified: true });
    for (const user of ['u1', 'u2', 'u3']) await walk(user, CREATE_DEAL);
    assert.deepEqual((await map.known('crm')).flows, []);
    await map.markVerified('crm', 'u1');
    await map.markVerified('crm', 'u2');
    assert.deepEqual((await map.known('crm')).flows, []);
    await map.markVerified('crm', 'u3');
    assert.equal((await map.known('crm')).flows[0]?.users, 3);
  });

  test("the demo's simulated users count only in a map built for the demo", async () => {
    const plain = mapFixture();
    for (let user = 0; user < 4; user++) assert.deepEqual(await plain.walk(`${DEMO_SEED_USER_PREFIX}${user}`, CREATE_DEAL), { accepted: 0, refused: 0 });
    assert.deepEqual((await plain.map.known('crm')).flows, []);
    const demo = mapFixture({ demoSeed: true, requireVerified: true });
    for (let user = 0; user < 3; user++) await demo.walk(`${DEMO_SEED_USER_PREFIX}${user}`, CREATE_DEAL);
    assert.equal((await demo.map.known('crm')).flows[0]?.users, 3);
  });

  test("an entry that stands only thanks to the demo's simulated users is marked demo data; with enough real users it is not", async () => {
    const demo = mapFixture({ demoSeed: true });
    for (let user = 1; user <= 3; user++) await demo.walk(`${DEMO_SEED_USER_PREFIX}${user}`, CREATE_DEAL);
    const seeded = (await demo.map.known('crm')).flows[0]!;
    assert.deepEqual([seeded.users, seeded.demoUsers, seeded.isDemoData], [3, 3, true]);
    await demo.walk('u1', CREATE_DEAL);
    await demo.walk('u2', CREATE_DEAL);
    assert.equal((await demo.map.known('crm')).flows[0]!.isDemoData, true);
    await demo.walk('u3', CREATE_DEAL);
    const real = (await demo.map.known('crm')).flows[0]!;
    assert.deepEqual([real.users, real.demoUsers, real.isDemoData], [6, 3, false]);
    const plain = mapFixture();
    for (const user of ['u1', 'u2', 'u3']) await plain.walk(user, CREATE_DEAL);
    assert.deepEqual([(await plain.map.known('crm')).flows[0]!.demoUsers, (await plain.map.known('crm')).flows[0]!.isDemoData], [0, false]);
  });
});

describe('UiMap decay and forgetting', () => {
  test('entries no one used for the decay window age out, so a renamed label disappears', async () => {
    const { map, walk, clock } = mapFixture({ limits: { windowMs: 30 * DAY_MS } });
    for (const user of ['u1', 'u2', 'u3']) await walk(user, CREATE_DEAL);
    await clock.advance(20 * DAY_MS);
    const renamed = CREATE_DEAL.map((step) => ('click' in step && step.click === 'Create deal' ? { ...step, click: 'Add deal' } : step));
    for (const user of ['u4', 'u5', 'u6']) await walk(user, renamed);
    assert.deepEqual((await map.known('crm')).flows.map((flow) => flow.goal).sort(), ['Add deal', 'Create deal']);
    await clock.advance(11 * DAY_MS);
    assert.deepEqual((await map.known('crm')).flows.map((flow) => flow.goal), ['Add deal']);
  });

  test('one user aging out takes an entry below the threshold', async () => {
    const { map, walk, clock } = mapFixture({ limits: { windowMs: 10 * DAY_MS } });
    await walk('u1', CREATE_DEAL);
    await clock.advance(5 * DAY_MS);
    await walk('u2', CREATE_DEAL);
    await walk('u3', CREATE_DEAL);
    assert.equal((await map.known('crm')).flows.length, 1);
    await clock.advance(6 * DAY_MS);
    assert.deepEqual((await map.known('crm')).flows, []);
  });

  test('forgetting a user removes their contributions, and the entries they held up fall below the threshold', async () => {
    const { map, walk } = mapFixture();
    for (const user of ['u1', 'u2', 'u3']) await walk(user, CREATE_DEAL);
    assert.equal((await map.known('crm')).flows.length, 1);
    const removed = await map.forgetUser('u2');
    assert.ok(removed >= 5, `removed ${removed}`);
    assert.deepEqual((await map.known('crm')).flows, []);
    assert.equal(await map.forgetUser('u2'), 0);
  });

  test('the cache gives the same answer until cacheMs has passed', async () => {
    const fixture = mapFixture({ cacheMs: 10_000 });
    for (const user of ['u1', 'u2']) await fixture.walk(user, CREATE_DEAL);
    assert.deepEqual((await fixture.map.known('crm')).flows, []);
    await fixture.walk('u3', CREATE_DEAL);
    assert.deepEqual((await fixture.map.known('crm')).flows, []);
    await fixture.clock.advance(10_001);
    assert.equal((await fixture.map.known('crm')).flows.length, 1);
  });

  test('a fresh read sees the store now, and the cached answers after it are that read', async () => {
    const fixture = mapFixture({ cacheMs: 10_000 });
    for (const user of ['u1', 'u2']) await fixture.walk(user, CREATE_DEAL);
    assert.deepEqual((await fixture.map.known('crm')).flows, []);
    await fixture.walk('u3', CREATE_DEAL);
    assert.equal((await fixture.map.known('crm', { fresh: true })).flows.length, 1);
    assert.equal((await fixture.map.known('crm')).flows.length, 1);
  });
});
