import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { after, before, test } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import { CredentialGuard } from '@sightline/protocol/internal';
import { CredentialCheck, requireCredential } from '../auth/credential-check.ts';
import { guardFailures } from '../auth/credential-failures.ts';
import { installErrorHandlers } from '../server/http-errors.ts';
import { CRM_HELP, writeHelpCenter } from './__fixtures__/help-centers.ts';
import { createHelpCenterSource, type HelpCenterSource } from './help-center/help-center-source.ts';
import { registerKnowledgeRoutes } from './knowledge-routes.ts';
import type { KnowledgeQuestion, UiPath } from './knowledge-types.ts';

const KEY = 'k'.repeat(40);
let app: FastifyInstance;
let dir: string;
let help: HelpCenterSource;
const asked: KnowledgeQuestion[] = [];
const invite: UiPath = { goal: 'Send invite', steps: [{ kind: 'click', label: 'Team', page: '/dashboard' }], users: 3, score: 2 };
const upgrade: UiPath = { goal: 'Confirm upgrade', steps: [{ kind: 'click', label: 'Billing', page: '/dashboard' }], users: 4, score: 2, isDemoData: true };

before(async () => {
  dir = await writeHelpCenter(CRM_HELP);
  help = createHelpCenterSource({ dir, watch: false });
  app = Fastify();
  installErrorHandlers(app);
  const apiKey = new CredentialCheck('bridge_key', [KEY], guardFailures(new CredentialGuard({ now: () => 0 })));
  registerKnowledgeRoutes(app, {
    sources: [help, { find: async (question) => (asked.push(question), { paths: question.query.includes('plan') ? [upgrade] : [invite] }) }],
    helpCenter: () => help.stats(),
    productId: 'crm',
    authorize: requireCredential(apiKey),
  });
  await help.ready();
});

after(async () => {
  await app.close();
  await help.close();
  await rm(dir, { recursive: true, force: true });
});

const auth = { authorization: `Bearer ${KEY}` };

test('GET /knowledge/search answers what every source finds, with the help center’s counts, in snake_case', async () => {
  const response = await app.inject({ method: 'GET', url: '/knowledge/search?q=how%20do%20I%20export%20contacts%3F&page=%2Fdashboard', headers: auth });
  assert.equal(response.statusCode, 200);
  const body = response.json();
  assert.equal(body.product_id, 'crm');
  assert.equal(body.language, 'en');
  assert.equal(body.passages[0].title, 'Export your contacts');
  assert.deepEqual(Object.keys(body.passages[0]).sort(), ['headings', 'language', 'score', 'source', 'steps', 'text', 'title']);
  assert.deepEqual(body.paths, [invite]);
  assert.equal(body.help_center.articles, 4);
  assert.deepEqual(body.help_center.languages, ['en', 'es']);
  assert.match(body.help_center.built_at, /^\d{4}-\d{2}-\d{2}T/);
  assert.deepEqual(asked.at(-1), { productId: 'crm', query: 'how do I export contacts?', language: 'en', page: '/dashboard', pageTitle: null });
});

test('lang and product are passed on; a language tag is reduced to its language', async () => {
  const response = await app.inject({ method: 'GET', url: '/knowledge/search?q=exportar%20contactos&lang=es-MX&product=other', headers: auth });
  assert.equal(response.statusCode, 200);
  assert.equal(response.json().passages[0].language, 'es');
  assert.equal(asked.at(-1)?.productId, 'other');
  assert.equal(asked.at(-1)?.language, 'es');
});

test("a path that stands only on the demo's simulated users is marked demo_data", async () => {
  const response = await app.inject({ method: 'GET', url: '/knowledge/search?q=how%20do%20I%20change%20my%20plan', headers: auth });
  assert.deepEqual(response.json().paths, [{ goal: 'Confirm upgrade', steps: upgrade.steps, users: 4, score: 2, demo_data: true }]);
});

test('without the key: 401 SL_AUTH_REQUIRED', async () => {
  const response = await app.inject({ method: 'GET', url: '/knowledge/search?q=export' });
  assert.equal(response.statusCode, 401);
  assert.equal(response.json().error.code, 'SL_AUTH_REQUIRED');
});

test('a missing or bad parameter: 400 SL_QUERY_PARAMETER_INVALID', async () => {
  for (const url of ['/knowledge/search', '/knowledge/search?q=%20', '/knowledge/search?q=x&lang=english', `/knowledge/search?q=${'x'.repeat(2001)}`, '/knowledge/search?q=x&q=y']) {
    const response = await app.inject({ method: 'GET', url, headers: auth });
    assert.equal(response.statusCode, 400, url);
    assert.equal(response.json().error.code, 'SL_QUERY_PARAMETER_INVALID', url);
  }
});
