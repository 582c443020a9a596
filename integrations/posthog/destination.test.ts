/**
 * Keeps the PostHog destination kit true: the Hog source sends Autoplay's flat field set (so either
 * connector accepts it), reads fields from the clicked element with posthog-js escaping, and the
 * Sightline connector accepts exactly what it sends and streams the action.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { startConnector } from '@sightline/connector';
import { destinationPayloadFields, destinationSourcePath, flatPayloadFor, type CdpEvent } from './flat-payload.ts';

/** The flat fields of Autoplay's Hog payload (docs/reference/posthog-capture.md#flat-hog-payload): the wire contract. */
const FLAT_FIELDS = [
  'event', 'referrer', 'email', 'timestamp', 'element_id', 'event_type', 'session_id', 'current_url', 'distinct_id',
  'elements_chain', 'input_field_name', 'link_destination', 'button_or_link_text',
];
/** Sightline's additions: the tab, the document title and the person's groups (a receiver that does not know them ignores them). */
const SIGHTLINE_FIELDS = ['window_id', 'title', 'groups'];

const SESSION_ID = '019aa6c4-1a2b-7c3d-8e4f-5a6b7c8d9e0f';
const DISTINCT_ID = 'user-42';

function cdpEvent(event: string, properties: Record<string, unknown>, elementsChain = ''): CdpEvent {
  return {
    event,
    distinct_id: DISTINCT_ID,
    timestamp: new Date().toISOString(),
    elements_chain: elementsChain,
    properties: { $session_id: SESSION_ID, $current_url: 'https://app.acme.test/team', $referrer: '$direct', ...properties },
  };
}

const quotedButton = cdpEvent(
  '$autocapture',
  { $event_type: 'click' },
  'button.button.primary:attr__class="button primary"attr__id="say-hi-btn"attr_id="say-hi-btn"nth-child="2"nth-of-type="1"text="Say \\"hi\\" to the team";div.toolbar:attr__class="toolbar"attr__id="app"attr_id="app"nth-child="1"nth-of-type="1";body:nth-child="2"nth-of-type="1"',
);
const spanInLink = cdpEvent(
  '$autocapture',
  { $event_type: 'click' },
  'span:attr__href="/billing"href="/billing"nth-child="1"nth-of-type="1"text="plans";a.nav:attr__class="nav"attr__data-text="decoy"attr__href="/billing"attr__id="nav-billing"attr_id="nav-billing"href="/billing"nth-child="4"nth-of-type="4"text="See plans";nav:nth-child="1"nth-of-type="1";body:nth-child="2"nth-of-type="1"',
);
const bareButtonInForm = cdpEvent(
  '$autocapture',
  { $event_type: 'click' },
  'button.hover:underline.link:attr__class="link hover:underline"nth-child="3"nth-of-type="1"text="Send invite";form:attr__id="invite-form"attr__name="invite-member-form"attr_id="invite-form"nth-child="1"nth-of-type="1";body:nth-child="2"nth-of-type="1"',
);
const pageview = cdpEvent('$pageview', { $current_url: 'https://app.acme.test/team?tab=members', $window_id: 'tab-1', title: 'Team members · Acme' });

test("the Hog source sends exactly Autoplay's flat fields plus window_id, title and groups", async () => {
  const source = await readFile(destinationSourcePath, 'utf8');
  assert.deepEqual([...destinationPayloadFields(source)].sort(), [...FLAT_FIELDS, ...SIGHTLINE_FIELDS].sort());
});

test('the tab comes from $window_id and the page title from title', async () => {
  const source = await readFile(destinationSourcePath, 'utf8');
  assert.match(source, /'window_id': event\.properties\?\.\$window_id \?\? ''/);
  assert.match(source, /'title': event\.properties\?\.title \?\? ''/);
  const payload = flatPayloadFor(cdpEvent('$pageview', { $window_id: 'tab-2', title: 'Team · Acme' }));
  assert.equal(payload.window_id, 'tab-2');
  assert.equal(payload.title, 'Team · Acme');
  assert.equal(flatPayloadFor(spanInLink).title, '', 'clicks carry no title');
});

