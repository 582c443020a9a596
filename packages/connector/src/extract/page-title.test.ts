import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pageTitleFromDocumentTitle } from './page-title.ts';

describe('pageTitleFromDocumentTitle', () => {
  it('keeps the page part of a title with the product name after a separator', () => {
    assert.equal(pageTitleFromDocumentTitle('Billing · Acme Workspace'), 'Billing');
    assert.equal(pageTitleFromDocumentTitle('Deals | Pipewise CRM'), 'Deals');
    assert.equal(pageTitleFromDocumentTitle('Ticket #4521 - Helpdesk'), 'Ticket #4521');
    assert.equal(pageTitleFromDocumentTitle('Transfers — Northbank'), 'Transfers');
    assert.equal(pageTitleFromDocumentTitle('Edit post ‹ My Blog — WordPress'), 'Edit post');
  });

  it('takes the other part when nothing comes before the separator', () => {
    assert.equal(pageTitleFromDocumentTitle(' | Acme'), 'Acme');
    assert.equal(pageTitleFromDocumentTitle('— Settings'), 'Settings');
  });

  it('keeps hyphens inside words and drops an unread counter', () => {
    assert.equal(pageTitleFromDocumentTitle('Sign-in - Acme'), 'Sign-in');
    assert.equal(pageTitleFromDocumentTitle('(3) Inbox - Mailer'), 'Inbox');
  });

  it('redacts a title like every label and gives null for an empty one', () => {
    assert.equal(pageTitleFromDocumentTitle('Contact jane@example.com · CRM'), 'Contact [email]');
    assert.equal(pageTitleFromDocumentTitle('   '), null);
    assert.equal(pageTitleFromDocumentTitle(undefined), null);
  });
});
