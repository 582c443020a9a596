import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { humanizeIdentifier, humanizeName } from './humanize-identifier.ts';

describe('humanizeIdentifier', () => {
  it('reads an id as words without the words that only name the kind of element', () => {
    assert.equal(humanizeIdentifier('upgrade-plan-title'), 'Upgrade plan');
    assert.equal(humanizeIdentifier('invite-member-form'), 'Invite member');
    assert.equal(humanizeIdentifier('schedule_post_dialog'), 'Schedule post');
    assert.equal(humanizeIdentifier('modal-assign-owner'), 'Assign owner');
    assert.equal(humanizeIdentifier('tab-internal-note'), 'Internal note');
    assert.equal(humanizeIdentifier('filtersDrawer'), 'Filters');
  });

  it('gives nothing for ids that do not read as words', () => {
    for (const id of ['radix-:r1:', 'dlg_8f3a', 'mui-12', 'headlessui-dialog-panel-7', 'x9', 'dialog', 'form-title', 'q', '', null, undefined]) {
      assert.equal(humanizeIdentifier(id), null, String(id));
    }
  });
});

describe('humanizeName', () => {
  it('reads a field name as words and keeps every word', () => {
    assert.equal(humanizeName('first_name'), 'First name');
    assert.equal(humanizeName('billingEmail'), 'Billing email');
    assert.equal(humanizeName('user[email]'), 'User email');
    assert.equal(humanizeName('title'), 'Title');
  });

  it('gives nothing for generated names', () => {
    for (const name of ['fld_8x2', 'input-17', 'a1b2c3', 'q']) assert.equal(humanizeName(name), null, name);
  });
});
