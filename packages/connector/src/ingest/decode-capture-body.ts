/**
 * Turns the bytes posthog-js (or an older SDK, or a server SDK) sends to the capture door into a JSON value,
 * following docs/reference/posthog-capture.md#request-encodings and
 * docs/reference/posthog-capture.md#decoding-a-capture-body: gzip sniffed by magic bytes (or hinted), `data=<base64>`
 * form bodies, bare base64 from very old SDKs, and plain JSON. Sizes are capped after every expansion.
 */
import { gunzip, gunzipSync } from 'node:zlib';
import { createError } from '../errors.ts';

/** What {@link decodeCaptureBody} reads from the request. */
export interface CaptureRequestParts {
  /** The raw body, or the `data` query parameter of a GET (as bytes). */
  body: Buffer;
  /** `Content-Type`, if any. */
  contentType?: string | undefined;
  /** `Content-Encoding`, if any. */
  contentEncoding?: string | undefined;
  /** The `compression` query parameter, if any. */
  compression?: string | undefined;
}

/** Options of {@link decodeCaptureBody}. */
export interface DecodeCaptureOptions {
  /** Largest decoded (inflated) body accepted, bytes; a larger one is `SL_BODY_TOO_LARGE` (413). */
  maxDecodedBytes: number;
}

const BASE64_PATTERN = /^[A-Za-z0-9+/_-]+={0,2}$/;

function isGzip(bytes: Buffer): boolean {
  return bytes.length >= 3 && bytes[0] === 0x1f && bytes[1] === 0x8b && bytes[2] === 0x08;
}

function looksLikeBase64(text: string): boolean {
  return text.length >= 4 && BASE64_PATTERN.test(text);
}

/** Gunzips with an output cap, so a gzip bomb costs at most `maxDecodedBytes` of memory. */
export function gunzipCapped(bytes: Buffer, maxDecodedBytes: number): Buffer {
  try {
    return gunzipSync(bytes, { maxOutputLength: maxDecodedBytes });
  } catch (error) {
    throw inflateError(error, maxDecodedBytes);
  }
}

/**
 * Compressed bodies above this size are inflated on libuv's thread pool instead of the event loop: inflating up to
 * `maxDecodedBytes` (8 MiB by default) takes milliseconds that every other request would wait for. Smaller ones
 * (posthog-js's usual batches) inflate inline, where a thread hop would cost more than the work.
 */
export const INFLATE_OFF_LOOP_BYTES = 64 * 1024;

/** {@link gunzipCapped} off the event loop (zlib on the thread pool), with the same cap and errors. */
export function gunzipCappedAsync(bytes: Buffer, maxDecodedBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    gunzip(bytes, { maxOutputLength: maxDecodedBytes }, (error, result) => (error ? reject(inflateError(error, maxDecodedBytes)) : resolve(result)));
  });
}

/** Inflates inline when small, off the event loop when large ({@link INFLATE_OFF_LOOP_BYTES}). */
export function inflate(bytes: Buffer, maxDecodedBytes: number): Buffer | Promise<Buffer> {
  return bytes.length > INFLATE_OFF_LOOP_BYTES ? gunzipCappedAsync(bytes, maxDecodedBytes) : gunzipCapped(bytes, maxDecodedBytes);
}

function inflateError(error: unknown, maxDecodedBytes: number): Error {
  if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' || error instanceof RangeError) {
    return createError('SL_BODY_TOO_LARGE', { limit: maxDecodedBytes, stage: 'after decompression' });
  }
  return createError('SL_BODY_INVALID', { reason: 'gzip data is corrupt or truncated' }, { cause: error });
}

function decodeBase64(text: string, maxDecodedBytes: number): Buffer {
  if (!looksLikeBase64(text)) throw createError('SL_BODY_INVALID', { reason: 'the data field is not base64' });
  const decoded = Buffer.from(text, text.includes('-') || text.includes('_') ? 'base64url' : 'base64');
  if (decoded.length > maxDecodedBytes) throw createError('SL_BODY_TOO_LARGE', { limit: maxDecodedBytes, stage: 'after base64 decoding' });
  return decoded;
}

