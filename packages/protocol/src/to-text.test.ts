import { test } from 'node:test';
import assert from 'node:assert/strict';
import { actionToText, formatActionList, payloadToText } from './to-text.ts';
import { createActionsPayload, createGapPayload, createSlimAction, createSummaryPayload } from './wire-json.ts';

test('actionToText renders [index] type: description — canonical_url without the title', () => {
  const action = createSlimAction({ index: 0, type: 'click', title: 'ignored', description: 'desc', canonical_url: '/url' });
  assert.equal(actionToText(action), '[0] click: desc \u2014 /url');
});

test('actionToText keeps the space and colon when type is empty', () => {
  assert.equal(actionToText(createSlimAction({ index: 0, description: 'Did thing 0', canonical_url: '/page/0' })), '[0] : Did thing 0 — /page/0');
});

test('payloadToText renders an actions payload with a header and one line per action', () => {
  const payload = createActionsPayload({
    product_id: 'p',
    session_id: 's1',
    forwarded_at: 1,
    actions: [
      { type: 'click', description: 'Did 0', canonical_url: '/p/0' },
      { type: 'click', description: 'Did 1', canonical_url: '/p/1' },
    ],
  });
  assert.equal(payloadToText(payload), 'Session s1 — 2 actions\n[0] click: Did 0 — /p/0\n[1] click: Did 1 — /p/1');
});

test('payloadToText says unknown for a missing session and always uses the plural', () => {
  assert.equal(payloadToText(createActionsPayload({ product_id: 'p', forwarded_at: 0 })), 'Session unknown — 0 actions');
  const one = createActionsPayload({ product_id: 'p', session_id: 's', forwarded_at: 0, actions: [{ index: 7, type: 'pageview', description: 'd', canonical_url: '/' }] });
  assert.equal(payloadToText(one), 'Session s — 1 actions\n[7] pageview: d — /');
});

test('payloadToText counts the actions array, not the declared count', () => {
  const payload = { ...createActionsPayload({ product_id: 'p', session_id: 's', forwarded_at: 0 }), count: 5 };
  assert.equal(payloadToText(payload), 'Session s — 0 actions');
});

test('payloadToText returns a summary verbatim', () => {
  const summary = createSummaryPayload({ product_id: 'p', summary: '  Line one\nline two  ', replaces: 3, forwarded_at: 0 });
  assert.equal(payloadToText(summary), '  Line one\nline two  ');
  assert.equal(payloadToText(createSummaryPayload({ product_id: 'p', summary: '', replaces: 0, forwarded_at: 0 })), '');
});

test('payloadToText renders a gap on one line', () => {
  const gap = createGapPayload({ product_id: 'p', last_event_id: '1-5', resumed_from: '2-0', reason: 'epoch_mismatch', forwarded_at: 0 });
  assert.equal(payloadToText(gap), 'Gap after 1-5 (epoch_mismatch) — resumed from 2-0');
  assert.equal(payloadToText({ ...gap, resumed_from: null, reason: 'expired' }), 'Gap after 1-5 (expired) — resumed from nothing newer');
});

test('formatActionList numbers from 1 across payloads and keeps the wire index', () => {
  const first = createActionsPayload({ product_id: 'p', forwarded_at: 0, actions: [{ description: 'd0', canonical_url: '/a' }, { type: 'click', description: 'd1', canonical_url: '/b' }] });
  const second = createActionsPayload({ product_id: 'p', forwarded_at: 0, actions: [{ index: 2, type: 'submit', description: 'd2', canonical_url: '/c' }] });
  assert.equal(formatActionList([first, second]), '1. [0] : d0 — /a\n2. [1] click: d1 — /b\n3. [2] submit: d2 — /c');
});

test('formatActionList gives an empty string when there are no actions', () => {
  assert.equal(formatActionList([]), '');
  assert.equal(formatActionList([createActionsPayload({ product_id: 'p', forwarded_at: 0 })]), '');
});
