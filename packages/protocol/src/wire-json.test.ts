import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parsePayload, parsePayloadJson } from './parse-payload.ts';
import { isSightlineError } from './sightline-error.ts';
import type { StreamPayload } from './types.ts';
import { createActionsPayload, createGapPayload, createSlimAction, createSummaryPayload, toWireJson } from './wire-json.ts';

test('toWireJson writes an actions payload byte for byte in the canonical order', () => {
  const payload = createActionsPayload({
    product_id: 'prod_abc',
    session_id: 'ps_abc123',
    user_id: 'distinct_id_xyz',
    email: 'user@example.com',
    forwarded_at: 1700000000,
    actions: [
      {
        title: 'Page Load: Dashboard',
        description: 'User landed on the dashboard page',
        canonical_url: 'https://app.example.com/dashboard',
        type: 'pageview',
        timestamp_start: 1700000000,
        raw_url: 'https://app.example.com/dashboard?ref=email',
      },
    ],
  });
  assert.equal(
    toWireJson(payload),
    '{"type":"actions","product_id":"prod_abc","session_id":"ps_abc123","user_id":"distinct_id_xyz","email":"user@example.com","count":1,"forwarded_at":1700000000.0,' +
      '"actions":[{"title":"Page Load: Dashboard","description":"User landed on the dashboard page","canonical_url":"https://app.example.com/dashboard","index":0,"type":"pageview",' +
      '"timestamp_start":1700000000.0,"timestamp_end":1700000000.0,"raw_url":"https://app.example.com/dashboard?ref=email","session_id":"ps_abc123","user_id":"distinct_id_xyz",' +
      '"email":"user@example.com","conversation_id":null}],"conversation_id":null}',
  );
});

test('toWireJson writes the Appendix summary byte for byte', () => {
  const summary = createSummaryPayload({
    product_id: 'prod_abc',
    session_id: 'ps_abc123',
    summary: 'The user navigated to the Dashboard, exported a CSV report, then opened billing settings.',
    replaces: 12,
    forwarded_at: 1700000060,
  });
  assert.equal(
    toWireJson(summary),
    '{"type":"summary","product_id":"prod_abc","session_id":"ps_abc123","summary":"The user navigated to the Dashboard, exported a CSV report, then opened billing settings.","replaces":12,"forwarded_at":1700000060.0}',
  );
});

test('toWireJson writes a gap byte for byte', () => {
  const gap = createGapPayload({ product_id: 'p', last_event_id: '1-5', resumed_from: null, reason: 'expired', forwarded_at: 1732230000.25 });
  assert.equal(toWireJson(gap), '{"type":"gap","product_id":"p","last_event_id":"1-5","resumed_from":null,"reason":"expired","forwarded_at":1732230000.25}');
});

test('toWireJson writes fractional timestamps as they are and whole ones with .0', () => {
  const payload = createActionsPayload({ product_id: 'p', forwarded_at: 0, actions: [{ timestamp_start: 1700000000.125, timestamp_end: -0 }] });
  const json = toWireJson(payload);
  assert.match(json, /"forwarded_at":0\.0,/);
  assert.match(json, /"timestamp_start":1700000000\.125,"timestamp_end":0\.0,/);
});

test('toWireJson escapes strings as JSON and writes count as actions.length', () => {
  const payload = { ...createActionsPayload({ product_id: 'a"b\\c\n\u2028', forwarded_at: 1, actions: [{}, {}] }), count: 7 };
  const json = toWireJson(payload);
  assert.ok(json.startsWith('{"type":"actions","product_id":"a\\"b\\\\c\\n\u2028",'));
  assert.match(json, /"count":2,/);
  assert.ok(!json.includes('\n'), 'one line, so it fits one data: line');
});

test('toWireJson output parses back to an equal payload', () => {
  const payloads: StreamPayload[] = [
    createActionsPayload({ product_id: 'p', session_id: 's', user_id: 'u', conversation_id: 'c', forwarded_at: 1.5, actions: [{ type: 'click', index: 4, description: 'é ✓ 𝄞', timestamp_start: 2, timestamp_end: 3 }] }),
    createSummaryPayload({ product_id: 'p', summary: 'multi\nline', replaces: 10, forwarded_at: 9 }),
    createGapPayload({ product_id: 'p', last_event_id: '1-1', resumed_from: '2-0', reason: 'unknown_id', forwarded_at: 4 }),
  ];
  for (const payload of payloads) assert.deepEqual(parsePayloadJson(toWireJson(payload)), payload);
});

