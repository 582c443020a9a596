/**
 * Grounded answers in products Sightline has never seen: posthog-js events go to a real connector (`POST /e/`), the
 * stream reaches a real bridge with the offline responder, and each question's answer is checked the way a person
 * would judge it: it says where the user is, continues from their last step, quotes only labels the product showed,
 * answers the question asked, does not recite a click log, speaks the question's language and shows no internal text.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { BRIDGE_DEFAULTS, resolveLlmSettings, startBridge, type RunningBridge } from '@sightline/bridge';
import { startConnector, type RunningConnector } from '@sightline/connector';
import { SCENARIOS, type EventSpec, type Question, type Scenario } from './grounding-scenarios.ts';

const PRODUCT = 'grounding';

/** Common words of each language; a reply belongs to the language whose words it uses most (quoted labels aside). */
const LANGUAGE_WORDS: Record<Question['language'], string[]> = {
  en: ['the', 'and', 'you', 'your', 'to', 'is', 'on', 'of', 'it', 'in', 'with', 'this', 'can', 'what', 'that', 'are', "you're", 'have'],
  es: ['el', 'la', 'los', 'las', 'de', 'que', 'en', 'para', 'tu', 'una', 'un', 'con', 'por', 'estás', 'está', 'puedes', 'y', 'es', 'lo', 'al', 'del', 'has'],
  fr: ['le', 'la', 'les', 'de', 'des', 'du', 'un', 'une', 'et', 'vous', 'est', 'dans', 'pour', 'sur', 'pas', 'votre', 'avez', 'êtes', 'ce', 'cette', 'à'],
  de: ['der', 'die', 'das', 'und', 'du', 'sie', 'ist', 'nicht', 'mit', 'auf', 'ein', 'eine', 'im', 'zu', 'den', 'dem', 'bist', 'hast', 'dich', 'deine', 'ich'],
  pt: ['o', 'os', 'as', 'de', 'do', 'da', 'que', 'em', 'no', 'na', 'para', 'você', 'seu', 'sua', 'um', 'uma', 'com', 'por', 'está', 'e', 'é'],
};

function languageOf(text: string): string {
  const words = text.toLowerCase().replace(/'[^'\n]*'/g, ' ').match(/[\p{L}']+/gu) ?? [];
  const scores = Object.entries(LANGUAGE_WORDS).map(([language, list]) => [language, words.filter((word) => list.includes(word)).length] as const);
  return scores.sort((a, b) => b[1] - a[1])[0]![0];
}

/** Labels quoted in a reply: 'X' or "X" or **X**. */
function quotedLabels(text: string): string[] {
  const found: string[] = [];
  for (const match of text.matchAll(/(?:^|[\s(:])'([^'\n]{1,80})'(?=[\s.,;:!?)]|$)|\*\*([^*\n]{1,80})\*\*/g)) found.push((match[1] ?? match[2])!.trim());
  return found;
}

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** "click 'X'", "open the X", "press X" as an instruction, not "you clicked X". */
function tellsToUseAgain(reply: string, label: string): boolean {
  const instruction = new RegExp(
    `(?<!you |you've |you have |already |just )\\b(?:click|press|tap|hit|open|choose|use|haz clic en|pulsa|abre|cliquez sur|ouvrez|klicke auf|öffne|clique em|abra)(?:\\s+(?:on|the|again|en|el|la|sur|le|auf|den|die|em|o|a))*\\s+['"“*]*${escape(label)}\\b`,
    'i',
  );
  return instruction.test(reply);
}

/** Text meant for the product's code or its operators, never for its users. */
const INTERNAL_TEXT = /Page Load:|\b[a-z]+_[a-z_]+\b|\b[a-z]+(?:-[a-z]+)+-form\b|[A-Z]+_API_KEY|\bsession [0-9a-z-]{8,}|https?:\/\//;

interface Judgement {
  failures: string[];
}

function judge(scenario: Scenario, question: Question, reply: string): Judgement {
  const failures: string[] = [];
  if (question.places && !question.places.some((place) => place.test(reply))) failures.push('does not say where the user is');
  for (const label of question.notAgain ?? []) if (tellsToUseAgain(reply, label)) failures.push(`tells the user to use '${label}' again`);
  const known = [...scenario.labels, question.query].map((label) => label.toLowerCase());
  const invented = quotedLabels(reply).filter((quote) => {
    const lower = quote.toLowerCase();
    return lower.length > 1 && !known.some((label) => label.includes(lower) || lower.includes(label));
  });
  if (invented.length > 0) failures.push(`quotes labels the product never showed: ${invented.join(', ')}`);
  if (!question.answers.some((answer) => answer.test(reply))) failures.push('does not answer the question');
  if (question.isUnrelated) {
    const forced = scenario.labels.filter((label) => new RegExp(`\\b${escape(label)}\\b`, 'i').test(reply));
    if (forced.length > 0) failures.push(`forces the activity onto an unrelated question: ${forced.join(', ')}`);
  }
  for (const forbidden of question.mustNotMention ?? []) if (forbidden.test(reply)) failures.push(`mentions ${String(forbidden)}`);
  const lines = reply.split('\n').filter((line) => line.trim() !== '');
  if (question.maxLines !== undefined) {
    if (lines.length > question.maxLines) failures.push(`recap of ${lines.length} lines`);
  } else if ((reply.match(/\b(?:clicked|typed|selected|visited|toggled|loaded)\b/gi) ?? []).length > 3) failures.push('recites a click log');
  const language = languageOf(reply);
  if (language !== question.language) failures.push(`reads as ${language}, the question is ${question.language}`);
  const internal = reply.match(INTERNAL_TEXT);
  if (internal) failures.push(`shows internal text: ${internal[0]}`);
  return { failures };
}

let connector: RunningConnector;
let bridge: RunningBridge;
let captureToken: string;
let dataDir: string;

before(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'sightline-grounding-'));
  connector = await startConnector({ port: 0, host: '127.0.0.1', dataDir, logger: false, defaultMetrics: false, batchWindowMs: 0 });
  const credentials = await connector.registerProduct({ productId: PRODUCT, contactEmail: 'qa@example.com' });
  captureToken = credentials.capture_token;
  bridge = await startBridge(
    {
      ...BRIDGE_DEFAULTS,
      streamUrl: credentials.stream_url,
      streamKey: credentials.stream_key,
      host: '127.0.0.1',
      port: 0,
      corsOrigins: '*',
      adminToken: null,
      llm: resolveLlmSettings({ LLM_PROVIDER: 'offline' }),
    },
    { logger: false },
  );
});

