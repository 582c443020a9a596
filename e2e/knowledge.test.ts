/**
 * Product knowledge end to end: a real connector and a real bridge per invented product (a bank whose help center
 * is in Portuguese and German, a help desk whose help center is English with one French article), each bridge
 * pointed at its product's help-center folder with KNOWLEDGE_DIR. Several users send posthog-js events to the
 * connector; each asks, in their own language, how to do something they have not started, and gets the right
 * article's steps (or, across languages, its labels) with the article named, combined with where they are, naming
 * only labels that the help center or their own activity shows. An article written while the bridge runs is
 * answered from once the folder watch has reloaded the index. In a third product (a freight tool), the bridge learns
 * the UI map from other users' events: a user who has not started a flow gets the path three others took, in their
 * language, preferred over the help article; a flow only two users took is never offered.
 */
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { BRIDGE_DEFAULTS, resolveLlmSettings, startBridge, type RunningBridge } from '@sightline/bridge';
import { startConnector, type RunningConnector } from '@sightline/connector';
import { chain, change, click, dialog, element, main, pageview, type EventSpec } from './grounding-scenarios.ts';

const API_KEY = 'knowledge-e2e-key-0123456789abcdefghij';

/** Help centers of the invented products: path → article. */
const BANK_HELP: Record<string, string> = {
  'pt/cartoes/bloquear-cartao.md': `# Bloquear o cartão

Um cartão perdido pode ser bloqueado na hora pelo aplicativo.

## Passo a passo

1. Abra **Cartões**.
2. Escolha o cartão e clique em **Bloquear cartão**.
3. Confirme com **Bloquear**.
`,
  'pt/pix/enviar-pix.md': `# Enviar um Pix

1. Abra **Pix**.
2. Clique em **Nova transferência**.
3. Informe a chave e confirme com **Enviar**.
`,
  'de/karten/karte-sperren.html': `<!doctype html><html lang="de"><head><title>Karte sperren | Lendwise Hilfe</title></head><body>
<h1>Karte sperren</h1><p>Eine verlorene Karte sperrst du sofort.</p>
<h2>Schritte</h2><ol><li>Öffne <b>Karten</b>.</li><li>Wähle die Karte und klicke auf <b>Karte sperren</b>.</li><li>Bestätige mit <b>Sperren</b>.</li></ol>
</body></html>`,
};

const DESK_HELP: Record<string, string> = {
  'assign-ticket.md': `# Assign a ticket

1. Open **Inbox**.
2. Select the ticket and click **Assign**.
3. Pick an agent and click **Save**.
`,
  'merge-tickets.md': `---
lang: fr
title: Fusionner des tickets
---
1. Ouvrez **Boîte de réception**.
2. Cochez les tickets et cliquez sur **Fusionner**.
`,
};

const FREIGHT_HELP: Record<string, string> = {
  'en/payments/refund.md': `# Issue a refund

1. Open **Payments**.
2. Click **Issue refund**.
3. Check the amount and click **Confirm refund**.
`,
};

/** Labels an answer may quote: every label of the help centers, the articles' titles and the users' pages. */
const KNOWN_LABELS = [
  'Cartões', 'Bloquear cartão', 'Bloquear', 'Pix', 'Nova transferência', 'Enviar', 'Karten', 'Karte sperren', 'Sperren',
  'Inbox', 'Assign', 'Save', 'Boîte de réception', 'Fusionner', 'Tag tickets', 'Tags', 'Add tag',
  'Bloquear o cartão', 'Enviar um Pix', 'Assign a ticket', 'Fusionner des tickets', 'Tag a ticket',
  'Início', 'Reports', 'Settings', 'Extrato', 'Export',
  'Dashboard', 'Customers', 'Add customer', 'Save customer', 'Payments', 'Issue refund', 'Confirm refund', 'Issue a refund',
];

