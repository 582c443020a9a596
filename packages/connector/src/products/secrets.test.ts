import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { safeEqual, safeEqualToDigest, sha256 } from './secrets.ts';

describe('safeEqualToDigest', () => {
  it('agrees with safeEqual on equal, different and differently sized candidates, also when asked again', () => {
    const stored = 'whsec_c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0';
    for (let round = 0; round < 2; round++) {
      for (const candidate of [stored, `${stored}x`, stored.slice(0, -1), '', 'whsec_other', stored.toUpperCase()]) {
        assert.equal(safeEqualToDigest(sha256(stored), candidate), safeEqual(stored, candidate), candidate);
      }
    }
    assert.equal(safeEqualToDigest(sha256(stored), stored), true);
    assert.equal(safeEqualToDigest(sha256('another-stored-secret'), stored), false);
  });
});
