import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadBridgeConfig } from '@sightline/bridge';
import { parseEnvFile } from '@sightline/bridge/internal';
import { startConnector } from '@sightline/connector';
import { MIN_SECRET_BITS, secretBits } from '@sightline/protocol/internal';
import { run as runConnector } from './connector.ts';
import { generateSecret, run as runOnboard, type OnboardIo } from './onboard.ts';

const CONNECTOR_ADMIN_TOKEN = 'admin-token-for-onboard-tests-0123456789';

function capture(env: NodeJS.ProcessEnv = {}): OnboardIo & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, env, stdout: (text) => out.push(text), stderr: (text) => err.push(text), fetch: (input, init) => fetch(input, init) };
}

test('onboard registers a product, prints its credentials and writes the bridge .env with generated keys', async (t) => {
  const dataDir = await mkdtemp(join(tmpdir(), 'sightline-onboard-'));
  const connector = await startConnector({ port: 0, dataDir, adminToken: CONNECTOR_ADMIN_TOKEN, logger: false, defaultMetrics: false });
  t.after(async () => {
    await connector.close();
    await rm(dataDir, { recursive: true, force: true });
  });
  const envPath = join(dataDir, 'bridge.env');
  const io = capture({ CONNECTOR_ADMIN_TOKEN });
  const code = await runOnboard(['--connector', `${connector.url}/`, '--product-id', 'acme', '--contact-email', 'owner@acme.com', '--dotenv', envPath], io);
  assert.equal(code, 0, io.err.join(''));
  assert.match(io.out.join(''), /Bridge settings written to .*bridge\.env/);
  assert.equal((await stat(envPath)).mode & 0o777, 0o600, 'the .env is readable by its owner only');
  const text = await readFile(envPath, 'utf8');
  const settings = parseEnvFile(text);
  assert.deepEqual(Object.keys(settings), ['STREAM_URL', 'STREAM_KEY', 'BRIDGE_API_KEY', 'IDENTITY_SECRET', 'BRIDGE_ADMIN_TOKEN']);
  assert.equal(settings['STREAM_URL'], `${connector.url}/stream/acme`);
  for (const name of ['BRIDGE_API_KEY', 'IDENTITY_SECRET', 'BRIDGE_ADMIN_TOKEN']) {
    assert.match(settings[name]!, /^[A-Za-z0-9_-]{43}$/, `${name} is 32 random bytes in base64url`);
    assert.ok(secretBits(settings[name]!) >= MIN_SECRET_BITS, `${name} is strong enough for the bridge`);
    assert.ok(!io.out.join('').includes(settings[name]!), `${name} is not printed`);
  }
  assert.equal(new Set([settings['BRIDGE_API_KEY'], settings['IDENTITY_SECRET'], settings['BRIDGE_ADMIN_TOKEN']]).size, 3, 'each key is generated apart');
  const lines = text.split('\n');
  for (const name of Object.keys(settings)) {
    const index = lines.findIndex((line) => line.startsWith(`${name}=`));
    assert.match(lines[index - 1] ?? '', /^# \S/, `${name} has a comment line saying what it is for`);
  }
  // The written key really opens the stream, and the file is a configuration the bridge accepts.
  const stream = await fetch(settings['STREAM_URL']!, { headers: { authorization: `Bearer ${settings['STREAM_KEY']}` } });
  assert.equal(stream.status, 200);
  await stream.body?.cancel();
  const config = loadBridgeConfig({}, { envFile: envPath });
  assert.equal(config.streamKey, settings['STREAM_KEY']);

  const again = capture();
  assert.equal(await runOnboard(['--connector', connector.url, '--product-id', 'acme', '--contact-email', 'owner@acme.com', '--admin-token', CONNECTOR_ADMIN_TOKEN, '--dotenv', join(dataDir, 'other.env')], again), 1);
  assert.match(again.err.join(''), /409 SL_PRODUCT_EXISTS.*--force/);

  const kept = capture({ CONNECTOR_ADMIN_TOKEN });
  assert.equal(await runOnboard(['--connector', connector.url, '--product-id', 'beta', '--contact-email', 'owner@acme.com', '--dotenv', envPath], kept), 2);
  assert.match(kept.err.join(''), /exists.*--force/);
  assert.equal(await readFile(envPath, 'utf8'), text, 'an existing .env is left as it was');
  const beta = await fetch(`${connector.url}/products/beta`, { headers: { authorization: `Bearer ${CONNECTOR_ADMIN_TOKEN}` } });
  await beta.body?.cancel();
  assert.equal(beta.status, 404, 'nothing is registered when the .env cannot be written');

  const forced = capture({ CONNECTOR_ADMIN_TOKEN });
  assert.equal(await runOnboard(['--connector', connector.url, '--product-id', 'acme', '--contact-email', 'owner@acme.com', '--force', '--json', '--dotenv', envPath], forced), 0);
  const json = JSON.parse(forced.out.join('')) as { stream_key: string; unkey_key: string };
  assert.notEqual(json.stream_key, settings['STREAM_KEY']);
  assert.equal(json.unkey_key, json.stream_key);
  const replaced = parseEnvFile(await readFile(envPath, 'utf8'));
  assert.equal(replaced['STREAM_KEY'], json.stream_key, '--force replaces the .env with the rotated key');
  assert.notEqual(replaced['BRIDGE_API_KEY'], settings['BRIDGE_API_KEY']);
  assert.equal((await stat(envPath)).mode & 0o777, 0o600);
});

test('generateSecret encodes 32 bytes of its random source as base64url', () => {
  assert.equal(generateSecret((size) => Buffer.alloc(size, 0xff)), '_'.repeat(42) + '8');
});

test('onboard reports usage errors with 2 and refusals or unreachable connectors with 1', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'sightline-onboard-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const dotenv = ['--dotenv', join(dir, 'never-written.env')];
  const missing = capture();
  assert.equal(await runOnboard(['--connector', 'http://127.0.0.1:9'], missing), 2);
  assert.match(missing.err.join(''), /--product-id, --contact-email/);
  const noToken = capture();
  assert.equal(await runOnboard(['--connector', 'http://127.0.0.1:9', '--product-id', 'a', '--contact-email', 'a@b.co'], noToken), 2);
  const unreachable = capture({ CONNECTOR_ADMIN_TOKEN: 't' });
  const failingFetch: typeof fetch = async () => {
    throw new TypeError('fetch failed');
  };
  assert.equal(await runOnboard(['--connector', 'http://127.0.0.1:9', '--product-id', 'a', '--contact-email', 'a@b.co', ...dotenv], { ...unreachable, fetch: failingFetch }), 1);
  assert.match(unreachable.err.join(''), /could not reach the connector/);
  const help = capture();
  assert.equal(await runOnboard(['--help'], help), 0);
  assert.match(help.out.join(''), /--contact-email/);
});

