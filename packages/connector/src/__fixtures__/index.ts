/**
 * Shared test fixtures of the connector: the recorded posthog-js bodies of
 * docs/reference/posthog-capture.md#recorded-examples, the Hog
 * script's flat payloads, CDP globals, and edge cases. Tests only; not part of the package surface.
 */
import { gzipSync } from 'node:zlib';

export { posthogJsAutocaptureBatch, posthogJsEdgeEvents, posthogJsEvents, type PosthogCaptureBody } from './posthog-js-events.ts';
export { hogFlatPayloads, type HogFlatPayload } from './hog-flat-payloads.ts';
export { cdpGlobals } from './cdp-events.ts';

/** A body as posthog-js puts it on the wire by default: gzip of its JSON (`Content-Type: text/plain`). */
export function gzipCaptureBody(body: unknown): Buffer {
  return gzipSync(Buffer.from(JSON.stringify(body), 'utf8'));
}

/** A body as posthog-js sends it with `?compression=base64`: form field `data=<base64 JSON>`. */
export function base64FormCaptureBody(body: unknown): string {
  return `data=${encodeURIComponent(Buffer.from(JSON.stringify(body), 'utf8').toString('base64'))}`;
}
