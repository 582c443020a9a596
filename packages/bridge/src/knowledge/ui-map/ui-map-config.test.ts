import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BRIDGE_DEFAULTS, loadBridgeConfig } from '../../config/bridge-config.ts';

const BASE = { STREAM_URL: 'http://127.0.0.1:8080/stream/crm', STREAM_KEY: 'sk_test', BRIDGE_HOST: '127.0.0.1' };

test('UI map settings: threshold 3, 30 days, no deny-list and no demo seed by default', () => {
  assert.deepEqual(loadBridgeConfig(BASE, { envFile: false }).uiMap, { minUsers: 3, decayDays: 30, deny: [], demoSeed: false });
  assert.deepEqual(BRIDGE_DEFAULTS.uiMap, { minUsers: 3, decayDays: 30, deny: [], demoSeed: false });
});

test('UI map settings are read from UI_MAP_MIN_USERS, UI_MAP_DECAY_DAYS, UI_MAP_DENY and UI_MAP_DEMO_SEED', () => {
  const config = loadBridgeConfig({ ...BASE, UI_MAP_MIN_USERS: '5', UI_MAP_DECAY_DAYS: '7', UI_MAP_DENY: 'Internal, Staff only ', UI_MAP_DEMO_SEED: 'true' }, { envFile: false });
  assert.deepEqual(config.uiMap, { minUsers: 5, decayDays: 7, deny: ['Internal', 'Staff only'], demoSeed: true });
});

test('a wrong UI map setting is refused with SL_CONFIG_INVALID naming it', () => {
  for (const [name, value] of [['UI_MAP_MIN_USERS', '0'], ['UI_MAP_DECAY_DAYS', 'soon'], ['UI_MAP_DEMO_SEED', 'maybe']] as const) {
    assert.throws(
      () => loadBridgeConfig({ ...BASE, [name]: value }, { envFile: false }),
      (error: Error & { code?: string }) => error.code === 'SL_CONFIG_INVALID' && error.message.includes(name),
    );
  }
});
