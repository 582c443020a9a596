import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { isSightlineError } from '@sightline/protocol';
import { BRIDGE_DEFAULTS, loadBridgeConfig } from './bridge-config.ts';

const API_KEY = 'bridge-key-0123456789abcdefghijklmn';
const IDENTITY_SECRET = 'identity-secret-0123456789abcdefghij';
/** A configuration the bridge starts with on any address: the stream, the key and the identity secret. */
const base = { STREAM_URL: 'http://127.0.0.1:8080/stream/acme', STREAM_KEY: 'sk_test', BRIDGE_API_KEY: API_KEY, IDENTITY_SECRET };

function configError(env: Record<string, string | undefined>): { code: string; option: unknown; message: string } {
  try {
    loadBridgeConfig(env, { envFile: false });
  } catch (error) {
    assert.ok(isSightlineError(error));
    return { code: error.code, option: error.details['option'], message: error.message };
  }
  assert.fail('expected a config error');
}

test('loadBridgeConfig applies the documented defaults', () => {
  const config = loadBridgeConfig(base, { envFile: false });
  assert.equal(config.streamUrl, base.STREAM_URL);
  assert.equal(config.streamKey, 'sk_test');
  assert.equal(config.port, 8090);
  assert.equal(config.host, '0.0.0.0');
  assert.equal(config.summaryThreshold, 10);
  assert.equal(config.lookbackSeconds, 300);
  assert.equal(config.maxActions, 30);
  assert.equal(config.maxQueryLength, BRIDGE_DEFAULTS.maxQueryLength);
  assert.deepEqual(config.corsOrigins, [], 'no browser origin is allowed until CORS_ORIGINS lists it');
  assert.equal(config.adminToken, null);
  assert.deepEqual(config.apiKeys, [API_KEY]);
  assert.deepEqual(config.identitySecrets, [IDENTITY_SECRET]);
  assert.equal(config.metricsPublic, false);
  assert.equal(config.trustProxyHops, 0);
  assert.equal(config.chatMessagesPerMinute, 20);
  assert.equal(config.llm.provider, 'offline');
});

test('keys and identity secrets are comma-separated lists, so a secret rotates without downtime', () => {
  const next = 'bridge-key-next-0123456789abcdefghijk';
  const config = loadBridgeConfig({ ...base, BRIDGE_API_KEY: ` ${API_KEY}, ${next} `, IDENTITY_SECRET: `${IDENTITY_SECRET},${next}` }, { envFile: false });
  assert.deepEqual(config.apiKeys, [API_KEY, next]);
  assert.deepEqual(config.identitySecrets, [IDENTITY_SECRET, next]);
});

test('on any address but loopback, a bridge without its keys or with CORS * refuses to start and says what to set', () => {
  const open = { STREAM_URL: base.STREAM_URL, STREAM_KEY: 'sk_test' };
  assert.equal(configError(open).option, 'BRIDGE_API_KEY');
  assert.match(configError(open).message, /--insecure/);
  assert.equal(configError({ ...open, BRIDGE_API_KEY: API_KEY }).option, 'IDENTITY_SECRET');
  assert.equal(configError({ ...base, CORS_ORIGINS: '*' }).option, 'CORS_ORIGINS');
  for (const host of ['127.0.0.1', '::1', 'localhost', '[::1]']) {
    assert.equal(loadBridgeConfig({ ...open, BRIDGE_HOST: host, CORS_ORIGINS: '*' }, { envFile: false }).apiKeys.length, 0, host);
  }
  assert.equal(loadBridgeConfig({ ...open, BRIDGE_INSECURE: 'true' }, { envFile: false }).insecure, true);
  assert.equal(configError({ ...open, BRIDGE_HOST: '192.168.1.5' }).option, 'BRIDGE_API_KEY');
});

test('secrets shorter than 128 bits are refused at start, whichever list they are in', () => {
  for (const [option, value] of [
    ['BRIDGE_API_KEY', `${API_KEY},0123456789abcdef`],
    ['IDENTITY_SECRET', 'hunter2hunter2'],
    ['BRIDGE_ADMIN_TOKEN', '0123456789abcdef0123456789abcde'],
  ] as const) {
    const error = configError({ ...base, [option]: value });
    assert.equal(error.option, option);
    assert.match(error.message, /128 bits/);
  }
});

