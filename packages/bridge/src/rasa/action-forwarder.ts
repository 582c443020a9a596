/**
 * The team's own Rasa action server behind the bridge (`ACTION_SERVER_URL`): Rasa has one `action_endpoint`, so the
 * bridge answers its own actions and forwards every other call there (docs/rasa-actions.md). The call's bytes go on
 * unchanged (`Content-Encoding` too) without the bridge's key or hop-by-hop headers, and the answer comes back
 * unchanged; a server that is down or too slow becomes a coded failure the action server turns into a 502.
 */
import { Agent as HttpAgent, request as httpRequest, type ClientRequest, type IncomingHttpHeaders, type IncomingMessage, type OutgoingHttpHeaders } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { FastifyBaseLogger } from 'fastify';
import { type SightlineError } from '@sightline/protocol';
import { displayUrl } from '@sightline/protocol/internal';
import { systemClock, type Clock } from '@sightline/sdk';
import { createError } from '../errors.ts';

/** Where forwarded calls go. */
export interface ActionServerTarget {
  /** The team server's webhook URL, as in Rasa's `endpoints.yml` (e.g. `http://actions:5055/webhook`). */
  url: string;
  /** The team server's credential, added as `?token=` (how Rasa sends `endpoints.yml`'s `token:`); null for none. */
  token: string | null;
  /** Seconds one exchange may take, connection to last byte. */
  timeoutS: number;
}

/**
 * How one forwarded call ended: the team server's answer by status (`ok` 2xx, `rejected` 400, `unknown_action` 404,
 * `failed` any other), or why there was none.
 */
export type ForwardOutcome = 'ok' | 'rejected' | 'unknown_action' | 'failed' | 'timeout' | 'unreachable' | 'answer_too_large';

/** The team server's answer, to be sent to Rasa as it is. */
export interface ForwardedAnswer {
  ok: true;
  status: number;
  /** Its end-to-end headers (hop-by-hop ones and `Content-Length` left out; the body is the same bytes). */
  headers: OutgoingHttpHeaders;
  body: Buffer;
  outcome: ForwardOutcome;
}

/** No answer: a coded `SL_ACTION_SERVER_*` error (status 502). */
export interface ForwardFailure {
  ok: false;
  error: SightlineError;
  outcome: Exclude<ForwardOutcome, 'ok' | 'rejected' | 'unknown_action' | 'failed'>;
}

/** What `/health` shows about the target: no token, no query string. */
export interface ActionServerStatus {
  url: string;
  timeout_s: number;
  /** How the latest exchange with it ended (a forwarded call or the action listing); null before the first. */
  last_outcome: ForwardOutcome | null;
}

/** Options of {@link ActionForwarder}. */
export interface ActionForwarderOptions {
  target: ActionServerTarget;
  /** Runs the time limit (default the system clock). */
  clock?: Clock;
  /** Largest answer taken from the team server (default 16 MiB, like the calls the bridge accepts). */
  maxAnswerBytes?: number;
  /** Called once per forwarded call (not per listing), e.g. for the metrics. */
  onForward?: (outcome: ForwardOutcome, durationMs: number) => void;
}

/** Connection-scoped headers (RFC 9110 §7.6.1) that a proxy never passes on; every `Proxy-*` is dropped too. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'te', 'trailer', 'transfer-encoding', 'upgrade']);
/** Request headers the bridge sets itself or must not pass on: its own key, the target's host, the body's length. */
const NOT_FORWARDED = new Set(['authorization', 'host', 'content-length', 'expect']);

/**
 * The end-to-end headers of `headers`: hop-by-hop ones, `Proxy-*`, every header the `Connection` header names and
 * those in `drop` are left out.
 */
export function endToEndHeaders(headers: IncomingHttpHeaders, drop: ReadonlySet<string> = new Set()): OutgoingHttpHeaders {
  const named = new Set(
    String(headers.connection ?? '')
      .split(',')
      .map((name) => name.trim().toLowerCase())
      .filter((name) => name !== ''),
  );
  const kept: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    if (value === undefined || HOP_BY_HOP.has(lower) || lower.startsWith('proxy-') || named.has(lower) || drop.has(lower)) continue;
    kept[lower] = value;
  }
  return kept;
}

/** The target's `GET /actions`: its webhook URL with the last path segment replaced (rasa-sdk serves both at its root). */
export function actionsUrlOf(webhookUrl: string): URL {
  const url = new URL(webhookUrl);
  url.pathname = url.pathname.replace(/[^/]*$/, 'actions');
  return url;
}

