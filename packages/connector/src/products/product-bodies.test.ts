import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isSightlineError } from '@sightline/protocol';
import { parseRegistrationBody } from './product-bodies.ts';

const VALID = { product_id: 'acme', contact_email: 'owner@acme.com' };

/** The code and status the parser throws for `body`, or null when it accepts it. */
function rejection(body: unknown): { code: string; status: number } | null {
  try {
    parseRegistrationBody(body);
    return null;
  } catch (error) {
    assert.ok(isSightlineError(error), `not a coded error: ${String(error)}`);
    return { code: error.code, status: error.status };
  }
}

test('a registration body that is not an object is SL_BODY_INVALID', () => {
  for (const body of [null, 'acme', 42, true, [], [VALID]]) assert.deepEqual(rejection(body), { code: 'SL_BODY_INVALID', status: 400 }, JSON.stringify(body));
});

test('a missing, mistyped or refused product_id is SL_PRODUCT_ID_INVALID', () => {
  for (const product_id of [undefined, null, 42, ['acme'], '', 'bad/id', '..', 'x'.repeat(129)]) {
    assert.deepEqual(rejection({ ...VALID, product_id }), { code: 'SL_PRODUCT_ID_INVALID', status: 400 }, JSON.stringify(product_id));
  }
});

test('a missing, mistyped or refused contact_email is SL_CONTACT_EMAIL_INVALID', () => {
  for (const contact_email of [undefined, null, 42, { email: 'o@acme.com' }, '', 'not-an-email', 'a b@acme.com', `${'a'.repeat(250)}@acme.com`]) {
    assert.deepEqual(rejection({ ...VALID, contact_email }), { code: 'SL_CONTACT_EMAIL_INVALID', status: 400 }, JSON.stringify(contact_email));
  }
});

test('force_reregister other than a boolean, and allowed_origins other than a list of text, are SL_BODY_INVALID', () => {
  const bodies = [
    { ...VALID, force_reregister: 'yes' },
    { ...VALID, force_reregister: 1 },
    { ...VALID, allowed_origins: 'https://app.example.com' },
    { ...VALID, allowed_origins: [42] },
    { ...VALID, allowed_origins: { origin: 'https://app.example.com' } },
  ];
  for (const body of bodies) assert.deepEqual(rejection(body), { code: 'SL_BODY_INVALID', status: 400 }, JSON.stringify(body));
});

test('errors come in the store order: force_reregister, product_id, contact_email, allowed_origins', () => {
  assert.equal(rejection({ product_id: 'bad/id', contact_email: 'x', force_reregister: 'yes' })?.code, 'SL_BODY_INVALID');
  assert.equal(rejection({ product_id: 'bad/id', contact_email: 'x', allowed_origins: 'x' })?.code, 'SL_PRODUCT_ID_INVALID');
  assert.equal(rejection({ product_id: 'acme', contact_email: 'x', allowed_origins: 'x' })?.code, 'SL_CONTACT_EMAIL_INVALID');
  assert.equal(rejection({})?.code, 'SL_PRODUCT_ID_INVALID');
});

test('unknown fields are accepted and dropped; absent optional fields stay absent', () => {
  assert.deepEqual(parseRegistrationBody({ ...VALID, integration_type: 'posthog', notes: { a: 1 } }), { ...VALID, force_reregister: false });
});

test('null force_reregister is false, null allowed_origins is an empty list, and privacy passes as sent', () => {
  const privacy = { text_patterns: ['ACME-[0-9]{4}'], anything: 1 };
  const body = parseRegistrationBody({ ...VALID, force_reregister: null, allowed_origins: null, privacy });
  assert.equal(body.force_reregister, false);
  assert.deepEqual(body.allowed_origins, []);
  assert.deepEqual(body.privacy, privacy);
  assert.equal(parseRegistrationBody({ ...VALID, force_reregister: true, allowed_origins: ['https://app.example.com'] }).force_reregister, true);
});
