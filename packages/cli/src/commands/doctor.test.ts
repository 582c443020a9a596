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

const BRIDGE_KEY = 'doctor-bridge-key-0123456789abcdef0123456789';
const IDENTITY_SECRET = 'doctor-identity-secret-0123456789abcdef01234';
/** The keys every bridge needs off loopback; a test that checks their absence overrides them with ''. */
const KEYS = { BRIDGE_API_KEY: BRIDGE_KEY, IDENTITY_SECRET };

interface Setup {
  connector: RunningConnector;
  acme: ProductCredentials;
  other: ProductCredentials;
  dir: string;
  /** Writes a .env (with {@link KEYS} unless overridden) in the temp dir and returns `--dotenv <path>` (so the repository's own .env never leaks in). */
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
    await writeFile(path, Object.entries({ ...KEYS, ...lines }).map(([name, value]) => `${name}=${value}\n`).join(''));
    return ['--dotenv', path];
  };
  return { connector, acme, other, dir, dotenv };
}

/** Starts a real bridge on loopback and waits until its stream state leaves `connecting`. */
async function bridgeFor(t: TestContext, streamUrl: string, streamKey: string, keys: Record<string, string> = KEYS): Promise<RunningBridge> {
  const config = loadBridgeConfig({ STREAM_URL: streamUrl, STREAM_KEY: streamKey, BRIDGE_PORT: '0', BRIDGE_HOST: '127.0.0.1', ...keys }, { envFile: false });
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
  for (const name of ['node', 'config', 'bridge-key', 'identity', 'llm', 'connector', 'stream', 'bridge', 'metrics', 'actions', 'rasa']) {
    assert.match(lineOf(text, name), /^ok {2}/, name);
  }
  assert.match(lineOf(text, 'metrics'), /answers with the key and refuses callers without it/);
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
  assert.ok(!text.includes(BRIDGE_KEY) && !text.includes(IDENTITY_SECRET), 'the bridge key and identity secret are printed');
  assert.ok(text.includes(maskSecret(acme.stream_key)));
});

test('doctor tells a wrong stream key from an unknown product with the admin token, and says it cannot without it', async (t) => {
  const { connector, acme, other, dotenv } = await setup(t);
  const admin = ['--admin-token', connector.adminToken];
  const cases = [
    {
      args: admin, env: { STREAM_URL: acme.stream_url, STREAM_KEY: 'sl_sk_not-the-right-key-at-all' },
      pattern: /^FAIL stream .*answered 401 \S+: wrong stream key for product acme:.*→ re-run 'sightline onboard .*--product-id acme.*--force'/,
    },
    {
      args: [], env: { STREAM_URL: acme.stream_url, STREAM_KEY: 'sl_sk_another-wrong-key-value' },
      pattern: /^FAIL stream .*answered 401 \S+: wrong stream key, or product acme is not registered .*pass --admin-token/,
    },
    {
      // A connector that still tells them apart answers 404; one that does not answers 401, and the admin view tells.
      args: admin, env: { STREAM_URL: `${connector.url}/stream/ghost`, STREAM_KEY: acme.stream_key },
      pattern: /^FAIL stream .*answered (401|403|404) \S+: product ghost is not registered.*→ re-run 'sightline onboard --connector http:\/\/127\.0\.0\.1:\d+ --product-id ghost/,
    },
    {
      args: admin, env: { STREAM_URL: acme.stream_url, STREAM_KEY: other.stream_key },
      pattern: /^FAIL stream .*answered (403 SL_STREAM_KEY_FOREIGN: the stream key is the key of another product than acme|401 \S+: wrong stream key for product acme)/,
    },
  ];
  for (const { args, env, pattern } of cases) {
    const io = capture();
    assert.equal(await run([...(await dotenv(env)), ...args], io), 1, io.text());
    assert.match(lineOf(io.text(), 'connector'), /^ok {2}/);
    assert.match(lineOf(io.text(), 'stream'), pattern);
    assert.ok(!io.text().includes(env.STREAM_KEY), 'the stream key is printed');
    assert.ok(!io.text().includes(connector.adminToken), 'the admin token is printed');
  }
  // The admin token may come from the environment as the connector reads it.
  const fromEnv = capture({ CONNECTOR_ADMIN_TOKEN: connector.adminToken });
  assert.equal(await run(await dotenv({ STREAM_URL: `${connector.url}/stream/ghost-2`, STREAM_KEY: acme.stream_key }), fromEnv), 1);
  assert.match(lineOf(fromEnv.text(), 'stream'), /product ghost-2 is not registered/);
  assert.doesNotMatch(fromEnv.text(), /^warn names /m, 'no former name is in use');
  // Its former name still works, and doctor says to rename it.
  const fromFormer = capture({ SIGHTLINE_ADMIN_TOKEN: connector.adminToken });
  assert.equal(await run(await dotenv({ STREAM_URL: `${connector.url}/stream/ghost-3`, STREAM_KEY: acme.stream_key }), fromFormer), 1);
  assert.match(lineOf(fromFormer.text(), 'stream'), /product ghost-3 is not registered/);
  assert.match(lineOf(fromFormer.text(), 'names'), /^warn names +SIGHTLINE_ADMIN_TOKEN is the former name of CONNECTOR_ADMIN_TOKEN/);
  assert.ok(!fromFormer.text().includes(connector.adminToken), 'the admin token is printed');
});

