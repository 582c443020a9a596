/**
 * A long session with a language model configured: 90 posthog-js events go through a real connector to a bridge whose
 * model (a fake OpenAI-compatible server) summarises every 10 actions and then answers a chat message. The prompt it
 * gets must still know where the user is (the open dialog and what opened it) and the story of the whole session.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { startConnector } from '@sightline/connector';
import { BRIDGE_DEFAULTS } from '../config/bridge-config.ts';
import { resolveLlmSettings } from '../llm/chat-model.ts';
import { startFakeLlmServer } from '../llm/__fixtures__/fake-llm-server.ts';
import { startBridge } from './start-bridge.ts';

const BODY = 'body:nth-child="2"nth-of-type="1"';

/** The text of the last user message in an OpenAI chat-completions request. */
function userText(body: Record<string, unknown>): string {
  const messages = Array.isArray(body['messages']) ? (body['messages'] as { role: string; content: unknown }[]) : [];
  const content = messages.filter((message) => message.role === 'user').at(-1)?.content;
  if (typeof content === 'string') return content;
  return Array.isArray(content) ? content.map((part: { text?: string }) => part.text ?? '').join('') : '';
}

/**
 * Stands in for a model that folds its previous summary into the new one: it repeats the story it was given and adds
 * the first new action, so what the session began with survives only if the summarizer hands the story on.
 */
function foldingModel(body: Record<string, unknown>): string {
  const prompt = userText(body);
  if (!prompt.includes('Actions:')) return 'Fill in the weight, then confirm with the button at the bottom of the dialog.';
  const story = /Story so far:\s*\n([^\n]*)/.exec(prompt)?.[1]?.trim() ?? '';
  const first = /Actions:\s*\n\s*-?\s*([^\n]*)/.exec(prompt)?.[1]?.trim() ?? '';
  return `${story && story !== '(none yet)' ? `${story} ` : ''}Then: ${first.slice(0, 80)}.`;
}

test('with a model, the prompt for a 90-action session names the open dialog, its opener and the earlier work', { timeout: 60_000 }, async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'sightline-long-session-'));
  const connector = await startConnector({ port: 0, host: '127.0.0.1', dataDir, logger: false, defaultMetrics: false, batchWindowMs: 0 });
  const llm = await startFakeLlmServer(foldingModel);
  const credentials = await connector.registerProduct({ productId: 'haulr', contactEmail: 'ops@example.com' });
  const bridge = await startBridge(
    {
      ...BRIDGE_DEFAULTS,
      corsOrigins: '*',
      adminToken: null,
      streamUrl: credentials.stream_url,
      streamKey: credentials.stream_key,
      host: '127.0.0.1',
      port: 0,
      llm: resolveLlmSettings({ LLM_BASE_URL: llm.baseUrl, LLM_MODEL: 'llama3.2', LLM_TIMEOUT_MS: '3000' }),
    },
    { logger: false },
  );
  t.after(async () => {
    await bridge.close();
    await llm.close();
    await connector.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const events: Record<string, unknown>[] = [];
  const pageview = (path: string, title: string) => ({ event: '$pageview', path, title });
  const click = (path: string, chain: string, eventType = 'click') => ({ event: '$autocapture', path, chain, eventType });
  // The work the session began with: carriers.
  events.push(pageview('/carriers', 'Carriers · Haulr'));
  for (let k = 1; k <= 4; k += 1) {
    events.push(click('/carriers', `button:nth-child="1"nth-of-type="1"text="Compare rates ${k}";main:attr__id="content"attr_id="content"nth-child="1"nth-of-type="1";${BODY}`));
  }
  // Then many shipments.
  while (events.length < 87) {
    const n = events.length;
    events.push(pageview(`/shipments/${7000 + n}`, 'Shipment details · Haulr'));
    events.push(click(`/shipments/${7000 + n}`, `button:nth-child="1"nth-of-type="1"text="Refresh status";main:attr__id="content"attr_id="content"nth-child="1"nth-of-type="1";${BODY}`));
  }
  // Now: the Create label dialog, opened by a one-word button, weight typed in.
  events.push(pageview('/shipments/7999', 'Shipment details · Haulr'));
  events.push(click('/shipments/7999', `button:nth-child="1"nth-of-type="1"text="Label";main:attr__id="content"attr_id="content"nth-child="1"nth-of-type="1";${BODY}`));
  events.push(
    click(
      '/shipments/7999',
      `input:attr__aria-label="Weight"attr__name="weight_kg"nth-child="1"nth-of-type="1";div.modal:attr__aria-label="Create label"attr__class="modal"attr__role="dialog"nth-child="1"nth-of-type="1";${BODY}`,
      'change',
    ),
  );
  assert.equal(events.length, 90);

  const sessionId = '01a20000-0000-7000-8000-00000000aaaa';
  const start = Date.now() - 300_000;
  for (const [position, spec] of events.entries()) {
    const properties: Record<string, unknown> = {
      distinct_id: 'user-long',
      token: credentials.capture_token,
      $session_id: sessionId,
      $window_id: `${sessionId}-w`,
      $current_url: `https://ops.haulr.test${spec['path'] as string}`,
      $lib: 'web',
    };
    if (spec['title']) properties['title'] = spec['title'];
    if (spec['chain']) properties['$elements_chain'] = spec['chain'];
    if (spec['eventType']) properties['$event_type'] = spec['eventType'];
    const response = await fetch(`${connector.url}/e/`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ api_key: credentials.capture_token, batch: [{ event: spec['event'], properties, timestamp: new Date(start + position * 3000).toISOString() }] }),
    });
    assert.equal(response.status, 200);
  }
  const deadline = Date.now() + 15_000;
  for (;;) {
    const [tab] = await bridge.pipeline.tracker.tabsOf('haulr', sessionId);
    if (tab?.actionCount === 90) break;
    assert.ok(Date.now() < deadline, `the bridge saw ${tab?.actionCount ?? 0} of 90 actions`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  await bridge.pipeline.summarizer.flush();

  const response = await fetch(`${bridge.url}/reply/user-long?${new URLSearchParams({ query: 'how do I finish this?' })}`);
  assert.equal(response.status, 200);
  const summaryCalls = llm.requests.filter((request) => userText(request.body).includes('Actions:'));
  assert.ok(summaryCalls.length >= 8, `the session was summarised ${summaryCalls.length} times`);
  const replyRequest = llm.requests.at(-1)!;
  const prompt = userText(replyRequest.body);
  assert.match(prompt, /Create label/, 'the prompt names the open dialog');
  assert.match(prompt, /'Label'/, 'the prompt names what opened it');
  assert.match(prompt, /Weight/, 'the prompt names the field already used');
  assert.match(prompt, /Compare rates 1|Carriers/, 'the story still mentions the work the session began with');
  assert.doesNotMatch(prompt, /weight_kg|https?:\/\/|Page Load:/, 'no raw field names, URLs or wire titles');
});
