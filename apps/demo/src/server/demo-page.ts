import { demoAssetNames } from '../assets/build-demo-assets.ts';
import { demoConfigGlobal, type DemoPageConfig } from '../demo-config.ts';

// JSON inside <script> must not be able to close the tag or open a comment: escape <, > and &,
// plus the two line separators older engines treat as newlines.
function scriptSafeJson(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * The single HTML document every page route answers with; the browser bundle renders the page for
 * the current path. The config is inlined so the first paint needs no extra request.
 */
export function renderDemoPage(config: DemoPageConfig): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8" />
<meta name="viewport" content="width=device-width, initial-scale=1" />
<title>Acme Workspace</title>
<link rel="icon" href="data:," />
<link rel="stylesheet" href="/build/${demoAssetNames.styles}" />
</head>
<body>
<div id="app"></div>
<script>window.${demoConfigGlobal} = ${scriptSafeJson(config)};</script>
<script src="/build/${demoAssetNames.chatWidget}"></script>
<script src="/build/${demoAssetNames.script}"></script>
</body>
</html>
`;
}
