import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_LABEL_LENGTH, isFalsy, parsePayload, parsePayloadDetailed, parsePayloadJson, parsePayloadJsonDetailed, parseSlimAction } from './parse-payload.ts';

const FALSY_VALUES: unknown[] = [null, '', 0, 0.0, false, [], {}];

const APPENDIX_ACTIONS =
  '{"type":"actions","product_id":"prod_abc","session_id":"ps_abc123","user_id":"distinct_id_xyz","email":"user@example.com","count":1,"forwarded_at":1700000000.0,"actions":[{"index":0,"type":"pageview","title":"Page Load: Dashboard","description":"User landed on the dashboard page","timestamp_start":1700000000.0,"timestamp_end":1700000000.0,"raw_url":"https://app.example.com/dashboard?ref=email","canonical_url":"https://app.example.com/dashboard","session_id":"ps_abc123","user_id":"distinct_id_xyz","email":"user@example.com"}]}';

test('isFalsy treats null, undefined, "", 0, NaN, false, [] and {} as missing and nothing else', () => {
  for (const value of [...FALSY_VALUES, undefined, Number.NaN, -0]) assert.equal(isFalsy(value), true, String(value));
  for (const value of ['0', ' ', 'false', 1, -1, true, [0], { a: undefined }, 'x']) assert.equal(isFalsy(value), false, JSON.stringify(value));
});

test('parsePayloadJson parses the Appendix actions frame', () => {
  assert.deepEqual(parsePayloadJson(APPENDIX_ACTIONS), {
    type: 'actions',
    product_id: 'prod_abc',
    session_id: 'ps_abc123',
    user_id: 'distinct_id_xyz',
    email: 'user@example.com',
    actions: [
      {
        title: 'Page Load: Dashboard',
        description: 'User landed on the dashboard page',
        canonical_url: 'https://app.example.com/dashboard',
        index: 0,
        type: 'pageview',
        timestamp_start: 1700000000,
        timestamp_end: 1700000000,
        raw_url: 'https://app.example.com/dashboard?ref=email',
        session_id: 'ps_abc123',
        user_id: 'distinct_id_xyz',
        email: 'user@example.com',
        conversation_id: null,
      },
    ],
    count: 1,
    forwarded_at: 1700000000,
    conversation_id: null,
  });
});

test('parsePayload fills every actions field from a bare {type:"actions"}', () => {
  assert.deepEqual(parsePayload({ type: 'actions' }), {
    type: 'actions', product_id: '', session_id: null, user_id: null, email: null, actions: [], count: 0, forwarded_at: 0, conversation_id: null,
  });
});

test('parsePayload replaces each falsy value with the field default (actions payload)', () => {
  const defaults: Record<string, unknown> = { product_id: '', session_id: null, user_id: null, email: null, actions: [], count: 0, forwarded_at: 0, conversation_id: null };
  for (const [name, expected] of Object.entries(defaults)) {
    for (const value of FALSY_VALUES) {
      const payload = parsePayload({ type: 'actions', [name]: value });
      assert.ok(payload && payload.type === 'actions', `${name}=${JSON.stringify(value)}`);
      assert.deepEqual((payload as unknown as Record<string, unknown>)[name], expected, `${name}=${JSON.stringify(value)}`);
    }
  }
});

test('parseSlimAction replaces each falsy value with the field default', () => {
  const defaults: Record<string, unknown> = {
    title: '', description: '', canonical_url: '', index: 0, type: '', timestamp_start: 0, timestamp_end: 0, raw_url: '',
    session_id: null, user_id: null, email: null, conversation_id: null,
  };
  for (const [name, expected] of Object.entries(defaults)) {
    for (const value of FALSY_VALUES) {
      const action = parseSlimAction({ [name]: value });
      assert.ok(action, `${name}=${JSON.stringify(value)}`);
      assert.deepEqual((action as unknown as Record<string, unknown>)[name], expected, `${name}=${JSON.stringify(value)}`);
    }
  }
});