test('toWireJson refuses values JSON would silently turn into null, with SL_PAYLOAD_INVALID', () => {
  const base = createActionsPayload({ product_id: 'p', forwarded_at: 1, actions: [{}] });
  const invalid: StreamPayload[] = [
    { ...base, forwarded_at: Number.NaN },
    { ...base, forwarded_at: Number.POSITIVE_INFINITY },
    { ...base, actions: [{ ...base.actions[0]!, index: -1 }] },
    { ...base, actions: [{ ...base.actions[0]!, index: 0.5 }] },
    { ...base, actions: [{ ...base.actions[0]!, timestamp_end: Number.NaN }] },
    { ...base, product_id: undefined as unknown as string },
    createSummaryPayload({ product_id: 'p', summary: 's', replaces: -3, forwarded_at: 0 }),
    { type: 'usertour_trigger' } as unknown as StreamPayload,
  ];
  for (const payload of invalid) {
    assert.throws(() => toWireJson(payload), (error) => isSightlineError(error, 'SL_PAYLOAD_INVALID') && error.status === 500);
  }
});

test('createSlimAction fills every field; timestamp_end defaults to timestamp_start; "" identities become null', () => {
  assert.deepEqual(createSlimAction(), {
    title: '', description: '', canonical_url: '', index: 0, type: '', timestamp_start: 0, timestamp_end: 0, raw_url: '',
    session_id: null, user_id: null, email: null, conversation_id: null,
  });
  const action = createSlimAction({ timestamp_start: 5, session_id: '', email: 'e@x.io' });
  assert.deepEqual([action.timestamp_end, action.session_id, action.email], [5, null, 'e@x.io']);
});

test('createActionsPayload always has email, indexes by position and lends batch identity to actions', () => {
  const payload = createActionsPayload({
    product_id: 'p',
    session_id: 's',
    user_id: 'u',
    forwarded_at: 1,
    actions: [{}, { index: 9, user_id: null, session_id: 'other' }],
  });
  assert.equal(payload.email, null);
  assert.ok(Object.hasOwn(payload, 'email'));
  assert.equal(payload.count, 2);
  assert.deepEqual(payload.actions.map((action) => [action.index, action.session_id, action.user_id]), [[0, 's', 'u'], [9, 'other', null]]);
});

test('toWireJson writes the structured fields after Autoplay\'s, byte for byte, in the fixed order', () => {
  const payload = createActionsPayload({
    product_id: 'p',
    session_id: 's',
    forwarded_at: 1700000001,
    actions: [
      {
        title: "Selected 'Business'",
        description: 'User chose Business in the Upgrade plan dialog on the Billing page',
        canonical_url: 'https://app.example.com/billing',
        type: 'click',
        timestamp_start: 1700000000,
        raw_url: 'https://app.example.com/billing',
        received_at: 1700000000.5,
        step: 'choose',
        failure: null,
        choice: 'Business',
        container: { kind: 'dialog', label: 'Upgrade plan' },
        target: { role: 'radio', label: 'Say "hi" & bye' },
        page: { title: 'Billing', path: '/billing' },
        window_id: 'w1',
      },
    ],
  });
  assert.equal(
    toWireJson(payload),
    '{"type":"actions","product_id":"p","session_id":"s","user_id":null,"email":null,"count":1,"forwarded_at":1700000001.0,' +
      '"actions":[{"title":"Selected \'Business\'","description":"User chose Business in the Upgrade plan dialog on the Billing page","canonical_url":"https://app.example.com/billing","index":0,"type":"click",' +
      '"timestamp_start":1700000000.0,"timestamp_end":1700000000.0,"raw_url":"https://app.example.com/billing","session_id":"s","user_id":null,"email":null,"conversation_id":null,' +
      '"window_id":"w1","page":{"title":"Billing","path":"/billing"},"target":{"role":"radio","label":"Say \\"hi\\" & bye"},"container":{"kind":"dialog","label":"Upgrade plan"},' +
      '"choice":"Business","step":"choose","failure":null,"received_at":1700000000.5}],"conversation_id":null}',
  );
});

