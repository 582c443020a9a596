import assert from 'node:assert/strict';
import { test } from 'node:test';
import { run } from './dev.ts';

function captureConsole<T>(action: () => Promise<T>): Promise<{ result: T; out: string; err: string }> {
  const log = console.log;
  const error = console.error;
  let out = '';
  let err = '';
  console.log = (...parts: unknown[]) => void (out += `${parts.join(' ')}\n`);
  console.error = (...parts: unknown[]) => void (err += `${parts.join(' ')}\n`);
  return action().then(
    (result) => {
      console.log = log;
      console.error = error;
      return { result, out, err };
    },
    (failure: unknown) => {
      console.log = log;
      console.error = error;
      throw failure;
    },
  );
}

test('--help prints the four documented flags and exits 0', async () => {
  const { result, out } = await captureConsole(() => run(['--help']));
  assert.equal(result, 0);
  for (const flag of ['--connector-port', '--bridge-port', '--demo-port', '--data-dir']) assert.match(out, new RegExp(flag));
});

test('a port that is not a number exits 2 before starting anything', async () => {
  const { result, err } = await captureConsole(() => run(['--demo-port', 'http']));
  assert.equal(result, 2);
  assert.match(err, /--demo-port must be a port/);
});

test('an unknown flag exits 2', async () => {
  const { result } = await captureConsole(() => run(['--bogus']));
  assert.equal(result, 2);
});

test('--help documents --redis; a --redis that is not a Redis URL exits 2 without its password', async () => {
  const help = await captureConsole(() => run(['--help']));
  assert.match(help.out, /--redis redis:\/\//);
  assert.match(help.out, /--redis-prefix/);
  const { result, err } = await captureConsole(() => run(['--redis', 'http://app:hunter2@cache']));
  assert.equal(result, 2);
  assert.match(err, /REDIS_URL: .*\(given as --redis\) is not a redis or rediss URL/);
  assert.doesNotMatch(err, /hunter2/);
});
