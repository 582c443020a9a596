/**
 * A scripted LLM HTTP server on 127.0.0.1:0 for adapter tests. It answers in the OpenAI chat-completions,
 * Anthropic messages or Gemini generateContent shape (by request path), records every request, and can fail
 * with a status or hang on demand. No test needs the internet or a real model.
 */
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the fake received. */
export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: Record<string, unknown>;
}

/** What the fake does with the next request: answer text, fail with a status, or never answer. */
export type ScriptedAnswer =
  | { text: string }
  | { status: number; body?: string; headers?: Record<string, string> }
  | { hang: true };

function successBody(path: string, text: string, model: string): unknown {
  if (path.endsWith('/messages')) {
    return {
      id: 'msg_fake',
      type: 'message',
      role: 'assistant',
      model,
      content: [{ type: 'text', text }],
      stop_reason: 'end_turn',
      stop_sequence: null,
      usage: { input_tokens: 10, output_tokens: 5 },
    };
  }
  if (path.includes(':generateContent')) {
    return {
      candidates: [{ content: { role: 'model', parts: [{ text }] }, finishReason: 'STOP', index: 0 }],
      usageMetadata: { promptTokenCount: 10, candidatesTokenCount: 5, totalTokenCount: 15 },
    };
  }
  return {
    id: 'chatcmpl-fake',
    object: 'chat.completion',
    created: 1_700_000_000,
    model,
    choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: 'stop' }],
    usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 },
  };
}

/** The running fake: its base URL, the requests it saw, and a queue of answers (default: answer `defaultText`). */
export interface FakeLlmServer {
  /** e.g. `http://127.0.0.1:43123/v1` */
  baseUrl: string;
  /** Origin without a path, for providers whose base URL carries another prefix. */
  origin: string;
  requests: RecordedRequest[];
  script(...answers: ScriptedAnswer[]): void;
  close(): Promise<void>;
}

/**
 * Starts the fake. `defaultText` answers every request with no scripted answer; a function computes the answer from
 * the request body instead (a test's stand-in for a model that reads its prompt).
 */
export async function startFakeLlmServer(defaultText: string | ((body: Record<string, unknown>) => string) = 'Fake model answer.'): Promise<FakeLlmServer> {
  const requests: RecordedRequest[] = [];
  const queue: ScriptedAnswer[] = [];
  const hanging = new Set<ServerResponse>();
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      let body: Record<string, unknown> = {};
      try {
        body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
      } catch {
        body = { unparsed: raw };
      }
      const path = request.url ?? '/';
      requests.push({ method: request.method ?? 'GET', path, headers: request.headers, body });
      const answer = queue.shift() ?? { text: typeof defaultText === 'function' ? defaultText(body) : defaultText };
      if ('hang' in answer) {
        hanging.add(response);
        return;
      }
      if ('status' in answer) {
        response.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
        response.end(answer.body ?? JSON.stringify({ error: { message: `scripted ${answer.status}`, type: 'server_error' } }));
        return;
      }
      const model = typeof body.model === 'string' ? body.model : 'fake-model';
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify(successBody(path, answer.text, model)));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  return {
    baseUrl: `${origin}/v1`,
    origin,
    requests,
    script: (...answers) => queue.push(...answers),
    close: () =>
      new Promise<void>((resolve) => {
        for (const response of hanging) response.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