const LANGUAGE_WORDS: Record<string, string[]> = {
  en: ['the', 'and', 'you', 'your', 'to', 'is', 'on', 'of', 'it', 'in', 'with', 'this', 'then', 'goes', 'through', 'help', 'article'],
  es: ['el', 'la', 'de', 'que', 'en', 'para', 'tu', 'una', 'un', 'con', 'por', 'estos', 'pasos', 'luego', 'artículo', 'ayuda', 'indica', 'y'],
  fr: ['le', 'la', 'les', 'de', 'des', 'du', 'un', 'une', 'et', 'vous', 'est', 'sur', 'puis', 'article', 'indique', 'cliquez', 'ouvrez'],
  de: ['der', 'die', 'das', 'und', 'du', 'ist', 'auf', 'mit', 'also', 'schritt', 'schon', 'seite', 'bist', 'sagt', 'klicke', 'wähle'],
  pt: ['o', 'os', 'de', 'do', 'da', 'que', 'em', 'no', 'na', 'para', 'você', 'um', 'uma', 'com', 'diz', 'artigo', 'ajuda', 'abra', 'clique', 'e'],
};

function languageOf(text: string): string {
  const words = text.toLowerCase().replace(/'[^'\n]*'/g, ' ').match(/[\p{L}']+/gu) ?? [];
  return Object.entries(LANGUAGE_WORDS).map(([language, list]) => [language, words.filter((word) => list.includes(word)).length] as const).sort((a, b) => b[1] - a[1])[0]![0];
}

function quotedLabels(text: string): string[] {
  return [...text.matchAll(/(?:^|[\s(:])'([^'\n]{1,80})'(?=[\s.,;:!?)]|$)/g)].map((match) => match[1]!.trim());
}

const INTERNAL_TEXT = /Page Load:|\b[a-z]+_[a-z_]+\b|[A-Z]+_API_KEY|https?:\/\/|\.md\b|\.html\b/;

interface Product {
  id: string;
  host: string;
  help: Record<string, string>;
  dir: string;
  captureToken: string;
  bridge: RunningBridge;
}

let connector: RunningConnector;
let dataDir: string;
const products = new Map<string, Product>();

async function writeFiles(dir: string, files: Record<string, string>): Promise<void> {
  for (const [path, content] of Object.entries(files)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), content);
  }
}

before(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'sightline-knowledge-e2e-'));
  connector = await startConnector({ port: 0, host: '127.0.0.1', dataDir, logger: false, defaultMetrics: false, batchWindowMs: 0 });
  const invented = [['lendwise', 'app.lendwise.test', BANK_HELP], ['deskly', 'app.deskly.test', DESK_HELP], ['haulpoint', 'app.haulpoint.test', FREIGHT_HELP], ['pipewell', 'app.pipewell.test', {}]] as const;
  for (const [id, host, help] of invented) {
    const credentials = await connector.registerProduct({ productId: id, contactEmail: 'qa@example.com' });
    const dir = join(dataDir, `${id}-help`);
    await writeFiles(dir, help);
    const bridge = await startBridge(
      {
        ...BRIDGE_DEFAULTS,
        streamUrl: credentials.stream_url,
        streamKey: credentials.stream_key,
        host: '127.0.0.1',
        port: 0,
        apiKeys: [API_KEY],
        adminToken: null,
        llm: resolveLlmSettings({ LLM_PROVIDER: 'offline' }),
        knowledge: { ...BRIDGE_DEFAULTS.knowledge, dir },
      },
      { logger: false },
    );
    products.set(id, { id, host, help, dir, captureToken: credentials.capture_token, bridge });
  }
});

after(async () => {
  for (const product of products.values()) await product.bridge.close();
  await connector?.close();
  await rm(dataDir, { recursive: true, force: true });
});

let sessions = 0;