function outcomeOf(status: number): ForwardOutcome {
  if (status >= 200 && status < 300) return 'ok';
  if (status === 400) return 'rejected';
  if (status === 404) return 'unknown_action';
  return 'failed';
}

interface Exchange {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

class ExchangeFailure extends Error {
  constructor(readonly failure: ForwardFailure) {
    super(failure.error.message);
  }
}

/**
 * Forwards action calls to one team action server. One instance per bridge; {@link close} ends the exchanges in flight.
 *
 * @example
 * const forwarder = new ActionForwarder({ target: { url: 'http://actions:5055/webhook', token: null, timeoutS: 30 } });
 * const answer = await forwarder.forward({ body, headers: request.headers, url: request.url });
 */
export class ActionForwarder {
  private readonly webhook: URL;
  private readonly clock: Clock;
  private readonly maxAnswerBytes: number;
  private readonly inFlight = new Set<ClientRequest>();
  // Kept-alive connections save Rasa's turn a handshake per call; each bridge has its own pool.
  private readonly httpAgent = new HttpAgent({ keepAlive: true });
  private readonly httpsAgent = new HttpsAgent({ keepAlive: true });
  private lastOutcome: ForwardOutcome | null = null;
  private lastShadowed = '';

  constructor(private readonly options: ActionForwarderOptions) {
    this.webhook = new URL(options.target.url);
    this.clock = options.clock ?? systemClock;
    this.maxAnswerBytes = options.maxAnswerBytes ?? 16 * 1024 * 1024;
  }

  /** The target as shown in logs and `/health`. */
  get url(): string {
    return displayUrl(this.webhook);
  }

  /** What `/health` reports. */
  status(): ActionServerStatus {
    return { url: this.url, timeout_s: this.options.target.timeoutS, last_outcome: this.lastOutcome };
  }

  /**
   * Sends one action call on: `body` exactly as received, the end-to-end `headers` of the call (not its
   * `Authorization`), the query of the call's `url` without `token`, and the team's own token when one is set.
   */
  async forward(call: { body: Buffer; headers: IncomingHttpHeaders; url: string }): Promise<ForwardedAnswer | ForwardFailure> {
    const started = this.clock.now();
    const target = new URL(this.webhook);
    const incoming = new URL(call.url, 'http://bridge.invalid').searchParams;
    for (const [name, value] of incoming) if (name !== 'token') target.searchParams.append(name, value);
    const headers = endToEndHeaders(call.headers, NOT_FORWARDED);
    headers['content-length'] = String(call.body.length);
    // A proxy says it was one (RFC 9110 §7.6.3); a team server that logs it can tell the bridge's calls from Rasa's.
    headers['via'] = [call.headers.via, '1.1 sightline-bridge'].filter(Boolean).join(', ');
    const result = await this.settle('POST', target, headers, call.body);
    this.options.onForward?.(result.outcome, this.clock.now() - started);
    return result;
  }

  /** The team server's action names from its `GET /actions`, or why it did not list them. */
  async listActions(): Promise<{ ok: true; names: string[] } | ForwardFailure> {
    const result = await this.settle('GET', actionsUrlOf(this.options.target.url), { accept: 'application/json' }, null);
    if (!result.ok) return result;
    const listed = parseActionList(result.body);
    if (result.status !== 200 || listed === undefined) {
      return {
        ok: false,
        outcome: 'unreachable',
        error: createError('SL_ACTION_SERVER_UNREACHABLE', { url: this.url, reason: `GET /actions answered ${result.status} without a list of {"name"}` }),
      };
    }
    return { ok: true, names: listed };
  }

  /**
   * Logs, once per change, the names both servers serve: Rasa gets the bridge's own action for them.
   * Returns those names.
   */
  noteShadowed(ownNames: readonly string[], teamNames: readonly string[], logger: FastifyBaseLogger): string[] {
    const own = new Set(ownNames);
    const shadowed = [...new Set(teamNames)].filter((name) => own.has(name)).sort();
    const key = shadowed.join('\n');
    if (key !== this.lastShadowed && shadowed.length > 0) {
      logger.warn({ actions: shadowed, url: this.url }, "rasa-actions-shadowed: both servers serve these actions; Rasa gets the bridge's own");
    }
    this.lastShadowed = key;
    return shadowed;
  }