/** Parses JSON text, giving a coded 400 instead of a SyntaxError. */
export function parseJsonBody(bytes: Buffer): unknown {
  const text = bytes.toString('utf8').replace(/^\uFEFF/, '');
  if (text.trim() === '') throw createError('SL_BODY_INVALID', { reason: 'the body is empty' });
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw createError('SL_BODY_INVALID', { reason: 'the body is not JSON' });
  }
}

/** A capture body unwrapped from its form and base64 layers: the bytes, and whether they are gzip to inflate. */
export interface UnwrappedCaptureBody {
  bytes: Buffer;
  isGzip: boolean;
}

/**
 * Unwraps a capture request down to its JSON or gzip bytes (form field, base64), without inflating: inflation is
 * the one step whose cost grows to `maxDecodedBytes`, so the caller chooses where it runs
 * ({@link decodeCaptureBody} inline, the capture door off the event loop for large bodies).
 *
 * @throws `SL_BODY_INVALID` (400) for undecodable input, `SL_BODY_TOO_LARGE` (413) past `maxDecodedBytes`.
 */
export function unwrapCaptureBody(parts: CaptureRequestParts, options: DecodeCaptureOptions): UnwrappedCaptureBody {
  const { maxDecodedBytes } = options;
  const bytes = parts.body;
  const contentEncoding = parts.contentEncoding?.trim().toLowerCase();
  let hint = parts.compression?.trim().toLowerCase();
  const contentType = parts.contentType?.split(';')[0]?.trim().toLowerCase() ?? '';
  if (bytes.length === 0) throw createError('SL_BODY_INVALID', { reason: 'the body is empty' });

  if (isGzip(bytes) || hint === 'gzip' || hint === 'gzip-js' || contentEncoding === 'gzip') return { bytes, isGzip: true };
  if (bytes.length > maxDecodedBytes) throw createError('SL_BODY_TOO_LARGE', { limit: maxDecodedBytes, stage: 'as sent' });

  const head = bytes.subarray(0, 5).toString('latin1');
  if (contentType === 'application/x-www-form-urlencoded' || head === 'data=') {
    const form = new URLSearchParams(bytes.toString('utf8'));
    const data = form.get('data');
    if (data === null) throw createError('SL_BODY_INVALID', { reason: 'the form body has no data field' });
    hint ??= form.get('compression')?.trim().toLowerCase();
    if (hint === 'lz64') throw createError('SL_BODY_INVALID', { reason: 'lz64 compression is not supported; use a posthog-js release from the last few years' });
    // URL decoding turned the base64 '+' into ' '; PostHog's capture restores it the same way.
    const value = data.replace(/ /g, '+');
    const trimmed = value.trimStart();
    if (hint !== 'base64' && (trimmed.startsWith('{') || trimmed.startsWith('['))) return { bytes: Buffer.from(value, 'utf8'), isGzip: false };
    const decoded = decodeBase64(value, maxDecodedBytes);
    return { bytes: decoded, isGzip: isGzip(decoded) };
  }
  if (hint === 'lz64') throw createError('SL_BODY_INVALID', { reason: 'lz64 compression is not supported; use a posthog-js release from the last few years' });

  const text = bytes.toString('utf8').trim();
  if (!text.startsWith('{') && !text.startsWith('[') && (hint === 'base64' || looksLikeBase64(text))) {
    const decoded = decodeBase64(text, maxDecodedBytes);
    return { bytes: decoded, isGzip: isGzip(decoded) };
  }
  return { bytes, isGzip: false };
}

/**
 * Decodes a capture request to its JSON value (an event, an array of events, or a `{api_key, batch}` envelope),
 * inflating inline.
 *
 * @throws `SL_BODY_INVALID` (400) for undecodable input, `SL_BODY_TOO_LARGE` (413) past `maxDecodedBytes`.
 * @example decodeCaptureBody({ body: gzipped, contentType: 'text/plain' }, { maxDecodedBytes: 4 << 20 })
 */
export function decodeCaptureBody(parts: CaptureRequestParts, options: DecodeCaptureOptions): unknown {
  const { bytes, isGzip: needsInflating } = unwrapCaptureBody(parts, options);
  return parseJsonBody(needsInflating ? gunzipCapped(bytes, options.maxDecodedBytes) : bytes);
}