test('loadBridgeConfig reads UNKEY_API_KEY when STREAM_KEY is not set, and every numeric variable', () => {
  const config = loadBridgeConfig(
    {
      STREAM_URL: base.STREAM_URL,
      UNKEY_API_KEY: 'sk_unkey',
      BRIDGE_API_KEY: API_KEY,
      IDENTITY_SECRET,
      BRIDGE_PORT: '0',
      SUMMARY_THRESHOLD: '5',
      LOOKBACK_SECONDS: '60.5',
      MAX_ACTIONS: '12',
      CORS_ORIGINS: 'http://localhost:3000, https://app.example.com/',
      SOCKET_SESSION_PERSISTENCE: 'false',
    },
    { envFile: false },
  );
  assert.equal(config.streamKey, 'sk_unkey');
  assert.equal(config.port, 0);
  assert.equal(config.summaryThreshold, 5);
  assert.equal(config.lookbackSeconds, 60.5);
  assert.equal(config.maxActions, 12);
  assert.deepEqual(config.corsOrigins, ['http://localhost:3000', 'https://app.example.com']);
  assert.equal(config.socketSessionPersistence, false);
});

test('a missing STREAM_URL or stream key names the variable to set', () => {
  assert.deepEqual(
    (({ code, option }) => ({ code, option }))(configError({ STREAM_KEY: 'k' })),
    { code: 'SL_CONFIG_INVALID', option: 'STREAM_URL' },
  );
  const missingKey = configError({ STREAM_URL: base.STREAM_URL });
  assert.equal(missingKey.code, 'SL_CONFIG_INVALID');
  assert.equal(missingKey.option, 'STREAM_KEY');
  assert.ok(!missingKey.message.includes('\n'), 'one line');
});

test('wrong values are rejected with the variable named', () => {
  const cases: Array<[Record<string, string>, string]> = [
    [{ STREAM_URL: 'not a url' }, 'STREAM_URL'],
    [{ STREAM_URL: 'ftp://host/stream/acme' }, 'STREAM_URL'],
    [{ BRIDGE_PORT: '70000' }, 'BRIDGE_PORT'],
    [{ BRIDGE_PORT: 'eighty' }, 'BRIDGE_PORT'],
    [{ SUMMARY_THRESHOLD: '0' }, 'SUMMARY_THRESHOLD'],
    [{ LOOKBACK_SECONDS: '-1' }, 'LOOKBACK_SECONDS'],
    [{ MAX_ACTIONS: '1.5' }, 'MAX_ACTIONS'],
    [{ CORS_ORIGINS: 'localhost:3000' }, 'CORS_ORIGINS'],
    [{ BRIDGE_ADMIN_TOKEN: 'short' }, 'BRIDGE_ADMIN_TOKEN'],
    [{ SOCKET_SESSION_PERSISTENCE: 'maybe' }, 'SOCKET_SESSION_PERSISTENCE'],
    [{ LLM_PROVIDER: 'openai' }, 'OPENAI_API_KEY'],
  ];
  for (const [override, option] of cases) {
    const error = configError({ ...base, ...override });
    assert.equal(error.code, 'SL_CONFIG_INVALID', option);
    assert.equal(error.option, option, JSON.stringify(override));
  }
});

test('the environment wins over .env, which fills what the environment leaves out', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sightline-bridge-config-'));
  const file = join(dir, '.env');
  writeFileSync(file, `STREAM_URL=${base.STREAM_URL}\nSTREAM_KEY=from_file\nBRIDGE_PORT=9000\nBRIDGE_HOST=127.0.0.1\n`);
  const config = loadBridgeConfig({ BRIDGE_PORT: '9100' }, { envFile: file });
  assert.equal(config.streamKey, 'from_file');
  assert.equal(config.port, 9100);
});

test('without REDIS_URL the bridge keeps its state in memory; with it, the URL, prefix and history TTL are read', () => {
  const memory = loadBridgeConfig(base, { envFile: false });
  assert.deepEqual([memory.redisUrl, memory.redisPrefix, memory.historyTtlSeconds], [null, 'sightline:', 604_800]);
  const redis = loadBridgeConfig({ ...base, REDIS_URL: 'rediss://bridge:s3cret@redis.example.com:6380/2', REDIS_PREFIX: 'acme:', HISTORY_TTL_SECONDS: '3600' }, { envFile: false });
  assert.deepEqual([redis.redisUrl, redis.redisPrefix, redis.historyTtlSeconds], ['rediss://bridge:s3cret@redis.example.com:6380/2', 'acme:', 3600]);
});

