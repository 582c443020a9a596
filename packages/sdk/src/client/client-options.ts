/**
 * Options of {@link ConnectorClient} (docs/reference/wire-contract.md#stream-endpoint,
 * docs/reference/wire-contract.md#reconnecting), their defaults and their checks. A bad value fails at construction
 * with `SL_CONFIG_INVALID` naming the option.
 */
import { systemClock, type Clock } from '@sightline/protocol';
import { createError } from '../errors.ts';
import { checkInteger, checkPositiveNumber } from '../options/option-checks.ts';
import { consoleLogger, type Logger } from './logger.ts';
import { productIdOfStreamUrl, type StreamPositionStore } from './stream-position.ts';

/** Where the client keeps its stream position, and how often it writes it. */
export interface StreamPositionOptions {
  /** The store; its position is read at start (as the first `Last-Event-ID`) and written as payloads are handled. */
  store: StreamPositionStore;
  /** The product the position belongs to. Default: the last path segment of `url` (`/stream/<product_id>`). */
  productId?: string;
  /** Write at most this often, ms (a pending position is written when this much time has passed). Default 1000. */
  everyMs?: number;
  /** …or as soon as this many payloads were handled since the last write. Default 100. */
  everyPayloads?: number;
}

/** {@link StreamPositionOptions} with defaults applied. */
export interface ResolvedPositionOptions {
  store: StreamPositionStore;
  productId: string;
  everyMs: number;
  everyPayloads: number;
}

/** The fetch function the client calls; the global `fetch` by default. */
export type FetchFunction = (input: string, init: RequestInit) => Promise<Response>;

/**
 * Options of `new ConnectorClient(options)`. Only `url` is required.
 *
 * @example
 * new ConnectorClient({ url: 'https://connector.example.com/stream/acme', token: process.env.STREAM_KEY, idleTimeoutMs: 75_000 });
 */
export interface ConnectorClientOptions {
  /** The product's stream URL, `https://<connector>/stream/<product_id>`. */
  url: string;
  /**
   * The product's stream key, sent as `Authorization: Bearer <token>` on every (re)connect. Trimmed;
   * when blank, the environment variable `AUTOPLAY_APP_UNKEY_TOKEN` is used where `process.env`
   * exists (Autoplay compatibility); when that is blank too, no header is sent.
   */
  token?: string;
  /** Payloads accepted and not yet handled, across all sessions, before new ones are dropped. Default 500. */
  maxQueueSize?: number;
  /** Time allowed from sending the request to a checked `text/event-stream` response. Default 10 000 ms. */
  connectTimeoutMs?: number;
  /** First reconnect wait; it doubles after each failure. Default 1000 ms. */
  initialBackoffMs?: number;
  /** Cap of the reconnect wait (before jitter). Default 30 000 ms; must be ≥ `initialBackoffMs`. */
  maxBackoffMs?: number;
  /** Failed attempts in a row allowed after the first: `N` means N + 1 attempts, then `start()` rejects. Default: retry forever. */
  maxRetries?: number;
  /** Reconnect when nothing at all (payload or heartbeat) arrives for this long. Default: off (75 000 suits 30 s heartbeats). */
  idleTimeoutMs?: number;
  /**
   * A stream that stayed up at least this long before it ended is reconnected at once with a fresh backoff; a
   * shorter-lived one continues the backoff it had before it connected (docs/decisions/D-2-end-of-stream.md). Default
   * 30 000 ms.
   */
  healthyStreamMs?: number;
  /** How long `stop()` waits for queued payloads to be handled; the rest go to `onDrop` as `shutdown` (docs/decisions/D-9-bounded-shutdown.md). Default 10 000 ms. */
  drainTimeoutMs?: number;
  /** Resume after this event id (sent as `Last-Event-ID` on the first connect), e.g. one stored before a restart. */
  lastEventId?: string;
  /**
   * Keeps the stream position in a store: at start the stored position is the first `Last-Event-ID` (unless
   * `lastEventId` is given), and the id of the latest payload handled, with all before it, is written at most every
   * `everyMs` or `everyPayloads`, and when the client stops. Default: none.
   */
  position?: StreamPositionOptions;
  /**
   * Most characters of one SSE event held while it is still incomplete (not yet ended by a blank
   * line); a stream that exceeds it counts as broken and is reconnected. Bounds the client's memory
   * against a server that never ends an event. Default 4 MiB (≥ 1024).
   */
  maxFrameLength?: number;
  /** Time and timers (backoff, timeouts, drain deadline). Default: the system clock. */
  clock?: Clock;
  /** Source of the 0–10 % backoff jitter, returning [0, 1). Default `Math.random`. */
  random?: () => number;
  /** The fetch implementation. Default: the global `fetch`. */
  fetch?: FetchFunction;
  /** Where the client logs. Default {@link consoleLogger} (warnings and errors to the console). */
  logger?: Logger;
  /** Aborting it stops the client; `start()` then rejects with `SL_STREAM_ABORTED` (docs/decisions/D-4-abort-rejects.md). */
  signal?: AbortSignal;
}

