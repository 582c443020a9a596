/**
 * Fuzzing of the connector's doors, shared by the fuzz test (a small run in every `npm test`) and the attack script
 * (`npm run attack:fuzz`, 100,000 requests): a seeded PRNG so a failure reproduces, junk values, mutations of the
 * real fixtures, bodies in every encoding, and one request builder per door. Not exported from the package.
 */
import { gzipSync } from 'node:zlib';
import { hogFlatPayloads, posthogJsEvents } from '../__fixtures__/index.ts';

/** Small deterministic PRNG (mulberry32), so a failure reproduces. */
export function prng(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
  const int = (max: number) => Math.floor(next() * max);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)]!;
  return { next, int, pick };
}

/** The PRNG {@link prng} returns. */
export type Random = ReturnType<typeof prng>;

const JUNK_VALUES: unknown[] = [null, true, false, 0, -1, 1e308, '', ' ', 'x'.repeat(5000), '\u0000\ud800', [], {}, [[[]]], { __proto__: { polluted: 1 } }, '1f8b08', NaN];

function freshJunk(value: unknown): unknown {
  return typeof value === 'object' && value !== null ? (JSON.parse(JSON.stringify(value)) as unknown) : value;
}

/** A random JSON-ish value: junk constants, numbers, random strings, event-like words, arrays and objects. */
export function randomValue(random: Random, depth = 0): unknown {
  const kind = random.int(depth > 2 ? 4 : 7);
  switch (kind) {
    // A fresh copy: a shared junk object placed into a body and mutated later would grow into a cycle.
    case 0: return freshJunk(random.pick(JUNK_VALUES));
    case 1: return random.next() * 1e12 - 5e11;
    case 2: return String.fromCharCode(...Array.from({ length: random.int(40) }, () => random.int(0xffff)));
    case 3: return random.pick(['$pageview', '$autocapture', 'click', 'submit', '2026-11-21T22:33:26.518Z', 'https://app.example.com/a?b=c']);
    case 4: return Array.from({ length: random.int(4) }, () => randomValue(random, depth + 1));
    default: return Object.fromEntries(Array.from({ length: random.int(5) }, () => [random.pick(['event', 'properties', 'batch', 'distinct_id', '$session_id', 'timestamp', 'token', 'api_key', 'elements_chain', '$elements_chain', 'x']), randomValue(random, depth + 1)]));
  }
}

/** A copy of `value` with a few fields replaced by junk, at any depth. */
export function mutate(random: Random, value: unknown): unknown {
  const copy = JSON.parse(JSON.stringify(value)) as unknown;
  for (let count = 1 + random.int(3); count > 0; count -= 1) {
    let node = copy as Record<string, unknown>;
    for (let depth = 0; depth < 4; depth += 1) {
      if (typeof node !== 'object' || node === null) break;
      const keys = Object.keys(node);
      if (keys.length === 0) break;
      const key = random.pick(keys);
      if (random.next() < 0.4 || typeof node[key] !== 'object' || node[key] === null) {
        node[key] = randomValue(random);
        break;
      }
      node = node[key] as Record<string, unknown>;
    }
  }
  return copy;
}

/** A body made from `valid`: random bytes, a truncation, cut gzip, base64 or broken form encoding, or a mutation. */
export function randomBody(random: Random, valid: unknown): Buffer {
  const roll = random.int(6);
  const json = JSON.stringify(mutate(random, valid));
  switch (roll) {
    case 0: return Buffer.from(Array.from({ length: random.int(300) }, () => random.int(256)));
    case 1: return Buffer.from(json.slice(0, random.int(json.length)));
    case 2: return gzipSync(json).subarray(0, random.next() < 0.5 ? undefined : random.int(60));
    case 3: return Buffer.from(`data=${encodeURIComponent(Buffer.from(json).toString('base64'))}`);
    case 4: return Buffer.from(`data=${random.pick(['%%%', '!!!!', json])}`);
    default: return Buffer.from(json);
  }
}

/** The five doors fuzzed: PostHog destinations, posthog-js capture, its remote config, the stream, product admin. */
export const FUZZ_DOORS = ['webhook', 'capture', 'config', 'stream', 'admin'] as const;

/** One of {@link FUZZ_DOORS}. */
export type FuzzDoor = (typeof FUZZ_DOORS)[number];

/** What the request builders need to know about a running connector and its product. */
export interface FuzzTarget {
  url: string;
  epoch: number;
  adminToken: string;
  productId: string;
  webhookUrl: string;
  webhookSecret: string;
  captureToken: string;
  streamUrl: string;
  streamKey: string;
}

/** One request to send. `validSession` names the session of a valid event inside it, which must reach the stream. */
export interface FuzzRequest {
  door: FuzzDoor;
  method: 'GET' | 'POST';
  url: string;
  headers: Record<string, string>;
  body?: Buffer;
  /** Set when the body carries one valid event beside junk: the request must answer 200 and the event must stream. */
  validSession?: string;
}