test('a REDIS_URL that is not a Redis URL is refused without printing its password', () => {
  const error = configError({ ...base, REDIS_URL: 'http://bridge:s3cret@redis.example.com' });
  assert.deepEqual([error.code, error.option], ['SL_CONFIG_INVALID', 'REDIS_URL']);
  assert.ok(!error.message.includes('s3cret'));
  assert.equal(configError({ ...base, REDIS_PREFIX: 'a{b}' }).option, 'REDIS_PREFIX');
});

test('ACTION_SERVER_URL, ACTION_SERVER_TOKEN and ACTION_SERVER_TIMEOUT_S are read; without them nothing is forwarded', () => {
  const none = loadBridgeConfig(base, { envFile: false });
  assert.deepEqual([none.actionServerUrl, none.actionServerToken, none.actionServerTimeoutS], [null, null, 30]);
  const team = loadBridgeConfig(
    { ...base, ACTION_SERVER_URL: 'http://actions:5055/webhook', ACTION_SERVER_TOKEN: 'team-token', ACTION_SERVER_TIMEOUT_S: '12.5' },
    { envFile: false },
  );
  assert.deepEqual([team.actionServerUrl, team.actionServerToken, team.actionServerTimeoutS], ['http://actions:5055/webhook', 'team-token', 12.5]);
});

test('a wrong ACTION_SERVER_* setting is refused with its name, and the URL never prints a password', () => {
  for (const [env, option] of [
    [{ ACTION_SERVER_URL: 'actions:5055/webhook' }, 'ACTION_SERVER_URL'],
    [{ ACTION_SERVER_URL: 'ftp://actions/webhook' }, 'ACTION_SERVER_URL'],
    [{ ACTION_SERVER_URL: 'http://ops:hunter2-secret@actions:5055/webhook' }, 'ACTION_SERVER_URL'],
    [{ ACTION_SERVER_URL: 'http://actions:5055/webhook', ACTION_SERVER_TIMEOUT_S: '300' }, 'ACTION_SERVER_TIMEOUT_S'],
    [{ ACTION_SERVER_URL: 'http://actions:5055/webhook', ACTION_SERVER_TIMEOUT_S: '0' }, 'ACTION_SERVER_TIMEOUT_S'],
    [{ ACTION_SERVER_TOKEN: 'team-token' }, 'ACTION_SERVER_TOKEN'],
  ] as const) {
    const error = configError({ ...base, ...env });
    assert.equal(error.code, 'SL_CONFIG_INVALID');
    assert.equal(error.option, option, JSON.stringify(env));
    assert.doesNotMatch(error.message, /hunter2/);
  }
});

test('forwarding to a team action server needs BRIDGE_API_KEY even on loopback, unless insecure', () => {
  const env = { STREAM_URL: base.STREAM_URL, STREAM_KEY: 'sk_test', BRIDGE_HOST: '127.0.0.1', ACTION_SERVER_URL: 'http://127.0.0.1:5055/webhook' };
  assert.equal(configError(env).option, 'BRIDGE_API_KEY');
  assert.equal(loadBridgeConfig({ ...env, BRIDGE_API_KEY: API_KEY }, { envFile: false }).actionServerUrl, env.ACTION_SERVER_URL);
  assert.equal(loadBridgeConfig({ ...env, BRIDGE_INSECURE: 'true' }, { envFile: false }).actionServerUrl, env.ACTION_SERVER_URL);
});

