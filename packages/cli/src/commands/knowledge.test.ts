import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { BRIDGE_DEFAULTS, resolveLlmSettings, startBridge, type RunningBridge } from '@sightline/bridge';
import { run, type KnowledgeIo } from './knowledge.ts';

let dir: string;
let bridge: RunningBridge;
const API_KEY = 'knowledge-cli-key-0123456789abcdefghij';

/** A small CMS help center: an English article and a German one, and a file that is no article. */
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sightline-knowledge-cli-'));
  await mkdir(join(dir, 'en'));
  await mkdir(join(dir, 'de'));
  await writeFile(join(dir, 'en', 'publish-page.md'), '# Publish a page\n\n1. Open **Pages**.\n2. Click **Publish**.\n');
  await writeFile(join(dir, 'de', 'seite-veroeffentlichen.md'), '# Seite veröffentlichen\n\n1. Öffne **Seiten**.\n2. Klicke auf **Veröffentlichen**.\n');
  await writeFile(join(dir, 'en', 'broken.md'), Buffer.from([0xff, 0xfe, 0x00]));
  await writeFile(join(dir, 'en', 'empty.md'), '---\ntitle: Empty\n---\n');
  bridge = await startBridge(
    {
      ...BRIDGE_DEFAULTS,
      streamUrl: 'http://127.0.0.1:9/stream/cms',
      streamKey: 'sk_test',
      host: '127.0.0.1',
      port: 0,
      apiKeys: [API_KEY],
      adminToken: null,
      llm: resolveLlmSettings({ LLM_PROVIDER: 'offline' }),
      knowledge: { ...BRIDGE_DEFAULTS.knowledge, dir },
    },
    { logger: false, connectStream: false },
  );
});

after(async () => {
  await bridge?.close();
  await rm(dir, { recursive: true, force: true });
});

function capture(env: NodeJS.ProcessEnv = {}): KnowledgeIo & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, env, fetch: (input, init) => fetch(input, init), now: () => 0, stdout: (text) => out.push(text), stderr: (text) => err.push(text) };
}

test('index builds and saves the index, prints the counts and reports files it skipped', async () => {
  const io = capture();
  assert.equal(await run(['index', dir, '--index', join(dir, '.sightline', 'cli.json')], io), 0);
  assert.match(io.out.join(''), /^indexed 3 articles, 3 passages \(de, en\) in 0 ms\nsaved .*cli\.json \(\d+\.\d KiB\)\n$/);
  assert.ok((await stat(join(dir, '.sightline', 'cli.json'))).size > 0);
  assert.equal(io.err.join(''), 'skipped en/empty.md: no text\n');
});

test('search prints the best passage of the question’s language with its source', async () => {
  const io = capture({ KNOWLEDGE_DIR: dir });
  assert.equal(await run(['search', 'Wie', 'veröffentliche', 'ich', 'eine', 'Seite?', '--limit', '1'], io), 0);
  assert.equal(io.out.join(''), "1. Seite veröffentlichen\n   (de/seite-veroeffentlichen.md, de, score " + io.out.join('').match(/score ([\d.]+)/)![1] + ")\n   1. Öffne 'Seiten'.\n   2. Klicke auf 'Veröffentlichen'.\n");
  const json = capture();
  assert.equal(await run(['search', 'publish a page', '--dir', dir, '--lang', 'en', '--json'], json), 0);
  assert.equal(JSON.parse(json.out.join('')).passages[0].source, 'en/publish-page.md');
});

test('search --bridge-url asks the running bridge with its key', async () => {
  const io = capture({ BRIDGE_API_KEY: API_KEY });
  assert.equal(await run(['search', 'how do I publish a page?', '--bridge-url', bridge.url], io), 0);
  assert.match(io.out.join(''), /^1\. Publish a page\n/);
  const refused = capture();
  assert.equal(await run(['search', 'publish', '--bridge-url', bridge.url], refused), 1);
  assert.match(refused.err.join(''), /HTTP 401 SL_AUTH_REQUIRED/);
});

test('usage errors exit 2; a folder that cannot be read exits 1', async () => {
  assert.equal(await run(['search'], capture()), 2);
  assert.equal(await run(['rebuild', dir], capture()), 2);
  assert.equal(await run(['search', 'x', '--limit', '0', '--dir', dir], capture()), 2);
  assert.equal(await run(['search', 'x'], capture()), 2);
  const missing = capture();
  assert.equal(await run(['index', join(dir, 'nope')], missing), 1);
  assert.match(missing.err.join(''), /cannot index/);
  assert.equal(await run(['search', 'x', '--dir', join(dir, 'nope')], capture()), 1);
});
