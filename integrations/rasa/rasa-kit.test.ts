/**
 * Keeps the Rasa kit true: every file parses, the routing the README promises is configured, every
 * action in the domain is one the bridge serves or forwards to the team's sample action server (asked
 * over HTTP at GET /actions), every intent the rules and stories use has NLU examples, the compose file
 * builds images that exist, requires every secret and puts the team's action server behind the bridges,
 * and Rasa's action calls, built from endpoints.yml as Rasa builds them, pass the bridge's key check.
 * Compose is validated here, not run (no Docker in the test run).
 */
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  OFFER_BUTTONS_ENTITY,
  OFFER_TEXT_ENTITY,
  PROACTIVE_ACTION_NAMES,
  RASA_ACCEPT_INTENT,
  RASA_NOT_NOW_INTENT,
  RASA_PROACTIVE_INTENT,
  RASA_WIDGET_READY_INTENT,
  loadBridgeConfig,
  startBridge,
} from '@sightline/bridge';
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
// An intent is a name, or a mapping of its name to its settings (`- sightline_proactive: {use_entities: []}`).
const domainIntents = asList(domain.intents, 'domain intents').map((intent) => (typeof intent === 'string' ? intent : Object.keys(asDict(intent, 'intent'))[0]!));
/** Intents only the bridge or the widget sends (trigger_intent, a button's or the tooltip's `/intent` payload): never typed, so no NLU examples. */
const BRIDGE_SENT_INTENTS = new Set([RASA_PROACTIVE_INTENT, RASA_NOT_NOW_INTENT, RASA_WIDGET_READY_INTENT]);
const responses = Object.keys(asDict(domain.responses, 'domain responses'));
/** The bridge's own actions (it serves them; everything else it forwards). */
const BRIDGE_ACTIONS = ['action_ask_llm', 'action_help_current_page', 'action_recent_activity', ...PROACTIVE_ACTION_NAMES];
/** What the sample team action server (actions/actions.py) serves: the names its actions' name() return. */
const sampleActions = [...readFileSync(kit('./actions/actions.py'), 'utf8').matchAll(/def name\(self\)[^:]*:\s*return "(\w+)"/g)].map((match) => match[1]!);

function steps(entries: unknown[]): Dict[] {
  return entries.flatMap((entry) => asList(asDict(entry, 'rule or story').steps, 'steps').map((step) => asDict(step, 'step')));
}

const KIT_KEY = 'kit-bridge-key-0123456789abcdef0123456789abcdef';
const KIT_IDENTITY_SECRET = 'kit-identity-secret-0123456789abcdef0123456789';

/** A bridge on loopback with the kit's key and identity secret, as the compose file starts it. */
async function startKitBridge(env: Record<string, string> = {}) {
  const config = loadBridgeConfig(
    {
      STREAM_URL: 'http://127.0.0.1:9/stream/kit', STREAM_KEY: 'kit-test-key', BRIDGE_PORT: '0', BRIDGE_HOST: '127.0.0.1', LLM_PROVIDER: 'offline',
      BRIDGE_API_KEY: KIT_KEY, IDENTITY_SECRET: KIT_IDENTITY_SECRET,
      ...env,
    },
    { envFile: false },
  );
  return startBridge(config, { logger: false, connectStream: false });
}

/** Rasa's reading of `${NAME}` in endpoints.yml: replaced by the environment variable, an error when it is unset. */
function substituteLikeRasa(value: string, env: Record<string, string>): string {
  return value.replace(/\$\{(\w+)\}/g, (_match, name: string) => {
    const found = env[name];
    if (found === undefined) throw new Error(`Error when trying to expand the environment variables in '${value}'`);
    return found;
  });
}

/** The default of a compose `${NAME:-default}` value: what the stack uses when the variable is unset. */
function defaultOf(value: string): string {
  const match = /^\$\{\w+:-(.*)\}$/.exec(value);
  assert.ok(match, `${value} has the form \${NAME:-default}`);
  return match[1]!;
}

const nluIntents = new Set(nlu.map((entry) => String(asDict(entry, 'nlu entry').intent)));