/** {@link ConnectorClientOptions} with defaults applied and values checked. */
export interface ResolvedClientOptions {
  url: string;
  token: string;
  maxQueueSize: number;
  connectTimeoutMs: number;
  initialBackoffMs: number;
  maxBackoffMs: number;
  maxRetries: number | undefined;
  idleTimeoutMs: number | undefined;
  healthyStreamMs: number;
  drainTimeoutMs: number;
  lastEventId: string | undefined;
  position: ResolvedPositionOptions | undefined;
  maxFrameLength: number;
  clock: Clock;
  random: () => number;
  fetch: FetchFunction;
  logger: Logger;
  signal: AbortSignal | undefined;
}

/** The environment variable Autoplay's client reads the stream token from. */
export const TOKEN_ENV_VARIABLE = 'AUTOPLAY_APP_UNKEY_TOKEN';

function invalid(option: string, reason: string): never {
  throw createError('SL_CONFIG_INVALID', { option, reason });
}

/** Reads an environment variable where one exists (Node, Bun, Deno with compat); `undefined` in browsers. */
function readEnvironment(name: string): string | undefined {
  const environment = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  const value = environment?.[name];
  return typeof value === 'string' ? value : undefined;
}

/**
 * The token the client sends (docs/reference/wire-contract.md#stream-endpoint): the trimmed explicit token, else the
 * trimmed `AUTOPLAY_APP_UNKEY_TOKEN`, else `""` (no header).
 *
 * @example resolveToken('  sk_1  ') // 'sk_1'
 */
export function resolveToken(token: string | undefined): string {
  const explicit = (token ?? '').trim();
  if (explicit) return explicit;
  return (readEnvironment(TOKEN_ENV_VARIABLE) ?? '').trim();
}