test('toWireJson leaves absent structured fields out and writes null ones as null', () => {
  const payload = createActionsPayload({
    product_id: 'p',
    forwarded_at: 1,
    actions: [{ type: 'pageview', window_id: null, target: null, container: null, choice: null, step: 'navigate', received_at: 1700000000 }],
  });
  assert.equal(
    toWireJson(payload),
    '{"type":"actions","product_id":"p","session_id":null,"user_id":null,"email":null,"count":1,"forwarded_at":1.0,' +
      '"actions":[{"title":"","description":"","canonical_url":"","index":0,"type":"pageview","timestamp_start":0.0,"timestamp_end":0.0,"raw_url":"",' +
      '"session_id":null,"user_id":null,"email":null,"conversation_id":null,"window_id":null,"target":null,"container":null,"choice":null,"step":"navigate","received_at":1700000000.0}],"conversation_id":null}',
  );
});

test('an action without structured fields is written exactly as Autoplay writes it', () => {
  const json = toWireJson(createActionsPayload({ product_id: 'p', forwarded_at: 1, actions: [{ type: 'click' }] }));
  assert.match(json, /"conversation_id":null\}\],"conversation_id":null\}$/);
});

test('createSlimAction passes structured fields through and leaves absent ones absent', () => {
  const action = createSlimAction({ type: 'click', step: 'open', target: { role: 'button', label: 'Assign' } });
  assert.equal(action.step, 'open');
  assert.deepEqual(action.target, { role: 'button', label: 'Assign' });
  assert.equal(Object.hasOwn(action, 'page'), false);
  assert.equal(Object.hasOwn(action, 'container'), false);
});

test('structured fields survive a round trip through the wire', () => {
  const original = createActionsPayload({
    product_id: 'p',
    forwarded_at: 1,
    actions: [{ type: 'click', window_id: 'w', page: { title: 'Team', path: '/team' }, target: { role: 'button', label: null }, container: { kind: 'form', label: 'Invite member' }, choice: null, step: 'submit', received_at: 2.25 }, { type: 'click', step: 'failed', failure: 'rage' }],
  });
  assert.deepEqual(parsePayloadJson(toWireJson(original)), original);
});

test('toWireJson rejects a structured field no reader would accept', () => {
  const bad: Array<Record<string, unknown>> = [
    { step: 'teleport' },
    { target: { role: 'wizard', label: null } },
    { container: { kind: 'popover', label: null } },
    { page: { title: 1, path: '/' } },
    { received_at: Number.NaN },
    { choice: 5 },
    { failure: 'angry' },
  ];
  for (const fields of bad) {
    const payload = createActionsPayload({ product_id: 'p', forwarded_at: 1, actions: [fields as never] });
    assert.throws(() => toWireJson(payload), (error: unknown) => isSightlineError(error) && error.code === 'SL_PAYLOAD_INVALID', JSON.stringify(fields));
  }
});

test('a payload origin is written after conversation_id, read back, and left out when absent', () => {
  const withOrigin = createActionsPayload({
    product_id: 'bank', session_id: 's1', forwarded_at: 1700000000, actions: [{ type: 'click', title: "Clicked 'Freeze card'" }],
    origin: { organisation: 'Yf3kQ0a9Lr2vX7pTn1sWcA', address: null },
  });
  const json = toWireJson(withOrigin);
  assert.ok(json.endsWith(',"conversation_id":null,"origin":{"organisation":"Yf3kQ0a9Lr2vX7pTn1sWcA","address":null}}'), json);
  assert.deepEqual(parsePayloadJson(json), withOrigin);
  const without = createActionsPayload({ product_id: 'bank', session_id: 's1', forwarded_at: 1700000000, actions: [] });
  assert.ok(!toWireJson(without).includes('origin'));
  assert.equal('origin' in (parsePayloadJson(toWireJson(without)) ?? {}), false);
});

test('a malformed origin is no origin; a wrong field inside it is null; long values are capped', () => {
  const base = { type: 'actions', product_id: 'p', actions: [] };
  assert.equal('origin' in (parsePayload({ ...base, origin: 'acme' }) ?? {}), false);
  assert.deepEqual((parsePayload({ ...base, origin: { organisation: 7, address: 'a' } }) as { origin?: unknown }).origin, { organisation: null, address: 'a' });
  assert.equal(((parsePayload({ ...base, origin: { organisation: 'x'.repeat(500), address: null } }) as { origin: { organisation: string } }).origin.organisation).length, 64);
});
