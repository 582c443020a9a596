/* global AbortSignal */
// Docker HEALTHCHECK: exits 0 when the URL answers 2xx within 2.5 s, 1 otherwise. The slim Node
// image has no curl or wget, and Node 20 has fetch built in.
const url = process.argv[2];
if (!url) {
  console.error('usage: node docker/healthcheck.mjs <url>');
  process.exit(2);
}
try {
  const response = await fetch(url, { signal: AbortSignal.timeout(2500) });
  process.exit(response.ok ? 0 : 1);
} catch {
  process.exit(1);
}
