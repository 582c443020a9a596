/**
 * The published packages work as a user installs them (docs/packaging.md): builds the workspace, packs each public
 * package with `npm pack`, installs the tarballs together into an empty folder with `npm install`, starts
 * `npx sightline dev` there on free ports, and fetches the demo page, its built assets and the bridge's /healthz.
 *
 * Third-party dependencies come from the npm registry. Without one the test skips and says why, unless
 * SIGHTLINE_REQUIRE names npm-registry (CI's .ci/run does): then it fails. Slow (a build and an install).
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
/** The packages published to npm, as `npm pack -w` names their folders; apps/demo is private and travels inside the CLI. */
const publicPackages = ['packages/protocol', 'packages/sdk', 'packages/connector', 'packages/bridge', 'packages/cli'];
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';

const isRegistryRequired = (process.env['SIGHTLINE_REQUIRE'] ?? '')
  .split(',')
  .some((name) => name.trim().toLowerCase() === 'npm-registry');

/**
 * The environment for npm and the installed command: this one without what `npm test` adds for its own run (the
 * workspace's prefix, its package fields), which would point npm in the temporary folder back at the workspace, and
 * without LLM keys, so the bridge runs its offline responder.
 */
function cleanEnvironment(): NodeJS.ProcessEnv {
  const kept = ['npm_config_cache', 'npm_config_userconfig', 'npm_config_globalconfig', 'npm_config_registry'];
  const llmKeys = /^(OPENAI|ANTHROPIC|GOOGLE_GENERATIVE_AI|GEMINI|OPENROUTER|GROQ|MISTRAL|LLM)_/;
  return Object.fromEntries(
    Object.entries(process.env).filter(([name]) => (!name.toLowerCase().startsWith('npm_') || kept.includes(name.toLowerCase())) && !llmKeys.test(name)),
  );
}

interface Finished {
  code: number | null;
  output: string;
}

function run(command: string, args: string[], cwd: string): Promise<Finished> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env: cleanEnvironment(), stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, output }));
  });
}

async function mustRun(command: string, args: string[], cwd: string): Promise<string> {
  const { code, output } = await run(command, args, cwd);
  assert.equal(code, 0, `${command} ${args.join(' ')} failed in ${cwd}:\n${output.slice(-4000)}`);
  return output;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Resolves when the command's output matches `pattern`; rejects when it exits first. */
function outputMatches(child: ChildProcess, pattern: RegExp, output: () => string): Promise<void> {
  return new Promise((resolve, reject) => {
    const check = (): void => {
      if (pattern.test(output())) {
        child.stdout?.off('data', check);
        child.off('exit', exited);
        resolve();
      }
    };
    const exited = (code: number | null): void => reject(new Error(`sightline dev exited (${code}) before serving:\n${output().slice(-4000)}`));
    child.stdout?.on('data', check);
    child.once('exit', exited);
    check();
  });
}

test('the packed public packages install together into an empty folder and `npx sightline dev` serves the demo', { timeout: 15 * 60_000 }, async (t) => {
  const ping = await run(npm, ['ping'], repoRoot);
  if (ping.code !== 0) {
    const reason = `the npm registry does not answer (npm ping: ${ping.output.trim().split('\n').at(-1) ?? ping.code})`;
    if (isRegistryRequired) assert.fail(`SIGHTLINE_REQUIRE names npm-registry, but ${reason}`);
    t.skip(reason);
    return;
  }

  const folder = await mkdtemp(join(tmpdir(), 'sightline-install-'));
  t.after(() => rm(folder, { recursive: true, force: true }));

  await mustRun(npm, ['run', 'build'], repoRoot);
  for (const workspace of publicPackages) await mustRun(npm, ['pack', '--silent', '--pack-destination', folder, '--workspace', workspace], repoRoot);
  const tarballs = (await readdir(folder)).filter((name) => name.endsWith('.tgz')).sort();
  assert.equal(tarballs.length, publicPackages.length, `one tarball per public package: ${tarballs.join(', ')}`);

  await writeFile(join(folder, 'package.json'), JSON.stringify({ name: 'sightline-install-check', private: true }));
  await mustRun(npm, ['install', '--no-audit', '--no-fund', ...tarballs.map((name) => `./${name}`)], folder);
  const license = await readFile(join(repoRoot, 'LICENSE'), 'utf8');
  for (const name of ['protocol', 'sdk', 'connector', 'bridge']) {
    assert.equal(await readFile(join(folder, 'node_modules', '@sightline', name, 'LICENSE'), 'utf8'), license, `@sightline/${name} ships the repository's LICENSE`);
  }
  assert.equal(await readFile(join(folder, 'node_modules', 'sightline', 'LICENSE'), 'utf8'), license, 'sightline ships the repository\'s LICENSE');
  const installed = await readdir(join(folder, 'node_modules'));
  for (const buildOnly of ['esbuild', 'posthog-js', 'rasa-webchat', 'tsx']) assert.ok(!installed.includes(buildOnly), `${buildOnly} is not installed with sightline`);
  assert.ok(!(await readdir(join(folder, 'node_modules', '@sightline'))).includes('demo'), 'the private demo package is not installed');

  const [connectorPort, bridgePort, demoPort] = [await freePort(), await freePort(), await freePort()];
  await mkdir(join(folder, 'data'));
  const dev = spawn(
    npx,
    ['sightline', 'dev', '--host', '127.0.0.1', '--connector-port', String(connectorPort), '--bridge-port', String(bridgePort), '--demo-port', String(demoPort), '--data-dir', 'data'],
    { cwd: folder, env: cleanEnvironment(), stdio: ['ignore', 'pipe', 'pipe'], detached: true },
  );
  let output = '';
  dev.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  dev.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => dev.once('exit', () => resolve()));
  t.after(async () => {
    // npx runs the command in a child of its own: signal the whole group, as Ctrl-C in a terminal does.
    if (dev.exitCode === null && dev.pid !== undefined) process.kill(-dev.pid, 'SIGINT');
    await exited;
  });

  // The banner names the demo's URL once everything listens.
  await outputMatches(dev, new RegExp(`:${demoPort}(?!\\d)`), () => output);
  const demo = `http://127.0.0.1:${demoPort}`;
  const page = await fetch(`${demo}/`);
  assert.equal(page.status, 200);
  const html = await page.text();
  const assets = [...html.matchAll(/(?:src|href)="(\/build\/[^"]+)"/g)].map((match) => match[1]);
  assert.ok(assets.includes('/build/app.js'), `the page loads the demo's script from /build/: ${assets.join(', ')}`);
  for (const asset of assets) {
    const answer = await fetch(`${demo}${asset}`);
    assert.equal(answer.status, 200, `${asset} answers 200`);
    assert.ok((await answer.arrayBuffer()).byteLength > 0, `${asset} is not empty`);
  }
  assert.equal((await fetch(`http://127.0.0.1:${bridgePort}/healthz`)).status, 200);
});
