import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { decodeCaptureBody, gunzipCappedAsync, inflate, INFLATE_OFF_LOOP_BYTES, unwrapCaptureBody } from './decode-capture-body.ts';

const envelope = { api_key: 'phc_x', batch: [{ event: '$pageview', properties: { token: 'phc_x' } }], sent_at: '2026-11-21T22:00:00.000Z' };
const json = JSON.stringify(envelope);
const options = { maxDecodedBytes: 1 << 20 };

test('plain JSON decodes', () => {
  assert.deepEqual(decodeCaptureBody({ body: Buffer.from(json), contentType: 'application/json' }, options), envelope);
});

test('gzip is recognised by its magic bytes on a text/plain body', () => {
  assert.deepEqual(decodeCaptureBody({ body: gzipSync(json), contentType: 'text/plain' }, options), envelope);
});

test('a data=<base64> form body decodes, also when the sender left + unescaped', () => {
  const tricky = { ...envelope, note: '>>>>>>' };
  const base64 = Buffer.from(JSON.stringify(tricky)).toString('base64');
  assert.ok(base64.includes('+'));
  const escaped = `data=${encodeURIComponent(base64)}`;
  assert.deepEqual(decodeCaptureBody({ body: Buffer.from(escaped), contentType: 'application/x-www-form-urlencoded', compression: 'base64' }, options), tricky);
  // Form decoding turns a raw '+' into ' '; the decoder restores it like PostHog's capture does.
  assert.deepEqual(decodeCaptureBody({ body: Buffer.from(`data=${base64}`), contentType: 'application/x-www-form-urlencoded' }, options), tricky);
});

test('a form body holding gzip in base64 decodes', () => {
  const body = `data=${encodeURIComponent(gzipSync(json).toString('base64'))}`;
  assert.deepEqual(decodeCaptureBody({ body: Buffer.from(body), contentType: 'application/x-www-form-urlencoded' }, options), envelope);
});

test('a bare base64 body decodes', () => {
  assert.deepEqual(decodeCaptureBody({ body: Buffer.from(Buffer.from(json).toString('base64')) }, options), envelope);
});

test('a gzip bomb is refused with 413 once the inflated size passes the cap', () => {
  const bomb = gzipSync(Buffer.alloc(8 << 20, 0x20));
  assert.ok(bomb.length < 64 << 10);
  assert.throws(() => decodeCaptureBody({ body: bomb, contentType: 'text/plain' }, options), { code: 'SL_BODY_TOO_LARGE', status: 413 });
});

test('truncated gzip, non-JSON, an empty body and lz64 give SL_BODY_INVALID', () => {
  const gz = gzipSync(json);
  for (const parts of [
    { body: gz.subarray(0, gz.length - 8) },
    { body: Buffer.from('{"batch": [') },
    { body: Buffer.alloc(0) },
    { body: Buffer.from('data=abc'), compression: 'lz64' },
    { body: Buffer.from('compression=base64') , contentType: 'application/x-www-form-urlencoded' },
  ]) {
    assert.throws(() => decodeCaptureBody(parts, options), { code: 'SL_BODY_INVALID', status: 400 });
  }
});

test('large gzip bodies inflate off the event loop with the same result, cap and errors as small ones', async () => {
  // Random labels compress poorly, so the gzip stays above the off-loop threshold.
  const batch = Array.from({ length: 400 }, () => ({ event: '$autocapture', properties: { label: randomBytes(200).toString('base64') } }));
  const json = JSON.stringify({ api_key: 'phc_x', batch });
  const gzipped = gzipSync(json);
  assert.ok(gzipped.length > INFLATE_OFF_LOOP_BYTES, `${gzipped.length} bytes`);
  const inflated = inflate(gzipped, 1 << 20);
  assert.ok(inflated instanceof Promise, 'a large body is inflated asynchronously');
  assert.equal((await inflated).toString('utf8'), json);
  assert.ok(!(inflate(gzipSync('{"a":1}'), 1 << 20) instanceof Promise), 'a small one inline');
  await assert.rejects(gunzipCappedAsync(gzipped, 1000), { code: 'SL_BODY_TOO_LARGE', status: 413 });
  await assert.rejects(gunzipCappedAsync(Buffer.concat([gzipped.subarray(0, 70_000), Buffer.alloc(10)]), 1 << 20), { code: 'SL_BODY_INVALID', status: 400 });
  // Unwrapping alone never inflates.
  assert.deepEqual(unwrapCaptureBody({ body: gzipped, contentType: 'text/plain' }, { maxDecodedBytes: 1 << 20 }), { bytes: gzipped, isGzip: true });
});