test('KNOWLEDGE_DIR, KNOWLEDGE_INDEX_PATH, KNOWLEDGE_LANGUAGE and KNOWLEDGE_TIMEOUT_MS are read; without them there is no help center', () => {
  assert.deepEqual(loadBridgeConfig(base, { envFile: false }).knowledge, BRIDGE_DEFAULTS.knowledge);
  const dir = mkdtempSync(join(tmpdir(), 'sightline-knowledge-config-'));
  const config = loadBridgeConfig({ ...base, KNOWLEDGE_DIR: dir, KNOWLEDGE_INDEX_PATH: join(dir, 'x.json'), KNOWLEDGE_LANGUAGE: 'PT', KNOWLEDGE_TIMEOUT_MS: '500' }, { envFile: false });
  assert.deepEqual(config.knowledge, { dir, indexPath: join(dir, 'x.json'), defaultLanguage: 'pt', timeoutMs: 500 });
  for (const [override, option] of [
    [{ KNOWLEDGE_DIR: join(dir, 'missing') }, 'KNOWLEDGE_DIR'],
    [{ KNOWLEDGE_DIR: join(dir, 'x.json') }, 'KNOWLEDGE_DIR'],
    [{ KNOWLEDGE_LANGUAGE: 'english' }, 'KNOWLEDGE_LANGUAGE'],
    [{ KNOWLEDGE_TIMEOUT_MS: '0' }, 'KNOWLEDGE_TIMEOUT_MS'],
  ] as const) {
    const error = configError({ ...base, ...override });
    assert.equal(error.code, 'SL_CONFIG_INVALID');
    assert.equal(error.option, option);
  }
});

test('a setting under its former name is still read, with one warning that names the new name', () => {
  const warnings: string[] = [];
  const config = loadBridgeConfig(
    { ...base, HOST: '127.0.0.1', ADMIN_TOKEN: 'admin-token-0123456789abcdefghijklm', METRICS_PUBLIC: 'true', TRUST_PROXY_HOPS: '2', SIGHTLINE_INSECURE: '1' },
    { envFile: false, onFormerName: (message) => warnings.push(message) },
  );
  assert.equal(config.host, '127.0.0.1');
  assert.equal(config.adminToken, 'admin-token-0123456789abcdefghijklm');
  assert.equal(config.metricsPublic, true);
  assert.equal(config.trustProxyHops, 2);
  assert.equal(config.insecure, true);
  assert.equal(warnings.length, 5);
  assert.ok(warnings.some((warning) => /\bHOST is the former name of BRIDGE_HOST\b/.test(warning)), warnings.join('\n'));
});

test('the new name wins over the former one, and a platform\'s PORT is read silently under BRIDGE_PORT', () => {
  const warnings: string[] = [];
  const onFormerName = (message: string) => warnings.push(message);
  assert.equal(loadBridgeConfig({ ...base, BRIDGE_HOST: '10.0.0.1', HOST: '127.0.0.1' }, { envFile: false, onFormerName }).host, '10.0.0.1');
  assert.equal(loadBridgeConfig({ ...base, PORT: '5000' }, { envFile: false, onFormerName }).port, 5000);
  assert.equal(loadBridgeConfig({ ...base, PORT: '5000', BRIDGE_PORT: '6000' }, { envFile: false, onFormerName }).port, 6000);
  assert.deepEqual(warnings, []);
});

test('flags win over variables, switches take --name and --no-name, and secrets have no flag', () => {
  const config = loadBridgeConfig(
    { ...base, BRIDGE_PORT: '9000', SOCKET_SESSION_PERSISTENCE: 'true' },
    { envFile: false, flags: { port: '9100', 'summary-threshold': '4', 'no-socket-session-persistence': true, 'metrics-public': true, 'stream-key': 'sk_from_flag' } },
  );
  assert.equal(config.port, 9100);
  assert.equal(config.summaryThreshold, 4);
  assert.equal(config.socketSessionPersistence, false);
  assert.equal(config.metricsPublic, true);
  assert.equal(config.streamKey, 'sk_test', 'a secret is never taken from a command line, where every user of the machine sees it');
});

test('a refused secret or Redis password is never printed', () => {
  const redis = configError({ ...base, REDIS_URL: 'http://user:hunter2-password@redis:6379' });
  assert.equal(redis.option, 'REDIS_URL');
  assert.doesNotMatch(redis.message, /hunter2-password/);
  const webhook = configError({ ...base, PROACTIVE_WEBHOOK_URL: 'https://bot.example.com/hook', PROACTIVE_WEBHOOK_SECRET: 'whsec_not*base64-secret-value' });
  assert.equal(webhook.option, 'PROACTIVE_WEBHOOK_SECRET');
  assert.doesNotMatch(webhook.message, /not\*base64-secret-value/);
});
