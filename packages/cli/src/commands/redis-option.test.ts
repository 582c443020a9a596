import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readRedisSetting } from './redis-option.ts';

test('--redis wins over REDIS_URL, and REDIS_PREFIX is read beside it; neither means no Redis', () => {
  assert.equal(readRedisSetting({}, {}), undefined);
  assert.deepEqual(readRedisSetting({}, { REDIS_URL: 'redis://cache:6379', REDIS_PREFIX: 'acme:' }), { url: 'redis://cache:6379', prefix: 'acme:' });
  assert.deepEqual(readRedisSetting({ redis: 'rediss://app:pw@cache:6380/1' }, { REDIS_URL: 'redis://other' }), { url: 'rediss://app:pw@cache:6380/1', prefix: 'sightline:' });
  assert.deepEqual(readRedisSetting({ redis: 'redis://cache', 'redis-prefix': 'x:' }, { REDIS_PREFIX: 'y:' }), { url: 'redis://cache', prefix: 'x:' });
});

test('a URL that is not redis:// or rediss:// is refused naming the setting and the flag, without its password', () => {
  assert.throws(() => readRedisSetting({ redis: 'http://app:hunter2@cache' }, {}), (error: Error) => /REDIS_URL: .*given as --redis/.test(error.message) && !error.message.includes('hunter2'));
  assert.throws(() => readRedisSetting({}, { REDIS_URL: 'cache:6379' }), /REDIS_URL: 'cache:6379' is not a redis or rediss URL/);
});
