import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isSightlineError } from '@sightline/protocol';
import { createChatModel, type ChatModel, type LlmSettings } from './chat-model.ts';
import { startFakeLlmServer, type FakeLlmServer } from './__fixtures__/fake-llm-server.ts';

const request = {
  system: 'You are the assistant inside a web product.',
  prompt: "[RECENT PRODUCT ACTIVITY]\n1. [3] click: User clicked Invite member on the Team page — /team\n\n[CURRENT USER MESSAGE]\nhow do I add a teammate?",
  temperature: 0.4,
  maxOutputTokens: 250,
};

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  assert.fail('expected the call to reject');
}

function model(settings: Partial<LlmSettings> & Pick<LlmSettings, 'provider'>): ChatModel {
  const created = createChatModel({ model: 'test-model', timeoutMs: 5000, ...settings }, { retryDelayMs: 0 });
  assert.ok(created);
  return created;
}

describe('createChatModel', () => {
  let server: FakeLlmServer;
  before(async () => {
    server = await startFakeLlmServer('Fill in the invite dialog.');
  });
  after(() => server.close());
  beforeEach(() => {
    server.requests.length = 0;
  });

  test('returns null for the offline provider', () => {
    assert.equal(createChatModel({ provider: 'offline', model: '', timeoutMs: 1000 }), null);
  });

  test('openai-compatible posts system and user messages, model and temperature to /chat/completions', async () => {
    const chat = model({ provider: 'openai-compatible', baseUrl: server.baseUrl, model: 'llama3.2' });
    assert.equal(await chat(request), 'Fill in the invite dialog.');
    assert.equal(server.requests.length, 1);
    const [sent] = server.requests;
    assert.equal(sent!.path, '/v1/chat/completions');
    assert.equal(sent!.body.model, 'llama3.2');
    assert.equal(sent!.body.temperature, 0.4);
    assert.equal(sent!.body.max_tokens, 250);
    const messages = sent!.body.messages as Array<{ role: string; content: string }>;
    assert.deepEqual(
      messages.map((message) => message.role),
      ['system', 'user'],
    );
    assert.equal(messages[0]!.content, request.system);
    assert.match(messages[1]!.content, /User clicked Invite member on the Team page/);
    assert.match(messages[1]!.content, /how do I add a teammate\?/);
    assert.equal(sent!.headers.authorization, undefined, 'no key configured, no Authorization header');
  });

  test('openai-compatible sends the key as a bearer token when one is set', async () => {
    const chat = model({ provider: 'openai-compatible', baseUrl: server.baseUrl, apiKey: 'local-key' });
    await chat(request);
    assert.equal(server.requests[0]!.headers.authorization, 'Bearer local-key');
  });

  test('openai uses chat completions with the API key at the configured base URL', async () => {
    const chat = model({ provider: 'openai', baseUrl: server.baseUrl, apiKey: 'sk-test', model: 'gpt-4o-mini' });
    assert.equal(await chat(request), 'Fill in the invite dialog.');
    const [sent] = server.requests;
    assert.equal(sent!.path, '/v1/chat/completions');
    assert.equal(sent!.headers.authorization, 'Bearer sk-test');
    assert.equal(sent!.body.model, 'gpt-4o-mini');
    assert.equal(sent!.body.temperature, 0.4);
    assert.match(JSON.stringify(sent!.body.messages), /how do I add a teammate/);
  });

  test('anthropic posts to /messages with x-api-key, a system prompt and max_tokens', async () => {
    const chat = model({ provider: 'anthropic', baseUrl: server.baseUrl, apiKey: 'ant-test', model: 'claude-haiku-4-5' });
    assert.equal(await chat(request), 'Fill in the invite dialog.');
    const [sent] = server.requests;
    assert.equal(sent!.path, '/v1/messages');
    assert.equal(sent!.headers['x-api-key'], 'ant-test');
    assert.equal(sent!.body.model, 'claude-haiku-4-5');
    assert.equal(sent!.body.max_tokens, 250);
    assert.equal(sent!.body.temperature, 0.4);
    assert.match(JSON.stringify(sent!.body.system), /assistant inside a web product/);
    assert.match(JSON.stringify(sent!.body.messages), /User clicked Invite member on the Team page/);
  });

  test('google posts generateContent with x-goog-api-key, system instruction and generation config', async () => {
    const chat = model({ provider: 'google', baseUrl: `${server.origin}/v1beta`, apiKey: 'g-test', model: 'gemini-2.5-flash' });
    assert.equal(await chat(request), 'Fill in the invite dialog.');
    const [sent] = server.requests;
    assert.equal(sent!.path, '/v1beta/models/gemini-2.5-flash:generateContent');
    assert.equal(sent!.headers['x-goog-api-key'], 'g-test');
    assert.match(JSON.stringify(sent!.body.systemInstruction), /assistant inside a web product/);
    assert.match(JSON.stringify(sent!.body.contents), /how do I add a teammate/);
    const config = sent!.body.generationConfig as Record<string, unknown>;
    assert.equal(config.temperature, 0.4);
    assert.equal(config.maxOutputTokens, 250);
  });

  test('a 500 is retried once and the second answer is returned', async () => {
    server.script({ status: 500 });
    const chat = model({ provider: 'openai-compatible', baseUrl: server.baseUrl });
    assert.equal(await chat(request), 'Fill in the invite dialog.');
    assert.equal(server.requests.length, 2);
  });

  test('a 429 is retried once', async () => {
    server.script({ status: 429, headers: { 'retry-after-ms': '1' } });
    const chat = model({ provider: 'anthropic', baseUrl: server.baseUrl, apiKey: 'k' });
    assert.equal(await chat(request), 'Fill in the invite dialog.');
    assert.equal(server.requests.length, 2);
  });

  test('two 500s reject with SL_LLM_UPSTREAM_ERROR after exactly two attempts', async () => {
    server.script({ status: 500 }, { status: 500 });
    const chat = model({ provider: 'openai-compatible', baseUrl: server.baseUrl });
    const error = await rejection(chat(request));
    assert.ok(isSightlineError(error, 'SL_LLM_UPSTREAM_ERROR'), String(error));
    assert.equal(error.details.statusCode, 500);
    assert.equal(server.requests.length, 2);
  });

  test('two 429s reject with SL_LLM_RATE_LIMITED', async () => {
    server.script({ status: 429 }, { status: 429 });
    const chat = model({ provider: 'openai', baseUrl: server.baseUrl, apiKey: 'k' });
    assert.ok(isSightlineError(await rejection(chat(request)), 'SL_LLM_RATE_LIMITED'));
  });

  test('a 401 is not retried and rejects with SL_LLM_AUTH naming the key variable', async () => {
    server.script({ status: 401 });
    const chat = model({ provider: 'anthropic', baseUrl: server.baseUrl, apiKey: 'wrong' });
    const error = await rejection(chat(request));
    assert.ok(isSightlineError(error, 'SL_LLM_AUTH'));
    assert.equal(error.details.option, 'ANTHROPIC_API_KEY');
    assert.equal(server.requests.length, 1);
  });

  test('a 400 is not retried', async () => {
    server.script({ status: 400 });
    const chat = model({ provider: 'openai-compatible', baseUrl: server.baseUrl });
    assert.ok(isSightlineError(await rejection(chat(request)), 'SL_LLM_UPSTREAM_ERROR'));
    assert.equal(server.requests.length, 1);
  });

  test('an empty answer rejects with SL_LLM_EMPTY_REPLY', async () => {
    server.script({ text: '   ' });
    const chat = model({ provider: 'openai-compatible', baseUrl: server.baseUrl });
    assert.ok(isSightlineError(await rejection(chat(request)), 'SL_LLM_EMPTY_REPLY'));
  });

  test('a server that never answers rejects with SL_LLM_TIMEOUT within the budget', async () => {
    server.script({ hang: true });
    const chat = model({ provider: 'openai-compatible', baseUrl: server.baseUrl, timeoutMs: 150 });
    const error = await rejection(chat(request));
    assert.ok(isSightlineError(error, 'SL_LLM_TIMEOUT'), String(error));
    assert.equal(error.details.timeoutMs, 150);
  });

  test("the caller's signal cancels the call with SL_LLM_ABORTED", async () => {
    server.script({ hang: true });
    const chat = model({ provider: 'openai-compatible', baseUrl: server.baseUrl });
    const controller = new AbortController();
    const pending = chat({ ...request, signal: controller.signal });
    setImmediate(() => controller.abort());
    assert.ok(isSightlineError(await rejection(pending), 'SL_LLM_ABORTED'));
  });

  test('a refused connection rejects with SL_LLM_UNREACHABLE', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const chat = model({ provider: 'openai-compatible', baseUrl: `http://127.0.0.1:${port}/v1` });
    const error = await rejection(chat(request));
    assert.ok(isSightlineError(error, 'SL_LLM_UNREACHABLE'), String(error));
    assert.match(String(error.details.url), /127\.0\.0\.1/);
  });
});