test('every kit file parses as YAML', () => {
  for (const file of ['config.yml', 'domain.yml', 'credentials.yml', 'endpoints.yml', 'endpoints.own-server.yml', 'data/nlu.yml', 'data/rules.yml', 'data/stories.yml', 'docker-compose.yml']) {
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

test("the domain declares the bridge's three actions and the sample team server's check_order, and the rules use each of them", () => {
  for (const action of BRIDGE_ACTIONS) assert.ok(domainActions.includes(action), `domain.yml lists ${action}`);
  assert.ok(sampleActions.includes('action_check_order'), 'actions/actions.py serves action_check_order');
  for (const action of domainActions) {
    assert.ok(BRIDGE_ACTIONS.includes(action) || sampleActions.includes(action), `${action} is the bridge's or the sample team server's`);
  }
  assert.ok(domainActions.includes('action_check_order'));
  const used = new Set(steps(rules).map((step) => step.action).filter(Boolean));
  for (const action of domainActions) assert.ok(used.has(action), `a rule runs ${action}`);
});

test("every action the domain lists is one the bridge serves or forwards: GET /actions lists both sets, and a team action's call reaches the team server as Rasa sent it", async (t) => {
  // A stand-in for the compose file's `actions` service (rasa-sdk cannot run here): it lists the sample's action
  // names as rasa-sdk does and answers each call with one utterance.
  const calls: Array<{ url: string; body: string }> = [];
  const team = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const path = new URL(request.url ?? '/', 'http://actions.invalid').pathname;
      response.setHeader('content-type', 'application/json');
      if (request.method === 'GET' && path === '/actions') return response.end(JSON.stringify(sampleActions.map((name) => ({ name }))));
      calls.push({ url: request.url ?? '', body: Buffer.concat(chunks).toString('utf8') });
      response.end(JSON.stringify({ events: [], responses: [{ text: 'Order 12345 has shipped.' }] }));
    });
  });
  await new Promise<void>((resolve) => team.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => team.close(() => resolve())));
  const bridgeEnv = asDict(asDict(asDict(readYaml('./docker-compose.yml'), 'docker-compose.yml').services, 'services')['bridge-1'], 'bridge-1').environment;
  const composeTarget = new URL(defaultOf(String(asDict(bridgeEnv, 'bridge-1.environment').ACTION_SERVER_URL)));
  const bridge = await startKitBridge({ ACTION_SERVER_URL: `http://127.0.0.1:${(team.address() as AddressInfo).port}${composeTarget.pathname}` });
  t.after(() => bridge.close());

  const response = await fetch(`${bridge.url}/actions`, { headers: { authorization: `Bearer ${KIT_KEY}` } });
  assert.equal(response.status, 200);
  const served = new Set(((await response.json()) as Array<{ name: string }>).map((action) => action.name));
  for (const action of domainActions) assert.ok(served.has(action), `GET /actions lists ${action}`);

  const endpoint = asDict(asDict(readYaml('./endpoints.yml'), 'endpoints.yml').action_endpoint, 'action_endpoint');
  const call = JSON.stringify({ next_action: 'action_check_order', sender_id: 'kit-session-2', version: '3.6.21', tracker: { sender_id: 'kit-session-2', latest_message: { text: 'where is my order 12345?' } }, domain: {} });
  const forwarded = await fetch(`${bridge.url}${new URL(String(endpoint.url)).pathname}?token=${encodeURIComponent(KIT_KEY)}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: call });
  assert.equal(forwarded.status, 200);
  assert.equal(await forwarded.text(), JSON.stringify({ events: [], responses: [{ text: 'Order 12345 has shipped.' }] }));
  assert.equal(calls.length, 1);
  assert.equal(calls[0]!.body, call, 'the call reaches the team server unchanged');
  assert.equal(new URL(calls[0]!.url, 'http://actions.invalid').pathname, composeTarget.pathname);
  assert.doesNotMatch(calls[0]!.url, new RegExp(KIT_KEY), "the bridge's key stays with the bridge");
});

test('every intent in the rules and stories has NLU examples, and the domain lists each NLU intent', () => {
  for (const step of [...steps(rules), ...steps(stories)]) {
    if (typeof step.intent !== 'string') continue;
    assert.ok(nluIntents.has(step.intent) || RASA_DEFAULT_INTENTS.has(step.intent) || BRIDGE_SENT_INTENTS.has(step.intent), `intent ${step.intent} has NLU examples`);
  }
  for (const intent of nluIntents) assert.ok(domainIntents.includes(intent), `domain.yml lists intent ${intent}`);
  for (const intent of domainIntents) assert.ok(nluIntents.has(intent) || BRIDGE_SENT_INTENTS.has(intent), `intent ${intent} has NLU examples`);
  for (const intent of BRIDGE_SENT_INTENTS) assert.ok(!nluIntents.has(intent), `${intent} has no NLU examples: typing never triggers it`);
});

test("proactive offers: the domain has the bridge's intents and entities, rules lead them to the bridge's actions, and an offer Rasa triggers is uttered with its buttons", async (t) => {
  for (const intent of BRIDGE_SENT_INTENTS) assert.ok(domainIntents.includes(intent), `domain.yml lists ${intent} (trigger_intent refuses an intent the domain lacks)`);
  const trigger = asList(domain.intents, 'domain intents').find((intent) => typeof intent === 'object' && intent !== null && RASA_PROACTIVE_INTENT in intent);
  assert.deepEqual(asDict(asDict(trigger, 'intent')[RASA_PROACTIVE_INTENT], RASA_PROACTIVE_INTENT).use_entities, [], 'the offer in the entities is data, not a feature');
  assert.deepEqual(asList(domain.entities, 'domain entities').map(String).sort(), [OFFER_BUTTONS_ENTITY, OFFER_TEXT_ENTITY].sort());
  const ruleFor = (intent: string) =>
    rules.map((rule) => asList(asDict(rule, 'rule').steps, 'steps').map((step) => asDict(step, 'step'))).find(([first]) => first?.intent === intent)?.[1]?.action;
  assert.equal(ruleFor(RASA_PROACTIVE_INTENT), 'action_sightline_proactive');
  assert.equal(ruleFor(RASA_NOT_NOW_INTENT), 'action_sightline_proactive_not_now');
  assert.equal(ruleFor(RASA_ACCEPT_INTENT), 'action_help_current_page', "the offer's question button is answered from the activity");
  assert.equal(ruleFor(RASA_WIDGET_READY_INTENT), 'action_sightline_widget_ready', "the widget's tooltip payload tells the bridge its sender");

  const bridge = await startKitBridge();
  t.after(() => bridge.close());
  // The call Rasa makes after trigger_intent: the intent's entities, which it turns into a list, in latest_message.
  const buttons = [{ title: 'What am I looking for?', payload: `/${RASA_ACCEPT_INTENT}` }, { title: 'Not now', payload: `/${RASA_NOT_NOW_INTENT}` }];
  const call = {
    next_action: 'action_sightline_proactive',
    sender_id: 'kit-session-3',
    version: '3.6.21',
    tracker: {
      sender_id: 'kit-session-3',
      latest_message: {
        intent: { name: RASA_PROACTIVE_INTENT, confidence: 1 },
        entities: [
          { entity: OFFER_TEXT_ENTITY, value: 'Going back and forth between Billing and Team? I can help you find what you need.' },
          { entity: OFFER_BUTTONS_ENTITY, value: JSON.stringify(buttons) },
        ],
        text: `EXTERNAL: ${RASA_PROACTIVE_INTENT}`,
      },
      events: [],
    },
    domain: {},
  };
  const response = await fetch(`${bridge.url}/webhook?token=${encodeURIComponent(KIT_KEY)}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(call) });
  assert.equal(response.status, 200);
  assert.deepEqual(await response.json(), { events: [], responses: [{ text: 'Going back and forth between Billing and Team? I can help you find what you need.', buttons }] });
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
  for (const name of ['connector-1', 'connector-2', 'bridge-1', 'bridge-2', 'demo', 'rasa']) assert.ok(name in services, `service ${name}`);
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

