import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startConnector } from '@sightline/connector';
import { run as runConnector } from './connector.ts';
import { run as runOnboard, type OnboardIo } from './onboard.ts';

function capture(env: NodeJS.ProcessEnv = {}): OnboardIo & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, env, stdout: (text) => out.push(text), stderr: (text) => err.push(text), fetch: (input, init) => fetch(input, init) };
}

test('onboard registers a product and prints credentials and the bridge .env lines', async (t) => {
  const dataDir = await mkdtemp(join(tmpdir(), 'sightline-onboard-'));
  const connector = await startConnector({ port: 0, dataDir, adminToken: 'admin-x', logger: false, defaultMetrics: false });
  t.after(async () => {
    await connector.close();
    await rm(dataDir, { recursive: true, force: true });
  });
  const io = capture({ SIGHTLINE_ADMIN_TOKEN: 'admin-x' });
  const code = await runOnboard(['--connector', `${connector.url}/`, '--product-id', 'acme', '--contact-email', 'owner@acme.com'], io);
  assert.equal(code, 0, io.err.join(''));
  const text = io.out.join('');
  assert.match(text, new RegExp(`^STREAM_URL=${connector.url}/stream/acme$`, 'm'));
  const key = /^STREAM_KEY=(\S+)$/m.exec(text)?.[1];
  assert.ok(key);
  // The printed key really opens the stream.
  const stream = await fetch(`${connector.url}/stream/acme`, { headers: { authorization: `Bearer ${key}` } });
  assert.equal(stream.status, 200);
  await stream.body?.cancel();

  const again = capture();
  assert.equal(await runOnboard(['--connector', connector.url, '--product-id', 'acme', '--contact-email', 'owner@acme.com', '--admin-token', 'admin-x'], again), 1);
  assert.match(again.err.join(''), /409 SL_PRODUCT_EXISTS.*--force/);

  const forced = capture({ SIGHTLINE_ADMIN_TOKEN: 'admin-x' });
  assert.equal(await runOnboard(['--connector', connector.url, '--product-id', 'acme', '--contact-email', 'owner@acme.com', '--force', '--json'], forced), 0);
  const json = JSON.parse(forced.out.join('')) as { stream_key: string; unkey_key: string };
  assert.notEqual(json.stream_key, key);
  assert.equal(json.unkey_key, json.stream_key);
});

test('onboard reports usage errors with 2 and refusals or unreachable connectors with 1', async () => {
  const missing = capture();
  assert.equal(await runOnboard(['--connector', 'http://127.0.0.1:9'], missing), 2);
  assert.match(missing.err.join(''), /--product-id, --contact-email/);
  const noToken = capture();
  assert.equal(await runOnboard(['--connector', 'http://127.0.0.1:9', '--product-id', 'a', '--contact-email', 'a@b.co'], noToken), 2);
  const unreachable = capture({ SIGHTLINE_ADMIN_TOKEN: 't' });
  const failingFetch: typeof fetch = async () => {
    throw new TypeError('fetch failed');
  };
  assert.equal(await runOnboard(['--connector', 'http://127.0.0.1:9', '--product-id', 'a', '--contact-email', 'a@b.co'], { ...unreachable, fetch: failingFetch }), 1);
  assert.match(unreachable.err.join(''), /could not reach the connector/);
  const help = capture();
  assert.equal(await runOnboard(['--help'], help), 0);
  assert.match(help.out.join(''), /--contact-email/);
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

test('sightline connector rejects bad options with 2 and prints help', async () => {
  const err: string[] = [];
  const out: string[] = [];
  const io = { stdout: (text: string) => out.push(text), stderr: (text: string) => err.push(text), env: {} };
  assert.equal(await runConnector(['--port', 'eighty'], io), 2);
  assert.equal(await runConnector(['--bogus'], io), 2);
  assert.equal(await runConnector(['--help'], io), 0);
  assert.match(out.join(''), /--data-dir/);
});
