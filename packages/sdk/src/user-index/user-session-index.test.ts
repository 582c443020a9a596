import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { createActionsPayload, isSightlineError, type ActionsPayload } from '@sightline/protocol';
import { FakeClock } from '../testing/fake-clock.ts';
import { UserSessionIndex } from './user-session-index.ts';

function payload(fields: { user_id?: string | null; session_id?: string | null; product_id?: string; email?: string | null }): ActionsPayload {
  return createActionsPayload({
    product_id: fields.product_id ?? 'acme',
    session_id: fields.session_id === undefined ? 's1' : fields.session_id,
    user_id: fields.user_id === undefined ? 'u1' : fields.user_id,
    email: fields.email ?? null,
    forwarded_at: 0,
    actions: [{ type: 'click' }],
  });
}

function setup(options: { lookbackSeconds?: number; maxSessionsPerUser?: number; maxUsers?: number | null } = {}) {
  const clock = new FakeClock();
  const index = new UserSessionIndex({ ...options, clock });
  return { clock, index };
}

const ids = (refs: Array<{ sessionId: string }>) => refs.map((ref) => ref.sessionId);

describe('UserSessionIndex', () => {
  test('lists a user sessions newest first, a revisited session moving to the front', async () => {
    const { clock, index } = setup();
    index.add(payload({ session_id: 's1' }));
    await clock.advance(1_000);
    index.add(payload({ session_id: 's2' }));
    assert.deepEqual(ids(index.getRecentSessions('u1')), ['s2', 's1']);
    await clock.advance(1_000);
    index.add(payload({ session_id: 's1' }));
    const refs = index.getRecentSessions('u1');
    assert.deepEqual(ids(refs), ['s1', 's2']);
    assert.deepEqual(refs[0], { productId: 'acme', sessionId: 's1', lastSeenAt: clock.now() });
  });

  test('sessions older than the lookback (local clock, elapsed > lookback) are pruned on read', async () => {
    const { clock, index } = setup({ lookbackSeconds: 60 });
    index.add(payload({ session_id: 's1' }));
    await clock.advance(60_000);
    assert.deepEqual(ids(index.getRecentSessions('u1')), ['s1']);
    await clock.advance(1);
    assert.deepEqual(index.getRecentSessions('u1'), []);
  });

  test('payloads without a user id or any session are ignored', () => {
    const { index } = setup();
    assert.equal(index.add(payload({ user_id: null })), false);
    assert.equal(index.add(payload({ user_id: '  ' })), false);
    assert.equal(index.add(payload({ session_id: null, user_id: 'anon-7' })), true, 'anonymous: the distinct id is the session');
    assert.deepEqual(ids(index.getRecentSessions('anon-7')), ['anon-7']);
  });

  test('keeps at most maxSessionsPerUser, newest first', async () => {
    const { clock, index } = setup({ maxSessionsPerUser: 2 });
    for (const session of ['s1', 's2', 's3']) {
      index.add(payload({ session_id: session }));
      await clock.advance(10);
    }
    assert.deepEqual(ids(index.getRecentSessions('u1')), ['s3', 's2']);
  });

  test('users are scoped by product; a lookup without a product merges them newest first', async () => {
    const { clock, index } = setup();
    index.add(payload({ product_id: 'a', session_id: 'sa', email: 'a@example.com' }));
    await clock.advance(10);
    index.add(payload({ product_id: 'b', session_id: 'sb', email: 'b@example.com' }));
    assert.deepEqual(ids(index.getRecentSessions('u1', { productId: 'a' })), ['sa']);
    assert.deepEqual(ids(index.getRecentSessions('u1')), ['sb', 'sa']);
    assert.equal(index.getEmail('u1', { productId: 'a' }), 'a@example.com');
    assert.equal(index.getEmail('u1'), 'b@example.com', 'the latest email across products');
    index.resetUser('u1', { productId: 'b' });
    assert.deepEqual(ids(index.getRecentSessions('u1')), ['sa']);
    index.resetUser('u1');
    assert.deepEqual(index.getRecentSessions('u1'), []);
    assert.equal(index.getEmail('u1'), null);
  });

  test('an email is remembered until a newer one arrives; payloads without one keep it', () => {
    const { index } = setup();
    index.add(payload({ email: 'first@example.com' }));
    index.add(payload({ email: null }));
    assert.equal(index.getEmail('u1'), 'first@example.com');
    index.add(payload({ email: 'second@example.com' }));
    assert.equal(index.getEmail('u1'), 'second@example.com');
  });

  test('the number of users is LRU-bounded', () => {
    const { index } = setup({ maxUsers: 2 });
    index.add(payload({ user_id: 'u1' }));
    index.add(payload({ user_id: 'u2' }));
    index.add(payload({ user_id: 'u1' }));
    index.add(payload({ user_id: 'u3' }));
    assert.equal(index.size, 2);
    assert.deepEqual(index.getRecentSessions('u2'), []);
    assert.equal(index.getRecentSessions('u1').length, 1);
  });

  test('invalid options are configuration errors', () => {
    const isConfigError = (error: unknown) => isSightlineError(error, 'SL_CONFIG_INVALID');
    assert.throws(() => new UserSessionIndex({ lookbackSeconds: 0 }), isConfigError);
    assert.throws(() => new UserSessionIndex({ maxSessionsPerUser: 0 }), isConfigError);
  });
});
