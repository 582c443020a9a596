/**
 * The one error type every Sightline package throws. Each package keeps its own catalogue in
 * `errors.ts` (built with {@link defineErrors}); code and status are stable, messages may change.
 */

/** One entry of an error catalogue: the HTTP status it maps to and a message template with `{name}` slots. */
export interface ErrorDefinition {
  status: number;
  message: string;
}

/**
 * The mark every {@link SightlineError} carries. `Symbol.for` gives the same symbol in every copy of
 * this package, so an error made by a second installed copy (another version under another package's
 * node_modules, or a bundle) is still recognised, where `instanceof` would say no.
 */
const SIGHTLINE_ERROR_MARKER = Symbol.for('sightline.error');

/** An error with a stable code (`SL_…`), an HTTP status and the values that filled its message. */
export class SightlineError extends Error {
  readonly [SIGHTLINE_ERROR_MARKER] = true;
  readonly code: string;
  readonly status: number;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(code: string, status: number, message: string, details: Record<string, unknown> = {}, options?: ErrorOptions) {
    super(message, options);
    this.name = 'SightlineError';
    this.code = code;
    this.status = status;
    this.details = details;
  }

  /** The HTTP error body every Sightline server answers: `{"error": {"code", "message"}}`. */
  toJSON(): { error: { code: string; message: string } } {
    return { error: { code: this.code, message: this.message } };
  }
}

/**
 * True for a {@link SightlineError}, optionally with the given code. It also accepts an error made by
 * another installed copy of this package: it looks for the `Symbol.for('sightline.error')` mark and a
 * string code rather than relying on `instanceof` alone.
 */
export function isSightlineError(value: unknown, code?: string): value is SightlineError {
  if (!(value instanceof SightlineError || isMarked(value))) return false;
  return code === undefined || value.code === code;
}

function isMarked(value: unknown): value is SightlineError {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as { [SIGHTLINE_ERROR_MARKER]?: unknown; code?: unknown };
  return candidate[SIGHTLINE_ERROR_MARKER] === true && typeof candidate.code === 'string';
}

function fillTemplate(template: string, values: Record<string, unknown>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (Object.hasOwn(values, name) ? String(values[name]) : whole));
}

/**
 * Builds a package's error catalogue and a typed factory for it.
 *
 * @example
 * const { createError } = defineErrors({ SL_STREAM_KEY_INVALID: { status: 401, message: 'Stream key is not valid for {productId}.' } });
 * throw createError('SL_STREAM_KEY_INVALID', { productId: 'acme' });
 */
export function defineErrors<const Catalogue extends Record<string, ErrorDefinition>>(catalogue: Catalogue) {
  function createError(
    code: keyof Catalogue & string,
    details: Record<string, unknown> = {},
    options?: ErrorOptions,
  ): SightlineError {
    const definition = catalogue[code];
    if (!definition) throw new Error(`unknown error code ${code}`);
    return new SightlineError(code, definition.status, fillTemplate(definition.message, details), details, options);
  }
  return { catalogue, createError };
}
