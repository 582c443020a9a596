import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadBridgeConfig, startBridge, type RunningBridge } from '@sightline/bridge';
import { startConnector, type ProductCredentials, type RunningConnector } from '@sightline/connector';
import { maskSecret, run, type DoctorIo, type DoctorReport } from './doctor.ts';

function capture(env: NodeJS.ProcessEnv = {}, nodeVersion = '20.12.0'): DoctorIo & { out: string[]; err: string[]; text(): string } {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    env,
    nodeVersion,
    text: () => out.join(''),
    stdout: (text) => out.push(text),
    stderr: (text) => err.push(text),
    fetch: (input, init) => fetch(input, init),
  };
}

/** The printed line of one check, e.g. `lineOf(text, 'stream')`. */
function lineOf(text: string, name: string): string {
  const line = text.split('\n').find((candidate) => new RegExp(`^(ok  |warn|FAIL) ${name} `).test(candidate));
  assert.ok(line, `no '${name}' line in:\n${text}`);
  return line;
}

interface Setup {
  connector: RunningConnector;
  acme: ProductCredentials;
  other: ProductCredentials;
  dir: string;
  /** Writes a .env in the temp dir and returns `--dotenv <path>` (so the repository's own .env never leaks in). */
  dotenv(lines: Record<string, string>): Promise<string[]>;
}

async function setup(t: TestContext): Promise<Setup> {
  const dir = await mkdtemp(join(tmpdir(), 'sightline-doctor-'));
  const connector = await startConnector({ port: 0, dataDir: join(dir, 'data'), logger: false, defaultMetrics: false });
  t.after(async () => {
    await connector.close();
    await rm(dir, { recursive: true, force: true });
  });
  const acme = await connector.registerProduct({ productId: 'acme', contactEmail: 'owner@acme.com' });
  const other = await connector.registerProduct({ productId: 'other', contactEmail: 'owner@other.com' });
  let count = 0;
  const dotenv = async (lines: Record<string, string>) => {
    const path = join(dir, `doctor-${count++}.env`);
    await writeFile(path, Object.entries(lines).map(([name, value]) => `${name}=${value}\n`).join(''));
    return ['--dotenv', path];
  };
  return { connector, acme, other, dir, dotenv };
}

/** Starts a real bridge on loopback and waits until its stream state leaves `connecting`. */
async function bridgeFor(t: TestContext, streamUrl: string, streamKey: string): Promise<RunningBridge> {
  const config = loadBridgeConfig({ STREAM_URL: streamUrl, STREAM_KEY: streamKey, PORT: '0', HOST: '127.0.0.1' }, { envFile: false });
  let settle: () => void = () => undefined;
  const fatal = new Promise<void>((resolve) => (settle = resolve));
  const bridge = await startBridge(config, { logger: false, onStreamFatal: () => settle() });
  t.after(() => bridge.close());
  // Waits for a real event (connect or fatal answer), bounded, not for time to pass.
  for (let attempt = 0; attempt < 250 && bridge.streamState().status === 'connecting'; attempt++) {
    await Promise.race([fatal, new Promise((resolve) => setTimeout(resolve, 20))]);
  }
  return bridge;
}

