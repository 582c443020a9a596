import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | undefined;

/**
 * The demo package's folder. Found by walking up from this module, because it runs both from
 * src/assets/ (workspace, tsx) and from dist/ (built by scripts/build-package.mjs), which sit at different depths.
 */
export function demoPackageRoot(): string {
  if (cached) return cached;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      const name = (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown }).name;
      if (name === '@sightline/demo') return (cached = dir);
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error('sightline demo: cannot find the @sightline/demo package folder');
    dir = parent;
  }
}
