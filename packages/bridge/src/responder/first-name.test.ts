import { test } from 'node:test';
import assert from 'node:assert/strict';
import { firstNameFromEmail } from './first-name.ts';

test('firstNameFromEmail takes the first dotted part of the local part, capitalised', () => {
  assert.equal(firstNameFromEmail('jane.doe@acme.io'), 'Jane');
  assert.equal(firstNameFromEmail('JOHN_SMITH@acme.io'), 'John');
  assert.equal(firstNameFromEmail('maria-luisa@acme.io'), 'Maria');
});

test('firstNameFromEmail drops plus tags and digits', () => {
  assert.equal(firstNameFromEmail('jane+trial@acme.io'), 'Jane');
  assert.equal(firstNameFromEmail('alex42@acme.io'), 'Alex');
});

test('firstNameFromEmail keeps mixed-case names as written and handles non-ASCII letters', () => {
  assert.equal(firstNameFromEmail('DeShawn.lee@acme.io'), 'DeShawn');
  assert.equal(firstNameFromEmail('élodie.martin@acme.fr'), 'Élodie');
});

test('firstNameFromEmail returns null for no email, malformed input and role mailboxes', () => {
  assert.equal(firstNameFromEmail(null), null);
  assert.equal(firstNameFromEmail(''), null);
  assert.equal(firstNameFromEmail('not-an-email'), null);
  assert.equal(firstNameFromEmail('@acme.io'), null);
  assert.equal(firstNameFromEmail('support@acme.io'), null);
  assert.equal(firstNameFromEmail('no-reply@acme.io'), null);
  assert.equal(firstNameFromEmail('x.y@acme.io'), null);
  assert.equal(firstNameFromEmail('1234@acme.io'), null);
});
