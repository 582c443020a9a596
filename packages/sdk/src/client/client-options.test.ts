import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isSightlineError } from '@sightline/protocol';
import { resolveClientOptions, resolveToken, TOKEN_ENV_VARIABLE } from './client-options.ts';

function withEnvironment<T>(value: string | undefined, run: () => T): T {
  const previous = process.env[TOKEN_ENV_VARIABLE];
  if (value === undefined) delete process.env[TOKEN_ENV_VARIABLE];
  else process.env[TOKEN_ENV_VARIABLE] = value;
  try {
    return run();
  } finally {
    if (previous === undefined) delete process.env[TOKEN_ENV_VARIABLE];
    else process.env[TOKEN_ENV_VARIABLE] = previous;
  }
}

function assertInvalid(run: () => unknown, option: string): void {
  assert.throws(run, (error: unknown) => isSightlineError(error, 'SL_CONFIG_INVALID') && error.details.option === option);
}

test('the explicit token is trimmed and wins over the environment', () => {
  withEnvironment('from-env', () => assert.equal(resolveToken('  explicit  '), 'explicit'));
});

test('a blank explicit token falls through to the trimmed environment variable', () => {
  withEnvironment('  from-env ', () => {
    assert.equal(resolveToken('   '), 'from-env');
    assert.equal(resolveToken(undefined), 'from-env');
  });
});

test('no token anywhere resolves to the empty string (no header)', () => {
  withEnvironment(undefined, () => assert.equal(resolveToken(''), ''));
});

test('defaults follow the wire contract', () => {
  const options = resolveClientOptions({ url: 'http://127.0.0.1:1/stream/acme', token: 't' });
  assert.equal(options.maxQueueSize, 500);
  assert.equal(options.connectTimeoutMs, 10_000);
  assert.equal(options.initialBackoffMs, 1000);
  assert.equal(options.maxBackoffMs, 30_000);
  assert.equal(options.maxRetries, undefined);
  assert.equal(options.idleTimeoutMs, undefined);
  assert.equal(options.drainTimeoutMs, 10_000);
});

test('bad options fail at construction with SL_CONFIG_INVALID naming the option', () => {
  const url = 'http://127.0.0.1:1/stream/acme';
  assertInvalid(() => resolveClientOptions({ url: '' }), 'url');
  assertInvalid(() => resolveClientOptions({ url: 'not a url' }), 'url');
  assertInvalid(() => resolveClientOptions({ url: 'ftp://example.com/stream/a' }), 'url');
  assertInvalid(() => resolveClientOptions({ url, maxRetries: -1 }), 'maxRetries');
  assertInvalid(() => resolveClientOptions({ url, maxRetries: 1.5 }), 'maxRetries');
  assertInvalid(() => resolveClientOptions({ url, maxQueueSize: 0 }), 'maxQueueSize');
  assertInvalid(() => resolveClientOptions({ url, connectTimeoutMs: 0 }), 'connectTimeoutMs');
  assertInvalid(() => resolveClientOptions({ url, initialBackoffMs: 5000, maxBackoffMs: 1000 }), 'maxBackoffMs');
  assertInvalid(() => resolveClientOptions({ url, lastEventId: 'a\nb' }), 'lastEventId');
  assertInvalid(() => resolveClientOptions({ url, logger: {} as never }), 'logger');
  assertInvalid(() => resolveClientOptions({ url, token: 'sk_1\nInjected: yes' }), 'token');
  assertInvalid(() => resolveClientOptions({ url, healthyStreamMs: 0 }), 'healthyStreamMs');
  assertInvalid(() => resolveClientOptions({ url, token: 'clé-☃' }), 'token');
});

test('maxRetries 0 is allowed (one attempt)', () => {
  assert.equal(resolveClientOptions({ url: 'https://example.com/stream/a', maxRetries: 0 }).maxRetries, 0);
});
