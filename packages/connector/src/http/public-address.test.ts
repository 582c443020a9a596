import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isPublicAddress } from './public-address.ts';

test('public addresses count; loopback, private, CGNAT, link-local, unique-local and junk do not', () => {
  for (const address of ['203.0.113.9', '8.8.8.8', '172.32.0.1', '2001:db8::1', '2a00:1450:4001:81b::200e', '::ffff:198.51.100.4']) {
    assert.equal(isPublicAddress(address), true, address);
  }
  for (const address of ['127.0.0.1', '::1', '::ffff:127.0.0.1', '10.2.3.4', '172.16.0.1', '172.31.255.255', '192.168.1.10', '100.64.0.1', '169.254.1.1', 'fd12:3456::1', 'fe80::1', '0.0.0.0', '', 'localhost', 'unknown']) {
    assert.equal(isPublicAddress(address), false, address);
  }
});
