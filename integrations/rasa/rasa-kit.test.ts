/**
 * Keeps the Rasa kit true: every file parses, the routing the README promises is configured, every
 * action in the domain is one the bridge serves (asked over HTTP at GET /actions), every intent the
 * rules and stories use has NLU examples, and the compose file builds images that exist.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { loadBridgeConfig, startBridge } from '@sightline/bridge';
import { parse } from 'yaml';

const kit = (path: string): string => fileURLToPath(new URL(path, import.meta.url));
// Compose files use YAML merge keys (`<<: *anchor`), which YAML 1.2 leaves off unless asked.
const readYaml = (path: string): unknown => parse(readFileSync(kit(path), 'utf8'), { merge: true });

type Dict = Record<string, unknown>;
const asDict = (value: unknown, what: string): Dict => {
  assert.ok(value !== null && typeof value === 'object' && !Array.isArray(value), `${what} is a mapping`);
  return value as Dict;
};
const asList = (value: unknown, what: string): unknown[] => {
  assert.ok(Array.isArray(value), `${what} is a list`);
  return value;
};

/** Intents Rasa defines itself; rules may use them without NLU examples. */
const RASA_DEFAULT_INTENTS = new Set(['nlu_fallback', 'restart', 'back', 'out_of_scope', 'session_start']);

const domain = asDict(readYaml('./domain.yml'), 'domain.yml');
const nlu = asList(asDict(readYaml('./data/nlu.yml'), 'nlu.yml').nlu, 'nlu');
const rules = asList(asDict(readYaml('./data/rules.yml'), 'rules.yml').rules, 'rules');
const stories = asList(asDict(readYaml('./data/stories.yml'), 'stories.yml').stories, 'stories');
const domainActions = asList(domain.actions, 'domain actions').map(String);
const domainIntents = asList(domain.intents, 'domain intents').map(String);
const responses = Object.keys(asDict(domain.responses, 'domain responses'));

function steps(entries: unknown[]): Dict[] {
  return entries.flatMap((entry) => asList(asDict(entry, 'rule or story').steps, 'steps').map((step) => asDict(step, 'step')));
}

const nluIntents = new Set(nlu.map((entry) => String(asDict(entry, 'nlu entry').intent)));

test('every kit file parses as YAML', () => {
  for (const file of ['config.yml', 'domain.yml', 'credentials.yml', 'endpoints.yml', 'data/nlu.yml', 'data/rules.yml', 'data/stories.yml', 'docker-compose.yml']) {
    assert.doesNotThrow(() => readYaml(`./${file}`), file);
  }
});

test('low-confidence messages become nlu_fallback and a rule sends them to action_ask_llm', () => {
  const config = asDict(readYaml('./config.yml'), 'config.yml');
  const fallback = asList(config.pipeline, 'pipeline').map((step) => asDict(step, 'pipeline step')).find((step) => step.name === 'FallbackClassifier');
  assert.ok(fallback, 'the pipeline has a FallbackClassifier');
  assert.equal(fallback.threshold, 0.3);
  const routed = rules.some((rule) => {
    const [first, second] = asList(asDict(rule, 'rule').steps, 'steps').map((step) => asDict(step, 'step'));
    return first?.intent === 'nlu_fallback' && second?.action === 'action_ask_llm';
  });
  assert.ok(routed, 'a rule maps nlu_fallback to action_ask_llm');
});

test('the domain declares the three bridge actions and the rules use each of them', () => {
  assert.deepEqual([...domainActions].sort(), ['action_ask_llm', 'action_help_current_page', 'action_recent_activity']);
  const used = new Set(steps(rules).map((step) => step.action).filter(Boolean));
  for (const action of domainActions) assert.ok(used.has(action), `a rule runs ${action}`);
});