// docs/decisions/D-11-empty-identity-and-types.md
test('parsePayload turns "" into null for every identity field, conversation_id included', () => {
  const payload = parsePayload({ type: 'actions', session_id: '', user_id: '', email: '', conversation_id: '', actions: [{ session_id: '', user_id: '', email: '', conversation_id: '' }] });
  assert.ok(payload?.type === 'actions');
  assert.deepEqual([payload.session_id, payload.user_id, payload.email, payload.conversation_id], [null, null, null, null]);
  const action = payload.actions[0]!;
  assert.deepEqual([action.session_id, action.user_id, action.email, action.conversation_id], [null, null, null, null]);
});

// docs/decisions/D-12-email-null.md
test('parsePayload accepts email omitted or null', () => {
  assert.equal(parsePayload({ type: 'actions', email: null })?.type, 'actions');
  assert.equal((parsePayload({ type: 'actions' }) as { email: unknown }).email, null);
});

test('parsePayloadDetailed reconciles count to actions.length and reports the mismatch', () => {
  const result = parsePayloadDetailed({ type: 'actions', count: 5, actions: [{}, {}] });
  assert.ok(result.payload?.type === 'actions');
  assert.equal(result.payload.count, 2);
  assert.deepEqual('countMismatch' in result ? result.countMismatch : undefined, { declared: 5, actual: 2 });
  const missing = parsePayloadDetailed({ type: 'actions', actions: [{}] });
  assert.equal(missing.payload?.type === 'actions' && missing.payload.count, 1);
  assert.deepEqual('countMismatch' in missing ? missing.countMismatch : undefined, { declared: 0, actual: 1 });
  const agreeing = parsePayloadDetailed({ type: 'actions', count: 1, actions: [{}] });
  assert.equal('countMismatch' in agreeing ? agreeing.countMismatch : undefined, undefined);
});

test('parsePayloadDetailed rejects non-objects with not_object', () => {
  for (const raw of [null, undefined, 'actions', 42, true, [], [{ type: 'actions' }]]) {
    const result = parsePayloadDetailed(raw);
    assert.equal(result.payload, null);
    assert.equal('reason' in result && result.reason, 'not_object', JSON.stringify(raw));
  }
});

test('parsePayloadDetailed rejects unknown types, usertour_trigger included, with unknown_type', () => {
  for (const raw of [{}, { type: 'usertour_trigger', flow_id: 'f' }, { type: 'Actions' }, { type: 1 }, { type: null }]) {
    const result = parsePayloadDetailed(raw);
    assert.equal(result.payload, null);
    assert.equal('reason' in result && result.reason, 'unknown_type', JSON.stringify(raw));
  }
});

// docs/decisions/D-11-empty-identity-and-types.md
test('parsePayloadDetailed marks present fields of the wrong type as malformed', () => {
  const malformed: unknown[] = [
    { type: 'actions', forwarded_at: 'x' },
    { type: 'actions', forwarded_at: true },
    { type: 'actions', actions: 5 },
    { type: 'actions', actions: { 0: {} } },
    { type: 'actions', actions: [{}, 'click'] },
    { type: 'actions', actions: [null] },
    { type: 'actions', actions: [[]] },
    { type: 'actions', product_id: 7 },
    { type: 'actions', session_id: 12 },
    { type: 'actions', email: ['a@b.c'] },
    { type: 'actions', conversation_id: { id: 1 } },
    { type: 'actions', count: '1' },
    { type: 'actions', count: -1 },
    { type: 'actions', count: 1.5 },
    { type: 'actions', actions: [{ index: '0' }] },
    { type: 'actions', actions: [{ index: -2 }] },
    { type: 'actions', actions: [{ timestamp_start: '1700000000' }] },
    { type: 'actions', actions: [{ title: 3 }] },
    { type: 'actions', actions: [{ user_id: 5 }] },
    { type: 'summary', summary: ['x'] },
    { type: 'summary', replaces: '12' },
    { type: 'summary', forwarded_at: {} as unknown as number, replaces: 1.25 },
    { type: 'gap', reason: 'expired', last_event_id: 5 },
    { type: 'gap', reason: 'bogus', last_event_id: '1-1' },
    { type: 'gap', last_event_id: '1-1' },
  ];
  for (const raw of malformed) {
    const result = parsePayloadDetailed(raw);
    assert.equal(result.payload, null, JSON.stringify(raw));
    assert.equal('reason' in result && result.reason, 'malformed', JSON.stringify(raw));
    assert.equal(typeof ('detail' in result && result.detail), 'string');
  }
});

