import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createChatModel, type ChatModel, type ChatRequest } from '../llm/chat-model.ts';
import { startFakeLlmServer, type FakeLlmServer } from '../llm/__fixtures__/fake-llm-server.ts';
import { createLlmResponder, DEFAULT_APOLOGY } from './llm-responder.ts';
import type { SlimAction } from '@sightline/protocol';
import { reduceActivity, type ActivityState } from '@sightline/sdk';
import { INVITE_FLOW, replyContext } from './__fixtures__/reply-context.ts';

/** The tab state the pipeline's tracker reduces from these actions. */
function tabOf(actions: readonly SlimAction[]): ActivityState {
  let state: ActivityState | null = null;
  for (const action of actions) state = reduceActivity(state, action, { key: { productId: 'acme', sessionId: 's1', windowId: null }, userId: 'u-1', email: null });
  return state!;
}

describe('createLlmResponder over a fake OpenAI-compatible server', () => {
  let server: FakeLlmServer;
  let model: ChatModel;
  before(async () => {
    server = await startFakeLlmServer('Jane, the invite dialog is open: enter their email and confirm.');
    const created = createChatModel(
      { provider: 'openai-compatible', model: 'llama3.2', baseUrl: server.baseUrl, timeoutMs: 2000 },
      { retryDelayMs: 0 },
    );
    assert.ok(created);
    model = created;
  });
  after(() => server.close());
  beforeEach(() => {
    server.requests.length = 0;
  });

  test('sends the system prompt with the first name and a user block with activity, delta, history and query', async () => {
    const responder = createLlmResponder(model);
    assert.equal(responder.kind, 'llm');
    const result = await responder.respond(
      replyContext('how do I add a teammate?', {
        activitySince: INVITE_FLOW.slice(2),
        tabs: [tabOf(INVITE_FLOW)],
        history: [
          { role: 'user', content: 'hi' },
          { role: 'assistant', content: 'Hello Jane!' },
        ],
      }),
    );
    assert.deepEqual(result, { reply: 'Jane, the invite dialog is open: enter their email and confirm.' });
    const body = server.requests[0]!.body;
    assert.equal(body.temperature, 0.4);
    assert.equal(body.max_tokens, 250);
    const [system, user] = body.messages as Array<{ role: string; content: string }>;
    assert.equal(system!.role, 'system');
    assert.match(system!.content, /User's first name: Jane\./);
    assert.match(system!.content, /Never tell them to click something they have just clicked/);
    assert.equal(user!.role, 'user');
    // Where the user is comes from the tab state, the since-block and the recent steps from the actions: as step
    // lines, never as wire titles or URLs.
    assert.match(user!.content, /^\[WHERE THE USER IS NOW\]\nPage: Team/);
    assert.match(user!.content, /'Invite member'/);
    assert.match(user!.content, /\[ACTIVITY SINCE YOUR LAST CHAT MESSAGE\]\n- .*went to 'Team'\n- clicked 'Invite member'/);
    assert.match(user!.content, /\[RECENT PRODUCT ACTIVITY\]\nRecent steps \(oldest first\):\n- .*went to 'Dashboard'/);
    assert.doesNotMatch(user!.content, /Page Load:|https?:\/\/|\/team\b/);
    assert.match(user!.content, /Prior conversation:\nuser: hi\nassistant: Hello Jane!/);
    assert.match(user!.content, /\[CURRENT USER MESSAGE\]\nhow do I add a teammate\?$/);
  });

  test('an LLM answering 500 twice gives the apology and an SL_LLM_UPSTREAM_ERROR error field', async () => {
    server.script({ status: 500 }, { status: 500 });
    const result = await createLlmResponder(model).respond(replyContext('how do I add a teammate?'));
    assert.equal(result.reply, DEFAULT_APOLOGY);
    assert.equal(result.error?.code, 'SL_LLM_UPSTREAM_ERROR');
    assert.equal(server.requests.length, 2);
  });

  test('an LLM that times out gives the apology and SL_LLM_TIMEOUT, and reports the failure', async () => {
    server.script({ hang: true });
    const slow = createChatModel({ provider: 'openai-compatible', model: 'm', baseUrl: server.baseUrl, timeoutMs: 100 });
    assert.ok(slow);
    const failures: unknown[] = [];
    const responder = createLlmResponder(slow, { apology: 'Sorry!', onError: (error) => failures.push(error) });
    const result = await responder.respond(replyContext('hi'));
    assert.equal(result.reply, 'Sorry!');
    assert.equal(result.error?.code, 'SL_LLM_TIMEOUT');
    assert.equal(failures.length, 1);
  });
});

describe('createLlmResponder with a model function', () => {
  test('an uncoded model failure still resolves with a coded error', async () => {
    const responder = createLlmResponder(() => Promise.reject(new Error('boom')), {
      onError: () => {
        throw new Error('logger failure');
      },
    });
    const result = await responder.respond(replyContext('hi'));
    assert.equal(result.reply, DEFAULT_APOLOGY);
    assert.equal(result.error?.code, 'SL_LLM_UPSTREAM_ERROR');
  });

  test('passes temperature, max tokens and the caller signal through; options override them', async () => {
    const seen: ChatRequest[] = [];
    const responder = createLlmResponder(
      (request) => {
        seen.push(request);
        return Promise.resolve('ok');
      },
      { temperature: 0.1, maxOutputTokens: 99, systemPrompt: 'Custom. Name: {first_name}' },
    );
    const controller = new AbortController();
    await responder.respond(replyContext('hi', { firstName: null }), controller.signal);
    assert.equal(seen[0]!.temperature, 0.1);
    assert.equal(seen[0]!.maxOutputTokens, 99);
    assert.equal(seen[0]!.signal, controller.signal);
    assert.match(seen[0]!.system, /^Custom\. Name: unknown/);
  });
});
