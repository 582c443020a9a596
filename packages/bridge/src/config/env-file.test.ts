import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseEnvFile, readEnvFile } from './env-file.ts';

test('parseEnvFile reads plain, exported, quoted and commented lines', () => {
  const text = [
    '# bridge settings',
    'STREAM_URL=http://localhost:8080/stream/acme',
    'export STREAM_KEY = sk_123  ',
    'PORT="8090" # the port',
    "LLM_MODEL='gpt-4o-mini # not a comment'",
    'GREETING="line one\\nline two"',
    'EMPTY=',
    'not a variable line',
    'LOOKBACK_SECONDS=300 # five minutes',
  ].join('\n');
  assert.deepEqual(parseEnvFile(text), {
    STREAM_URL: 'http://localhost:8080/stream/acme',
    STREAM_KEY: 'sk_123',
    PORT: '8090',
    LLM_MODEL: 'gpt-4o-mini # not a comment',
    GREETING: 'line one\nline two',
    EMPTY: '',
    LOOKBACK_SECONDS: '300',
  });
});

test('parseEnvFile lets a double-quoted value span lines and later lines win', () => {
  assert.deepEqual(parseEnvFile('KEY="a\nb"\nX=1\r\nX=2'), { KEY: 'a\nb', X: '2' });
});

test('readEnvFile gives {} for a missing file and parses an existing one', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sightline-env-'));
  assert.deepEqual(readEnvFile(join(dir, 'missing.env')), {});
  writeFileSync(join(dir, '.env'), 'A=1\n');
  assert.deepEqual(readEnvFile(join(dir, '.env')), { A: '1' });
});

test('a stray line never takes the next setting with it', () => {
  assert.deepEqual(parseEnvFile('not a variable line\nLOOKBACK_SECONDS=300\nTAB="x\\ty"'), { LOOKBACK_SECONDS: '300', TAB: 'x\ty' });
});