test('parsePayloadDetailed names the offending action element', () => {
  const result = parsePayloadDetailed({ type: 'actions', actions: [{}, { forwarded: 1 }, 'x'] });
  assert.match('detail' in result ? String(result.detail) : '', /actions\[2\]/);
});

test('parsePayload ignores unknown fields and never reads the prototype', () => {
  const raw = JSON.parse('{"type":"summary","summary":"s","__proto__":{"replaces":"bad"},"extra":[1,2]}') as unknown;
  assert.deepEqual(parsePayload(raw), { type: 'summary', product_id: '', session_id: null, summary: 's', replaces: 0, forwarded_at: 0 });
});

test('parsePayload parses summary payloads with defaults', () => {
  assert.deepEqual(parsePayloadJson('{"type":"summary","product_id":"prod_abc","session_id":"ps_abc123","summary":"Did things.","replaces":12,"forwarded_at":1700000060.0}'), {
    type: 'summary', product_id: 'prod_abc', session_id: 'ps_abc123', summary: 'Did things.', replaces: 12, forwarded_at: 1700000060,
  });
  assert.deepEqual(parsePayload({ type: 'summary', session_id: '', user_id: 'ignored' }), {
    type: 'summary', product_id: '', session_id: null, summary: '', replaces: 0, forwarded_at: 0,
  });
});

test('parsePayload parses gap payloads', () => {
  assert.deepEqual(parsePayload({ type: 'gap', product_id: 'p', last_event_id: '1-5', resumed_from: '', reason: 'expired', forwarded_at: 3.5 }), {
    type: 'gap', product_id: 'p', last_event_id: '1-5', resumed_from: null, reason: 'expired', forwarded_at: 3.5,
  });
  for (const reason of ['expired', 'epoch_mismatch', 'unknown_id']) {
    assert.equal(parsePayload({ type: 'gap', last_event_id: '1-1', resumed_from: '2-0', reason })?.type, 'gap');
  }
});

test('parsePayloadJsonDetailed reports invalid JSON without throwing', () => {
  for (const text of ['', '{', 'data: x', '{"type":"actions",}', 'NaN', undefined as unknown as string]) {
    const result = parsePayloadJsonDetailed(text);
    assert.equal(result.payload, null);
    assert.equal('reason' in result && result.reason, 'invalid_json', String(text));
    assert.equal(parsePayloadJson(text), null);
  }
  assert.equal('reason' in parsePayloadJsonDetailed('"actions"') && (parsePayloadJsonDetailed('"actions"') as { reason: string }).reason, 'not_object');
});

test('parsePayload never throws, even for inputs with throwing getters or deep nesting', () => {
  const hostile = { type: 'actions', get product_id(): string { throw new Error('boom'); } };
  assert.equal(parsePayloadDetailed(hostile).payload, null);
  const deep = `${'['.repeat(100000)}${']'.repeat(100000)}`;
  assert.equal(parsePayloadJson(deep), null);
});

test('parseSlimAction returns null for non-objects and wrongly typed fields', () => {
  for (const raw of [null, 'x', 1, [], [{}], { index: 'one' }, { raw_url: 5 }]) assert.equal(parseSlimAction(raw), null, JSON.stringify(raw));
  assert.equal(parseSlimAction({ index: 3, type: 'click' })?.index, 3);
});

test('parseSlimAction reads every structured field of a well-formed action', () => {
  const action = parseSlimAction({
    type: 'click',
    window_id: 'w1',
    page: { title: 'Billing', path: '/billing' },
    target: { role: 'radio', label: 'Business' },
    container: { kind: 'dialog', label: 'Upgrade plan' },
    choice: 'Business',
    step: 'choose',
    received_at: 1700000000.5,
  });
  assert.deepEqual(
    { window_id: action?.window_id, page: action?.page, target: action?.target, container: action?.container, choice: action?.choice, step: action?.step, received_at: action?.received_at },
    {
      window_id: 'w1',
      page: { title: 'Billing', path: '/billing' },
      target: { role: 'radio', label: 'Business' },
      container: { kind: 'dialog', label: 'Upgrade plan' },
      choice: 'Business',
      step: 'choose',
      received_at: 1700000000.5,
    },
  );
});

