/**
 * Bundles the demo's browser code (with posthog-js from node_modules) using esbuild, and copies
 * rasa-webchat's self-contained `lib/index.js` beside it. Everything comes from local packages, so
 * building never touches the network, and neither does the page: the widget's bundled CSS imports a web font from
 * Google's CDN, which the copy leaves out (the widget then uses the page's sans-serif font).
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { demoPackageRoot } from './package-root.ts';

/** File names the page links to, relative to the build folder. */
export const demoAssetNames = {
  script: 'app.js',
  styles: 'app.css',
  chatWidget: 'rasa-webchat-1.0.1.js',
} as const;

/** Options for {@link buildDemoAssets}. */
export interface BuildDemoAssetsOptions {
  /** Output folder. Default: `apps/demo/public/build` (gitignored). */
  outDir?: string;
  /** Minify the bundle. Default: true. */
  minify?: boolean;
}

/** Where the assets went and which files were written. */
export interface DemoAssets {
  outDir: string;
  files: string[];
}

/**
 * Builds the demo's browser assets into `outDir` and resolves when they are written.
 *
 * @example
 * const { outDir } = await buildDemoAssets();
 */
export async function buildDemoAssets(options: BuildDemoAssetsOptions = {}): Promise<DemoAssets> {
  const root = demoPackageRoot();
  const outDir = options.outDir ?? join(root, 'public', 'build');
  await mkdir(outDir, { recursive: true });
  const entry = join(root, 'src', 'browser', 'main.ts');
  // Imported here, not at the top: the published `sightline` carries the demo with its assets built ahead
  // (docs/packaging.md), so a server that serves prebuilt assets must load without esbuild installed.
  const { build } = await import('esbuild');
  await build({
    entryPoints: { app: entry },
    outdir: outDir,
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: ['chrome100', 'firefox100', 'safari15'],
    minify: options.minify ?? true,
    sourcemap: true,
    legalComments: 'linked',
    logLevel: 'silent',
  });
  // rasa-webchat has no "exports" map, so its UMD build is reachable by path; resolve it from this
  // package so a hoisted or nested install both work.
  const require = createRequire(join(root, 'package.json'));
  const widget = require.resolve('rasa-webchat/lib/index.js');
  await writeFile(join(outDir, demoAssetNames.chatWidget), withoutRemoteImports(await readFile(widget, 'utf8')));
  return { outDir, files: [demoAssetNames.script, demoAssetNames.styles, demoAssetNames.chatWidget] };
}

/**
 * The widget bundle without CSS `@import` rules that load from another host (rasa-webchat 1.0.1 imports the Inter font
 * from fonts.googleapis.com in each of its style modules), so the page makes no request off the machine.
 */
export function withoutRemoteImports(bundle: string): string {
  return bundle.replace(/@import url\(["']?https?:\/\/[^)]*\);?/g, '');
}
