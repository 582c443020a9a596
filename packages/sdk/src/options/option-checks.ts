/**
 * Validation of constructor options shared by the SDK's components. Each check throws
 * `SL_CONFIG_INVALID` naming the option and what was wrong, so a misconfiguration fails at
 * construction instead of misbehaving later.
 */
import { createError } from '../errors.ts';

function fail(option: string, reason: string): never {
  throw createError('SL_CONFIG_INVALID', { option, reason });
}

/** A finite number > 0 (or `>= 0` with `allowZero`); returns it. */
export function checkPositiveNumber(option: string, value: unknown, allowZero = false): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) fail(option, `expected a finite number, got ${String(value)}`);
  if (allowZero ? value < 0 : value <= 0) fail(option, `must be ${allowZero ? '>= 0' : '> 0'}, got ${value}`);
  return value;
}

/** An integer >= `minimum` (default 1); returns it. */
export function checkInteger(option: string, value: unknown, minimum = 1): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) fail(option, `expected an integer, got ${String(value)}`);
  if (value < minimum) fail(option, `must be >= ${minimum}, got ${value}`);
  return value;
}

/**
 * Resolves an optional limit where `undefined` means "use the default" and `null` means "no limit".
 * Returns the number, or `null` for no limit.
 */
export function resolveLimit(
  option: string,
  value: number | null | undefined,
  fallback: number | null,
  check: (option: string, value: unknown) => number,
): number | null {
  if (value === undefined) return fallback;
  if (value === null) return null;
  return check(option, value);
}

/** A function; returns it. */
export function checkFunction<T>(option: string, value: T): T {
  if (typeof value !== 'function') fail(option, 'expected a function');
  return value;
}
