/**
 * A team's own action server for tests, speaking rasa-sdk 3.6's protocol over real HTTP (docs/rasa-actions.md):
 * `GET /health`, `GET /actions`, `POST /webhook` with deflated or gzipped bodies, answers `{events, responses}`, a 400
 * rejection with `action_name`, a 404 for an unknown action, a 500 with `request_body`. It records every request's
 * bytes and every answer's, and can answer gzipped (when asked to with `Accept-Encoding: gzip`), not at all, or only
 * half (headers and the start of the body, then nothing).
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync, gzipSync, inflateSync } from 'node:zlib';

/** One request the team server received. */
export interface TeamRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  /** The body as it arrived (still compressed when it was). */
  body: Buffer;
}

/** A running team action server. */
export interface TeamActionServer {
  /** Its webhook URL (`http://127.0.0.1:<port>/webhook`). */
  webhookUrl: string;
  requests: TeamRequest[];
  /** The bytes of every answer it sent (gzipped when it gzipped them), in order. */
  answers: Buffer[];
  /** Resolves when a call for `action_wait_for_bank` arrived (that action never answers). */
  waiting: Promise<void>;
  /** Resolves when `action_stall_midway` has sent its headers and the first bytes of its body (the rest never comes). */
  stalled: Promise<void>;
  close(): Promise<void>;
}

/** The actions it serves; `action_ask_llm` is also one of the bridge's, which wins. */
export const TEAM_ACTION_NAMES = [
  'action_ask_llm',
  'action_check_order',
  'action_crash',
  'action_lookup_ticket',
  'action_stall_midway',
  'action_validate_iban_form',
  'action_wait_for_bank',
];

type Answer = { status: number; body: unknown };

function answerFor(call: Record<string, unknown>): Answer | null {
  const action = String(call['next_action']);
  const tracker = (call['tracker'] ?? {}) as { slots?: Record<string, unknown> };
  switch (action) {
    case 'action_check_order':
      // rasa-sdk's shape of one utter_message with buttons, and a slot event
      // (docs/reference/rasa-protocols.md#action-answer).
      return {
        status: 200,
        body: {
          events: [{ event: 'slot', timestamp: null, name: 'order_status', value: 'shipped' }],
          responses: [
            { text: `Order ${String(tracker.slots?.['order_id'] ?? '?')} has shipped.`, buttons: [{ title: 'Track it', payload: '/track_order' }], elements: [], custom: {}, template: null, response: null, image: null, attachment: null },
          ],
        },
      };
    case 'action_lookup_ticket':
      return { status: 200, body: { events: [], responses: [{ text: 'Su ticket n.º 4521 está en curso: un agente le responderá hoy.' }] } };
    case 'action_validate_iban_form':
      return { status: 400, body: { error: "Custom action 'action_validate_iban_form' rejected execution.", action_name: action } };
    case 'action_crash':
      return { status: 500, body: { error: "'NoneType' object has no attribute 'get'", request_body: call } };
    case 'action_wait_for_bank':
    case 'action_stall_midway':
      return null;
    default:
      return { status: 404, body: { error: `No registered action found for name '${action}'.`, action_name: action } };
  }
}

/** Starts the team server on 127.0.0.1, port 0. */
export async function startTeamActionServer(): Promise<TeamActionServer> {
  const requests: TeamRequest[] = [];
  const answers: Buffer[] = [];
  let arrived!: () => void;
  const waiting = new Promise<void>((resolve) => (arrived = resolve));
  let halfSent!: () => void;
  const stalled = new Promise<void>((resolve) => (halfSent = resolve));
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks);
      requests.push({ method: request.method ?? '', url: request.url ?? '', headers: request.headers, body });
      const path = new URL(request.url ?? '/', 'http://team.invalid').pathname;
      const send = (status: number, value: unknown) => {
        // Spaced out and newline-terminated, so a bridge that parsed and re-serialised the answer would be caught.
        let bytes = Buffer.from(`${JSON.stringify(value, null, 1)}\n`);
        const headers: Record<string, string> = { 'content-type': 'application/json', 'x-team-trace': 'crm-7f3a' };
        if (String(request.headers['accept-encoding'] ?? '').includes('gzip')) {
          bytes = gzipSync(bytes);
          headers['content-encoding'] = 'gzip';
        }
        answers.push(bytes);
        response.writeHead(status, { ...headers, 'content-length': String(bytes.length) }).end(bytes);
      };
      if (request.method === 'GET' && path === '/health') return send(200, { status: 'ok' });
      if (request.method === 'GET' && path === '/actions') return send(200, TEAM_ACTION_NAMES.map((name) => ({ name })));
      if (request.method !== 'POST' || path !== '/webhook') return send(404, { error: 'not found' });
      let call: Record<string, unknown>;
      try {
        const encoding = request.headers['content-encoding'];
        const raw = encoding === 'deflate' ? inflateSync(body) : encoding === 'gzip' ? gunzipSync(body) : body;
        call = JSON.parse(raw.toString('utf8')) as Record<string, unknown>;
      } catch {
        return send(400, { error: 'Invalid body request' });
      }
      if (call['next_action'] === 'action_stall_midway') {
        // Promises 1 KiB, sends the start of a JSON answer, then nothing more.
        response.writeHead(200, { 'content-type': 'application/json', 'content-length': '1024' });
        response.write('{"events": [', () => halfSent());
        return;
      }
      const answer = answerFor(call);
      if (answer === null) return arrived();
      return send(answer.status, answer.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    webhookUrl: `http://127.0.0.1:${port}/webhook`,
    requests,
    answers,
    waiting,
    stalled,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
