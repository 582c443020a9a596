import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { verifyUserHash, verifyUserToken } from '@sightline/bridge';
import { run, type SignUserIo } from './sign-user.ts';

const SECRET = 'c2lnaHRsaW5lLXRlc3Qtc2VjcmV0LTMyLWJ5dGVzISE';
const OTHER = 'b3RoZXItc2lnaHRsaW5lLXNlY3JldC0zMi1ieXRlcyE';
const NOW_MS = 1_750_000_000_000;

function capture(env: NodeJS.ProcessEnv = {}): SignUserIo & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, env, now: () => NOW_MS, stdout: (text) => out.push(text), stderr: (text) => err.push(text) };
}

const hmac = (secret: string, id: string): string => createHmac('sha256', secret).update(id).digest('hex');

function decodeJwt(token: string): { header: Record<string, unknown>; payload: Record<string, unknown>; signature: string; signed: string } {
  const [header, payload, signature] = token.split('.');
  assert.ok(header && payload && signature, `three parts: ${token}`);
  return {
    header: JSON.parse(Buffer.from(header, 'base64url').toString('utf8')) as Record<string, unknown>,
    payload: JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>,
    signature,
    signed: `${header}.${payload}`,
  };
}

test('prints the hex HMAC-SHA256 of the id with --secret, which the bridge verifies', async () => {
  const io = capture();
  assert.equal(await run(['user-42', '--secret', SECRET], io), 0, io.err.join(''));
  assert.equal(io.out.join(''), `${hmac(SECRET, 'user-42')}\n`);
  assert.ok(verifyUserHash([SECRET], 'user-42', io.out.join('').trim()));
});

test('with a comma-separated IDENTITY_SECRET in the environment, the first secret signs', async () => {
  const io = capture({ IDENTITY_SECRET: ` ${OTHER} , ${SECRET}` });
  assert.equal(await run(['alex@acme.test'], io), 0, io.err.join(''));
  assert.equal(io.out.join('').trim(), hmac(OTHER, 'alex@acme.test'));
});

test('without --secret or IDENTITY_SECRET in the environment, the .env file is read', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'sightline-sign-user-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const path = join(dir, 'app.env');
  await writeFile(path, `STREAM_URL=http://127.0.0.1:8080/stream/acme\nIDENTITY_SECRET=${SECRET},${OTHER}\n`);
  const io = capture();
  assert.equal(await run(['u-1', '--dotenv', path], io), 0, io.err.join(''));
  assert.equal(io.out.join('').trim(), hmac(SECRET, 'u-1'));

  const fromEnv = capture({ IDENTITY_SECRET: OTHER });
  assert.equal(await run(['u-1', '--dotenv', path], fromEnv), 0);
  assert.equal(fromEnv.out.join('').trim(), hmac(OTHER, 'u-1'), 'the environment wins over the file, as for the bridge');
});

test('--token prints an HS256 JWT whose sub is the id and whose exp is now + --ttl', async () => {
  const io = capture();
  assert.equal(await run(['user-42', '--secret', SECRET, '--token', '--ttl', '600'], io), 0, io.err.join(''));
  const token = io.out.join('').trim();
  const { header, payload, signature, signed } = decodeJwt(token);
  assert.equal(header['alg'], 'HS256');
  assert.equal(payload['sub'], 'user-42');
  assert.equal(payload['exp'], NOW_MS / 1000 + 600);
  assert.equal(signature, createHmac('sha256', SECRET).update(signed).digest('base64url'));
  assert.deepEqual(await verifyUserToken([SECRET], token, NOW_MS + 599_000), { ok: true, userId: 'user-42' }, 'the bridge accepts it before exp');
  assert.deepEqual(await verifyUserToken([SECRET], token, NOW_MS + 601_000), { ok: false, reason: 'expired' });
});

test('--token without --ttl lasts an hour', async () => {
  const io = capture({ IDENTITY_SECRET: SECRET });
  assert.equal(await run(['user-42', '--token'], io), 0, io.err.join(''));
  assert.equal(decodeJwt(io.out.join('').trim()).payload['exp'], NOW_MS / 1000 + 3600);
});

test('no secret, a short secret, no id, two ids, a bad --ttl or --ttl without --token exit 2 and print nothing on stdout', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'sightline-sign-user-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const none = ['--dotenv', join(dir, 'missing.env')];
  const cases: Array<[string[], NodeJS.ProcessEnv, RegExp]> = [
    [['u-1', ...none], {}, /no identity secret/],
    [['u-1', '--secret', 'hunter2'], {}, /too short/],
    [['u-1', ...none], { IDENTITY_SECRET: 'abc123' }, /too short/],
    [['--secret', SECRET], {}, /exactly one user id/],
    [['a', 'b', '--secret', SECRET], {}, /exactly one user id/],
    [['u-1', '--secret', SECRET, '--token', '--ttl', 'soon'], {}, /--ttl/],
    [['u-1', '--secret', SECRET, '--token', '--ttl', '0'], {}, /--ttl/],
    [['u-1', '--secret', SECRET, '--ttl', '60'], {}, /--token only/],
    [['u-1', '--bogus'], {}, /bogus/],
  ];
  for (const [args, env, message] of cases) {
    const io = capture(env);
    assert.equal(await run(args, io), 2, args.join(' '));
    assert.deepEqual(io.out, [], args.join(' '));
    assert.match(io.err.join(''), message, args.join(' '));
  }
});

test('--help prints the options and exits 0', async () => {
  const io = capture();
  assert.equal(await run(['--help'], io), 0);
  for (const flag of ['--secret', '--token', '--ttl', '--dotenv']) assert.match(io.out.join(''), new RegExp(flag));
});