const CONTENT_TYPES = ['application/json', 'text/plain', 'application/x-www-form-urlencoded'];
const CAPTURE_PATHS = ['/e/', '/i/v0/e/', '/batch/', '/capture/', '/e/?compression=base64', '/e/?compression=gzip-js', '/e/?compression=lz64'];

/** The capture fixtures with the product's token in place of the fixtures' `phc_testtoken`. */
function captureFixtures(token: string): Array<{ batch: Array<Record<string, unknown>> }> {
  return Object.values(posthogJsEvents).map((body) => JSON.parse(JSON.stringify(body).replaceAll('phc_testtoken', token)) as { batch: Array<Record<string, unknown>> });
}

/**
 * Builds the requests of one round on one door: a junk request, and on the ingest doors (webhook, capture) a batch
 * with one valid event (a session id unique to `round`) between junk events.
 *
 * @example
 * const random = prng(1);
 * for (const request of fuzzRound(target, 'webhook', 0, random)) await send(request);
 */
export function fuzzRound(target: FuzzTarget, door: FuzzDoor, round: number, random: Random): FuzzRequest[] {
  switch (door) {
    case 'webhook': {
      const headers = { 'x-posthog-secret': target.webhookSecret };
      const junk = randomBody(random, random.pick(Object.values(hogFlatPayloads)));
      const session = `fuzz-webhook-${round}`;
      const neighbour = { ...hogFlatPayloads.buttonClick, session_id: session };
      const batch = { batch: [randomValue(random), neighbour, mutate(random, hogFlatPayloads.linkClick)] };
      return [
        { door, method: 'POST', url: target.webhookUrl, headers: { ...headers, 'content-type': random.pick(CONTENT_TYPES) }, body: junk },
        { door, method: 'POST', url: target.webhookUrl, headers: { ...headers, 'content-type': 'application/json' }, body: Buffer.from(JSON.stringify(batch)), validSession: session },
      ];
    }
    case 'capture': {
      const fixtures = captureFixtures(target.captureToken);
      const junk = randomBody(random, random.pick(fixtures));
      const click = fixtures[1]!.batch[0]!;
      const session = `fuzz-capture-${round}`;
      const uuid = `01a2003e-0000-7000-8000-${String(round).padStart(12, '0')}`;
      const neighbour = { ...click, uuid, properties: { ...(click.properties as object), $session_id: session } };
      const body = { api_key: target.captureToken, batch: [mutate(random, click), neighbour, randomValue(random)], sent_at: '2026-11-21T22:33:27.557Z' };
      return [
        { door, method: 'POST', url: `${target.url}${random.pick(CAPTURE_PATHS)}`, headers: { 'content-type': random.pick(CONTENT_TYPES) }, body: junk },
        { door, method: 'POST', url: `${target.url}/e/`, headers: { 'content-type': 'text/plain' }, body: gzipSync(JSON.stringify(body)), validSession: session },
      ];
    }
    case 'config': {
      // Lone surrogates cannot be percent-encoded; everything else of a random value can.
      const token = random.pick([target.captureToken, '', '%', 'phc_unknown', String(randomValue(random)).replace(/[\ud800-\udfff]/g, '').slice(0, 200)]);
      const path = `/array/${encodeURIComponent(token)}/config${random.pick(['', '.js', '?ip=1&_=1', '?%%%'])}`;
      return [{ door, method: 'GET', url: `${target.url}${path}`, headers: {} }];
    }
    case 'stream': {
      const clean = (text: string) => text.replaceAll('\r', '').replaceAll('\n', '').replaceAll('\u0000', '').replace(/[\ud800-\udfff]/g, '').slice(0, 300);
      const lastEventId = random.pick([`${target.epoch}-${random.int(5)}`, clean(String(randomValue(random))), '-1', '1-1-1', `${target.epoch}-99999999999999999999`]);
      const authorization = random.pick([`Bearer ${target.streamKey}`, 'Bearer ', 'Basic abc', `Bearer ${target.streamKey}x`]);
      const product = random.pick([encodeURIComponent(target.productId), 'nobody', '%2e%2e', '%E0%A4%A', 'a'.repeat(300)]);
      return [{ door, method: 'GET', url: `${target.url}/stream/${product}?last_event_id=${encodeURIComponent(lastEventId)}`, headers: { authorization } }];
    }
    case 'admin': {
      const body = randomBody(random, { product_id: 'p', contact_email: 'a@b.co', force_reregister: true });
      return [{ door, method: 'POST', url: `${target.url}/products`, headers: { authorization: `Bearer ${target.adminToken}` }, body }];
    }
  }
}