/** A closed loopback port: bound once, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function listen(t: TestContext, server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

test('doctor passes every check against a real connector, bridge and Rasa, and exits 0', async (t) => {
  const { acme, dotenv } = await setup(t);
  const bridge = await bridgeFor(t, acme.stream_url, acme.stream_key);
  assert.equal(bridge.streamState().status, 'connected');
  // Rasa's root route answers this plain text; a tiny loopback server stands in for the Rasa container.
  const rasa = await listen(t, createServer((_request, response) => response.end('Hello from Rasa: 3.6.21')));

  const io = capture({ OPENAI_API_KEY: 'sk-test-0123456789abcdefWXYZ' });
  const args = [...(await dotenv({ STREAM_URL: acme.stream_url, STREAM_KEY: acme.stream_key })), '--bridge', `${bridge.url}/`, '--rasa', rasa];
  const code = await run(args, io);
  const text = io.text();
  assert.equal(code, 0, text);
  for (const name of ['node', 'config', 'llm', 'connector', 'stream', 'bridge', 'actions', 'rasa']) assert.match(lineOf(text, name), /^ok {2}/, name);
  assert.match(lineOf(text, 'llm'), /provider openai, model gpt-4o-mini, key sk-…WXYZ/);
  assert.match(lineOf(text, 'stream'), /200 text\/event-stream/);
  assert.match(lineOf(text, 'bridge'), /stream connected/);
  assert.match(lineOf(text, 'actions'), /action_ask_llm, action_help_current_page, action_recent_activity/);
  assert.match(lineOf(text, 'rasa'), /Rasa 3\.6\.21/);
  assert.match(lineOf(text, 'rasa-actions'), new RegExp(`^warn .*action_endpoint\\.url: ${bridge.url}/webhook`));
  assert.doesNotMatch(text, /^FAIL/m);
  // Secrets never reach the output, only their masks.
  assert.ok(!text.includes(acme.stream_key), 'the stream key is printed');
  assert.ok(!text.includes('sk-test-0123456789abcdefWXYZ'), 'the LLM key is printed');
  assert.ok(text.includes(maskSecret(acme.stream_key)));
});

test('doctor explains a wrong stream key (401), another product\'s key (403) and an unknown product (404), exiting 1', async (t) => {
  const { connector, acme, other, dotenv } = await setup(t);
  const cases = [
    { env: { STREAM_URL: acme.stream_url, STREAM_KEY: 'sl_sk_not-the-right-key-at-all' }, pattern: /^FAIL stream .*answered 401 SL_STREAM_KEY_INVALID: wrong stream key for product acme.*→ re-run 'sightline onboard .*--product-id acme.*--force'/ },
    { env: { STREAM_URL: acme.stream_url, STREAM_KEY: other.stream_key }, pattern: /^FAIL stream .*answered 403 SL_STREAM_KEY_FOREIGN: the stream key is the key of another product than acme/ },
    { env: { STREAM_URL: `${connector.url}/stream/ghost`, STREAM_KEY: acme.stream_key }, pattern: /^FAIL stream .*answered 404 SL_PRODUCT_NOT_FOUND: product ghost is not registered.*→ re-run 'sightline onboard --connector http:\/\/127\.0\.0\.1:\d+ --product-id ghost/ },
  ];
  for (const { env, pattern } of cases) {
    const io = capture();
    assert.equal(await run(await dotenv(env), io), 1, io.text());
    assert.match(lineOf(io.text(), 'connector'), /^ok {2}/);
    assert.match(lineOf(io.text(), 'stream'), pattern);
    assert.ok(!io.text().includes(env.STREAM_KEY), 'the stream key is printed');
  }
});

test('doctor reports a connector that is down as FAIL, skips the stream and exits 1', async (t) => {
  const { dotenv } = await setup(t);
  const port = await closedPort();
  const io = capture();
  const code = await run(await dotenv({ STREAM_URL: `http://127.0.0.1:${port}/stream/acme`, STREAM_KEY: 'sl_sk_whatever-key-value' }), io);
  assert.equal(code, 1, io.text());
  assert.match(lineOf(io.text(), 'connector'), new RegExp(`^FAIL connector +GET http://127\\.0\\.0\\.1:${port}/healthz: connection refused → start the connector`));
  assert.match(lineOf(io.text(), 'stream'), /^warn stream +not checked/);
  assert.match(io.text(), /sightline doctor: 1 failed/);
});

test('doctor --json emits the report with one entry per check and no secrets', async (t) => {
  const { acme, dotenv } = await setup(t);
  const io = capture();
  const code = await run([...(await dotenv({ STREAM_URL: acme.stream_url, STREAM_KEY: 'sl_sk_wrong-key-for-the-json-test' })), '--json'], io);
  assert.equal(code, 1);
  const report = JSON.parse(io.text()) as DoctorReport;
  assert.deepEqual(Object.keys(report), ['ok', 'checks']);
  assert.equal(report.ok, false);
  assert.deepEqual(report.checks.map((check) => check.name), ['node', 'config', 'llm', 'connector', 'stream']);
  assert.deepEqual(report.checks.map((check) => check.status), ['ok', 'ok', 'warn', 'ok', 'fail']);
  for (const check of report.checks) {
    assert.deepEqual(Object.keys(check).slice(0, 3), ['name', 'status', 'message']);
    assert.equal(typeof check.message, 'string');
    if (check.status === 'fail') assert.equal(typeof check.hint, 'string');
  }
  assert.ok(!io.text().includes('sl_sk_wrong-key-for-the-json-test'));
});

test('doctor reports a bridge whose stream failed, and a server that is not a bridge', async (t) => {
  const { acme, dotenv } = await setup(t);
  const bridge = await bridgeFor(t, acme.stream_url, 'sl_sk_rotated-away-key');
  assert.equal(bridge.streamState().status, 'failed');
  const io = capture();
  assert.equal(await run([...(await dotenv({ STREAM_URL: acme.stream_url, STREAM_KEY: acme.stream_key })), '--bridge', bridge.url], io), 1, io.text());
  assert.match(lineOf(io.text(), 'bridge'), /^FAIL bridge +http:\/\/127\.0\.0\.1:\d+ stream failed: .*→ fix the bridge's STREAM_URL/);
  assert.match(lineOf(io.text(), 'actions'), /^ok {2}/);

  const notBridge = await listen(t, createServer((_request, response) => response.writeHead(404).end()));
  const wrong = capture();
  assert.equal(await run([...(await dotenv({ STREAM_URL: acme.stream_url, STREAM_KEY: acme.stream_key })), '--bridge', notBridge], wrong), 1);
  assert.match(lineOf(wrong.text(), 'bridge'), /^FAIL bridge +GET .*HTTP 404/);
  assert.match(lineOf(wrong.text(), 'actions'), /^FAIL actions .*lacks action_ask_llm, action_help_current_page, action_recent_activity/);
});

test('doctor fails on a configuration error and an old Node, with one line each', async (t) => {
  const { acme, dir, dotenv } = await setup(t);
  const missing = capture({}, '18.19.1');
  assert.equal(await run(await dotenv({ STREAM_KEY: acme.stream_key }), missing), 1);
  assert.match(lineOf(missing.text(), 'node'), /^FAIL node +Node\.js 18\.19\.1 is older than 20\.12/);
  assert.match(lineOf(missing.text(), 'config'), /^FAIL config +Invalid option STREAM_URL: .*→ set STREAM_URL in /);
  assert.match(lineOf(missing.text(), 'connector'), /^warn connector +not checked/);
  assert.match(lineOf(missing.text(), 'llm'), /^warn llm +offline responder/);

  // An unrelated bad setting still lets the stream be checked.
  const unrelated = capture({ LOG_LEVEL: 'loud', ADMIN_TOKEN: 'short' });
  assert.equal(await run(await dotenv({ STREAM_URL: acme.stream_url, STREAM_KEY: acme.stream_key }), unrelated), 1);
  assert.match(lineOf(unrelated.text(), 'config'), /^FAIL config +Invalid option (ADMIN_TOKEN|LOG_LEVEL)/);
  assert.match(lineOf(unrelated.text(), 'stream'), /^ok {2}/);
  assert.match(lineOf(unrelated.text(), 'llm'), /^warn llm +offline responder/);
  assert.ok(!unrelated.text().includes(acme.stream_key));
  assert.match(lineOf(unrelated.text(), 'node'), /^ok {2}/);

  // A --dotenv file that does not exist is worth a warning, not a failure.
  const typo = capture({ STREAM_URL: acme.stream_url, STREAM_KEY: acme.stream_key });
  assert.equal(await run(['--dotenv', join(dir, 'no-such.env')], typo), 0, typo.text());
  assert.match(lineOf(typo.text(), 'config'), /^warn config +bridge configuration loads, but .*no-such\.env does not exist/);
});

test('doctor rejects bad options with 2 and prints help', async () => {
  const bad = capture();
  assert.equal(await run(['--bogus'], bad), 2);
  assert.equal(await run(['--bridge', 'not a url'], bad), 2);
  assert.equal(await run(['--timeout', '0'], bad), 2);
  assert.match(bad.err.join(''), /--bridge 'not a url' is not a URL/);
  const help = capture();
  assert.equal(await run(['--help'], help), 0);
  assert.match(help.text(), /--rasa <url>/);
});
