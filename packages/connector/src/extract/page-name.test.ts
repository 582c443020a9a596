import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pageNameFromUrl } from './page-name.ts';

describe('pageNameFromUrl', () => {
  it('names a page after the last path segment that is not :id', () => {
    assert.equal(pageNameFromUrl('https://app.example.com/projects/:id/billing'), 'Billing');
    assert.equal(pageNameFromUrl('https://app.example.com/projects/:id'), 'Projects');
    assert.equal(pageNameFromUrl('/settings/team-members'), 'Team members');
    assert.equal(pageNameFromUrl('/docs/getting_started.html'), 'Getting started');
  });

  it('calls the root and id-only paths Home', () => {
    assert.equal(pageNameFromUrl('https://app.example.com/'), 'Home');
    assert.equal(pageNameFromUrl('/:id/:id'), 'Home');
    assert.equal(pageNameFromUrl(''), 'Home');
  });

  it('reads a verb at the end with the resource before it, never the verb alone', () => {
    assert.equal(pageNameFromUrl('/posts/:id/edit'), 'Edit post');
    assert.equal(pageNameFromUrl('https://app.example.com/projects/new'), 'New project');
    assert.equal(pageNameFromUrl('/orders/:id/review'), 'Review order');
    assert.equal(pageNameFromUrl('/categories/new'), 'New category');
    assert.equal(pageNameFromUrl('/team-members/:id/edit'), 'Edit team member');
  });

  it('names a technical step after the segment before it', () => {
    assert.equal(pageNameFromUrl('/integrations/slack/callback'), 'Slack');
    assert.equal(pageNameFromUrl('/auth/callback'), 'Auth');
  });
});
