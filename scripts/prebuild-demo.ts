/**
 * Writes the demo's browser assets (built with esbuild) to `<folder>/build/` and its help center to
 * `<folder>/help-center/`: `sightline`'s build runs it with `dist/demo`, the layout its `dev` command looks for, so the
 * published command serves the demo without esbuild, posthog-js, rasa-webchat or the demo's sources
 * (docs/packaging.md).
 *
 *   node scripts/run.mjs scripts/prebuild-demo.ts <folder>
 */
import { cp, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { buildDemoAssets, demoHelpCenterDir } from '@sightline/demo';

const target = process.argv[2];
if (!target) {
  console.error('usage: node scripts/run.mjs scripts/prebuild-demo.ts <folder>');
  process.exit(2);
}
const folder = resolve(target);
await rm(folder, { recursive: true, force: true });
const { files } = await buildDemoAssets({ outDir: join(folder, 'build') });
await cp(demoHelpCenterDir(), join(folder, 'help-center'), { recursive: true });
console.log(`demo: ${files.join(', ')} and the help center written to ${folder}`);