test('parseSlimAction leaves absent structured fields absent', () => {
  const action = parseSlimAction({ type: 'click', title: 'Clicked Save' });
  for (const name of ['window_id', 'page', 'target', 'container', 'choice', 'step', 'received_at']) {
    assert.equal(Object.hasOwn(action ?? {}, name), false, name);
  }
});

test('parseSlimAction keeps an explicit null structured field as null', () => {
  const action = parseSlimAction({ type: 'pageview', target: null, container: null, choice: null, window_id: null, step: null, page: null, received_at: null });
  assert.equal(action?.target, null);
  assert.equal(action?.container, null);
  assert.equal(action?.choice, null);
  assert.equal(action?.window_id, null);
  assert.equal(action?.step, null);
  assert.equal(action?.page, null);
  assert.equal(action?.received_at, null);
});

test('a structured field of the wrong shape is dropped alone, and the action and payload survive', () => {
  const wrongShapes: Array<[string, unknown]> = [
    ['step', 'teleport'],
    ['step', 3],
    ['target', { role: 'wizard', label: 'Go' }],
    ['target', 'button'],
    ['container', { kind: 'popover', label: 'x' }],
    ['container', ['dialog']],
    ['page', { title: 5, path: '/a' }],
    ['page', { title: 'A' }],
    ['window_id', 42],
    ['choice', { label: 'Business' }],
    ['received_at', '1700000000'],
    ['received_at', -1],
    ['failure', 'angry'],
    ['failure', 1],
  ];
  for (const [name, value] of wrongShapes) {
    const neighbour = name === 'choice' ? { window_id: 'w1' } : { choice: 'Business' };
    const payload = parsePayload({ type: 'actions', actions: [{ type: 'click', title: 'Clicked Save', ...neighbour, [name]: value }] });
    const shape = `${name}: ${JSON.stringify(value)}`;
    assert.equal(payload?.type, 'actions', shape);
    const [action] = payload?.type === 'actions' ? payload.actions : [];
    assert.equal(action?.title, 'Clicked Save', shape);
    assert.equal(Object.hasOwn(action ?? {}, name), false, shape);
    assert.deepEqual(name === 'choice' ? action?.window_id : action?.choice, name === 'choice' ? 'w1' : 'Business', shape);
  }
});

test('a non-string label inside a target or container becomes null and keeps the role or kind', () => {
  const action = parseSlimAction({ target: { role: 'button', label: 7 }, container: { kind: 'form', label: ['x'] } });
  assert.deepEqual(action?.target, { role: 'button', label: null });
  assert.deepEqual(action?.container, { kind: 'form', label: null });
});

test('labels, titles and choices are capped at MAX_LABEL_LENGTH and quotes survive', () => {
  const long = 'x'.repeat(MAX_LABEL_LENGTH + 50);
  const action = parseSlimAction({
    page: { title: long, path: '/a' },
    target: { role: 'button', label: 'Say "hi" & bye' },
    container: { kind: 'dialog', label: long },
    choice: long,
  });
  assert.equal(action?.page?.title.length, MAX_LABEL_LENGTH);
  assert.equal(action?.container?.label?.length, MAX_LABEL_LENGTH);
  assert.equal(action?.choice?.length, MAX_LABEL_LENGTH);
  assert.equal(action?.target?.label, 'Say "hi" & bye');
});

test('capping never leaves half of a surrogate pair', () => {
  const label = `${'a'.repeat(MAX_LABEL_LENGTH - 1)}😀`;
  const action = parseSlimAction({ choice: label });
  assert.equal(action?.choice, 'a'.repeat(MAX_LABEL_LENGTH - 1));
});

test('structured fields on the prototype are never read', () => {
  const raw = JSON.parse('{"type":"click","__proto__":{"step":"submit","window_id":"w"}}') as unknown;
  const action = parseSlimAction(raw);
  assert.equal(Object.hasOwn(action ?? {}, 'step'), false);
  assert.equal(Object.hasOwn(action ?? {}, 'window_id'), false);
});
