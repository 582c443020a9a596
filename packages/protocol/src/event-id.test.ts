import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareEventIds, formatEventId, parseEventId } from './event-id.ts';
import { isSightlineError } from './sightline-error.ts';

test('formatEventId writes <epoch>-<seq> in decimal', () => {
  assert.equal(formatEventId(1732230000, 42), '1732230000-42');
  assert.equal(formatEventId(0, 0), '0-0');
  assert.equal(formatEventId(Number.MAX_SAFE_INTEGER, 1), '9007199254740991-1');
});

test('formatEventId rejects negative, fractional, unsafe and non-finite parts with SL_EVENT_ID_INVALID', () => {
  for (const [epoch, seq] of [[-1, 0], [0, -1], [1.5, 0], [0, 2 ** 53], [Number.NaN, 0], [0, Number.POSITIVE_INFINITY]]) {
    assert.throws(() => formatEventId(epoch!, seq!), (error) => isSightlineError(error, 'SL_EVENT_ID_INVALID') && error.status === 500);
  }
});

test('parseEventId reads canonical ids', () => {
  assert.deepEqual(parseEventId('1732230000-42'), { epoch: 1732230000, seq: 42 });
  assert.deepEqual(parseEventId('0-0'), { epoch: 0, seq: 0 });
  assert.deepEqual(parseEventId('9007199254740991-9007199254740991'), { epoch: Number.MAX_SAFE_INTEGER, seq: Number.MAX_SAFE_INTEGER });
});

test('parseEventId rejects junk, signs, leading zeros, whitespace and values above MAX_SAFE_INTEGER', () => {
  const rejected = [
    '', '-', '1', '1-', '-1', '-1-2', '1--2', '1-2-3', '+1-2', '1-+2', ' 1-2', '1-2 ', '1-2\n', '01-2', '1-02', '1.0-2',
    '1e3-2', 'a-b', '0x1-2', '9007199254740992-0', '0-9007199254740992', '99999999999999999-0', '１-2',
  ];
  for (const text of rejected) assert.equal(parseEventId(text), null, JSON.stringify(text));
  assert.equal(parseEventId(42 as unknown as string), null);
});

test('formatEventId and parseEventId round-trip', () => {
  for (const [epoch, seq] of [[0, 0], [1, 2], [1732230000, 123456789], [Number.MAX_SAFE_INTEGER, 0]]) {
    assert.deepEqual(parseEventId(formatEventId(epoch!, seq!)), { epoch, seq });
  }
});

test('compareEventIds orders by epoch, then sequence', () => {
  assert.ok(compareEventIds({ epoch: 1, seq: 99 }, { epoch: 2, seq: 0 }) < 0);
  assert.ok(compareEventIds({ epoch: 2, seq: 1 }, { epoch: 2, seq: 0 }) > 0);
  assert.equal(compareEventIds({ epoch: 2, seq: 5 }, { epoch: 2, seq: 5 }), 0);
});
