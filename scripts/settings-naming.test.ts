/**
 * The naming rule of settings (docs/configuration.md), checked on the servers' own tables: one name per setting,
 * the same words as its flag, a name both servers read only where it means one thing in one `sightline dev` process,
 * and every setting documented in its server's README.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { BRIDGE_PREFIX, BRIDGE_SETTINGS } from '@sightline/bridge';
import { CONNECTOR_PREFIX, CONNECTOR_SETTINGS } from '@sightline/connector';
import { settingFlag, SHARED_SETTINGS, type SettingsTable } from '@sightline/protocol/settings';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const servers: Array<{ name: string; table: SettingsTable; prefix: string; readme: string }> = [
  { name: 'bridge', table: BRIDGE_SETTINGS, prefix: BRIDGE_PREFIX, readme: 'packages/bridge/README.md' },
  { name: 'connector', table: CONNECTOR_SETTINGS, prefix: CONNECTOR_PREFIX, readme: 'packages/connector/README.md' },
];

test('the bridge and the connector share a setting name only where it means one thing in one process', () => {
  const bridgeNames = new Set(Object.keys(BRIDGE_SETTINGS));
  const shared = Object.keys(CONNECTOR_SETTINGS).filter((name) => bridgeNames.has(name));
  assert.deepEqual(shared.sort(), Object.keys(SHARED_SETTINGS).sort());
});

for (const server of servers) {
  test(`${server.name}: every setting is SCREAMING_SNAKE_CASE and has a flag of its own`, () => {
    const flags = new Map<string, string>();
    for (const [name, spec] of Object.entries(server.table)) {
      assert.match(name, /^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$/, name);
      if (spec.secret) continue;
      const flag = settingFlag(name, spec, server.prefix);
      assert.equal(flags.get(flag), undefined, `--${flag} is the flag of both ${flags.get(flag)} and ${name}`);
      flags.set(flag, name);
    }
  });

  test(`${server.name}: no former name is the current name of a setting of either server`, () => {
    const current = new Set(servers.flatMap((each) => Object.keys(each.table)));
    for (const [name, spec] of Object.entries(server.table)) {
      for (const former of spec.formerNames ?? []) assert.ok(!current.has(former), `${name}'s former name ${former} is in use`);
    }
  });

  test(`${server.name}: its README documents every setting`, () => {
    const readme = readFileSync(join(repoRoot, server.readme), 'utf8');
    const missing = Object.keys(server.table).filter((name) => !readme.includes(`\`${name}\``));
    assert.deepEqual(missing, [], `add these to the configuration table of ${server.readme}`);
  });
}
