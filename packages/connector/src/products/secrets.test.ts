import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { safeEqual, safeEqualToStored } from './secrets.ts';

describe('safeEqualToStored', () => {
  it('agrees with safeEqual on equal, different and differently sized candidates, also when asked again', () => {
    const stored = 'whsec_c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0';
    for (let round = 0; round < 2; round++) {
      for (const candidate of [stored, `${stored}x`, stored.slice(0, -1), '', 'whsec_other', stored.toUpperCase()]) {
        assert.equal(safeEqualToStored(stored, candidate), safeEqual(stored, candidate), candidate);
      }
    }
    assert.equal(safeEqualToStored(stored, stored), true);
    assert.equal(safeEqualToStored('another-stored-secret', stored), false);
  });
});