  /**
   * Lists the team's actions once at start and logs what is forwarded (and what the bridge's own actions shadow), or
   * that the server does not answer yet. Never throws: the bridge serves its own actions either way.
   */
  async announce(ownNames: readonly string[], logger: FastifyBaseLogger): Promise<void> {
    const listed = await this.listActions();
    if (!listed.ok) {
      logger.warn({ code: listed.error.code, url: this.url, reason: listed.error.message }, 'rasa-action-server-unreachable');
      return;
    }
    const shadowed = this.noteShadowed(ownNames, listed.names, logger);
    const forwarded = listed.names.filter((name) => !shadowed.includes(name)).sort();
    logger.info({ url: this.url, forwarded, shadowed, timeout_s: this.options.target.timeoutS }, 'rasa-action-server-forwarding');
  }

  /** Ends every exchange in flight (they answer `unreachable`) and the kept-alive connections. */
  close(): void {
    for (const request of this.inFlight) request.destroy(new Error('the bridge is closing'));
    this.inFlight.clear();
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
  }

  private async settle(method: string, url: URL, headers: OutgoingHttpHeaders, body: Buffer | null): Promise<ForwardedAnswer | ForwardFailure> {
    const token = this.options.target.token;
    if (token !== null) url.searchParams.set('token', token);
    let result: ForwardedAnswer | ForwardFailure;
    try {
      const exchange = await this.exchange(method, url, headers, body);
      result = {
        ok: true,
        status: exchange.status,
        headers: endToEndHeaders(exchange.headers, new Set(['content-length'])),
        body: exchange.body,
        outcome: outcomeOf(exchange.status),
      };
    } catch (error) {
      if (!(error instanceof ExchangeFailure)) throw error;
      result = error.failure;
    }
    this.lastOutcome = result.outcome;
    return result;
  }

  private exchange(method: string, url: URL, headers: OutgoingHttpHeaders, body: Buffer | null): Promise<Exchange> {
    const timeoutS = this.options.target.timeoutS;
    const fail = (outcome: ForwardFailure['outcome'], error: SightlineError) => new ExchangeFailure({ ok: false, outcome, error });
    return new Promise<Exchange>((resolve, reject) => {
      let settled = false;
      const finish = (error: ExchangeFailure | null, exchange?: Exchange) => {
        if (settled) return;
        settled = true;
        this.clock.clearTimeout(timer);
        this.inFlight.delete(request);
        if (error) reject(error);
        else resolve(exchange!);
      };
      const request =
        url.protocol === 'https:'
          ? httpsRequest(url, { method, headers, agent: this.httpsAgent })
          : httpRequest(url, { method, headers, agent: this.httpAgent });
      this.inFlight.add(request);
      const timer = this.clock.setTimeout(() => {
        finish(fail('timeout', createError('SL_ACTION_SERVER_TIMEOUT', { url: this.url, timeoutS })));
        request.destroy();
      }, timeoutS * 1000);
      request.on('error', (error: NodeJS.ErrnoException) => {
        finish(fail('unreachable', createError('SL_ACTION_SERVER_UNREACHABLE', { url: this.url, reason: error.code ?? error.message })));
      });
      request.on('response', (response: IncomingMessage) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > this.maxAnswerBytes) {
            finish(fail('answer_too_large', createError('SL_ACTION_SERVER_ANSWER_TOO_LARGE', { url: this.url, limitBytes: this.maxAnswerBytes })));
            request.destroy();
            return;
          }
          chunks.push(chunk);
        });
        response.on('error', (error: NodeJS.ErrnoException) => {
          finish(fail('unreachable', createError('SL_ACTION_SERVER_UNREACHABLE', { url: this.url, reason: error.code ?? error.message })));
        });
        response.on('end', () => finish(null, { status: response.statusCode ?? 502, headers: response.headers, body: Buffer.concat(chunks) }));
      });
      request.end(body ?? undefined);
    });
  }
}

/** The names in a rasa-sdk `GET /actions` answer (`[{"name": …}, …]`), or undefined when it is not one. */
function parseActionList(body: Buffer): string[] | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
  if (!Array.isArray(parsed)) return undefined;
  const names: string[] = [];
  for (const entry of parsed) {
    const name = entry !== null && typeof entry === 'object' ? (entry as { name?: unknown }).name : undefined;
    if (typeof name === 'string' && name !== '') names.push(name);
  }
  return names;
}