test("the person's groups come from $groups, as an empty object when there are none", async () => {
  const source = await readFile(destinationSourcePath, 'utf8');
  assert.match(source, /'groups': event\.properties\?\.\$groups \?\? \{\}/);
  assert.deepEqual(flatPayloadFor(cdpEvent('$autocapture', { $groups: { company: 'initech' } })).groups, { company: 'initech' });
  assert.deepEqual(flatPayloadFor(pageview).groups, {});
});

test('the Hog source takes the URL and the secret header from the destination form, not from its own text', async () => {
  const source = await readFile(destinationSourcePath, 'utf8');
  assert.match(source, /fetch\(inputs\.url,/);
  assert.match(source, /let headers := inputs\.headers/);
  assert.doesNotMatch(source, /'x-posthog-secret'\s*:/i, 'no secret header is written into the source');
});

test('text with escaped quotes arrives whole', () => {
  const payload = flatPayloadFor(quotedButton);
  assert.equal(payload.button_or_link_text, 'Say "hi" to the team');
  assert.equal(payload.element_id, 'say-hi-btn');
});

test('a click on a span inside a link reports the link, and attr__data-text is not mistaken for text', () => {
  const payload = flatPayloadFor(spanInLink);
  assert.equal(payload.button_or_link_text, 'See plans');
  assert.equal(payload.element_id, 'nav-billing');
  assert.equal(payload.link_destination, '/billing');
});

test("a button without an id does not borrow its form's id or name; class names with ':' do not confuse the tag", () => {
  const payload = flatPayloadFor(bareButtonInForm);
  assert.equal(payload.element_id, '');
  assert.equal(payload.input_field_name, '');
  assert.equal(payload.button_or_link_text, 'Send invite');
});

test('email comes from the event, else from the person', () => {
  assert.equal(flatPayloadFor(cdpEvent('$pageview', { email: 'event@acme.test' }), { properties: { email: 'person@acme.test' } }).email, 'event@acme.test');
  assert.equal(flatPayloadFor(pageview, { properties: { email: 'person@acme.test' } }).email, 'person@acme.test');
  assert.equal(flatPayloadFor(pageview).email, '');
});

test('the connector accepts what the destination sends and streams the actions', { timeout: 30_000 }, async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'sightline-posthog-kit-'));
  const connector = await startConnector({ port: 0, dataDir, logger: false, defaultMetrics: false });
  const abort = new AbortController();
  try {
    const product = await connector.registerProduct({ productId: 'kit', contactEmail: 'kit@acme.test' });
    const stream = await fetch(product.stream_url, {
      headers: { authorization: `Bearer ${product.stream_key}`, accept: 'text/event-stream' },
      signal: abort.signal,
    });
    assert.equal(stream.status, 200);

    const fields = destinationPayloadFields();
    for (const event of [pageview, quotedButton, spanInLink, bareButtonInForm]) {
      const flat = flatPayloadFor(event, { properties: { email: 'jane@acme.test' } });
      // Built from the source's own field list: a field added to the source shows up here.
      const body = Object.fromEntries(fields.map((field) => [field, flat[field]]));
      assert.ok(Object.entries(body).every(([field, value]) => (field === 'groups' ? typeof value === 'object' : typeof value === 'string')), 'every field the source sends has a value');
      const response = await fetch(product.webhook_url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-posthog-secret': product.webhook_secret },
        body: JSON.stringify(body),
      });
      assert.ok(response.status >= 200 && response.status < 300, `${event.event} accepted (got ${response.status}: ${await response.text()})`);
    }

    const rejected = await fetch(product.webhook_url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-posthog-secret': 'not-the-secret' },
      body: JSON.stringify(flatPayloadFor(quotedButton)),
    });
    assert.equal(rejected.status, 401);
    assert.match(((await rejected.json()) as { error: { code: string } }).error.code, /^SL_/);

    await connector.flush();
    const reader = stream.body!.pipeThrough(new TextDecoderStream()).getReader();
    let received = '';
    while (!received.includes('Say \\"hi\\" to the team')) {
      const { value, done } = await reader.read();
      assert.ok(!done, `the stream carries the quoted label; got:\n${received}`);
      received += value;
    }
    assert.match(received, /"type":"actions"/);
    assert.match(received, /See plans/);
    assert.match(received, /"window_id":"tab-1","page":\{"title":"Team members","path":"\/team"\}/, 'the tab and the page title arrive');
  } finally {
    abort.abort();
    await connector.close();
    await rm(dataDir, { recursive: true, force: true });
  }
});
