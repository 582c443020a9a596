import { test } from 'node:test';
import assert from 'node:assert/strict';
import { redactRedisUrl } from './redact-redis-url.ts';

test('a Redis URL is shown without its user and password, TLS and database kept', () => {
  assert.equal(redactRedisUrl('redis://127.0.0.1:6379'), 'redis://127.0.0.1:6379');
  assert.equal(redactRedisUrl('redis://:s3cret@cache:6379'), 'redis://***@cache:6379');
  assert.equal(redactRedisUrl('rediss://app:s3cret@cache.example.com:6380/2'), 'rediss://***@cache.example.com:6380/2');
  assert.equal(redactRedisUrl('redis://app@cache'), 'redis://***@cache');
});

test('a password in the query string or an unparsable URL never shows', () => {
  assert.equal(redactRedisUrl('redis://cache:6379/0?password=s3cret'), 'redis://cache:6379/0');
  const shown = redactRedisUrl('redis://user:p@ss word@@/');
  assert.doesNotMatch(shown, /p@ss|word/);
});
