/**
 * The small logging interface the ConnectorClient writes to. Any structured logger fits it
 * (pino, console, a test recorder); fields carry the wire names of what is being logged.
 */

/** Extra structured fields for one log line (`url`, `http_status`, `retry_count`, `session_id`, …). */
export type LogFields = Record<string, unknown>;

/**
 * Four levels, message first, then optional fields. Implementations must not throw; the client
 * guards against it anyway.
 *
 * @example
 * const logger: Logger = { debug() {}, info: console.info, warn: console.warn, error: console.error };
 */
export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

function noop(): void {}

/** Discards everything. Pass it to silence a client completely. */
export const silentLogger: Logger = { debug: noop, info: noop, warn: noop, error: noop };

/**
 * The default: warnings and errors go to `console.warn` / `console.error` (a failing callback, a
 * malformed frame or a fatal status should never pass unnoticed); debug and info are dropped.
 */
export const consoleLogger: Logger = {
  debug: noop,
  info: noop,
  warn: (message, fields) => (fields ? console.warn(`[sightline] ${message}`, fields) : console.warn(`[sightline] ${message}`)),
  error: (message, fields) => (fields ? console.error(`[sightline] ${message}`, fields) : console.error(`[sightline] ${message}`)),
};
