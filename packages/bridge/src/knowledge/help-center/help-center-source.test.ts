import assert from 'node:assert/strict';
import { readFile, rm, stat, writeFile, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { FakeClock } from '@sightline/sdk/testing';
import { BANK_HELP, CRM_HELP, HELP_DESK_HELP, writeHelpCenter } from '../__fixtures__/help-centers.ts';
import type { KnowledgeQuestion } from '../knowledge-types.ts';
import { HelpCenterIndex } from './help-center-index.ts';
import { createHelpCenterSource, defaultIndexPath, indexHelpCenter, type FolderWatcher } from './help-center-source.ts';
import { readHelpCenter } from './read-help-center.ts';

const folders: string[] = [];
after(async () => {
  for (const folder of folders) await rm(folder, { recursive: true, force: true });
});

async function folderOf(files: Record<string, string>): Promise<string> {
  const dir = await writeHelpCenter(files);
  folders.push(dir);
  return dir;
}

async function indexOf(files: Record<string, string>): Promise<HelpCenterIndex> {
  const content = await readHelpCenter(await folderOf(files));
  return HelpCenterIndex.build(content.articles, content.fingerprint, 1);
}

function question(query: string, language: string | null, productId = 'crm'): KnowledgeQuestion {
  return { productId, query, language, page: null, pageTitle: null };
}

test('language folders give the language; a flat folder takes front matter, else detection; other files are skipped', async () => {
  const crm = await readHelpCenter(await folderOf(CRM_HELP));
  assert.deepEqual(crm.articles.map((article) => [article.source, article.language]), [
    ['en/contacts/export-contacts.md', 'en'],
    ['en/deals/create-deal.md', 'en'],
    ['en/settings/rename-pipeline-stage.md', 'en'],
    ['es/contactos/exportar-contactos.md', 'es'],
  ]);
  const desk = await readHelpCenter(await folderOf(HELP_DESK_HELP));
  assert.deepEqual(desk.articles.map((article) => [article.title, article.language]), [
    ['Assign a ticket', 'en'],
    ['Set your business hours', 'en'],
    ['Fusionner des tickets', 'fr'],
  ]);
});

test('ranking: each language finds its article through stemmed word forms', async () => {
  const crm = await indexOf(CRM_HELP);
  assert.equal((await crm.search('exporting my contacts', { language: 'en' }))[0]?.title, 'Export your contacts');
  assert.equal((await crm.search('¿cómo exporto mis contactos?', { language: 'es' }))[0]?.title, 'Exportar tus contactos');
  assert.equal((await crm.search('how do I create deals?', { language: 'en' }))[0]?.title, 'Create a deal');
  const bank = await indexOf(BANK_HELP);
  assert.equal((await bank.search('Wie sperre ich meine Karten?', { language: 'de' }))[0]?.title, 'Karte sperren');
  assert.equal((await bank.search('como faço transferências?', { language: 'pt' }))[0]?.title, 'Fazer uma transferência');
  const desk = await indexOf(HELP_DESK_HELP);
  assert.equal((await desk.search('comment fusionner deux tickets ?', { language: 'fr' }))[0]?.title, 'Fusionner des tickets');
  assert.equal((await desk.search('who can I assign tickets to', { language: 'en' }))[0]?.title, 'Assign a ticket');
});

test('the passage with the steps ranks first for a how-to question and carries its steps', async () => {
  const crm = await indexOf(CRM_HELP);
  const [best] = await crm.search('how do I export contacts to CSV?', { language: 'en' });
  assert.deepEqual(best?.headings, ['Steps']);
  assert.deepEqual(best?.steps?.map((step) => step.labels), [['Contacts'], ['Export'], ['CSV', 'Download']]);
  assert.equal(best?.source, 'en/contacts/export-contacts.md');
});

test('a question in a language the help center lacks finds the article through translated words, ranked after its own', async () => {
  const desk = await indexOf(HELP_DESK_HELP);
  const passages = await desk.search('¿Cómo asigno un ticket?', { language: 'es' });
  assert.equal(passages[0]?.title, 'Assign a ticket');
  const crm = await indexOf(CRM_HELP);
  const spanish = await crm.search('exportar contactos', { language: 'es', limit: 3 });
  assert.equal(spanish[0]?.language, 'es');
  assert.ok(spanish.slice(1).every((passage) => passage.score <= spanish[0]!.score));
});

test('a question that shares no word with the help center finds nothing', async () => {
  const crm = await indexOf(CRM_HELP);
  assert.deepEqual(await crm.search('weather tomorrow in Lisbon', { language: 'en' }), []);
  assert.deepEqual(await crm.search('   ', { language: 'en' }), []);
});

test('the index is saved beside the folder and loaded, not rebuilt, while the files are unchanged', async () => {
  const dir = await folderOf(CRM_HELP);
  const first = createHelpCenterSource({ dir, watch: false, clock: new FakeClock({ now: 1000 }) });
  await first.ready();
  assert.equal(first.stats().passages, 6);
  const saved = JSON.parse(await readFile(defaultIndexPath(dir), 'utf8')) as { builtAt: number };
  assert.equal(saved.builtAt, 1000);
  const second = createHelpCenterSource({ dir, watch: false, clock: new FakeClock({ now: 5000 }) });
  await second.ready();
  assert.equal(second.stats().builtAt, 1000, 'loaded from the file');
  assert.equal((await second.search('export contacts', { language: 'en' }))[0]?.title, 'Export your contacts');
  assert.ok((second.stats().indexBytes ?? 0) > 1000);
});

test('a changed file is reloaded after the quiet time, once for a burst of changes, while the old index keeps answering', async () => {
  const dir = await folderOf(CRM_HELP);
  const clock = new FakeClock({ now: 1000 });
  let notify: () => void = () => {};
  let closed = false;
  const watcher: FolderWatcher = (_dir, onChange) => {
    notify = onChange;
    return { close: () => (closed = true) };
  };
  const source = createHelpCenterSource({ dir, watch: watcher, clock, debounceMs: 500 });
  await source.ready();
  assert.equal((await source.search('archive a deal', { language: 'en' }))[0]?.title, 'Create a deal');
  const path = join(dir, 'en/deals/archive-deal.md');
  await writeFile(path, '# Archive a deal\n\n1. Open the deal.\n2. Click **Archive**.\n');
  await utimes(path, new Date(), new Date(Date.now() + 5000));
  notify();
  await clock.advance(300);
  notify();
  await clock.advance(300);
  assert.equal(source.stats().articles, 4, 'not yet: the quiet time restarted');
  assert.equal(clock.pendingTimers, 1);
  await clock.advance(300);
  assert.equal(clock.pendingTimers, 0);
  await source.reload();
  assert.equal(source.stats().articles, 5);
  assert.equal((await source.search('archive a deal', { language: 'en' }))[0]?.title, 'Archive a deal');
  await source.close();
  assert.equal(closed, true);
});

test('a file written while the bridge was down is read at the next start (the saved index no longer matches)', async () => {
  const dir = await folderOf(HELP_DESK_HELP);
  await indexHelpCenter({ dir, now: 1 });
  await writeFile(join(dir, 'close-ticket.md'), '# Close a ticket\n\n1. Click **Close**.\n');
  const source = createHelpCenterSource({ dir, watch: false, clock: new FakeClock({ now: 2 }) });
  await source.ready();
  assert.equal(source.stats().articles, 4);
  assert.equal(source.stats().builtAt, 2);
});

test('find never rejects: a missing folder, a corrupt index file, another product, an aborted question', async () => {
  const missing = createHelpCenterSource({ dir: join(await folderOf({}), 'nope'), watch: false });
  assert.deepEqual(await missing.find(question('export contacts', 'en')), { passages: [] });
  const dir = await folderOf(CRM_HELP);
  await indexHelpCenter({ dir });
  await writeFile(defaultIndexPath(dir), '{ not json');
  const corrupt = createHelpCenterSource({ dir, watch: false, productId: 'crm' });
  assert.equal((await corrupt.find(question('export contacts', 'en'))).passages?.[0]?.title, 'Export your contacts', 'rebuilt from the articles');
  assert.deepEqual(await corrupt.find(question('export contacts', 'en', 'bank')), {});
  const aborted = new AbortController();
  aborted.abort();
  assert.deepEqual(await corrupt.find(question('export contacts', 'en'), aborted.signal), {});
  assert.ok((await stat(defaultIndexPath(dir))).size > 100);
});

test('a question with no language is searched in the language it is written in', async () => {
  const source = createHelpCenterSource({ dir: await folderOf(CRM_HELP), watch: false });
  const found = await source.find(question('¿Cómo puedo exportar mis contactos?', null));
  assert.equal(found.passages?.[0]?.language, 'es');
});

test("the default watcher (Node's recursive fs.watch) sees an article added in a language folder", async () => {
  const dir = await folderOf(CRM_HELP);
  const source = createHelpCenterSource({ dir, debounceMs: 20 });
  await source.ready();
  await writeFile(join(dir, 'es/contactos/importar-contactos.md'), '# Importar contactos\n\n1. Pulsa **Importar**.\n');
  const deadline = Date.now() + 5000;
  while (source.stats().articles < 5 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 25));
  assert.equal(source.stats().articles, 5);
  await source.close();
});

test('with something open, the passages about it follow those the message found, each once', async () => {
  const source = createHelpCenterSource({ dir: await folderOf(HELP_DESK_HELP), watch: false });
  const found = await source.find({ ...question('what now?', 'en', 'helpdesk'), openLabel: 'Assign' });
  assert.equal(found.passages?.[0]?.title, 'Assign a ticket');
  const both = await source.find({ ...question('how do I assign a ticket?', 'en', 'helpdesk'), openLabel: 'Assign' });
  const keys = both.passages!.map((passage) => `${passage.source}\0${passage.text}`);
  assert.equal(new Set(keys).size, keys.length, 'no passage twice');
  assert.equal(both.passages?.[0]?.title, 'Assign a ticket');
  assert.deepEqual((await source.find(question('what now?', 'en', 'helpdesk'))).passages, [], 'without it, a message about nothing finds nothing');
});
