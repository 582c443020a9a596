#!/usr/bin/env node
// Builds the workspace package in the current directory into dist/: esbuild bundles each entry point given
// as an argument (dependencies stay external imports), and tsc writes the .d.ts files from tsconfig.build.json.
// Run through each package's `npm run build`; packages build in workspace order, so dependencies come first.
import { build } from 'esbuild';
import { rmSync, existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

const entryPoints = process.argv.slice(2);
if (entryPoints.length === 0) {
  console.error('usage: node ../../scripts/build-package.mjs src/index.ts [src/other-entry.ts ...]');
  process.exit(2);
}

rmSync('dist', { recursive: true, force: true });
await build({
  entryPoints,
  outdir: 'dist',
  outbase: 'src',
  bundle: true,
  packages: 'external',
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  logLevel: 'warning',
});

if (existsSync('tsconfig.build.json')) {
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const result = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
