import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createOfflineResponder, detectIntent } from './offline-responder.ts';
import { action, INVITE_FLOW, replyContext } from './__fixtures__/reply-context.ts';

/** 60 s after the last demo action. */
const responder = createOfflineResponder({ now: () => 1_080_000 });

async function reply(query: string, overrides: Parameters<typeof replyContext>[1] = {}): Promise<string> {
  const result = await responder.respond(replyContext(query, overrides));
  assert.equal(result.error, undefined);
  return result.reply;
}

describe('detectIntent', () => {
  test('recognises greetings, recaps, help questions and the rest', () => {
    assert.equal(detectIntent('hi'), 'greeting');
    assert.equal(detectIntent('/greet'), 'greeting');
    assert.equal(detectIntent('Good morning!'), 'greeting');
    assert.equal(detectIntent('What did I just do?'), 'recap');
    assert.equal(detectIntent('what have I been doing'), 'recap');
    assert.equal(detectIntent('how do I add a teammate?'), 'help');
    assert.equal(detectIntent('hi, how do I export a CSV?'), 'help');
    assert.equal(detectIntent('are you an AI?'), 'about');
    assert.equal(detectIntent('thanks!'), 'thanks');
    assert.equal(detectIntent('the chart looks odd'), 'other');
  });
});

describe('createOfflineResponder', () => {
  test('is deterministic and of kind offline', async () => {
    assert.equal(responder.kind, 'offline');
    assert.equal(await reply('how do I add a teammate?'), await reply('how do I add a teammate?'));
  });

  test('after "Invite member", "how do I add a teammate?" places the user in the invite dialog without re-clicking', async () => {
    const text = await reply('how do I add a teammate?');
    assert.match(text, /Team page/);
    assert.match(text, /invite dialog/);
    assert.match(text, /already/);
    assert.doesNotMatch(text, /\bclick\b[^.]*Invite member/i, 'must not tell the user to click what they just clicked');
    assert.doesNotMatch(text, /\bopen\b[^.]*Invite member/i);
  });

  test('uses the first name once', async () => {
    const text = await reply('how do I add a teammate?');
    assert.equal(text.split('Jane').length - 1, 1);
  });

  test('"what did I just do?" recaps the recent actions in order with times and the current page', async () => {
    const text = await reply('what did I just do?');
    const invite = text.indexOf("Clicked 'Invite member'");
    const team = text.indexOf("Clicked 'Team'");
    assert.ok(team > 0 && invite > team, text);
    assert.match(text, /1 min ago/);
    assert.match(text, /You're on the Team page, and your last step was 'Invite member'\./);
  });

  test('a recap collapses repeated identical clicks and includes the session summary', async () => {
    const repeated = [...INVITE_FLOW, action(4, 'click', "Clicked 'Invite member'", 'User clicked Invite member on the Team page', '/team', 1025)];
    const text = await reply('recap please', {
      sessions: [{ productId: 'demo', sessionId: 's1', summary: 'The user set up a project.', actions: repeated }],
    });
    assert.match(text, /Earlier: The user set up a project\./);
    assert.match(text, /Invite member' \(Team page\) \(×2\)/);
  });

  test('a greeting greets by name and says where the user is', async () => {
    const text = await reply('hello');
    assert.match(text, /^Hi Jane! I can see you're on the Team page/);
  });

  test('with no activity it says so honestly and points at the posthog-js setup', async () => {
    const text = await reply('how do I add a teammate?', { sessions: [] });
    assert.match(text, /can't see any activity/);
    assert.match(text, /posthog-js/);
    assert.doesNotMatch(text, /invite dialog/);
  });

  test('every answer says it runs without a language model; the first one says how to configure one', async () => {
    const first = await reply('how do I add a teammate?');
    assert.match(first, /no language model is configured/);
    assert.match(first, /OPENAI_API_KEY/);
    assert.match(first, /LLM_BASE_URL/);
    const later = await reply('what did I just do?', {
      history: [
        { role: 'user', content: 'how do I add a teammate?' },
        { role: 'assistant', content: first },
      ],
    });
    assert.match(later, /no language model is configured/);
    assert.doesNotMatch(later, /OPENAI_API_KEY/);
  });

  test('the configuration hint can be turned off', async () => {
    const quiet = createOfflineResponder({ showConfigHint: false });
    const { reply: text } = await quiet.respond(replyContext('are you an AI?'));
    assert.match(text, /offline mode/i);
    assert.doesNotMatch(text, /API_KEY/);
  });

  test('a question nothing in the activity matches says so and still names where the user is', async () => {
    const text = await reply('how do I export a CSV?');
    assert.match(text, /can't find anything about that/);
    assert.match(text, /You're on the Team page, and your last step was 'Invite member'\./);
    assert.doesNotMatch(text, /invite dialog/);
  });

  test('a question that matches an earlier action points back to it', async () => {
    const actions = [
      action(0, 'pageview', 'Page Load: Reports', 'User viewed the Reports page', '/reports', 900),
      action(1, 'click', "Clicked 'Export CSV'", 'User clicked Export CSV on the Reports page', '/reports', 910),
      ...INVITE_FLOW.map((entry, position) => ({ ...entry, index: position + 2 })),
    ];
    const text = await reply('how do I download the csv again?', {
      sessions: [{ productId: 'demo', sessionId: 's1', summary: '', actions }],
    });
    assert.match(text, /Earlier you used 'Export CSV' on the Reports page/);
  });

  test('after a completing click it says the step should be done instead of repeating it', async () => {
    const actions = [...INVITE_FLOW, action(4, 'click', "Clicked 'Send invite'", 'User clicked Send invite on the Team page', '/team', 1030)];
    const text = await reply('how do I invite a colleague?', {
      sessions: [{ productId: 'demo', sessionId: 's1', summary: '', actions }],
    });
    assert.match(text, /last step was 'Send invite', so that step should be done/);
  });

  test('typing after opening a dialog reads as filling it in', async () => {
    const actions = [...INVITE_FLOW, action(4, 'type', 'Typed in Email', 'User typed in the Email field on the Team page', '/team', 1025)];
    const text = await reply("what's next?", { sessions: [{ productId: 'demo', sessionId: 's1', summary: '', actions }] });
    assert.match(text, /invite dialog\. You've started filling it in/);
  });

  test('the current page comes from the most recent session when several are given', async () => {
    const older = [action(0, 'pageview', 'Page Load: Billing', 'User viewed the Billing page', '/billing', 500)];
    const text = await reply('hi', {
      sessions: [
        { productId: 'demo', sessionId: 's1', summary: '', actions: INVITE_FLOW },
        { productId: 'demo', sessionId: 's0', summary: '', actions: older },
      ],
    });
    assert.match(text, /you're on the Team page/);
  });
});