test('every action the domain lists is served by the bridge at GET /actions', async () => {
  const config = loadBridgeConfig(
    { STREAM_URL: 'http://127.0.0.1:9/stream/kit', STREAM_KEY: 'kit-test-key', PORT: '0', HOST: '127.0.0.1', LLM_PROVIDER: 'offline' },
    { envFile: false },
  );
  const bridge = await startBridge(config, { logger: false, connectStream: false });
  try {
    const response = await fetch(`${bridge.url}/actions`);
    assert.equal(response.status, 200);
    const served = new Set(((await response.json()) as Array<{ name: string }>).map((action) => action.name));
    for (const action of domainActions) assert.ok(served.has(action), `the bridge serves ${action}`);
  } finally {
    await bridge.close();
  }
});

test('every intent in the rules and stories has NLU examples, and the domain lists each NLU intent', () => {
  for (const step of [...steps(rules), ...steps(stories)]) {
    if (typeof step.intent !== 'string') continue;
    assert.ok(nluIntents.has(step.intent) || RASA_DEFAULT_INTENTS.has(step.intent), `intent ${step.intent} has NLU examples`);
  }
  for (const intent of nluIntents) assert.ok(domainIntents.includes(intent), `domain.yml lists intent ${intent}`);
  for (const intent of domainIntents) assert.ok(nluIntents.has(intent), `intent ${intent} has NLU examples`);
});

test('every action in the rules and stories is a domain action or response', () => {
  for (const step of [...steps(rules), ...steps(stories)]) {
    if (typeof step.action !== 'string') continue;
    assert.ok(domainActions.includes(step.action) || responses.includes(step.action), `${step.action} is declared in domain.yml`);
  }
});

test('the socketio channel passes customData through and keeps sessions; the rest channel is on', () => {
  const credentials = asDict(readYaml('./credentials.yml'), 'credentials.yml');
  const socketio = asDict(credentials.socketio, 'socketio');
  assert.equal(socketio.metadata_key, 'customData');
  assert.equal(socketio.session_persistence, true);
  assert.equal(socketio.user_message_evt, 'user_uttered');
  assert.equal(socketio.bot_message_evt, 'bot_uttered');
  assert.ok('rest' in credentials, 'the rest channel is enabled');
  const endpoints = asDict(readYaml('./endpoints.yml'), 'endpoints.yml');
  const url = new URL(String(asDict(endpoints.action_endpoint, 'action_endpoint').url));
  assert.equal(url.pathname, '/webhook', 'Rasa calls the bridge action server at /webhook');
  assert.equal(url.port, '8090');
});

test('docker-compose runs Rasa 3.6 and builds connector, bridge and demo from Dockerfile targets that exist', () => {
  const compose = asDict(readYaml('./docker-compose.yml'), 'docker-compose.yml');
  const services = asDict(compose.services, 'services');
  for (const name of ['connector', 'bridge', 'demo', 'rasa']) assert.ok(name in services, `service ${name}`);
  assert.match(String(asDict(services.rasa, 'rasa').image), /^rasa\/rasa:3\.6\./);

  const dockerfile = readFileSync(kit('../../docker/Dockerfile'), 'utf8');
  const stages = new Set([...dockerfile.matchAll(/^FROM\s+\S+\s+AS\s+(\S+)/gim)].map((match) => match[1]));
  for (const [name, value] of Object.entries(services)) {
    const build = asDict(value, name).build;
    if (build === undefined) continue;
    const { context, dockerfile: file, target } = asDict(build, `${name}.build`);
    assert.equal(context, '../..', `${name} builds from the repository root`);
    assert.equal(file, 'docker/Dockerfile');
    assert.ok(stages.has(String(target)), `${name} builds Dockerfile stage ${String(target)}`);
  }
  assert.match(dockerfile, /^USER node$/m, 'images run as the unprivileged node user');
  assert.equal((dockerfile.match(/^HEALTHCHECK /gm) ?? []).length, 3, 'connector, bridge and demo have health checks');
});
