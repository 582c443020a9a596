/**
 * How the connector's credential doors (stream key, admin token, webhook secret) use the protocol's
 * {@link CredentialGuard} (docs/limits.md): a value that already failed is refused with 429 before any lookup,
 * a new wrong value is answered 401 after the guard's delay (held by the error handler, see send-error.ts), and
 * nothing is ever counted against the right value.
 */
import { hash } from 'node:crypto';
import { isIPv4, isIPv6 } from 'node:net';
import type { FastifyRequest } from 'fastify';
import type { SightlineError } from '@sightline/protocol';
import type { CredentialKind } from '@sightline/protocol/internal';
import { createError, type ConnectorErrorCode } from '../errors.ts';
import type { ConnectorContext } from '../server/connector-context.ts';

/** The kinds the connector checks; `capture_token` is public and not limited (docs/limits.md). */
export type ConnectorCredentialKind = Extract<CredentialKind, 'stream_key' | 'admin_token' | 'webhook_secret'>;

/** The 429 each door answers for a value that already failed. */
const REFUSAL_CODES: Record<ConnectorCredentialKind, ConnectorErrorCode> = {
  stream_key: 'SL_STREAM_RATE_LIMITED',
  admin_token: 'SL_ADMIN_TOKEN_RATE_LIMITED',
  webhook_secret: 'SL_WEBHOOK_RATE_LIMITED',
};

/**
 * A short fingerprint of a presented value within its scope (the product id, or `admin`): 128 bits of
 * sha256, so the guard never holds the value itself, and a key valid for product B but sent to A is
 * remembered apart from B's own use of it.
 */
export function credentialFingerprint(scope: string, value: string): string {
  // One-shot hash of the same bytes the three updates of a Hash object would feed (the webhook door fingerprints
  // every request's secret before its lookup).
  return hash('sha256', `${scope}\0${value}`, 'hex').slice(0, 32);
}

/** The 64-bit network prefix of an expanded IPv6 address, e.g. `2001:db8:0:1::/64`. */
function ipv6Prefix(address: string): string {
  const [head = '', tail] = address.split('::', 2);
  const headGroups = head === '' ? [] : head.split(':');
  let groups = headGroups;
  if (tail !== undefined) {
    const tailGroups = tail === '' ? [] : tail.split(':');
    // An embedded IPv4 tail (::ffff:1.2.3.4) fills two groups.
    const tailWidth = tailGroups.reduce((width, group) => width + (group.includes('.') ? 2 : 1), 0);
    groups = [...headGroups, ...Array.from({ length: Math.max(0, 8 - headGroups.length - tailWidth) }, () => '0'), ...tailGroups];
  }
  return `${groups.slice(0, 4).map((group) => (Number.parseInt(group, 16) || 0).toString(16)).join(':')}::/64`;
}

/**
 * The address failures are counted under: the client address Fastify resolved (the socket's, or with
 * `trustProxy` hops the one that many hops from the right of `X-Forwarded-For`), with IPv4-mapped IPv6 read as
 * IPv4 and IPv6 cut to its /64, since one host usually holds a whole /64 and could otherwise rotate through it.
 */
export function failureAddressOf(ip: string): string {
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(ip);
  if (mapped) return mapped[1]!;
  if (isIPv4(ip)) return ip;
  const withoutZone = ip.split('%', 1)[0]!;
  return isIPv6(withoutZone) ? ipv6Prefix(withoutZone.toLowerCase()) : ip;
}

const heldErrors = new WeakMap<object, number>();

/** What a credential check counts. */
type CheckResult = 'accepted' | 'refused' | 'rejected' | 'slowed' | 'missing';

const COUNTER_KEYS = Object.fromEntries(
  (['stream_key', 'admin_token', 'webhook_secret'] as const).map((kind) => [
    kind,
    Object.fromEntries((['accepted', 'refused', 'rejected', 'slowed', 'missing'] as const).map((result) => [result, `${kind} ${result}`])),
  ]),
) as Record<ConnectorCredentialKind, Record<CheckResult, string>>;

// One labelled child per (kind, result) and metrics registry: the webhook door counts every request, and this
// skips prom-client's label hashing on that path.
const countersByMetrics = new WeakMap<object, Map<string, { inc(): void }>>();

function count(context: ConnectorContext, kind: ConnectorCredentialKind, result: CheckResult): void {
  let counters = countersByMetrics.get(context.metrics);
  if (counters === undefined) {
    counters = new Map();
    countersByMetrics.set(context.metrics, counters);
  }
  // A constant key per (kind, result): no string is built per request.
  const key = COUNTER_KEYS[kind][result];
  let counter = counters.get(key);
  if (counter === undefined) {
    counter = context.metrics.credentialChecks.labels({ kind, result });
    counters.set(key, counter);
  }
  counter.inc();
}

/** How long the error handler holds this error's answer, ms (0 when it is not held). */
export function heldDelayOf(error: unknown): number {
  return typeof error === 'object' && error !== null ? (heldErrors.get(error) ?? 0) : 0;
}

/** One door's checks: {@link CredentialCheck.refusal} before the lookup, then `accepted` or `rejected`. */
export interface CredentialCheck {
  /** The door's 429 (with Retry-After) to throw when this value already failed, else null; call before any lookup. */
  refusal(): SightlineError | null;
  /** Counts a passed check. */
  accepted(): void;
  /** Counts a failed lookup and returns `error` to throw, held by the guard's delay before it is answered. */
  rejected<E extends SightlineError>(error: E): E;
}

/**
 * Starts a check of `value` at a door. A missing value is not a guess: the door answers it at once and
 * counts it with {@link countMissingCredential}, so only presented values are fingerprinted.
 *
 * @example
 * const check = checkCredential(context, request, 'stream_key', productId, key);
 * const refusal = check.refusal();
 * if (refusal) throw refusal;
 * if (!valid) throw check.rejected(createError('SL_STREAM_KEY_INVALID', { productId }));
 * check.accepted();
 */
export function checkCredential(
  context: ConnectorContext,
  request: FastifyRequest,
  kind: ConnectorCredentialKind,
  scope: string,
  value: string,
): CredentialCheck {
  const fingerprint = credentialFingerprint(scope, value);
  return {
    refusal() {
      const retryAfterS = context.guard.refusal(kind, fingerprint);
      if (retryAfterS === 0) return null;
      count(context, kind, 'refused');
      return createError(REFUSAL_CODES[kind], { retryAfterS });
    },
    accepted() {
      count(context, kind, 'accepted');
    },
    rejected(error) {
      const verdict = context.guard.recordFailure(kind, failureAddressOf(request.ip), fingerprint);
      count(context, kind, verdict.delayMs > 0 ? 'slowed' : 'rejected');
      if (verdict.delayMs > 0) heldErrors.set(error, verdict.delayMs);
      return error;
    },
  };
}

/** Counts a request that carried no credential at all. */
export function countMissingCredential(context: ConnectorContext, kind: ConnectorCredentialKind): void {
  count(context, kind, 'missing');
}
