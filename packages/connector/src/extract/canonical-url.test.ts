import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { canonicalizeUrl, isDynamicSegment } from './canonical-url.ts';

describe('canonicalizeUrl', () => {
  it('drops query and fragment and keeps scheme and host', () => {
    assert.equal(canonicalizeUrl('https://app.example.com/dashboard?tab=reports#top'), 'https://app.example.com/dashboard');
    assert.equal(canonicalizeUrl('https://app.example.com/auth/signup?returnTo=%2F'), 'https://app.example.com/auth/signup');
  });

  it('replaces digits, UUIDs, ULIDs, long hex and mixed tokens with :id', () => {
    const cases: Array<[string, string]> = [
      ['https://app.example.com/sessions/019d8528-2d42-75b5-acb0-a64548f232fb?mode=&sessionIds=1', 'https://app.example.com/sessions/:id'],
      ['https://app.example.com/projects/42/settings', 'https://app.example.com/projects/:id/settings'],
      ['/orders/01ARZ3NDEKTSV4RRFFQ69G5FAV', '/orders/:id'],
      ['/commits/9fceb02d0ae598e95dc970b74767f19372d61af8', '/commits/:id'],
      ['/objects/deadbeefcafe', '/objects/:id'],
      ['/customers/cus_NffrFeUfNV2Hib', '/customers/:id'],
      ['/c/ckx9w8ke80000qzrm3g1h8b9a', '/c/:id'],
      ['/invoices/inv-2024001', '/invoices/:id'],
      ['/reports/2024-01-15', '/reports/:id'],
      ['/users/jane%40example.com/profile', '/users/:id/profile'],
    ];
    for (const [input, expected] of cases) assert.equal(canonicalizeUrl(input), expected, input);
  });

  it('keeps words, short versions and slugs', () => {
    assert.equal(canonicalizeUrl('https://app.example.com/settings/team-members'), 'https://app.example.com/settings/team-members');
    assert.equal(canonicalizeUrl('/api/v2/docs'), '/api/v2/docs');
    assert.equal(canonicalizeUrl('/blog/getting-started'), '/blog/getting-started');
    assert.equal(canonicalizeUrl('/docs/internationalization-2'), '/docs/internationalization-2');
  });

  it('lower-cases scheme and host, removes credentials and a trailing slash', () => {
    assert.equal(canonicalizeUrl('HTTPS://user:pw@App.Example.com/Team/'), 'https://app.example.com/Team');
    assert.equal(canonicalizeUrl('https://app.example.com'), 'https://app.example.com/');
    assert.equal(canonicalizeUrl('https://app.example.com/?x=1'), 'https://app.example.com/');
  });

  it('returns "" for empty or non-string input and never throws on junk', () => {
    assert.equal(canonicalizeUrl(''), '');
    assert.equal(canonicalizeUrl(null as unknown as string), '');
    assert.equal(canonicalizeUrl('%E0%A4%A/%zz'), '%E0%A4%A/%zz');
  });
});

describe('isDynamicSegment', () => {
  it('tells ids from page names', () => {
    for (const id of ['123', 'a1b2c3', '3f2504e0-4f89-11d3-9a0c-0305e82c3301', 'abcdefghij1234567']) assert.equal(isDynamicSegment(id), true, id);
    for (const page of ['billing', 'v1', 'html5', 'team-members', '', 'settings_page']) assert.equal(isDynamicSegment(page), false, page);
  });
});
