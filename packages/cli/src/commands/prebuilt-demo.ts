/**
 * The demo's files as the published `sightline` carries them: its browser assets built ahead and its help center,
 * in dist/demo/ beside the bundled command (docs/packaging.md). A workspace checkout running from src/ has none, and
 * the demo builds its assets from its own sources when it starts.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Folders of a prebuilt demo. */
export interface PrebuiltDemo {
  /** The built browser assets the demo serves from `/build/`. */
  assetsDir: string;
  /** The demo product's help center (Markdown articles). */
  helpCenterDir: string;
}

/**
 * The prebuilt demo beside this module, or undefined when there is none (running from the workspace sources, where
 * this module sits in src/commands/ and no demo/ folder does).
 */
export function findPrebuiltDemo(): PrebuiltDemo | undefined {
  // The layout scripts/prebuild-demo.ts writes when the package builds.
  const dir = fileURLToPath(new URL('./demo/', import.meta.url));
  const demo = { assetsDir: join(dir, 'build'), helpCenterDir: join(dir, 'help-center') };
  return existsSync(demo.assetsDir) && existsSync(demo.helpCenterDir) ? demo : undefined;
}
