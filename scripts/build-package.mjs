#!/usr/bin/env node
// Builds the workspace package in the current directory into dist/: esbuild bundles each entry point given
// as an argument (dependencies stay external imports), and tsc writes the .d.ts files from tsconfig.build.json.
// Run through each package's `npm run build`; packages build in workspace order, so dependencies come first.
//
// `--inline <package>` bundles that package's code into dist instead of importing it at run time: the way a published
// package carries a private workspace package (the CLI carries the demo, which is never published). The inlined
// package is read from its TypeScript sources (the "source" export condition), so it need not be built first.
import { build } from 'esbuild';
import { rmSync, existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

const entryPoints = [];
const inlined = new Set();
const args = process.argv.slice(2);
for (let index = 0; index < args.length; index++) {
  if (args[index] === '--inline' && args[index + 1]) inlined.add(args[++index]);
  else entryPoints.push(args[index]);
}
if (entryPoints.length === 0) {
  console.error('usage: node ../../scripts/build-package.mjs [--inline <package>] src/index.ts [src/other-entry.ts ...]');
  process.exit(2);
}

/** The package a bare import names: `@scope/name` or `name`, without a subpath. */
function packageName(specifier) {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/** Every bare import (packages and node: built-ins) stays external, except the inlined packages; `#` imports are the package's own. */
const externals = {
  name: 'externals',
  setup(builder) {
    builder.onResolve({ filter: /^[^./#]/ }, (resolve) => (inlined.has(packageName(resolve.path)) ? undefined : { path: resolve.path, external: true }));
  },
};

rmSync('dist', { recursive: true, force: true });
await build({
  entryPoints,
  outdir: 'dist',
  outbase: 'src',
  bundle: true,
  plugins: [externals],
  conditions: ['source'],
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
