import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { isSightlineError } from '@sightline/protocol';
import { base64FormCaptureBody, gzipCaptureBody, posthogJsAutocaptureBatch, posthogJsEdgeEvents, posthogJsEvents } from '../__fixtures__/index.ts';
import { parseElementsChain } from '../extract/elements-chain.ts';
import { normalizeCaptureBody } from './normalize-capture-body.ts';

const RECEIVED_AT = Date.parse('2026-11-21T22:33:40.000Z');

describe('normalizeCaptureBody', () => {
  it('reads example 1\'s pageview: identity, uuid, token and skew-corrected time', () => {
    const { events, rejected } = normalizeCaptureBody(posthogJsEvents.pageview, RECEIVED_AT);
    assert.deepEqual(rejected, []);
    const [event] = events;
    assert.equal(event!.event, '$pageview');
    assert.equal(event!.distinctId, '01a2003e-34c8-7ca5-99d5-4491ee7f4c74');
    assert.equal(event!.sessionId, '01a2003e-3511-74aa-8210-33107c392d81');
    assert.equal(event!.uuid, '01a2003e-34f6-790a-8a9b-3b59ce0b8df7');
    assert.equal(event!.token, 'phc_testtoken');
    assert.equal(event!.identifiedId, null);
    assert.equal(event!.personEmail, null);
    // timestamp 22:33:26.518, sent_at 22:33:26.525: 7 ms before receipt.
    assert.equal(event!.timestamp, RECEIVED_AT / 1000 - 0.007);
  });

  it('reads a batch of four autocapture events in order, with email', () => {
    const { events } = normalizeCaptureBody(posthogJsAutocaptureBatch, RECEIVED_AT);
    assert.deepEqual(events.map((event) => event.properties['$event_type']), ['click', 'click', 'change', 'submit']);
    assert.ok(events.every((event) => event.personEmail === 'jane@example.com'));
    assert.ok(events[0]!.timestamp < events[1]!.timestamp);
  });

  it('takes identity after identify from $user_id (example 6)', () => {
    const [event] = normalizeCaptureBody(posthogJsEvents.pageleave, RECEIVED_AT).events;
    assert.equal(event!.distinctId, 'user_42');
    assert.equal(event!.identifiedId, 'user_42');
  });

  it('takes email and identity from an $identify event with a top-level $set', () => {
    const identify = {
      uuid: 'u-identify',
      event: '$identify',
      $set: { email: 'jane@example.com', plan: 'pro' },
      $set_once: { $initial_referrer: '$direct' },
      properties: { distinct_id: 'user_42', $anon_distinct_id: 'anon', $session_id: 's1', token: 'phc_testtoken' },
      timestamp: '2026-11-21T22:33:30.000Z',
    };
    const [event] = normalizeCaptureBody(identify, RECEIVED_AT).events;
    assert.equal(event!.personEmail, 'jane@example.com');
    assert.equal(event!.identifiedId, 'user_42');
    assert.doesNotMatch(JSON.stringify(event), /"pro"|\$initial_referrer/);
  });

  it('accepts a single event, a bare array and {data} (JSON, JSON string or base64) after decoding', () => {
    const single = posthogJsEvents.buttonClick.batch[0]!;
    assert.equal(normalizeCaptureBody(single, RECEIVED_AT).events.length, 1);
    assert.equal(normalizeCaptureBody([single, single], RECEIVED_AT).events.length, 2);
    assert.equal(normalizeCaptureBody({ data: posthogJsAutocaptureBatch }, RECEIVED_AT).events.length, 4);
    assert.equal(normalizeCaptureBody({ data: JSON.stringify(posthogJsAutocaptureBatch) }, RECEIVED_AT).events.length, 4);
    const form = new URLSearchParams(base64FormCaptureBody(posthogJsAutocaptureBatch));
    assert.equal(normalizeCaptureBody({ data: form.get('data') }, RECEIVED_AT).events.length, 4);
  });

  it('reads the gzip body posthog-js sends once it is decompressed', () => {
    const body = JSON.parse(gunzipSync(gzipCaptureBody(posthogJsEvents.linkClick)).toString('utf8'));
    const [event] = normalizeCaptureBody(body, RECEIVED_AT).events;
    assert.equal(event!.uuid, '01a2003e-38a3-7c43-9106-177dea6d56bd');
  });

  it('takes the token from api_key when events carry none', () => {
    const event = { ...posthogJsEvents.buttonClick.batch[0]!, properties: { distinct_id: 'd', $session_id: 's' } };
    const [normalized] = normalizeCaptureBody({ api_key: 'phc_envelope', batch: [event] }, RECEIVED_AT).events;
    assert.equal(normalized!.token, 'phc_envelope');
  });

  it('falls back to offset, then $time, then receipt time', () => {
    const base = { event: '$pageview', properties: { distinct_id: 'd' } };
    const [withOffset] = normalizeCaptureBody({ ...base, offset: 1500 }, RECEIVED_AT).events;
    assert.equal(withOffset!.timestamp, RECEIVED_AT / 1000 - 1.5);
    const [withTime] = normalizeCaptureBody({ ...base, properties: { distinct_id: 'd', $time: 1700000000.25 } }, RECEIVED_AT).events;
    assert.equal(withTime!.timestamp, 1700000000.25);
    const [withNothing] = normalizeCaptureBody({ ...base, timestamp: 'not a date' }, RECEIVED_AT).events;
    assert.equal(withNothing!.timestamp, RECEIVED_AT / 1000);
  });

  it('drops $input_value, value attributes, copied text, $set and $ip', () => {
    const [change] = normalizeCaptureBody(posthogJsEdgeEvents.capturedValueChange, RECEIVED_AT).events;
    assert.equal('$input_value' in change!.properties, false);
    const [checkbox] = normalizeCaptureBody(posthogJsEdgeEvents.checkboxClick, RECEIVED_AT).events;
    const chain = checkbox!.properties['$elements_chain'] as string;
    assert.doesNotMatch(chain, /attr__value/);
    assert.equal(parseElementsChain(chain)[0]!.attributes['attr__type'], 'checkbox');
    const copy = {
      event: '$copy_autocapture',
      properties: { distinct_id: 'd', $selected_content: 'secret', $clipboard_text_length: 6, $set: { email: 'a@b.co' }, $ip: '1.2.3.4', $raw_user_agent: 'UA', $geoip_city_name: 'X' },
    };
    const [copied] = normalizeCaptureBody(copy, RECEIVED_AT).events;
    assert.deepEqual(copied!.properties, { distinct_id: 'd' });
    assert.equal(copied!.personEmail, 'a@b.co');
  });

  it('redacts emails and secrets in URLs and text properties and in the chain', () => {
    const event = {
      event: '$autocapture',
      properties: {
        distinct_id: 'd',
        $current_url: 'https://app.example.com/reset?token=abc&user=jane@example.com',
        $el_text: 'Send to jane@example.com',
        $elements_chain: 'a:attr__href="/x?key=k"href="/x?key=k"text="Call 5551234567"',
      },
    };
    const [normalized] = normalizeCaptureBody(event, RECEIVED_AT).events;
    assert.equal(normalized!.properties['$current_url'], 'https://app.example.com/reset?token=[redacted]&user=[redacted]');
    assert.equal(normalized!.properties['$el_text'], 'Send to [email]');
    const [element] = parseElementsChain(normalized!.properties['$elements_chain'] as string);
    assert.equal(element!.href, '/x?key=[redacted]');
    assert.equal(element!.text, 'Call [number]');
  });

  it('builds the chain from $elements when posthog-js sent objects', () => {
    const event = {
      event: '$autocapture',
      properties: {
        distinct_id: 'd',
        $event_type: 'click',
        $elements: [
          { tag_name: 'button', $el_text: 'Invite member', classes: ['btn'], attr__id: 'invite', attr__value: 'x', nth_child: 2, nth_of_type: 1 },
          { tag_name: 'body', nth_child: 2, nth_of_type: 1 },
        ],
      },
    };
    const [normalized] = normalizeCaptureBody(event, RECEIVED_AT).events;
    assert.equal('$elements' in normalized!.properties, false);
    const elements = parseElementsChain(normalized!.properties['$elements_chain'] as string);
    assert.equal(elements[0]!.text, 'Invite member');
    assert.equal(elements[0]!.id, 'invite');
    assert.equal(elements[0]!.attributes['attr__value'], undefined);
    assert.equal(elements[1]!.tagName, 'body');
  });

  it('skips invalid events with SL_INGEST_EVENT_INVALID and keeps the valid ones beside them', () => {
    const good = posthogJsEvents.buttonClick.batch[0]!;
    const { events, rejected } = normalizeCaptureBody(
      { batch: [null, good, { properties: {} }, { event: '$pageview', properties: 'x' }, { event: '$pageview', properties: {} }, 'str', good] },
      RECEIVED_AT,
    );
    assert.equal(events.length, 2);
    assert.deepEqual(rejected.map((entry) => entry.index), [0, 2, 3, 4, 5]);
    assert.ok(rejected.every((entry) => entry.code === 'SL_INGEST_EVENT_INVALID' && entry.reason.length > 0));
  });

  it('rejects events beyond maxEvents', () => {
    const good = posthogJsEvents.buttonClick.batch[0]!;
    const { events, rejected } = normalizeCaptureBody({ batch: [good, good, good] }, RECEIVED_AT, { maxEvents: 2 });
    assert.equal(events.length, 2);
    assert.deepEqual(rejected.map((entry) => entry.index), [2]);
  });

  it('throws SL_BODY_INVALID (400) for a body of no known shape', () => {
    for (const body of [null, 'text', 42, { foo: 1 }, { batch: 'x' }, { data: '%%%' }]) {
      assert.throws(
        () => normalizeCaptureBody(body, RECEIVED_AT),
        (error: unknown) => isSightlineError(error, 'SL_BODY_INVALID') && error.status === 400,
        JSON.stringify(body),
      );
    }
  });

  it('does not mutate the body it reads', () => {
    const body = structuredClone(posthogJsEdgeEvents.capturedValueChange);
    normalizeCaptureBody(body, RECEIVED_AT);
    assert.deepEqual(body, posthogJsEdgeEvents.capturedValueChange);
  });
});
