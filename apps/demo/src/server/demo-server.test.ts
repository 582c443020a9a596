import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { demoAssetNames } from '../assets/build-demo-assets.ts';
import { demoPages } from '../browser/pages.ts';
import { startDemoServer, type DemoServer } from './demo-server.ts';
import { renderDemoPage } from './demo-page.ts';

let demo: DemoServer;
let assetsDir: string;
const IDENTITY_SECRET = 'demo-test-identity-secret-0123456789abcdef';

before(async () => {
  assetsDir = await mkdtemp(join(tmpdir(), 'sightline-demo-assets-'));
  demo = await startDemoServer({
    port: 0,
    connectorUrl: 'http://127.0.0.1:8080/',
    captureToken: 'phc_demo_token',
    chatUrl: 'http://127.0.0.1:8090',
    userId: 'user-7',
    email: 'sam@acme.test',
    identitySecret: IDENTITY_SECRET,
    assetsDir,
  });
});

after(async () => {
  await demo.close();
  await rm(assetsDir, { recursive: true, force: true });
});

test('every page route answers the app page with the config posthog-js and the widget need', async () => {
  for (const path of ['/', ...demoPages.map((page) => page.path), '/team/']) {
    const response = await fetch(`${demo.url}${path}`);
    assert.equal(response.status, 200, path);
    assert.match(response.headers.get('content-type') ?? '', /^text\/html/);
    const html = await response.text();
    assert.match(html, /<script src="\/build\/rasa-webchat-1\.0\.1\.js"><\/script>/);
    assert.match(html, /"captureToken":"phc_demo_token"/);
    assert.match(html, /"userId":"user-7"/);
    assert.ok(html.includes(`"userHash":"${createHmac('sha256', IDENTITY_SECRET).update('user-7').digest('hex')}"`), 'the server signs its user');
    assert.ok(!html.includes(IDENTITY_SECRET), 'the secret itself never reaches the page');
    assert.match(html, /"connectorUrl":"http:\/\/127\.0\.0\.1:8080"/, 'a trailing slash is trimmed from api_host');
  }
});

test('the built bundle, stylesheet and rasa-webchat are served from /build/', async () => {
  for (const name of Object.values(demoAssetNames)) {
    const response = await fetch(`${demo.url}/build/${name}`);
    assert.equal(response.status, 200, name);
    const body = await response.text();
    assert.ok(body.length > 1000, `${name} is not empty`);
  }
  const widget = await readFile(join(assetsDir, demoAssetNames.chatWidget), 'utf8');
  assert.match(widget, /WebChat/, 'the widget bundle is the UMD build exposing window.WebChat');
  assert.doesNotMatch(widget, /@import url\(["']?https?:/, 'the widget\'s CSS loads no font from a CDN');
  assert.match(widget, /\.rw-conversation-container/, 'the widget keeps its own styles');
  const bundle = await readFile(join(assetsDir, demoAssetNames.script), 'utf8');
  assert.match(bundle, /SIGHTLINE_DEMO/);
  assert.doesNotMatch(bundle, /https:\/\/(?:us|eu)(?:-assets)?\.i\.posthog\.com\/static/, 'posthog-js is bundled, not loaded from a CDN');
});

test('unknown paths, traversal attempts and other methods are refused', async () => {
  assert.equal((await fetch(`${demo.url}/nope`)).status, 404);
  assert.equal((await fetch(`${demo.url}/build/..%2Fpackage.json`)).status, 404);
  assert.equal((await fetch(`${demo.url}/build/.hidden.js`)).status, 404);
  const post = await fetch(`${demo.url}/team`, { method: 'POST', body: 'x' });
  assert.equal(post.status, 405);
  assert.equal(post.headers.get('allow'), 'GET, HEAD');
});

test('/healthz answers ok', async () => {
  const response = await fetch(`${demo.url}/healthz`);
  assert.equal(response.status, 200);
  assert.deepEqual(await response.json(), { status: 'ok' });
});

test('config values cannot close the inline script', () => {
  const html = renderDemoPage({
    connectorUrl: 'http://127.0.0.1:8080',
    captureToken: 'phc_x',
    chatUrl: 'http://127.0.0.1:8090',
    chatPath: '/socket.io/',
    userId: '</script><script>alert(1)</script>',
    userHash: null,
    email: 'a@b.c',
    userName: 'A & B',
  });
  assert.equal(html.match(/<\/script>/g)?.length, 3, 'only the three real script tags close');
  assert.match(html, /\\u003c\/script\\u003e/);
});

test('without an identity secret the page carries no user hash; an empty secret is refused', async (t) => {
  const plain = await startDemoServer({ port: 0, connectorUrl: 'http://127.0.0.1:1', captureToken: 't', chatUrl: 'http://127.0.0.1:1', buildAssets: false, assetsDir });
  t.after(() => plain.close());
  assert.equal(plain.config.userHash, null);
  assert.match(await (await fetch(`${plain.url}/team`)).text(), /"userHash":null/);
  await assert.rejects(
    startDemoServer({ port: 0, connectorUrl: 'http://127.0.0.1:1', captureToken: 't', chatUrl: 'http://127.0.0.1:1', identitySecret: ' ', buildAssets: false }),
    /identitySecret is empty/,
  );
});

test('a connector URL that is not http(s) is refused before anything listens', async () => {
  await assert.rejects(
    startDemoServer({ port: 0, connectorUrl: 'ftp://x', captureToken: 't', chatUrl: 'http://127.0.0.1:1', buildAssets: false }),
    /connectorUrl must be an http\(s\) URL/,
  );
  await assert.rejects(
    startDemoServer({ port: 0, connectorUrl: 'http://127.0.0.1:1', captureToken: '', chatUrl: 'http://127.0.0.1:1', buildAssets: false }),
    /captureToken is required/,
  );
});
