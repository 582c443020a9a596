/**
 * Privacy that holds, end to end: the corpus (e2e/privacy-corpus.ts) puts every kind of personal data into every
 * field an event can carry, through the real doors of a real connector (`POST /e/`, `POST /webhook/:product`). A real
 * bridge reads the stream and answers `/reply` questions (which carry personal data too) with an LLM pointed at the
 * fake OpenAI-compatible server, which records every prompt and answers with personal data of its own. Nothing of it
 * may come out: not on the stream (outside the `user_id` and `email` join keys), not in replies, prompts, either
 * server's logs or `/metrics`.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { pino } from 'pino';
import { BRIDGE_DEFAULTS, resolveLlmSettings, startBridge, type RunningBridge } from '@sightline/bridge';
import { startConnector, type RunningConnector } from '@sightline/connector';
// The bridge has no `testing` subpath yet; its fake OpenAI-compatible server is the one every LLM test uses.
// eslint-disable-next-line no-restricted-imports
import { startFakeLlmServer, type FakeLlmServer } from '../packages/bridge/src/llm/__fixtures__/fake-llm-server.ts';
import { PERSONAL_DATA, PLACEMENTS, USER_ID_PREFIX, type PersonalDatum } from './privacy-corpus.ts';

const PRODUCT = 'privacy';
const CONNECTOR_ADMIN_TOKEN = 'privacy-admin-token-0f3a9c1e5b7d2a4c6e8f0a1b3c5d7e9f';
const BRIDGE_KEY = 'privacy-bridge-key-9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b';
/** What the fake model answers besides echoing its prompt: a model that repeats personal data it was never sent. */
const MODEL_LEAK = 'Call +44 20 7946 0958 or write to jane.roe@example.com; card 4111 1111 1111 1111.';

/** A text sink for pino: every line either server logs. */
function logSink(): { stream: Writable; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString('utf8'));
      done();
    },
  });
  return { stream, text: () => chunks.join('') };
}

interface Person {
  datum: PersonalDatum;
  userId: string;
  email: string;
  sessionId: string;
  value: string;
  needles: string[];
}

let connector: RunningConnector;
let bridge: RunningBridge;
let llm: FakeLlmServer;
let dataDir: string;
const connectorLogs = logSink();
const bridgeLogs = logSink();
let streamText = '';
let streamAbort: AbortController;

before(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'sightline-privacy-'));
  llm = await startFakeLlmServer((body) => {
    const messages = (body['messages'] as { content: string }[] | undefined) ?? [];
    const prompt = messages.map((message) => message.content).join('\n');
    return `${prompt.slice(-400)}\n${MODEL_LEAK}`;
  });
  connector = await startConnector({
    port: 0, host: '127.0.0.1', dataDir, adminToken: CONNECTOR_ADMIN_TOKEN, defaultMetrics: false, batchWindowMs: 0,
    logger: pino({ level: 'debug' }, connectorLogs.stream),
  });
}, { timeout: 20_000 });

after(async () => {
  streamAbort?.abort();
  await bridge?.close();
  await connector?.close();
  await llm?.close();
  await rm(dataDir, { recursive: true, force: true });
});

/** Reads the product's SSE stream as raw text, the way any subscriber would receive it. */
async function readStream(url: string, key: string): Promise<void> {
  streamAbort = new AbortController();
  const response = await fetch(url, { headers: { authorization: `Bearer ${key}` }, signal: streamAbort.signal });
  assert.equal(response.status, 200);
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  void (async () => {
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        streamText += decoder.decode(value, { stream: true });
      }
    } catch {
      // Aborted at the end of the test.
    }
  })();
}

/** The stream's text without the join keys, which are the only fields allowed to hold the user id and email. */
function streamWithoutJoinKeys(): string {
  return streamText
    .split('\n')
    .filter((line) => line.startsWith('data:'))
    .map((line) => {
      const payload = JSON.parse(line.slice(5)) as Record<string, unknown>;
      const strip = (record: Record<string, unknown>) => {
        delete record['user_id'];
        delete record['email'];
      };
      strip(payload);
      for (const action of (payload['actions'] as Record<string, unknown>[] | undefined) ?? []) strip(action);
      return JSON.stringify(payload);
    })
    .join('\n');
}

