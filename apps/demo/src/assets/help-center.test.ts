import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { createHelpCenterSource, createOfflineResponder, type HelpCenterSource, type ReplyContext } from '@sightline/bridge';
import { emptyActivityState, type ActivityState } from '@sightline/sdk';
import { demoPages } from '../browser/pages.ts';
import { demoHelpCenterDir } from './help-center.ts';

let dir: string;
let help: HelpCenterSource;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sightline-demo-help-'));
  help = createHelpCenterSource({ dir: demoHelpCenterDir(), indexPath: join(dir, 'index.json'), watch: false });
  await help.ready();
});

after(async () => {
  await help.close();
  await rm(dir, { recursive: true, force: true });
});

function onPage(title: string, path: string): ActivityState {
  const state = emptyActivityState({ productId: 'demo', sessionId: 's1', windowId: 'w1' }, 1_000);
  return { ...state, page: { title, path, since: 1_000 }, recentPages: [{ title, path, enteredAt: 1_000, leftAt: null }], actionCount: 1, lastAt: 1_000 };
}

async function ask(query: string, tab: ActivityState): Promise<string> {
  const knowledge = { passages: (await help.find({ productId: 'demo', query, language: null, page: tab.page!.path, pageTitle: tab.page!.title })).passages ?? [], paths: [] };
  const context: ReplyContext = { userId: 'u', query, email: null, firstName: null, sessions: [], activitySince: [], history: [], tabs: [tab], languageHint: null, now: 2_000_000, knowledge };
  return (await createOfflineResponder({ showOfflineNote: false }).respond(context)).reply;
}

test('the demo help center is read whole: every article, in English and Spanish', () => {
  assert.deepEqual(help.stats().languages, ['en', 'es']);
  assert.equal(help.stats().articles, 5);
});

test('every label the demo help center quotes is a label the demo app shows', async () => {
  const found = await help.search('plan team project settings invite upgrade', { language: 'en', limit: 20 });
  const labels = found.flatMap((passage) => passage.steps ?? []).flatMap((step) => step.labels);
  assert.ok(labels.length >= 8);
  const markup = demoPages.map((page) => `${page.title} ${page.html}`).join(' ');
  for (const label of labels) assert.ok(markup.includes(label), `the demo app shows '${label}'`);
});

test('"how do I change my plan?" on the Dashboard: the article’s steps; on Billing: step 1 skipped', async () => {
  assert.equal(
    await ask('how do I change my plan?', onPage('Dashboard', '/')),
    "The help article 'Change your plan' says:\n\n1. Open 'Billing' from the sidebar.\n2. Click 'Upgrade plan'.\n3. Pick 'Pro' or 'Business', then click 'Confirm upgrade'.",
  );
  assert.match(await ask('how do I change my plan?', onPage('Billing', '/billing')), /^You’re already on the Billing page, so skip step 1\. The help article 'Change your plan' says:\n\n2\. Click 'Upgrade plan'\./);
  assert.match(await ask('¿Cómo cambio de plan?', onPage('Dashboard', '/')), /^El artículo de ayuda 'Cambiar de plan' dice:\n\n1\. Abre 'Billing'/);
});
