/**
 * The attack scripts keep working: each runs with tiny counts, prints its table and its verdicts, and exits 0 or 1
 * by the properties (never with a crash of its own). The real figures come from full runs (docs/attack-figures.md).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

function runScript(script: string, args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['scripts/run.mjs', script, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

test('the fuzz script runs every door with small counts and prints its figures and verdicts', async () => {
  const { code, output } = await runScript('scripts/attack/fuzz.ts', ['--requests', '60', '--seed', '7', '--concurrency', '4']);
  assert.ok(code === 0 || code === 1, output);
  for (const door of ['webhook', 'capture', 'config', 'stream', 'admin']) assert.match(output, new RegExp(`^${door}\\s+\\d+`, 'm'));
  assert.match(output, /^total\s+60\s/m);
  assert.match(output, /^(PASS|FAIL) {2}no crash:/m);
  assert.match(output, /^(PASS|FAIL) {2}no 5xx:/m);
  assert.match(output, /^(PASS|FAIL) {2}no valid event lost:/m);
});

test('the load script sends at the rate it is given and counts what the stream delivers', async () => {
  const { code, output } = await runScript('scripts/attack/load.ts', ['--rate', '40', '--seconds', '1', '--sessions', '4']);
  assert.equal(code, 0, output);
  assert.match(output, /^events sent\s+40$/m);
  assert.match(output, /^actions received on the stream\s+40$/m);
  assert.match(output, /^PASS {2}nothing lost:/m);
});

test('a bad option exits 2', async () => {
  const { code } = await runScript('scripts/attack/load.ts', ['--rate', 'fast']);
  assert.equal(code, 2);
});
