/**
 * A payload's `origin`: where its events came from, as the product's keyed hashes, for the bridge's UI map (which
 * counts a label only when several organisations show it, and caps what one capture address may contribute).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openStream, type OpenStream } from '../testing/sse-client.ts';
import { post, startTestConnector } from '../testing/test-connector.ts';

/** One click of a help desk agent, sent by posthog-js; `groups` as `posthog.group()` sets them. */
function click(token: string, session: string, label: string, groups?: Record<string, string>) {
  return JSON.stringify({
    api_key: token,
    batch: [{
      event: '$autocapture', distinct_id: `agent-${session}`, timestamp: new Date().toISOString(),
      properties: {
        $session_id: session, $event_type: 'click', $current_url: 'https://desk.example.org/tickets',
        $elements_chain: `button:text="${label}"nth-child="1"nth-of-type="1"`, ...(groups ? { $groups: groups } : {}),
      },
    }],
  });
}

function origins(stream: OpenStream): Map<string, unknown> {
  return new Map(stream.payloads().map((payload) => [payload.session_id as string, payload.origin]));
}

test('capture events carry the keyed hashes of their organisation and client address; raw values never leave', async (t) => {
  const connector = await startTestConnector({ batchWindowMs: 0, trustProxy: 1 });
  t.after(() => connector.cleanup());
  const desk = await connector.registerProduct({ productId: 'desk', contactEmail: 'ops@desk.example.org' });
  const stream = await openStream(desk.stream_url, { authorization: `Bearer ${desk.stream_key}` });
  t.after(() => stream.close());
  const from = (address: string) => ({ 'content-type': 'application/json', 'x-forwarded-for': address });
  assert.equal((await post(`${connector.url}/e/`, click(desk.capture_token, 's1', 'Assign', { company: 'globex-7781' }), from('203.0.113.9'))).status, 200);
  assert.equal((await post(`${connector.url}/e/`, click(desk.capture_token, 's2', 'Merge', { company: 'globex-7781', project: 'p-1' }), from('203.0.113.9'))).status, 200);
  assert.equal((await post(`${connector.url}/e/`, click(desk.capture_token, 's3', 'Close', { company: 'initech-12' }), from('198.51.100.4'))).status, 200);
  assert.equal((await post(`${connector.url}/e/`, click(desk.capture_token, 's4', 'Escalate'), from('198.51.100.4'))).status, 200);
  await stream.until(() => stream.payloads().length === 4);

  const bySession = origins(stream) as Map<string, { organisation: string | null; address: string | null }>;
  const [s1, s2, s3, s4] = ['s1', 's2', 's3', 's4'].map((session) => bySession.get(session)!);
  assert.match(s1!.organisation!, /^[A-Za-z0-9_-]{22}$/);
  // The same company is the same value, whatever other groups the person has; another company differs.
  assert.equal(s2!.organisation, s1!.organisation);
  assert.notEqual(s3!.organisation, s1!.organisation);
  assert.equal(s4!.organisation, null, 'no group, no organisation');
  // The same client address is the same value; another differs.
  assert.equal(s2!.address, s1!.address);
  assert.notEqual(s3!.address, s1!.address);
  assert.equal(s4!.address, s3!.address);
  const wire = JSON.stringify(stream.payloads());
  for (const raw of ['globex-7781', 'initech-12', '203.0.113.9', '198.51.100.4']) assert.ok(!wire.includes(raw), `${raw} left the connector`);
});

test('the same organisation hashes differently in two products; webhook and loopback events name no address', async (t) => {
  const connector = await startTestConnector({ batchWindowMs: 0 });
  t.after(() => connector.cleanup());
  const bank = await connector.registerProduct({ productId: 'bank', contactEmail: 'ops@bank.example' });
  const cms = await connector.registerProduct({ productId: 'cms', contactEmail: 'ops@cms.example' });
  const bankStream = await openStream(bank.stream_url, { authorization: `Bearer ${bank.stream_key}` });
  const cmsStream = await openStream(cms.stream_url, { authorization: `Bearer ${cms.stream_key}` });
  t.after(() => {
    bankStream.close();
    cmsStream.close();
  });
  await post(`${connector.url}/e/`, click(bank.capture_token, 'b1', 'Freeze card', { company: 'acme' }), { 'content-type': 'application/json' });
  await post(`${connector.url}/e/`, click(cms.capture_token, 'c1', 'Publish', { company: 'acme' }), { 'content-type': 'application/json' });
  const webhookEvent = {
    event: '$autocapture', uuid: 'w-1', distinct_id: 'editor-1', properties: {
      $session_id: 'c2', $event_type: 'click', $current_url: 'https://cms.example/pages', $elements_chain: 'button:text="Preview"', $groups: { company: 'acme' },
    },
  };
  const hook = await post(`${connector.url}/webhook/cms`, JSON.stringify(webhookEvent), { 'content-type': 'application/json', 'x-posthog-secret': cms.webhook_secret });
  assert.equal(hook.status, 200);
  await bankStream.until(() => bankStream.payloads().length === 1);
  await cmsStream.until(() => cmsStream.payloads().length === 2);
  const bankOrigin = origins(bankStream).get('b1') as { organisation: string; address: string | null };
  assert.equal(bankOrigin.address, null, 'a loopback (or private) address is a proxy\'s, shared by all behind it: not named');
  const cmsOrigins = origins(cmsStream) as Map<string, { organisation: string; address: string | null }>;
  assert.notEqual(bankOrigin.organisation, cmsOrigins.get('c1')!.organisation, 'one tenant\'s hash means nothing in another product');
  assert.equal(cmsOrigins.get('c2')!.organisation, cmsOrigins.get('c1')!.organisation);
  assert.equal(cmsOrigins.get('c2')!.address, null, 'the webhook door is PostHog, not the user: no address');
});

test("the PostHog destination's flat payload names the organisation through its groups field", async (t) => {
  const connector = await startTestConnector({ batchWindowMs: 0 });
  t.after(() => connector.cleanup());
  const cms = await connector.registerProduct({ productId: 'cms', contactEmail: 'ops@cms.example' });
  const stream = await openStream(cms.stream_url, { authorization: `Bearer ${cms.stream_key}` });
  t.after(() => stream.close());
  await post(`${connector.url}/e/`, click(cms.capture_token, 'c1', 'Publish', { company: 'umbrella' }), { 'content-type': 'application/json' });
  const flat = {
    event: '$autocapture', timestamp: new Date().toISOString(), distinct_id: 'editor-2', session_id: 'c2', window_id: '', title: '',
    groups: { company: 'umbrella' }, event_type: 'click', current_url: 'https://cms.example/pages', referrer: '', email: '',
    elements_chain: 'button:text="Schedule"nth-child="1"nth-of-type="1"', element_id: '', input_field_name: '', link_destination: '', button_or_link_text: 'Schedule',
  };
  const hook = await post(`${connector.url}/webhook/cms`, JSON.stringify(flat), { 'content-type': 'application/json', 'x-posthog-secret': cms.webhook_secret });
  assert.equal(hook.status, 200);
  await stream.until(() => stream.payloads().length === 2);
  const byId = origins(stream) as Map<string, { organisation: string | null }>;
  assert.ok(byId.get('c2')!.organisation);
  assert.equal(byId.get('c2')!.organisation, byId.get('c1')!.organisation);
});