test('endpoints.yml sends the bridge key from the environment as the action endpoint token', () => {
  const endpoint = asDict(asDict(readYaml('./endpoints.yml'), 'endpoints.yml').action_endpoint, 'action_endpoint');
  assert.equal(endpoint.token, '${BRIDGE_API_KEY}', 'the key comes from the environment, never written in the file');
  assert.equal(endpoint.token_name, undefined, "Rasa's default token_name sends it as ?token=");
});

test("Rasa's action calls with endpoints.yml's token pass the bridge's key check; without it they get 401", async () => {
  const endpoint = asDict(asDict(readYaml('./endpoints.yml'), 'endpoints.yml').action_endpoint, 'action_endpoint');
  const token = substituteLikeRasa(String(endpoint.token), { BRIDGE_API_KEY: KIT_KEY });
  assert.equal(token, KIT_KEY);
  assert.throws(() => substituteLikeRasa(String(endpoint.token), {}), /expand the environment/);
  const bridge = await startKitBridge();
  try {
    // Rasa POSTs to action_endpoint.url with its token as a query parameter; the host is the compose service's, so
    // the test keeps the path and sends it to the bridge on loopback.
    const path = new URL(String(endpoint.url)).pathname;
    const userHash = createHmac('sha256', KIT_IDENTITY_SECRET).update('demo-user').digest('hex');
    const call = {
      next_action: 'action_recent_activity',
      sender_id: 'kit-session-1',
      version: '3.6.21',
      tracker: {
        sender_id: 'kit-session-1',
        latest_message: { text: 'what did I just do?', metadata: { userId: 'demo-user', userHash, language: 'en' } },
        events: [],
      },
      domain: {},
    };
    const post = (query: string) =>
      fetch(`${bridge.url}${path}${query}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(call) });

    const withToken = await post(`?token=${encodeURIComponent(token)}`);
    assert.equal(withToken.status, 200);
    const answer = (await withToken.json()) as { events: unknown[]; responses: Array<{ text?: string }> };
    assert.ok(Array.isArray(answer.events));
    assert.ok(answer.responses.length > 0 && typeof answer.responses[0]?.text === 'string', 'the bridge answers the action');

    const without = await post('');
    assert.equal(without.status, 401);
    assert.equal(((await without.json()) as { error: { code: string } }).error.code, 'SL_AUTH_REQUIRED');
    const wrong = await post('?token=not-the-key');
    assert.equal(wrong.status, 401);
    await wrong.body?.cancel();
  } finally {
    await bridge.close();
  }
});

test('docker-compose requires every secret, gives none a default, and locks Rasa\'s HTTP API with --auth-token', () => {
  const text = readFileSync(kit('./docker-compose.yml'), 'utf8');
  for (const match of text.matchAll(/\$\{(\w+)(:?[-?])([^}]*)\}/g)) {
    const [whole, name, operator, rest] = match;
    if (/(TOKEN|KEY|SECRET)$/.test(name!) && operator!.endsWith('-')) assert.equal(rest, '', `${whole} has no default secret`);
  }
  const services = asDict(asDict(readYaml('./docker-compose.yml'), 'docker-compose.yml').services, 'services');
  const environment = (service: string): Dict => asDict(asDict(services[service], service).environment, `${service}.environment`);
  const required = (value: unknown, name: string): void => assert.match(String(value), new RegExp(`^\\$\\{${name}:\\?.+\\}$`), `${name} is required`);

  for (const connector of ['connector-1', 'connector-2']) required(environment(connector).CONNECTOR_ADMIN_TOKEN, 'CONNECTOR_ADMIN_TOKEN');
  required(environment('onboard').CONNECTOR_ADMIN_TOKEN, 'CONNECTOR_ADMIN_TOKEN');
  for (const bridge of ['bridge-1', 'bridge-2']) {
    required(environment(bridge).BRIDGE_API_KEY, 'BRIDGE_API_KEY');
    required(environment(bridge).IDENTITY_SECRET, 'IDENTITY_SECRET');
    assert.doesNotMatch(String(environment(bridge).CORS_ORIGINS), /\*/, "the bridge's CORS lists the demo's origin, not *");
  }
  required(environment('demo').IDENTITY_SECRET, 'IDENTITY_SECRET');
  required(environment('rasa').BRIDGE_API_KEY, 'BRIDGE_API_KEY');
  required(environment('redis').REDIS_PASSWORD, 'REDIS_PASSWORD');

  const command = asList(asDict(services.rasa, 'rasa').command, 'rasa.command').map(String);
  assert.ok(command.includes('--enable-api'));
  required(command[command.indexOf('--auth-token') + 1], 'RASA_TOKEN');
  const cors = command[command.indexOf('--cors') + 1];
  assert.ok(cors !== undefined && !cors.includes('*'), "Rasa's CORS lists the demo's origin, not *");
});

test('docker-compose scales out: Redis with an append-only file, two connectors and two bridges on it, each pair behind nginx', () => {
  const text = readFileSync(kit('./docker-compose.yml'), 'utf8');
  const services = asDict(asDict(readYaml('./docker-compose.yml'), 'docker-compose.yml').services, 'services');
  const service = (name: string): Dict => asDict(services[name], name);
  const healthyDependencies = (name: string): string[] => Object.entries(asDict(service(name).depends_on, `${name}.depends_on`))
    .filter(([, condition]) => asDict(condition, `${name}.depends_on`).condition === 'service_healthy')
    .map(([dependency]) => dependency)
    .sort();

  const redis = service('redis');
  assert.match(String(redis.image), /^redis:7/);
  const redisCommand = asList(redis.command, 'redis.command').map(String).join(' ');
  assert.match(redisCommand, /--appendonly yes/, 'Redis keeps its data in an append-only file (the products live there)');
  assert.match(redisCommand, /--requirepass "\$\$REDIS_PASSWORD"/, 'the password comes from the environment, not the file');
  assert.ok(asList(redis.volumes, 'redis.volumes').map(String).some((volume) => volume.endsWith(':/data')), 'its data is on a volume');
  assert.deepEqual(asList(asDict(redis.healthcheck, 'redis.healthcheck').test, 'redis.healthcheck.test'), ['CMD', 'redis-cli', 'ping']);
  assert.doesNotMatch(text, /redis-cli[^\n]*-a /, 'redis-cli takes the password from REDISCLI_AUTH, never its command line');

  const redisUrl = /^redis:\/\/:\$\{REDIS_PASSWORD:\?.+\}@redis:6379\/0$/;
  for (const name of ['connector-1', 'connector-2', 'bridge-1', 'bridge-2']) {
    assert.match(String(asDict(service(name).environment, `${name}.environment`).REDIS_URL), redisUrl, `${name} is on the shared Redis`);
    assert.ok(healthyDependencies(name).includes('redis'), `${name} waits for Redis`);
  }
  for (const name of ['connector-1', 'connector-2']) {
    const command = asList(service(name).command, `${name}.command`).map(String);
    assert.equal(command[command.indexOf('--trust-proxy-hops') + 1], '1', `${name} counts clients by the address nginx forwards`);
  }
  assert.notDeepEqual(service('connector-1').volumes, service('connector-2').volumes, 'each connector has its own data dir');

  assert.deepEqual(healthyDependencies('connector-lb'), ['connector-1', 'connector-2']);
  assert.deepEqual(healthyDependencies('bridge-lb'), ['bridge-1', 'bridge-2']);
  for (const name of ['connector-lb', 'bridge-lb']) assert.ok(service(name).healthcheck, `${name} has a health check`);
  assert.equal(asDict(service('onboard').environment, 'onboard.environment').CONNECTOR_URL, 'http://connector-lb:8080', 'the bridges stream through the balancer');
  assert.equal(new URL(String(asDict(asDict(readYaml('./endpoints.yml'), 'endpoints.yml').action_endpoint, 'action_endpoint').url)).hostname, 'bridge-lb');

  const mounted = (name: string): string => {
    const volume = asList(service(name).volumes, `${name}.volumes`).map(String).find((entry) => entry.endsWith(':/etc/nginx/nginx.conf:ro'));
    assert.ok(volume, `${name} mounts its nginx config`);
    return readFileSync(kit(volume.split(':')[0]!), 'utf8');
  };
  const upstream = (config: string, name: string): string => {
    const match = new RegExp(`upstream ${name} \\{([^}]*)\\}`).exec(config);
    assert.ok(match, `upstream ${name}`);
    return match[1]!;
  };
  const connectors = mounted('connector-lb');
  assert.match(upstream(connectors, 'connectors'), /server connector-1:8080[^;]*;\s*server connector-2:8080/);
  assert.match(connectors, /proxy_buffering off;/, 'server-sent events are not buffered');
  const bridges = mounted('bridge-lb');
  const bridgeUpstream = upstream(bridges, 'bridges');
  assert.match(bridgeUpstream, /^\s*ip_hash;/, 'socket.io clients stick to one bridge');
  assert.match(bridgeUpstream, /server bridge-1:8090[^;]*;\s*server bridge-2:8090/);
  assert.match(bridges, /proxy_set_header Upgrade \$http_upgrade;/, 'socket.io may upgrade to WebSocket');
  for (const config of [connectors, bridges]) assert.match(config, /X-Forwarded-For \$proxy_add_x_forwarded_for/);
});

test("docker-compose puts the team's action server behind the bridges: stock rasa-sdk with actions/ and the helper mounted, ACTION_SERVER_URL at its webhook", () => {
  const services = asDict(asDict(readYaml('./docker-compose.yml'), 'docker-compose.yml').services, 'services');
  const service = (name: string): Dict => asDict(services[name], name);
  const actions = service('actions');
  assert.match(String(actions.image), /^rasa\/rasa-sdk:3\.6\./, 'the stock rasa-sdk image, nothing to build');
  assert.equal(actions.build, undefined);
  const command = asList(actions.command, 'actions.command').map(String);
  assert.deepEqual(command.slice(0, 3), ['start', '--actions', 'actions']);
  const port = command[command.indexOf('--port') + 1];
  assert.equal(port, '5055', "rasa-sdk's port");

  const volumes = asList(actions.volumes, 'actions.volumes').map(String);
  assert.ok(volumes.includes('./actions:/app/actions:ro'), 'the sample actions package is mounted where --actions finds it');
  assert.ok(volumes.includes('./sightline_helper.py:/app/sightline_helper.py:ro'), 'the helper is importable beside it');
  for (const volume of volumes) assert.ok(existsSync(kit(volume.split(':')[0]!)), `${volume}: its source exists`);
  assert.ok(existsSync(kit('./actions/__init__.py')), 'actions/ is a package');
  assert.ok(sampleActions.includes('action_sightline_reply'), 'the sample shows the helper too');

  const environment = asDict(actions.environment, 'actions.environment');
  assert.equal(new URL(String(environment.BRIDGE_URL)).hostname, 'bridge-lb', "the helper calls the bridges' balancer");
  assert.match(String(environment.BRIDGE_API_KEY), /^\$\{BRIDGE_API_KEY:\?.+\}$/, 'BRIDGE_API_KEY is required');
  for (const published of asList(actions.ports ?? [], 'actions.ports').map(String)) {
    assert.match(published, /^127\.0\.0\.1:/, 'rasa-sdk checks no credential: published on loopback only');
  }
  assert.ok(actions.healthcheck, 'the bridges wait for it to be healthy');

  for (const name of ['bridge-1', 'bridge-2']) {
    const bridgeEnv = asDict(service(name).environment, `${name}.environment`);
    const target = new URL(defaultOf(String(bridgeEnv.ACTION_SERVER_URL)));
    assert.equal(target.hostname, 'actions', `${name} forwards to the actions service`);
    assert.equal(target.port, port);
    assert.equal(target.pathname, '/webhook', "rasa-sdk's webhook");
    assert.equal(defaultOf(String(bridgeEnv.ACTION_SERVER_TOKEN)), '', 'no default credential');
    const timeoutS = Number(defaultOf(String(bridgeEnv.ACTION_SERVER_TIMEOUT_S)));
    assert.ok(timeoutS > 0 && timeoutS <= 240, 'well under the 300 s Rasa waits');
    assert.equal(asDict(asDict(service(name).depends_on, `${name}.depends_on`).actions, `${name}.depends_on.actions`).condition, 'service_healthy');
  }

  // The other way: Rasa on the team's server, which calls the bridge itself.
  const ownServer = asDict(asDict(readYaml('./endpoints.own-server.yml'), 'endpoints.own-server.yml').action_endpoint, 'action_endpoint');
  const url = new URL(String(ownServer.url));
  assert.equal(url.hostname, 'actions');
  assert.equal(url.port, port);
  assert.equal(url.pathname, '/webhook');
  assert.equal(ownServer.token, undefined, 'the bridge key stays in the action server, not in Rasa');
});

test("docker-compose lets the bridges send proactive offers through Rasa's HTTP API, with its token, when PROACTIVE is turned on", () => {
  const services = asDict(asDict(readYaml('./docker-compose.yml'), 'docker-compose.yml').services, 'services');
  const rasaPorts = asList(asDict(services.rasa, 'rasa').ports, 'rasa.ports').map(String);
  for (const name of ['bridge-1', 'bridge-2']) {
    const environment = asDict(asDict(services[name], name).environment, `${name}.environment`);
    assert.equal(defaultOf(String(environment.PROACTIVE)), 'false', 'other deployments opt in');
    const rasaUrl = new URL(String(environment.RASA_URL));
    assert.equal(rasaUrl.hostname, 'rasa');
    assert.ok(rasaPorts.some((port) => port.endsWith(`:${rasaUrl.port}`)), "RASA_URL is Rasa's port");
    assert.match(String(environment.RASA_TOKEN), /^\$\{RASA_TOKEN:\?.+\}$/, "RASA_TOKEN is required, the same as Rasa's --auth-token");
  }
});
