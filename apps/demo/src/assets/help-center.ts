import { join } from 'node:path';
import { demoPackageRoot } from './package-root.ts';

/**
 * The demo product's help center: a few Markdown articles (English, and one in Spanish) about Acme Workspace's plans,
 * team, projects and settings, quoting its labels as the app shows them. `sightline dev` points the bridge's
 * `KNOWLEDGE_DIR` at it.
 */
export function demoHelpCenterDir(): string {
  return join(demoPackageRoot(), 'help-center');
}