/** Posts a user's events as posthog-js does, one batch per event, over the last 30 seconds; waits for the bridge to see them. */
async function act(product: Product, userId: string, events: EventSpec[], groups?: Record<string, string>): Promise<void> {
  sessions += 1;
  const sessionId = `01b3${String(sessions).padStart(4, '0')}-0000-7000-8000-000000000000`;
  const end = Date.now() - 1000;
  for (const [position, spec] of events.entries()) {
    const at = end - (events.length - 1 - position) * 3000;
    const properties: Record<string, unknown> = {
      distinct_id: userId,
      token: product.captureToken,
      $session_id: sessionId,
      $window_id: `${sessionId}-main`,
      $current_url: `https://${product.host}${spec.path}`,
      $host: product.host,
      $pathname: spec.path,
      $lib: 'web',
    };
    if (spec.title) properties['title'] = spec.title;
    if (spec.eventType) properties['$event_type'] = spec.eventType;
    if (spec.chain) properties['$elements_chain'] = spec.chain;
    if (groups) properties['$groups'] = groups;
    const response = await fetch(`${connector.url}/e/`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ api_key: product.captureToken, batch: [{ event: spec.event, properties, timestamp: new Date(at).toISOString() }] }),
    });
    assert.equal(response.status, 200);
  }
  const deadline = Date.now() + 10_000;
  for (;;) {
    const tabs = await product.bridge.pipeline.tracker.tabsOf(product.id, sessionId);
    if (tabs.reduce((sum, tab) => sum + tab.actionCount, 0) >= events.length) return;
    if (Date.now() > deadline) assert.fail(`the bridge did not see ${userId}'s ${events.length} actions`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function ask(product: Product, userId: string, query: string, language: string): Promise<string> {
  const response = await fetch(`${product.bridge.url}/reply/${encodeURIComponent(userId)}?${new URLSearchParams({ query })}`, { headers: { authorization: `Bearer ${API_KEY}` } });
  assert.equal(response.status, 200);
  const { reply } = (await response.json()) as { reply: string };
  const text = reply.replace(/\n\n\([^)]*\)$/, '');
  // Quoting the user's own words back names no label.
  const invented = quotedLabels(text).filter((label) => !KNOWN_LABELS.includes(label) && !query.includes(label));
  assert.deepEqual(invented, [], `labels found nowhere in: ${reply}`);
  assert.equal(languageOf(text), language, `reads as ${language}: ${reply}`);
  assert.doesNotMatch(text, INTERNAL_TEXT, reply);
  return text;
}

const link = (text: string, href: string) => chain(element('a', { href, text }), element('nav'), main);
const button = (text: string) => chain(element('button', { classes: ['btn'], text }), main);

describe('a bank whose help center is in Portuguese and German', () => {
  it('answers each user in their language from the article of that language, combined with where they are', async () => {
    const bank = products.get('lendwise')!;
    await act(bank, 'ana', [pageview('/home', 'Início · Lendwise'), click('/home', button('Atualizar saldo'))]);
    await act(bank, 'jonas', [pageview('/home', 'Início · Lendwise'), click('/home', link('Karten', '/karten')), pageview('/karten', 'Karten · Lendwise')]);
    await act(bank, 'sam', [pageview('/statement', 'Extrato · Lendwise'), click('/statement', button('Export'))]);

    const ana = await ask(bank, 'ana', 'Como bloqueio meu cartão?', 'pt');
    assert.match(ana, /^O artigo de ajuda 'Bloquear o cartão' diz:\n\n1\. Abra 'Cartões'\.\n2\. Escolha o cartão e clique em 'Bloquear cartão'\.\n3\. Confirme com 'Bloquear'\./);

    const jonas = await ask(bank, 'jonas', 'Wie sperre ich meine Karte?', 'de');
    assert.match(jonas, /^Du bist schon auf der Seite '?Karten'?, also überspring Schritt 1\. Der Hilfeartikel 'Karte sperren' sagt:\n\n2\. Wähle die Karte und klicke auf 'Karte sperren'\.\n3\. /);

    const sam = await ask(bank, 'sam', 'How do I block my card?', 'en');
    assert.match(sam, /^The help article '(?:Bloquear o cartão|Karte sperren)' \(in (?:Portuguese|German)\) goes through /);
  });

  it('GET /knowledge/search shows what a question finds, behind the bridge key', async () => {
    const bank = products.get('lendwise')!;
    const refused = await fetch(`${bank.bridge.url}/knowledge/search?q=pix`);
    assert.equal(refused.status, 401);
    const response = await fetch(`${bank.bridge.url}/knowledge/search?q=${encodeURIComponent('como enviar um pix')}`, { headers: { authorization: `Bearer ${API_KEY}` } });
    assert.equal(response.status, 200);
    const body = (await response.json()) as { language: string; passages: { title: string; source: string }[]; help_center: { articles: number; languages: string[] } };
    assert.equal(body.language, 'pt');
    assert.equal(body.passages[0]?.title, 'Enviar um Pix');
    assert.deepEqual(body.help_center.languages, ['de', 'pt']);
    assert.equal(body.help_center.articles, 3);
  });
});

describe('a help desk whose help center is English, with one French article', () => {
  it('frames the English article in Spanish, answers in French from the French article', async () => {
    const desk = products.get('deskly')!;
    await act(desk, 'lucia', [pageview('/reports', 'Reports · Deskly'), click('/reports', button('Export'))]);
    await act(desk, 'claire', [pageview('/settings', 'Settings · Deskly'), click('/settings', button('Save'))]);
    const lucia = await ask(desk, 'lucia', '¿Cómo asigno un ticket a otro agente?', 'es');
    assert.equal(lucia, "El artículo de ayuda 'Assign a ticket' (en inglés) indica estos pasos: 'Inbox', luego 'Assign', luego 'Save'.");
    const claire = await ask(desk, 'claire', 'Comment fusionner deux tickets ?', 'fr');
    assert.match(claire, /^L’article d’aide 'Fusionner des tickets' indique :\n\n1\. Ouvrez 'Boîte de réception'\./);
  });

  it('an article written while the bridge runs is answered from once the watch has reloaded the index', async () => {
    const desk = products.get('deskly')!;
    await act(desk, 'omar', [pageview('/reports', 'Reports · Deskly')]);
    await writeFile(join(desk.dir, 'tag-ticket.md'), '# Tag a ticket\n\n1. Open **Tags**.\n2. Click **Add tag**.\n');
    const deadline = Date.now() + 10_000;
    while (desk.bridge.helpCenter!.stats().articles < 3 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(desk.bridge.helpCenter!.stats().articles, 3);
    const omar = await ask(desk, 'omar', 'how do I add a tag to a ticket?', 'en');
    assert.match(omar, /^The help article 'Tag a ticket' says:\n\n1\. Open 'Tags'\.\n2\. Click 'Add tag'\./);
  });
});

describe('a freight tool whose UI map is learned from other users', () => {
  const home = (): EventSpec[] => [pageview('/dashboard', 'Dashboard · Haulpoint')];
  const back = (from: string): EventSpec[] => [click(from, link('Dashboard', '/dashboard')), ...home()];
  const addCustomer = (): EventSpec[] => [
    ...home(),
    click('/dashboard', link('Customers', '/customers')),
    pageview('/customers', 'Customers · Haulpoint'),
    click('/customers', button('Add customer')),
    change('/customers', chain(element('input', { attributes: { name: 'company', 'aria-label': 'Company' } }), dialog('Add customer'), main)),
    click('/customers', chain(element('button', { classes: ['btn', 'btn-primary'], text: 'Save customer' }), dialog('Add customer'), main)),
    ...back('/customers'),
  ];
  const refund = (): EventSpec[] => [
    ...home(),
    click('/dashboard', link('Payments', '/payments')),
    pageview('/payments', 'Payments · Haulpoint'),
    click('/payments', button('Issue refund')),
    click('/payments', chain(element('button', { classes: ['btn', 'btn-danger'], text: 'Confirm refund' }), dialog('Issue refund'), main)),
    ...back('/payments'),
  ];
  const exportReport = (): EventSpec[] => [
    ...home(),
    click('/dashboard', link('Reports', '/reports')),
    pageview('/reports', 'Reports · Haulpoint'),
    click('/reports', button('Export report')),
    click('/reports', chain(element('button', { classes: ['btn'], text: 'Download CSV' }), dialog('Export report'), main)),
    ...back('/reports'),
  ];

  it("answers a flow the user has not started with the path three others took, in the user's language, before the article; never a path two took", async () => {
    const freight = products.get('haulpoint')!;
    for (const user of ['ops-1', 'ops-2', 'ops-3']) await act(freight, user, [...addCustomer(), ...refund()]);
    for (const user of ['ops-1', 'ops-2']) await act(freight, user, exportReport());
    // The map learns after the tracker applied each payload: wait for what three users did.
    const deadline = Date.now() + 10_000;
    while ((await freight.bridge.uiMap.known('haulpoint', { fresh: true })).flows.length < 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    assert.deepEqual((await freight.bridge.uiMap.known('haulpoint', { fresh: true })).flows.map((flow) => flow.goal).sort(), ['Confirm refund', 'Save customer']);

    await act(freight, 'dana', home());
    const dana = await ask(freight, 'dana', 'Wie lege ich einen neuen Kunden an?', 'de');
    assert.match(dana, /^So machen es andere Nutzer von der Seite '?Dashboard'? aus: klicke auf 'Customers', dann öffne 'Add customer', dann schließ ab mit 'Save customer'\./);

    await act(freight, 'joao', [pageview('/customers', 'Customers · Haulpoint')]);
    const joao = await ask(freight, 'joao', 'Como faço um reembolso?', 'pt');
    // From Customers the way others went: back to the Dashboard, then on to Payments.
    assert.match(joao, /^Outros usuários fazem assim a partir da página '?Customers'?: clique em 'Dashboard', depois clique em 'Payments', depois abra 'Issue refund', depois conclua com 'Confirm refund'\./);
    assert.doesNotMatch(joao, /artigo de ajuda/);

    await act(freight, 'lucia-f', home());
    const lucia = await ask(freight, 'lucia-f', '¿Cómo exporto un informe?', 'es');
    assert.doesNotMatch(lucia, /Export report|Download CSV/);
  });
});

describe('a B2B CRM whose customers are organisations', () => {
  const addDeal = (): EventSpec[] => [
    pageview('/pipeline', 'Pipeline · Pipewell'),
    click('/pipeline', chain(element('button', { text: 'New deal' }), main)),
    click('/pipeline', chain(element('button', { classes: ['btn', 'btn-primary'], text: 'Create deal' }), dialog('New deal'), main)),
    // The deal was created: the user moves on.
    click('/pipeline', link('Forecast', '/forecast')),
    pageview('/forecast', 'Forecast · Pipewell'),
  ];

  it('learns a path only once a second organisation shows it: one tenant alone never teaches another', async () => {
    const crm = products.get('pipewell')!;
    const flows = async () => (await crm.bridge.uiMap.known('pipewell', { fresh: true })).flows.map((flow) => flow.goal);
    // Three users, one customer organisation (PostHog groups): enough users, one tenant.
    for (const user of ['nw-1', 'nw-2', 'nw-3']) await act(crm, user, addDeal(), { company: 'northwind' });
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.deepEqual(await flows(), [], 'three users of one organisation do not make a path');
    // A user of another organisation takes the same path: now two organisations show it.
    await act(crm, 'ct-1', addDeal(), { company: 'contoso' });
    const deadline = Date.now() + 10_000;
    while (!(await flows()).includes('Create deal') && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    assert.deepEqual(await flows(), ['Create deal']);
  });
});