function leaksIn(text: string, people: readonly Person[]): string[] {
  const found: string[] = [];
  for (const person of people) {
    for (const needle of person.needles) if (needle !== '' && text.includes(needle)) found.push(`${person.datum.kind}: ${needle}`);
  }
  return found;
}

describe('privacy corpus', () => {
  it('leaks nothing on the stream, in replies, prompts, logs or metrics', { timeout: 120_000 }, async () => {
    const auth = { authorization: `Bearer ${CONNECTOR_ADMIN_TOKEN}`, 'content-type': 'application/json' };
    const registered = await fetch(`${connector.url}/products`, { method: 'POST', headers: auth, body: JSON.stringify({ product_id: PRODUCT, contact_email: 'owner@example.com' }) });
    assert.equal(registered.status, 201);
    const credentials = (await registered.json()) as Record<string, string>;
    bridge = await startBridge(
      {
        ...BRIDGE_DEFAULTS,
        streamUrl: credentials['stream_url']!,
        streamKey: credentials['stream_key']!,
        host: '127.0.0.1',
        port: 0,
        corsOrigins: [],
        adminToken: null,
        apiKeys: [BRIDGE_KEY],
        llm: resolveLlmSettings({ LLM_BASE_URL: llm.baseUrl, LLM_MODEL: 'fake-model', LLM_API_KEY: 'fake-llm-key-not-a-secret' }),
      },
      { logger: pino({ level: 'debug' }, bridgeLogs.stream) },
    );
    await readStream(credentials['stream_url']!, credentials['stream_key']!);

    const people: Person[] = PERSONAL_DATA.map((datum, index) => {
      const userId = `${USER_ID_PREFIX}-${index}`;
      const value = datum.kind === 'user id' ? userId : datum.value;
      const email = `person.${index}@example.net`;
      return {
        datum, userId, email, value,
        sessionId: `0199aa00-0000-7000-8000-${String(index).padStart(12, '0')}`,
        needles: [...new Set([value, value.replace(/\s+/g, ' '), encodeURIComponent(value), ...datum.needles, userId, email, 'person.' + index])],
      };
    });
    // Secrets of the servers themselves must not be logged either.
    const secrets = [CONNECTOR_ADMIN_TOKEN, BRIDGE_KEY, credentials['stream_key']!, credentials['webhook_secret']!, 'fake-llm-key-not-a-secret'];

    let placements = 0;
    const start = Date.now() - 60_000;
    for (const person of people) {
      const urlValue = encodeURIComponent(person.value);
      const capture: Record<string, unknown>[] = [];
      const webhook: Record<string, unknown>[] = [];
      for (const [position, placement] of PLACEMENTS.entries()) {
        placements += 1;
        const timestamp = new Date(start + position * 500).toISOString();
        const event = placement.event(person.value, urlValue);
        if (placement.door === 'capture') {
          const properties = event['properties'] as Record<string, unknown>;
          Object.assign(properties, { distinct_id: person.userId, $session_id: person.sessionId, $window_id: `${person.sessionId}-w`, email: person.email, token: credentials['capture_token'] });
          capture.push({ ...event, timestamp, uuid: `0199aa00-${String(position).padStart(4, '0')}-7000-8000-${person.sessionId.slice(-12)}` });
        } else {
          webhook.push({ ...event, distinct_id: person.userId, session_id: person.sessionId, window_id: `${person.sessionId}-w`, email: person.email, timestamp, uuid: `0199aa01-${String(position).padStart(4, '0')}-7000-8000-${person.sessionId.slice(-12)}` });
        }
      }
      const captured = await fetch(`${connector.url}/e/`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ api_key: credentials['capture_token'], batch: capture }) });
      assert.equal(captured.status, 200, await captured.text());
      const hooked = await fetch(credentials['webhook_url']!, { method: 'POST', headers: { 'content-type': 'application/json', 'x-posthog-secret': credentials['webhook_secret']! }, body: JSON.stringify({ batch: webhook }) });
      assert.equal(hooked.status, 200, await hooked.text());
    }
    assert.ok(placements >= 300, `${placements} placements`);
    await connector.flush();

    // The bridge has read every user's session before it is asked.
    for (const person of people) {
      const deadline = Date.now() + 15_000;
      for (;;) {
        const tabs = await bridge.pipeline.tracker.tabsOf(PRODUCT, person.sessionId);
        if (tabs.reduce((sum, tab) => sum + tab.actionCount, 0) > 0) break;
        if (Date.now() > deadline) assert.fail(`the bridge never saw ${person.datum.kind}'s session`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    }

    const replies: string[] = [];
    for (const person of people) {
      const query = `I typed ${person.value} somewhere on this page, what should I do next?`;
      const posted = await fetch(`${bridge.url}/reply`, {
        method: 'POST',
        headers: { authorization: `Bearer ${BRIDGE_KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify({ user_id: person.userId, query }),
      });
      assert.equal(posted.status, 200, await posted.clone().text());
      replies.push(await posted.text());
      const viaGet = await fetch(`${bridge.url}/reply/${encodeURIComponent(person.userId)}?${new URLSearchParams({ query: 'and now?', token: BRIDGE_KEY })}`);
      assert.equal(viaGet.status, 200);
      replies.push(await viaGet.text());
    }

    const connectorMetrics = await (await fetch(`${connector.url}/metrics`, { headers: { authorization: `Bearer ${CONNECTOR_ADMIN_TOKEN}` } })).text();
    const bridgeMetrics = await (await fetch(`${bridge.url}/metrics`, { headers: { authorization: `Bearer ${BRIDGE_KEY}` } })).text();
    const prompts = llm.requests.map((request) => JSON.stringify(request.body));
    assert.ok(prompts.length >= people.length, `the model was asked ${prompts.length} times`);
    // The data went through and was redacted, not dropped: each kind shows up as its placeholder on the stream.
    for (const placeholder of ['[card]', '[phone]', '[iban]', '[id-number]', '[jwt]', '[api-key]', '[token]', '[email]', '[user]', '[redacted]']) {
      assert.ok(streamText.includes(placeholder), `the stream holds ${placeholder}`);
    }

    const places: Record<string, string> = {
      stream: streamWithoutJoinKeys(),
      replies: replies.join('\n'),
      prompts: prompts.join('\n'),
      'connector logs': connectorLogs.text(),
      'bridge logs': bridgeLogs.text(),
      metrics: `${connectorMetrics}\n${bridgeMetrics}`,
    };
    const modelLeak: PersonalDatum = { kind: 'model output', value: MODEL_LEAK, needles: ['7946 0958', 'jane.roe', '4111 1111'] };
    const rows: string[] = [];
    const failures: string[] = [];
    for (const [place, text] of Object.entries(places)) {
      const found = leaksIn(text, people);
      if (place === 'replies') found.push(...leaksIn(text, [{ datum: modelLeak, userId: '', email: '', sessionId: '', value: '', needles: modelLeak.needles }]));
      if (place.endsWith('logs')) found.push(...secrets.filter((secret) => text.includes(secret)).map((secret) => `secret ${secret.slice(0, 12)}…`));
      rows.push(`${place.padEnd(16)} ${String(text.length).padStart(9)} chars  ${String(found.length).padStart(4)} leaks`);
      if (found.length > 0) failures.push(`${place}: ${[...new Set(found)].join('; ')}`);
    }
    console.log(`# privacy corpus: ${placements} placements (${PERSONAL_DATA.length} kinds × ${PLACEMENTS.length} fields), ${llm.requests.length} prompts\n# ${rows.join('\n# ')}`);
    assert.deepEqual(failures, []);
  });
});