test('onboard still reads the former SIGHTLINE_ADMIN_TOKEN, with a warning, when CONNECTOR_ADMIN_TOKEN is unset', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'sightline-onboard-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const sent: string[] = [];
  const refusingFetch: typeof fetch = async (_input, init) => {
    sent.push(new Headers(init?.headers).get('authorization') ?? '');
    return Response.json({ error: { code: 'SL_PRODUCT_EXISTS', message: 'exists' } }, { status: 409 });
  };
  const args = ['--connector', 'http://127.0.0.1:9', '--product-id', 'a', '--contact-email', 'a@b.co', '--dotenv', join(dir, 'never-written.env')];
  const former = capture({ SIGHTLINE_ADMIN_TOKEN: 'former-token' });
  assert.equal(await runOnboard(args, { ...former, fetch: refusingFetch }), 1);
  assert.match(former.err.join(''), /SIGHTLINE_ADMIN_TOKEN is the former name of CONNECTOR_ADMIN_TOKEN/);
  const both = capture({ CONNECTOR_ADMIN_TOKEN: 'new-token', SIGHTLINE_ADMIN_TOKEN: 'former-token' });
  assert.equal(await runOnboard(args, { ...both, fetch: refusingFetch }), 1);
  assert.doesNotMatch(both.err.join(''), /former name/, 'no warning when the new name is set');
  assert.deepEqual(sent, ['Bearer former-token', 'Bearer new-token'], 'the new name wins over the former one');
});

test('sightline connector starts, prints the generated admin token, serves, and stops on its signal', async (t) => {
  const dataDir = await mkdtemp(join(tmpdir(), 'sightline-connector-cli-'));
  t.after(() => rm(dataDir, { recursive: true, force: true }));
  const err: string[] = [];
  let stop: () => void = () => undefined;
  let announce: (url: string) => void = () => undefined;
  const listening = new Promise<string>((resolve) => (announce = resolve));
  const done = runConnector(['--port', '0', '--host', '127.0.0.1', '--data-dir', dataDir, '--log-level', 'silent'], {
    stdout: () => undefined,
    stderr: (text) => {
      err.push(text);
      const url = /listening on (\S+)/.exec(text)?.[1];
      if (url) announce(url);
    },
    env: {},
    stopSignal: new Promise<void>((resolve) => (stop = resolve)),
  });
  const url = await listening;
  assert.equal((await fetch(`${url}/healthz`)).status, 200);
  const token = (await readFile(join(dataDir, 'admin-token'), 'utf8')).trim();
  assert.ok(err.join('').includes(token), 'the generated admin token is printed');
  stop();
  assert.equal(await done, 0);
  await assert.rejects(fetch(`${url}/healthz`));
});

test('sightline connector rejects a wrong value with 1, an unknown flag with 2, and prints help', async () => {
  const err: string[] = [];
  const out: string[] = [];
  const io = { stdout: (text: string) => out.push(text), stderr: (text: string) => err.push(text), env: {} };
  assert.equal(await runConnector(['--port', 'eighty'], io), 1);
  assert.equal(await runConnector(['--bogus'], io), 2);
  assert.equal(await runConnector(['--help'], io), 0);
  assert.match(out.join(''), /--data-dir/);
});
