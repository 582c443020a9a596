import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createOfflineResponder, detectIntent, summaryForUser } from './offline-responder.ts';
import { action, INVITE_FLOW, replyContext } from './__fixtures__/reply-context.ts';
import {
  ADDING_PROJECT,
  CHOOSING_PLAN,
  demoActions,
  demoContext,
  FILLING_INVITE,
  OPEN_INVITE,
  SENT_INVITE,
  type DemoStep,
} from './__fixtures__/demo-actions.ts';

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

  test('"what did I just do?" recaps page by page as a Markdown list, with times and the current page', async () => {
    const text = await reply('what did I just do?');
    const team = text.indexOf("- Dashboard page (1 min ago): clicked 'Team'");
    const invite = text.indexOf("- Team page (1 min ago): clicked 'Invite member'");
    assert.ok(team > 0 && invite > team, text);
    assert.match(text, /:\n\n- Dashboard/, 'a blank line before the list');
    assert.match(text, /\n\nYou're on the Team page, and your last step was 'Invite member'\./);
    assert.doesNotMatch(text, /•/);
  });

  test('a recap collapses repeated identical clicks and includes the session summary', async () => {
    const repeated = [...INVITE_FLOW, action(4, 'click', "Clicked 'Invite member'", 'User clicked Invite member on the Team page', '/team', 1025)];
    const text = await reply('recap please', {
      sessions: [{ productId: 'demo', sessionId: 's1', summary: 'The user set up a project.', actions: repeated }],
    });
    assert.match(text, /^- Earlier: You set up a project\.$/m);
    assert.match(text, /^- Team page \(1 min ago\): clicked 'Invite member' twice$/m);
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

  test('after a completing click it says what should have happened instead of repeating it', async () => {
    const actions = [...INVITE_FLOW, action(4, 'click', "Clicked 'Send invite'", 'User clicked Send invite on the Team page', '/team', 1030)];
    const text = await reply('how do I invite a colleague?', {
      sessions: [{ productId: 'demo', sessionId: 's1', summary: '', actions }],
    });
    assert.match(text, /last step was 'Send invite' in the invite dialog, so the invite should have been sent/);
    assert.doesNotMatch(text, /use 'Send invite'/);
  });

  test('typing after opening a dialog reads as filling it in', async () => {
    const actions = [...INVITE_FLOW, action(4, 'type', 'Typed in Email', 'User typed in the Email field on the Team page', '/team', 1025)];
    const text = await reply("what's next?", { sessions: [{ productId: 'demo', sessionId: 's1', summary: '', actions }] });
    assert.match(text, /still in the invite dialog you opened with 'Invite member'\. So far you've filled in the Email field\./);
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

/** Replies of a quiet responder (no configuration hint) over demo actions worded as the connector writes them. */
const quiet = createOfflineResponder({ now: () => 1_120_000, showConfigHint: false });

async function demoReply(query: string, steps: readonly DemoStep[], overrides: Parameters<typeof demoContext>[2] = {}): Promise<string> {
  return (await quiet.respond(demoContext(query, steps, overrides))).reply;
}

/** Single-quoted UI labels in a reply ('Invite member'), skipping apostrophes in words (you're, I'll). */
function quotedLabels(text: string): string[] {
  return [...text.matchAll(/(?<![\p{L}\p{N}])'([^'\n]+?)'(?![\p{L}\p{N}])/gu)].map((match) => match[1]!);
}

describe('createOfflineResponder inside dialogs and forms', () => {
  test('after opening the invite dialog, clicks into its fields and typing keep the user in the dialog', async () => {
    for (let length = OPEN_INVITE.length; length <= FILLING_INVITE.length; length += 1) {
      const steps = FILLING_INVITE.slice(0, length);
      const text = await demoReply('how do I add a teammate?', steps);
      assert.match(text, /invite dialog/, `${length} steps:\n${text}`);
      assert.doesNotMatch(text, /last step was '(?:email|role)'/, text);
      assert.doesNotMatch(text, /\bclick(?:ing)?\s+(?:on\s+)?(?:the\s+)?'?(?:invite member|email|role)/i, text);
    }
    const text = await demoReply('how do I add a teammate?', FILLING_INVITE);
    assert.match(
      text,
      /^Jane, you're on the Team page, still in the invite dialog you opened with 'Invite member'\. So far you've filled in the email field and picked an option in the role dropdown\. Fill in anything that's still missing, then confirm to finish\./,
    );
  });

  test('the greeting and "what\'s next?" know the user is mid-dialog after clicking the email field', async () => {
    const steps: DemoStep[] = [...OPEN_INVITE, { kind: 'field-click', page: 'Team', name: 'email', noun: 'field' }];
    assert.match(await demoReply('hi', steps), /I can see you're on the Team page, in the invite dialog you opened with 'Invite member'; so far you've clicked into the email field\./);
    assert.match(await demoReply("what's next?", steps), /still in the invite dialog .* Fill in anything that's still missing, then confirm to finish\./);
  });

  test('names the finishing button only once the log has shown it, and never invents one', async () => {
    const first = await demoReply('how do I invite someone?', FILLING_INVITE);
    assert.doesNotMatch(first, /Send invite/);
    const again: DemoStep[] = [...SENT_INVITE, { kind: 'click', page: 'Team', label: 'Invite member' }, { kind: 'typed', page: 'Team', name: 'email' }];
    assert.match(await demoReply('how do I invite someone?', again), /then use 'Send invite' to finish\./);
  });

  test('a "how do I" question in the Upgrade plan modal continues inside it', async () => {
    const text = await demoReply('how do I change my plan?', CHOOSING_PLAN);
    assert.match(text, /^Jane, you're on the Billing page, still in the 'Upgrade plan' dialog\. So far you've clicked 'Business' and picked an option for plan\./);
    assert.doesNotMatch(text, /use 'Upgrade plan'|click(?:ing)? (?:on )?'?Upgrade plan/i);
  });

  test('a question about something else, asked inside a modal, says to close it and go back to where that was', async () => {
    const steps: DemoStep[] = [
      { kind: 'pageview', page: 'Projects' },
      { kind: 'click', page: 'Projects', label: 'Add Project' },
      { kind: 'click', page: 'Projects', label: 'Cancel' },
      ...CHOOSING_PLAN,
    ];
    const text = await demoReply('how do I add a project?', steps);
    assert.match(text, /you're on the Billing page, in the 'Upgrade plan' dialog\. Earlier you used 'Add Project' on the Projects page, which looks like the place for that: close this dialog, go back there and use 'Add Project'\./);
  });

  test('in the Add Project dialog a matching question continues there and an unrelated one does not pretend', async () => {
    const create = await demoReply('how do I create a project?', ADDING_PROJECT);
    assert.match(create, /still in the 'Add Project' dialog\. So far you've filled in the project name field\./);
    const invite = await demoReply('how do I invite someone?', ADDING_PROJECT);
    assert.match(invite, /^I can't find anything about that in your recent activity/);
    assert.match(invite, /You're on the Projects page, in the 'Add Project' dialog; so far you've filled in the project name field\./);
    assert.doesNotMatch(invite, /Fill in anything/);
  });

  test("right after 'Send invite' it says the invite should have been sent and what to check, without repeating the click", async () => {
    const more = await demoReply('how do I add a teammate?', SENT_INVITE);
    assert.match(more, /your last step was 'Send invite' in the invite dialog, so the invite should have been sent\. To do another one, use 'Invite member' again\./);
    assert.match(more, /Check that the result looks right on the Team page/);
    assert.doesNotMatch(more, /use 'Send invite'|still in the invite dialog/);
    const next = await demoReply("what's next?", SENT_INVITE);
    assert.match(next, /so the invite should have been sent\. Check that the result looks right on the Team page/);
    assert.doesNotMatch(next, /use '[^']+' again/);
  });

  test("after 'Confirm upgrade' and 'Create project' it reads the outcome from the button", async () => {
    const upgraded = await demoReply('how do I upgrade?', [...CHOOSING_PLAN, { kind: 'click', page: 'Billing', label: 'Confirm upgrade' }, { kind: 'submit', page: 'Billing', form: 'upgrade-plan-form' }]);
    assert.match(upgraded, /last step was 'Confirm upgrade' in the 'Upgrade plan' dialog, so the upgrade should have been confirmed\./);
    assert.doesNotMatch(upgraded, /use '[^']+' again/, 'upgrading is not something to repeat');
    const created = await demoReply('how do I add a project?', [...ADDING_PROJECT, { kind: 'click', page: 'Projects', label: 'Create project' }, { kind: 'submit', page: 'Projects', form: 'add-project' }]);
    assert.match(created, /so the project should have been created\. To do another one, use 'Add Project' again\./);
  });

  test("after 'Cancel' it says the dialog was closed unfinished and how to pick it up again", async () => {
    const text = await demoReply('how do I add a teammate?', [...FILLING_INVITE, { kind: 'click', page: 'Team', label: 'Cancel' }]);
    assert.match(text, /your last step was 'Cancel', which closed the invite dialog without finishing it\. To pick it up again, open 'Invite member'\./);
  });

  test('a form that is part of the page reads as filling it in', async () => {
    const text = await demoReply('what now?', [
      { kind: 'pageview', page: 'Settings' },
      { kind: 'field-click', page: 'Settings', name: 'workspace_name', noun: 'field' },
      { kind: 'typed', page: 'Settings', name: 'workspace_name' },
    ]);
    assert.match(text, /you're on the Settings page, filling in the form there\. So far you've filled in the workspace name field\./);
  });

  test('"what did I just do?" is a short Markdown list of pages, readable as plain text, one chat message per paragraph', async () => {
    const steps: DemoStep[] = [...SENT_INVITE, { kind: 'pageview', page: 'Billing' }, ...CHOOSING_PLAN.slice(1)];
    const text = await demoReply('what did I just do?', steps);
    const paragraphs = text.split(/\n\s*\n/);
    assert.equal(paragraphs.length, 4, text);
    assert.equal(paragraphs[0], "Here's what you did recently, Jane, page by page:");
    assert.deepEqual(paragraphs[1]!.split('\n'), [
      "- Dashboard page (2 min ago): clicked 'Team'",
      "- Team page (2 min ago): clicked 'Invite member', filled in the email field, picked an option in the role dropdown, clicked 'Send invite' and submitted the invite member form",
      "- Billing page (1 min ago): clicked 'Upgrade plan', clicked 'Business' and picked an option for plan",
    ]);
    assert.equal(paragraphs[2], "You're on the Billing page, in the 'Upgrade plan' dialog; so far you've clicked 'Business' and picked an option for plan.");
    assert.match(paragraphs[3]!, /^\(Offline mode/);
  });

  test('a long visit shows its last steps and counts the rest; only the last pages are listed', async () => {
    const busy: DemoStep[] = [{ kind: 'pageview', page: 'Team' }];
    for (const label of ['Alex', 'Priya', 'Tom', 'Mei', 'Owner', 'Admin', 'Editor']) busy.push({ kind: 'click', page: 'Team', label });
    const text = await demoReply('recap', busy);
    assert.match(text, /^- Team page \(\d+ min ago\): 2 earlier steps, clicked 'Tom', clicked 'Mei', clicked 'Owner', clicked 'Admin' and clicked 'Editor'$/m);
    const pages = ['Dashboard', 'Projects', 'Team', 'Billing', 'Settings', 'Dashboard', 'Projects', 'Team'].map((page): DemoStep => ({ kind: 'pageview', page }));
    const listed = (await demoReply('recap', pages)).split('\n').filter((line) => line.startsWith('- '));
    assert.equal(listed.length, 6);
    assert.equal(listed[0], '- Team page (2 min ago): opened the page');
  });

  test('every quoted UI label in any answer is one the activity log shows', async () => {
    const scenarios: DemoStep[][] = [OPEN_INVITE, FILLING_INVITE, SENT_INVITE, CHOOSING_PLAN, ADDING_PROJECT, [...FILLING_INVITE, { kind: 'click', page: 'Team', label: 'Cancel' }]];
    const questions = ['hi', 'what did I just do?', 'how do I add a teammate?', "what's next?", 'how do I upgrade my plan?', 'how do I create a project?', 'the chart looks odd'];
    for (const steps of scenarios) {
      const titles = demoActions(steps).map((entry) => entry.title.toLowerCase()).join('\n');
      for (const question of questions) {
        const text = await demoReply(question, steps);
        for (const label of quotedLabels(text)) assert.ok(titles.includes(`'${label.toLowerCase()}'`), `'${label}' is not in the log:\n${text}`);
      }
    }
  });
});

test('summaryForUser speaks to the user instead of about them', () => {
  assert.equal(
    summaryForUser("The user visited the Team and Billing pages. They clicked Invite member. Most recently: User clicked Invite member on the Team page."),
    'You visited the Team and Billing pages. You clicked Invite member. Most recently: you clicked Invite member on the Team page.',
  );
  assert.equal(summaryForUser('The user was exploring the user\'s settings.'), "You were exploring your settings.");
  assert.equal(summaryForUser('Opened billing.\nThen left.'), 'Opened billing. Then left.');
});
