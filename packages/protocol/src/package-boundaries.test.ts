import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as protocol from './index.ts';
import * as internal from './internal.ts';

const sourceRoot = fileURLToPath(new URL('.', import.meta.url));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

test('protocol source imports only its own files: no I/O modules, no other packages (./settings: zod too)', () => {
  for (const file of sourceFiles(sourceRoot)) {
    const path = relative(sourceRoot, file);
    const specifiers = [...readFileSync(file, 'utf8').matchAll(/^\s*(?:import|export)\b[^'"]*?from\s+'([^']+)'/gm)].map((match) => match[1]!);
    for (const specifier of specifiers) {
      // The servers' settings tables are zod schemas; only their subpath may load it, never the root or ./internal.
      const isSettingsZod = path.startsWith('settings/') && specifier === 'zod';
      assert.ok(specifier.startsWith('./') || specifier.startsWith('../') || isSettingsZod, `${path} imports ${specifier}`);
    }
  }
});

test('index exports the whole public surface as functions, classes and constants', () => {
  const expected = [
    'SightlineError', 'defineErrors', 'isSightlineError', 'protocolErrors',
    'isFalsy', 'parsePayload', 'parsePayloadDetailed', 'parsePayloadJson', 'parsePayloadJsonDetailed', 'parseSlimAction',
    'actionToText', 'formatActionList', 'payloadToText', 'mergeActionsPayloads',
    'toWireJson', 'createActionsPayload', 'createSlimAction', 'createSummaryPayload', 'createGapPayload',
    'formatEventId', 'parseEventId', 'compareEventIds',
    'encodeSseFrame', 'encodePayloadFrame', 'HEARTBEAT_FRAME',
    'ACTION_FAILURES', 'ACTION_STEPS', 'CONTAINER_KINDS', 'TARGET_ROLES', 'MAX_LABEL_LENGTH',
    'systemClock', 'backoffDelay',
  ];
  assert.deepEqual(Object.keys(protocol).sort(), [...expected].sort());
});

test('./internal holds what the servers share beyond the wire contract: guard, secret strength, redaction', () => {
  const expected = [
    'MIN_SECRET_BITS', 'secretBits', 'redactRedisUrl', 'displayUrl', 'CredentialGuard',
    'REDACTED', 'REDACT_MAX_LENGTH', 'isRandomToken', 'redactDocument', 'redactText', 'REDACTED_URL_MAX_LENGTH', 'SECRET_PARAMETER_NAMES',
    'SECRET_PATH_WORDS', 'isSecretParameterName', 'redactUrl', 'redactKnownValues', 'isIbanValid', 'isLuhnValid',
    'CONTAINER_NOUNS', 'ROLE_NOUNS',
  ];
  assert.deepEqual(Object.keys(internal).sort(), [...expected].sort());
});