after(async () => {
  await bridge?.close();
  await connector?.close();
  await rm(dataDir, { recursive: true, force: true });
});

let runs = 0;

/** Posts a user's events as posthog-js does (one batch per event), spread over the last `spanSeconds`. */
async function postEvents(scenario: Scenario, events: EventSpec[], userId: string, sessionId: string): Promise<void> {
  const end = Date.now() - 1000;
  const start = end - scenario.spanSeconds * 1000;
  for (const [position, spec] of events.entries()) {
    const at = events.length === 1 ? end : start + ((end - start) * position) / (events.length - 1);
    const properties: Record<string, unknown> = {
      distinct_id: userId,
      token: captureToken,
      $session_id: sessionId,
      $window_id: `${sessionId}-${spec.window ?? 'main'}`,
      $current_url: `https://${scenario.host}${spec.path}`,
      $host: scenario.host,
      $pathname: spec.path,
      $lib: 'web',
      email: `${userId}@example.com`,
    };
    if (spec.title) properties['title'] = spec.title;
    if (spec.eventType) properties['$event_type'] = spec.eventType;
    if (spec.chain) properties['$elements_chain'] = spec.chain;
    const response = await fetch(`${connector.url}/e/`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ api_key: captureToken, batch: [{ event: spec.event, properties, timestamp: new Date(at).toISOString() }] }),
    });
    assert.equal(response.status, 200, `the connector accepts ${spec.event} on ${spec.path}`);
  }
}

async function waitForActions(sessionId: string, count: number): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const tabs = await bridge.pipeline.tracker.tabsOf(PRODUCT, sessionId);
    if (tabs.reduce((sum, tab) => sum + tab.actionCount, 0) >= count) return;
    if (Date.now() > deadline) assert.fail(`the bridge saw ${tabs.length} tabs, not ${count} actions, of session ${sessionId}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function ask(userId: string, query: string): Promise<{ reply: string; has_activity: boolean }> {
  const response = await fetch(`${bridge.url}/reply/${encodeURIComponent(userId)}?${new URLSearchParams({ query })}`);
  assert.equal(response.status, 200);
  return (await response.json()) as { reply: string; has_activity: boolean };
}

describe('grounded answers in products the project has never seen', () => {
  for (const scenario of SCENARIOS) {
    it(scenario.name, async () => {
      runs += 1;
      const userId = `user-${runs}`;
      const sessionId = `01a2${String(runs).padStart(4, '0')}-0000-7000-8000-000000000000`;
      if (scenario.otherUser) {
        const otherSession = `${sessionId.slice(0, -4)}ffff`;
        await postEvents(scenario, scenario.otherUser.events, `other-${runs}`, otherSession);
        await waitForActions(otherSession, scenario.otherUser.events.length);
      }
      await postEvents(scenario, scenario.events, userId, sessionId);
      await waitForActions(sessionId, scenario.events.length);
      const problems: string[] = [];
      for (const question of scenario.questions) {
        const { reply, has_activity } = await ask(userId, question.query);
        assert.equal(has_activity, true, `${scenario.name}: the bridge sees the user's activity`);
        const { failures } = judge(scenario, question, reply);
        if (failures.length > 0) problems.push(`Q: ${question.query}\nA: ${reply}\n  - ${failures.join('\n  - ')}`);
      }
      assert.deepEqual(problems, [], problems.join('\n\n'));
    });
  }
});
