/**
 * @sightline/demo: a small product web app (Acme Workspace) with posthog-js autocapture pointed at
 * the Sightline connector and the rasa-webchat widget talking to the bridge. Used by `sightline dev`
 * and the browser test; runs on its own with `node apps/demo/dist/main.js` (see README.md).
 */
export { startDemoServer, type DemoServer, type DemoServerOptions } from './server/demo-server.ts';
export { buildDemoAssets, demoAssetNames, type BuildDemoAssetsOptions, type DemoAssets } from './assets/build-demo-assets.ts';
export { renderDemoPage } from './server/demo-page.ts';
export { demoHelpCenterDir } from './assets/help-center.ts';
export { demoSeedBatches, DEMO_SEED_FLOW_COUNT, type DemoSeedBatch, type DemoSeedEvent, type DemoSeedOptions } from './seed/demo-seed.ts';
export { demoPages, findPage, type DemoPage } from './browser/pages.ts';
export type { DemoPageConfig } from './demo-config.ts';