test('doctor checks that BRIDGE_API_KEY and IDENTITY_SECRET are set and strong: unset warns on loopback, fails elsewhere', async (t) => {
  const { acme, dotenv } = await setup(t);
  const stream = { STREAM_URL: acme.stream_url, STREAM_KEY: acme.stream_key };

  const loopback = capture();
  assert.equal(await run(await dotenv({ ...stream, BRIDGE_HOST: '127.0.0.1', BRIDGE_API_KEY: '', IDENTITY_SECRET: '' }), loopback), 0, loopback.text());
  assert.match(lineOf(loopback.text(), 'bridge-key'), /^warn bridge-key +BRIDGE_API_KEY is not set: .*open to anyone.*→ set BRIDGE_API_KEY/);
  assert.match(lineOf(loopback.text(), 'identity'), /^warn identity +IDENTITY_SECRET is not set/);

  const exposed = capture();
  assert.equal(await run(await dotenv({ ...stream, BRIDGE_HOST: '0.0.0.0', BRIDGE_API_KEY: '', IDENTITY_SECRET: '' }), exposed), 1);
  assert.match(lineOf(exposed.text(), 'bridge-key'), /^FAIL bridge-key +.*a bridge on 0\.0\.0\.0 refuses to start/);
  assert.match(lineOf(exposed.text(), 'identity'), /^FAIL identity /);

  const insecure = capture();
  assert.equal(await run(await dotenv({ ...stream, BRIDGE_HOST: '0.0.0.0', BRIDGE_INSECURE: 'true', BRIDGE_API_KEY: '', IDENTITY_SECRET: '' }), insecure), 0, insecure.text());
  assert.match(lineOf(insecure.text(), 'bridge-key'), /^warn bridge-key +.*allowed on BRIDGE_INSECURE/);

  // The former HOST and SIGHTLINE_INSECURE are read as the bridge reads them, and named as former names.
  const former = capture();
  assert.equal(await run(await dotenv({ ...stream, HOST: '127.0.0.1', BRIDGE_API_KEY: '', IDENTITY_SECRET: '' }), former), 0, former.text());
  assert.match(lineOf(former.text(), 'bridge-key'), /^warn bridge-key +.*allowed on loopback 127\.0\.0\.1/);
  assert.match(lineOf(former.text(), 'names'), /^warn names +HOST is the former name of BRIDGE_HOST/);
  const formerInsecure = capture();
  assert.equal(await run(await dotenv({ ...stream, HOST: '0.0.0.0', SIGHTLINE_INSECURE: '1', BRIDGE_API_KEY: '', IDENTITY_SECRET: '' }), formerInsecure), 0, formerInsecure.text());
  assert.match(lineOf(formerInsecure.text(), 'bridge-key'), /^warn bridge-key +.*allowed on BRIDGE_INSECURE/);
  assert.match(lineOf(formerInsecure.text(), 'names'), /SIGHTLINE_INSECURE is the former name of BRIDGE_INSECURE/);

  const weak = capture();
  assert.equal(await run(await dotenv({ ...stream, BRIDGE_API_KEY: `${BRIDGE_KEY},hunter2`, IDENTITY_SECRET: 'abc123' }), weak), 1);
  assert.match(lineOf(weak.text(), 'bridge-key'), /^FAIL bridge-key +1 of 2 value\(s\) in BRIDGE_API_KEY hold under 128 bits/);
  assert.match(lineOf(weak.text(), 'identity'), /^FAIL identity +1 of 1 value\(s\) in IDENTITY_SECRET/);
  assert.ok(!weak.text().includes('hunter2') && !weak.text().includes('abc123'), 'weak secrets are not printed either');

  const rotating = capture();
  assert.equal(await run(await dotenv({ ...stream, BRIDGE_API_KEY: `${BRIDGE_KEY}, ${IDENTITY_SECRET}` }), rotating), 0, rotating.text());
  assert.match(lineOf(rotating.text(), 'bridge-key'), /^ok +bridge-key +BRIDGE_API_KEY is set \(2 value\(s\)/);
});

test('doctor reads a keyed bridge only with its key: without one it warns, with a wrong one it fails', async (t) => {
  const { acme, dotenv } = await setup(t);
  const bridge = await bridgeFor(t, acme.stream_url, acme.stream_key);
  const stream = { STREAM_URL: acme.stream_url, STREAM_KEY: acme.stream_key, BRIDGE_HOST: '127.0.0.1' };

  const keyless = capture();
  assert.equal(await run([...(await dotenv({ ...stream, BRIDGE_API_KEY: '' })), '--bridge', bridge.url], keyless), 0, keyless.text());
  assert.match(lineOf(keyless.text(), 'bridge'), /^warn bridge +http:\/\/127\.0\.0\.1:\d+ is up \(status ok\); its details need the bridge key/);
  assert.match(lineOf(keyless.text(), 'metrics'), /^warn metrics +.*answered 401 without a key, as it should/);

  const wrongKey = 'doctor-wrong-bridge-key-0123456789abcdefgh';
  const wrong = capture();
  assert.equal(await run([...(await dotenv({ ...stream, BRIDGE_API_KEY: wrongKey })), '--bridge', bridge.url], wrong), 1);
  assert.match(lineOf(wrong.text(), 'bridge'), /^FAIL bridge +.*did not take BRIDGE_API_KEY/);
  assert.match(lineOf(wrong.text(), 'metrics'), /^FAIL metrics +.*answered (401|429)/);
  assert.ok(!wrong.text().includes(wrongKey));

  // A bridge without keys on loopback: its metrics are open, which doctor points out.
  const open = await bridgeFor(t, acme.stream_url, acme.stream_key, {});
  const openIo = capture();
  assert.equal(await run([...(await dotenv(stream)), '--bridge', open.url], openIo), 0, openIo.text());
  assert.match(lineOf(openIo.text(), 'metrics'), /^warn metrics +.*answers with the key, and also without it/);
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
  assert.deepEqual(report.checks.map((check) => check.name), ['node', 'config', 'bridge-key', 'identity', 'llm', 'connector', 'stream']);
  assert.deepEqual(report.checks.map((check) => check.status), ['ok', 'ok', 'ok', 'ok', 'warn', 'ok', 'fail']);
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
  const unrelated = capture({ LOG_LEVEL: 'loud', BRIDGE_ADMIN_TOKEN: 'short' });
  assert.equal(await run(await dotenv({ STREAM_URL: acme.stream_url, STREAM_KEY: acme.stream_key }), unrelated), 1);
  assert.match(lineOf(unrelated.text(), 'config'), /^FAIL config +Invalid option (BRIDGE_ADMIN_TOKEN|LOG_LEVEL)/);
  assert.match(lineOf(unrelated.text(), 'stream'), /^ok {2}/);
  assert.match(lineOf(unrelated.text(), 'llm'), /^warn llm +offline responder/);
  assert.ok(!unrelated.text().includes(acme.stream_key));
  assert.match(lineOf(unrelated.text(), 'node'), /^ok {2}/);

  // A --dotenv file that does not exist is worth a warning, not a failure.
  const typo = capture({ STREAM_URL: acme.stream_url, STREAM_KEY: acme.stream_key, ...KEYS });
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

/** A `--dotenv` file of its own (the repository's .env never leaks in) and an io whose Redis answers as given. */
async function redisDoctor(t: TestContext, inspection: Awaited<ReturnType<NonNullable<DoctorIo['inspectRedis']>>> | Error, env: NodeJS.ProcessEnv = {}) {
  const dir = await mkdtemp(join(tmpdir(), 'sightline-doctor-redis-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const path = join(dir, 'doctor.env');
  await writeFile(path, Object.entries(KEYS).map(([name, value]) => `${name}=${value}\n`).join(''));
  const io = capture(env);
  const seen: string[] = [];
  io.inspectRedis = async (url) => {
    seen.push(url);
    if (inspection instanceof Error) throw inspection;
    return inspection;
  };
  return { io, seen, args: ['--dotenv', path] };
}

test('doctor warns when Redis keeps nothing on disk, and never prints the password of REDIS_URL', async (t) => {
  const { io, seen, args } = await redisDoctor(t, { version: '7.0.15', snapshots: false, appendOnly: false, persistenceUnknown: null }, { REDIS_URL: 'redis://app:hunter2-redis-password@cache:6379/0' });
  await run(args, io);
  assert.deepEqual(seen, ['redis://app:hunter2-redis-password@cache:6379/0']);
  const line = lineOf(io.text(), 'redis');
  assert.match(line, /^warn redis +redis:\/\/\*\*\*@cache:6379\/0 answers PING \(Redis 7\.0\.15\), but it keeps nothing on disk/);
  assert.doesNotMatch(io.text() + io.err.join(''), /hunter2/);
});

test('doctor says it could not tell when the ACL user may not read CONFIG, and is content with an append-only file', async (t) => {
  const refused = await redisDoctor(t, { version: '7.2.4', snapshots: null, appendOnly: null, persistenceUnknown: "NOPERM this user has no permissions to run the 'config|get' command" });
  await run([...refused.args, '--redis', 'rediss://reader:pw-0123456789abcdef@cache:6380'], refused.io);
  assert.match(lineOf(refused.io.text(), 'redis'), /^warn redis +rediss:\/\/\*\*\*@cache:6380 answers PING \(Redis 7\.2\.4\); could not tell whether it keeps data on disk/);
  const kept = await redisDoctor(t, { version: '7.2.4', snapshots: true, appendOnly: true, persistenceUnknown: null });
  await run([...kept.args, '--redis', 'redis://cache:6379'], kept.io);
  assert.match(lineOf(kept.io.text(), 'redis'), /^ok {3}redis +redis:\/\/cache:6379 answers PING \(Redis 7\.2\.4\); on disk: append-only file and RDB snapshots$/);
});

test('doctor fails the redis check when Redis does not answer, without the password; no Redis set means no redis check', async (t) => {
  const down = await redisDoctor(t, new Error('connect ECONNREFUSED 127.0.0.1:1'));
  const code = await run([...down.args, '--redis', 'redis://:hunter2-redis-password@127.0.0.1:1'], down.io);
  assert.equal(code, 1);
  assert.match(lineOf(down.io.text(), 'redis'), /^FAIL redis +redis:\/\/\*\*\*@127\.0\.0\.1:1 does not answer: connect ECONNREFUSED/);
  assert.doesNotMatch(down.io.text(), /hunter2/);
  const none = await redisDoctor(t, new Error('not called'));
  await run(none.args, none.io);
  assert.deepEqual(none.seen, []);
  assert.doesNotMatch(none.io.text(), /^(ok {2}|warn|FAIL) redis /m);
});

test('doctor --redis with a URL that is not Redis is a usage error (exit 2) without the password', async (t) => {
  const { io, args } = await redisDoctor(t, new Error('not called'));
  assert.equal(await run([...args, '--redis', 'http://app:hunter2@cache'], io), 2);
  assert.doesNotMatch(io.err.join(''), /hunter2/);
});
