import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isSightlineError } from '@sightline/protocol';
import { cdpGlobals, hogFlatPayloads, posthogJsEvents } from '../__fixtures__/index.ts';
import { normalizeWebhookBody } from './normalize-webhook-body.ts';

const RECEIVED_AT = Date.parse('2026-11-21T22:35:00.000Z');

describe('normalizeWebhookBody', () => {
  it('reads the flat Hog payload of example 2 into the internal shape', () => {
    const { events, rejected } = normalizeWebhookBody(hogFlatPayloads.buttonClick, RECEIVED_AT);
    assert.deepEqual(rejected, []);
    const [event] = events;
    assert.equal(event!.event, '$autocapture');
    assert.equal(event!.distinctId, '01a2003e-34c8-7ca5-99d5-4491ee7f4c74');
    assert.equal(event!.sessionId, '01a2003e-3511-74aa-8210-33107c392d81');
    assert.equal(event!.timestamp, Date.parse('2026-11-21T22:33:27.374Z') / 1000);
    assert.equal(event!.uuid, null);
    assert.equal(event!.personEmail, 'jane@example.com');
    assert.equal(event!.properties['$event_type'], 'click');
    assert.equal(event!.properties['$current_url'], 'https://app.example.com/dashboard?tab=reports#top');
    assert.equal(event!.properties['$elements_chain'], hogFlatPayloads.buttonClick.elements_chain);
    assert.equal(event!.properties['button_or_link_text'], 'Save changes');
  });

  it("reads Sightline's flat window_id and title as posthog-js's $window_id and title, the title redacted", () => {
    const flat = { ...hogFlatPayloads.pageview, window_id: 'w-2', title: 'Contact jane@example.com · CRM' };
    const [event] = normalizeWebhookBody(flat, RECEIVED_AT).events;
    assert.equal(event!.properties['$window_id'], 'w-2');
    assert.equal(event!.properties['title'], 'Contact [email] · CRM');
    assert.equal(event!.receivedAt, RECEIVED_AT / 1000);
  });

  it('treats the empty email of an anonymous flat payload as unknown', () => {
    const [event] = normalizeWebhookBody(hogFlatPayloads.pageview, RECEIVED_AT).events;
    assert.equal(event!.personEmail, null);
    assert.equal(event!.properties['$event_type'], undefined);
  });

  it('reads CDP globals: the event, its chain column and the person email (example 6)', () => {
    const [event] = normalizeWebhookBody(cdpGlobals.pageleave, RECEIVED_AT).events;
    assert.equal(event!.event, '$pageleave');
    assert.equal(event!.uuid, '01a2003e-4752-750b-b305-9daa9fb06967');
    assert.equal(event!.identifiedId, 'user_42');
    assert.equal(event!.personEmail, 'jane@example.com');
    assert.equal('$ip' in event!.properties, false);
  });

  it('reads a raw CDP event with the chain in elements_chain', () => {
    const properties = { ...(posthogJsEvents.linkClick.batch[0]!['properties'] as Record<string, unknown>) };
    const chain = properties['$elements_chain'];
    delete properties['$elements_chain'];
    const raw = { uuid: 'u1', event: '$autocapture', distinct_id: 'd1', properties, elements_chain: chain, timestamp: '2026-11-21T22:33:27.459Z' };
    const [event] = normalizeWebhookBody(raw, RECEIVED_AT).events;
    assert.equal(event!.properties['$elements_chain'], chain);
    assert.equal(event!.distinctId, 'd1');
  });

  it('reads {batch: [...]} and bare arrays, keeping good events beside bad ones', () => {
    const { events, rejected } = normalizeWebhookBody({ batch: [hogFlatPayloads.buttonClick, { event: '' }, hogFlatPayloads.linkClick] }, RECEIVED_AT);
    assert.equal(events.length, 2);
    assert.deepEqual(rejected.map((entry) => [entry.index, entry.code]), [[1, 'SL_INGEST_EVENT_INVALID']]);
    assert.equal(normalizeWebhookBody([hogFlatPayloads.formSubmit], RECEIVED_AT).events.length, 1);
  });

  it('rejects an event with neither distinct_id nor session id, and over-long ids', () => {
    const { rejected } = normalizeWebhookBody(
      { batch: [{ event: '$pageview', current_url: 'https://x.example/' }, { event: '$pageview', distinct_id: 'x'.repeat(201) }] },
      RECEIVED_AT,
    );
    assert.deepEqual(rejected.map((entry) => entry.index), [0, 1]);
  });

  it('throws SL_BODY_INVALID for a body of no known shape', () => {
    for (const body of [null, [1, 2].length, 'x', { hello: 'world' }]) {
      assert.throws(() => normalizeWebhookBody(body, RECEIVED_AT), (error: unknown) => isSightlineError(error, 'SL_BODY_INVALID'));
    }
  });

  it('accepts receipt time in seconds as well as milliseconds', () => {
    const body = { event: '$pageview', distinct_id: 'd' };
    assert.equal(normalizeWebhookBody(body, 1700000000).events[0]!.timestamp, 1700000000);
    assert.equal(normalizeWebhookBody(body, 1700000000000).events[0]!.timestamp, 1700000000);
  });
});
