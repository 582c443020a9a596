#!/usr/bin/env node
// Finds every *.test.ts in the workspace and runs them with node's test runner through tsx.
// Node 20's --test takes no globs, so the file list is built here. Extra arguments are passed on
// (e.g. `node scripts/test.mjs packages/sdk` runs only the tests under that folder).
import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const roots = ['packages', 'apps', 'integrations', 'e2e', 'bench', 'scripts'];
const filters = process.argv.slice(2).filter((arg) => !arg.startsWith('--'));
const runnerFlags = process.argv.slice(2).filter((arg) => arg.startsWith('--'));

function collect(dir, found) {
  let entries;
  try {
    entries = readdirSync(dir);
  } catch {
    return found;
  }
  for (const name of entries) {
    if (name === 'node_modules' || name === 'dist' || name.startsWith('.')) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) collect(path, found);
    else if (name.endsWith('.test.ts')) found.push(relative(process.cwd(), path));
  }
  return found;
}

const files = roots
  .flatMap((root) => collect(root, []))
  .filter((file) => filters.length === 0 || filters.some((filter) => file.startsWith(filter)))
  .sort();
if (files.length === 0) {
  console.error('no test files found');
  process.exit(1);
}
const child = spawn(
  process.execPath,
  ['--conditions=source', '--import', import.meta.resolve('tsx'), '--test', '--test-concurrency=2', ...runnerFlags, ...files],
  { stdio: 'inherit' },
);
child.on('exit', (code, signal) => process.exit(signal ? 1 : (code ?? 1)));
