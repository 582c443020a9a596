import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { isSightlineError } from '@sightline/protocol';
import { BRIDGE_DEFAULTS, loadBridgeConfig } from './bridge-config.ts';

const base = { STREAM_URL: 'http://127.0.0.1:8080/stream/acme', STREAM_KEY: 'sk_test' };

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
  assert.equal(config.corsOrigins, '*');
  assert.equal(config.adminToken, null);
  assert.equal(config.llm.provider, 'offline');
});

test('loadBridgeConfig reads UNKEY_API_KEY when STREAM_KEY is not set, and every numeric variable', () => {
  const config = loadBridgeConfig(
    {
      STREAM_URL: base.STREAM_URL,
      UNKEY_API_KEY: 'sk_unkey',
      PORT: '0',
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
    [{ PORT: '70000' }, 'PORT'],
    [{ PORT: 'eighty' }, 'PORT'],
    [{ SUMMARY_THRESHOLD: '0' }, 'SUMMARY_THRESHOLD'],
    [{ LOOKBACK_SECONDS: '-1' }, 'LOOKBACK_SECONDS'],
    [{ MAX_ACTIONS: '1.5' }, 'MAX_ACTIONS'],
    [{ CORS_ORIGINS: 'localhost:3000' }, 'CORS_ORIGINS'],
    [{ ADMIN_TOKEN: 'short' }, 'ADMIN_TOKEN'],
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
  writeFileSync(file, `STREAM_URL=${base.STREAM_URL}\nSTREAM_KEY=from_file\nPORT=9000\n`);
  const config = loadBridgeConfig({ PORT: '9100' }, { envFile: file });
  assert.equal(config.streamKey, 'from_file');
  assert.equal(config.port, 9100);
});