function checkUrl(value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '') invalid('url', 'expected the stream URL, e.g. https://connector.example.com/stream/<product_id>');
  let parsed: URL;
  try {
    parsed = new URL(value.trim());
  } catch {
    invalid('url', `not an absolute URL: ${value}`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') invalid('url', `expected http or https, got ${parsed.protocol}`);
  return parsed.href;
}

function optional<T>(value: T | undefined, fallback: T, check: (value: T) => T): T {
  return value === undefined ? fallback : check(value);
}

/** Applies defaults and validates; throws `SL_CONFIG_INVALID` for the first bad option. */
export function resolveClientOptions(options: ConnectorClientOptions): ResolvedClientOptions {
  if (typeof options !== 'object' || options === null) invalid('options', 'expected an object with at least { url }');
  if (options.token !== undefined && typeof options.token !== 'string') invalid('token', 'expected a string');
  const initialBackoffMs = optional(options.initialBackoffMs, 1000, (value) => checkPositiveNumber('initialBackoffMs', value));
  const maxBackoffMs = optional(options.maxBackoffMs, Math.max(30_000, initialBackoffMs), (value) => checkPositiveNumber('maxBackoffMs', value));
  if (maxBackoffMs < initialBackoffMs) invalid('maxBackoffMs', `must be >= initialBackoffMs (${initialBackoffMs}), got ${maxBackoffMs}`);
  if (options.lastEventId !== undefined && (typeof options.lastEventId !== 'string' || /[\r\n\0]/.test(options.lastEventId))) {
    invalid('lastEventId', 'expected a string without CR, LF or NUL');
  }
  for (const name of ['random', 'fetch'] as const) {
    if (options[name] !== undefined && typeof options[name] !== 'function') invalid(name, 'expected a function');
  }
  const logger = options.logger ?? consoleLogger;
  for (const level of ['debug', 'info', 'warn', 'error'] as const) {
    if (typeof logger?.[level] !== 'function') invalid('logger', `expected an object with debug, info, warn and error functions (missing ${level})`);
  }
  const clock = options.clock ?? systemClock;
  if (typeof clock?.now !== 'function' || typeof clock.setTimeout !== 'function' || typeof clock.clearTimeout !== 'function') {
    invalid('clock', 'expected a Clock with now, setTimeout and clearTimeout');
  }
  if (options.signal !== undefined && (typeof options.signal !== 'object' || typeof options.signal?.addEventListener !== 'function')) {
    invalid('signal', 'expected an AbortSignal');
  }
  const globalFetch = (globalThis as { fetch?: FetchFunction }).fetch;
  if (!options.fetch && typeof globalFetch !== 'function') invalid('fetch', 'no global fetch in this runtime; pass one');
  const token = resolveToken(options.token);
  // fetch rejects such a header on every attempt, which would look like an endless network failure.
  if (!/^[\x20-\x7e\x80-\xff]*$/.test(token)) invalid('token', 'contains control or non-Latin-1 characters; pass the stream key as issued');
  const url = checkUrl(options.url);
  return {
    url,
    token,
    maxQueueSize: optional(options.maxQueueSize, 500, (value) => checkInteger('maxQueueSize', value, 1)),
    connectTimeoutMs: optional(options.connectTimeoutMs, 10_000, (value) => checkPositiveNumber('connectTimeoutMs', value)),
    initialBackoffMs,
    maxBackoffMs,
    maxRetries: optional<number | undefined>(options.maxRetries, undefined, (value) => checkInteger('maxRetries', value, 0)),
    idleTimeoutMs: optional<number | undefined>(options.idleTimeoutMs, undefined, (value) => checkPositiveNumber('idleTimeoutMs', value)),
    // > 0: with 0 every stream counts as healthy, and a server that hangs up at once would be redialled in a tight loop.
    healthyStreamMs: optional(options.healthyStreamMs, 30_000, (value) => checkPositiveNumber('healthyStreamMs', value)),
    drainTimeoutMs: optional(options.drainTimeoutMs, 10_000, (value) => checkPositiveNumber('drainTimeoutMs', value, true)),
    lastEventId: options.lastEventId || undefined,
    position: resolvePosition(options.position, url),
    maxFrameLength: optional(options.maxFrameLength, 4 * 1024 * 1024, (value) => checkInteger('maxFrameLength', value, 1024)),
    clock,
    random: options.random ?? Math.random,
    // Called through a wrapper so a browser's fetch is never invoked with a foreign `this`.
    fetch: options.fetch ?? ((input, init) => globalFetch!(input, init)),
    logger,
    signal: options.signal,
  };
}

function resolvePosition(position: StreamPositionOptions | undefined, url: string): ResolvedPositionOptions | undefined {
  if (position === undefined) return undefined;
  const store = position?.store as Partial<StreamPositionStore> | undefined;
  if (typeof store?.read !== 'function' || typeof store.write !== 'function') invalid('position.store', 'expected a StreamPositionStore with read() and write()');
  const productId = position.productId ?? productIdOfStreamUrl(url);
  if (typeof productId !== 'string' || productId === '') invalid('position.productId', 'the URL does not end in /stream/<product_id>; pass productId');
  return {
    store: position.store,
    productId,
    everyMs: checkPositiveNumber('position.everyMs', position.everyMs ?? 1000),
    everyPayloads: checkInteger('position.everyPayloads', position.everyPayloads ?? 100),
  };
}
