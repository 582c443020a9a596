import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readIsoUtc, readTime } from './normalize-event.ts';

function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

describe('readIsoUtc', () => {
  it('gives what Date.parse gives for toISOString output', () => {
    const random = seededRandom(7);
    for (let count = 0; count < 5_000; count++) {
      const text = new Date(Math.floor(random() * 4_102_444_800_000)).toISOString();
      assert.equal(readIsoUtc(text), Date.parse(text), text);
    }
    assert.equal(readIsoUtc('2024-02-29T23:59:59.999Z'), Date.parse('2024-02-29T23:59:59.999Z'));
  });

  it('leaves every other form to Date.parse (null), including out-of-range days and hours', () => {
    for (const text of [
      '2026-11-21T22:33:27Z',
      '2026-11-21T22:33:27.137+01:00',
      '2026-11-21 22:33:27.137Z',
      '2026-13-01T00:00:00.000Z',
      '2026-02-29T00:00:00.000Z',
      '2026-04-31T00:00:00.000Z',
      '2026-11-21T24:00:00.000Z',
      '2026-11-21T22:60:00.000Z',
      '0099-01-01T00:00:00.000Z',
      '2026-1x-21T22:33:27.137Z',
      ' 2026-11-21T22:33:27.137Z',
    ]) {
      assert.equal(readIsoUtc(text), null, text);
    }
  });
});

describe('readTime', () => {
  it('reads ISO strings (fast path or not), numeric strings and numbers as epoch seconds', () => {
    assert.equal(readTime('2026-11-21T22:33:27.137Z'), Date.parse('2026-11-21T22:33:27.137Z') / 1000);
    assert.equal(readTime(' 2026-11-21T22:33:27.137Z '), Date.parse('2026-11-21T22:33:27.137Z') / 1000);
    assert.equal(readTime('2026-11-21T23:33:27.137+01:00'), Date.parse('2026-11-21T22:33:27.137Z') / 1000);
    assert.equal(readTime('1795300407137'), 1795300407.137);
    assert.equal(readTime(1795300407), 1795300407);
  });

  it('gives null for empty, invalid and non-positive times', () => {
    for (const value of ['', '   ', 'yesterday', '1970-01-01T00:00:00.000Z', 0, -5, Number.NaN, null, {}]) {
      assert.equal(readTime(value), null, String(value));
    }
  });
});
