import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CapturedEvent } from '../ingest/captured-event.ts';
import { normalizeCaptureBody } from '../ingest/normalize-capture-body.ts';
import { extractAction } from './extract-action.ts';
import { compilePrivacy } from './privacy-rules.ts';

const RECEIVED_AT = Date.parse('2026-11-21T22:33:40.000Z');
const PAGE = 'https://app.example.com/settings';

function click(chain: string, properties: Record<string, unknown> = {}): CapturedEvent {
  const { events } = normalizeCaptureBody(
    { event: '$autocapture', properties: { distinct_id: 'u-4821', $session_id: 's1', $current_url: PAGE, $event_type: 'click', $elements_chain: chain, ...properties } },
    RECEIVED_AT,
  );
  return events[0]!;
}

function texts(action: ReturnType<typeof extractAction>): string {
  return JSON.stringify(action);
}

describe('extraction redacts after every normalisation', () => {
  it('sees a card number whose groups are separated by double spaces', () => {
    const action = extractAction(click('button:text="Pay with 4111  1111  1111  1111"'))!;
    assert.equal(action.target?.label, 'Pay with [card]');
    assert.doesNotMatch(texts(action), /4111/);
  });

  it('redacts a page title whose card number was split by a line break', () => {
    const { events } = normalizeCaptureBody(
      { event: '$pageview', properties: { distinct_id: 'd', $current_url: PAGE, title: 'Card 4111\n1111\n1111\n1111 · Acme' } },
      RECEIVED_AT,
    );
    const action = extractAction(events[0]!)!;
    assert.equal(action.page?.title, 'Card [card]');
  });

  it('redacts reset tokens in the canonical and raw URL', () => {
    const action = extractAction(click('button:text="Save"', { $current_url: 'https://app.example.com/reset/abcdefghijklmnopqrstu?pw=hunter2' }))!;
    assert.equal(action.canonical_url, 'https://app.example.com/reset/[token]');
    assert.equal(action.raw_url, 'https://app.example.com/reset/[token]?pw=[redacted]');
  });
});

describe('extraction never forwards what a user typed', () => {
  it('gives an input no label from its own text', () => {
    const action = extractAction(click('input:attr__name="note"text="my secret note"'))!;
    assert.doesNotMatch(texts(action), /secret note/);
  });

  it('reads no text from elements inside a contenteditable region', () => {
    const action = extractAction(click('p:text="Dear Jane, my password"nth-child="1";div:attr__contenteditable="true"attr__aria-label="Message"'))!;
    assert.doesNotMatch(texts(action), /Dear Jane/);
  });

  it('does not read $el_text when there is no chain to say whose text it is', () => {
    const { events } = normalizeCaptureBody(
      { event: '$autocapture', properties: { distinct_id: 'd', $current_url: PAGE, $event_type: 'click', $el_text: 'typed value' } },
      RECEIVED_AT,
    );
    assert.doesNotMatch(texts(extractAction(events[0]!)), /typed value/);
  });

  it('gives no text to an element whose name says it holds a card or password', () => {
    const action = extractAction(click('span:attr__id="cc-number"text="4111"'))!;
    assert.doesNotMatch(texts(action), /4111/);
  });
});

describe('the join keys and the product list', () => {
  it('replaces the user id and email wherever they appear outside their fields', () => {
    const event = click('a:href="/people/u-4821"text="Profile of u-4821"', { $current_url: 'https://app.example.com/people/u-4821?x=1' });
    const action = extractAction(event, { privacy: { userIds: ['u-4821'], emails: ['jane@example.com'], patterns: [], selectors: [] } })!;
    assert.doesNotMatch(texts(action), /u-4821/);
    assert.equal(action.target?.label, 'Profile of [user]');
  });

  it('hides the text of elements matching a product selector, and of everything inside them', () => {
    const privacy = { userIds: [], emails: [], ...compilePrivacy({ text_patterns: [], selectors: ['.customer-name', '[data-private]'] }) };
    const inside = extractAction(click('span:text="Jane Roe";button.customer-name:attr__aria-label="Jane Roe"'), { privacy })!;
    assert.doesNotMatch(texts(inside), /Jane Roe/);
    const attribute = extractAction(click('button:attr__data-private="1"text="Jane Roe"'), { privacy })!;
    assert.doesNotMatch(texts(attribute), /Jane Roe/);
    assert.equal(extractAction(click('button:text="Jane Roe"'))!.target?.label, 'Jane Roe');
  });

  it('redacts the product text patterns in every string', () => {
    const privacy = { userIds: [], emails: [], ...compilePrivacy({ text_patterns: ['ACME-[0-9]{4}'], selectors: [] }) };
    const action = extractAction(click('button:text="Open ACME-1234"', { $current_url: 'https://app.example.com/tickets/ACME-1234' }), { privacy })!;
    assert.doesNotMatch(texts(action), /ACME-1234/);
  });
});
