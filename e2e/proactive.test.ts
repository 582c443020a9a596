/**
 * Proactive help in a real browser: `sightline dev` (PROACTIVE on) on free ports, the demo in Chromium. In a tab whose
 * user is chatting, going back and forth between Billing and Team offers nothing (the chat is never interrupted). In a
 * fresh tab where nobody types, the same moment makes the closed widget offer help with quick replies, once;
 * answering the quick reply continues the conversation grounded in the activity; the same moment repeated inside the
 * cooldown fires nothing. The moment is made of events (page views), so nothing waits for time to pass: the test
 * waits for the offer, and for the bridge's counters to move.
 *
 * Needs /usr/bin/chromium (driven by playwright-core; never downloads a browser). Without it the test skips and says
 * why, unless SIGHTLINE_REQUIRE names chromium, in which case it fails. Screenshots go to e2e/artifacts/ (gitignored).
 */
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { artifacts, chromiumArgs, chromiumPath, hasChromium, loopbackContext, startDev, stopDev, type DevProcess } from './dev-browser.ts';

/** The bridge's proactive counters, read from /metrics with the key `sightline dev` generated. */
async function proactiveCounters(bridgeUrl: string, apiKey: string): Promise<Record<string, number>> {
  const text = await (await fetch(`${bridgeUrl}/metrics`, { headers: { authorization: `Bearer ${apiKey}` } })).text();
  const counters: Record<string, number> = {};
  for (const line of text.split('\n')) {
    const match = /^(sightline_bridge_proactive_\w+?)(\{[^}]*\})? (\d+(?:\.\d+)?)$/.exec(line);
    if (match) counters[`${match[1]}${match[2] ?? ''}`] = Number(match[3]);
  }
  return counters;
}

/** Polls the counters until `condition` holds (the bridge has decided), or fails after `timeoutMs`. */
async function waitForCounters(bridgeUrl: string, apiKey: string, condition: (counters: Record<string, number>) => boolean, what: string, timeoutMs = 20_000): Promise<Record<string, number>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const counters = await proactiveCounters(bridgeUrl, apiKey);
    if (condition(counters)) return counters;
    if (Date.now() > deadline) throw new Error(`${what}: counters are ${JSON.stringify(counters)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

const sum = (counters: Record<string, number>, prefix: string): number =>
  Object.entries(counters).filter(([name]) => name.startsWith(prefix)).reduce((total, [, value]) => total + value, 0);

/** A screenshot once the widget's CSS animations (the tooltip's and the chat's fade-in) have finished. */
async function screenshot(page: Page, name: string): Promise<void> {
  await page.evaluate(() => Promise.all(document.getAnimations().map((animation) => animation.finished.catch(() => undefined))));
  await page.screenshot({ path: join(artifacts, name) });
}

async function goTo(page: Page, nav: string, heading: string): Promise<void> {
  await page.locator(nav).click();
  await page.locator('h1', { hasText: heading }).waitFor();
}

async function backAndForth(page: Page): Promise<void> {
  await goTo(page, '#nav-billing', 'Billing');
  await goTo(page, '#nav-team', 'Team');
  await goTo(page, '#nav-billing', 'Billing');
  await goTo(page, '#nav-team', 'Team');
}

const OFFER = 'Going back and forth between Billing and Team? I can help you find what you need.';
const ASK = 'What am I looking for between Billing and Team?';
const QUESTION = 'How do I change my plan?';

test('going back and forth between Billing and Team makes the widget offer help, once, never to a user who is chatting, and the quick reply continues grounded', { timeout: 180_000 }, async (t) => {
  if (!hasChromium(t)) return;
  await mkdir(artifacts, { recursive: true });
  const dataDir = await mkdtemp(join(tmpdir(), 'sightline-e2e-proactive-'));
  let dev: DevProcess | undefined;
  let browser: Browser | undefined;
  let exitCode: number | null = null;
  try {
    dev = await startDev(dataDir);
    browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs, timeout: 30_000 });
    const keys = JSON.parse(await readFile(join(dataDir, 'dev-keys.json'), 'utf8')) as { bridge_api_key: string };
    assert.match(dev.output(), /the widget offers help on its own/, 'the banner says proactive help is on');
    const pageErrors: string[] = [];

    // First, a tab whose user is chatting: the same moment there is decided (user_chatting) and offers nothing.
    const chattingContext = await loopbackContext(browser);
    const chatting = await chattingContext.newPage();
    chatting.setDefaultTimeout(20_000);
    chatting.on('pageerror', (error) => pageErrors.push(error.message));
    await chatting.goto(dev.demoUrl);
    await chatting.locator('h1', { hasText: 'Dashboard' }).waitFor();
    await waitForCounters(dev.bridgeUrl, keys.bridge_api_key, (counters) => (counters['sightline_bridge_proactive_evaluated_total'] ?? 0) >= 1, 'the first page view reaches the bridge');
    await chatting.locator('.rw-launcher').click();
    await chatting.locator('.rw-new-message').fill(QUESTION);
    await chatting.keyboard.press('Enter');
    // Answered when a bot message with words in it follows the question (the typing dots have none).
    await chatting.waitForFunction(
      (question) => {
        const messages = [...document.querySelectorAll('.rw-client, .rw-response')];
        const asked = messages.findIndex((node) => node.classList.contains('rw-client') && node.textContent?.includes(question));
        return asked >= 0 && messages.slice(asked + 1).some((node) => node.classList.contains('rw-response') && /[A-Za-z]{3}/.test(node.textContent ?? ''));
      },
      QUESTION,
      { timeout: 30_000 },
    );
    await backAndForth(chatting);
    const whileChatting = await waitForCounters(
      dev.bridgeUrl,
      keys.bridge_api_key,
      (counters) => (counters['sightline_bridge_proactive_suppressed_total{reason="user_chatting"}'] ?? 0) >= 1,
      'the moment of a chatting user is suppressed',
    );
    assert.equal(sum(whileChatting, 'sightline_bridge_proactive_fired_total'), 0, 'nothing fires while the user chats');
    assert.equal(await chatting.getByText(OFFER).count(), 0, 'the chatting tab shows no offer');
    await chattingContext.close();

    // Then a fresh tab (its own posthog session), where nobody types.
    const context = await loopbackContext(browser);
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    page.on('pageerror', (error) => pageErrors.push(error.message));

    await page.goto(dev.demoUrl);
    await page.locator('h1', { hasText: 'Dashboard' }).waitFor();

    // The moment: Billing → Team → Billing → Team. Nobody types; the chat is closed.
    await backAndForth(page);
    // The decision first (the error names the counters when it is late or another reason won), then the words.
    await waitForCounters(dev.bridgeUrl, keys.bridge_api_key, (counters) => sum(counters, 'sightline_bridge_proactive_fired_total') >= 1, 'the moment fires', 40_000);
    await page.getByText(OFFER).first().waitFor({ timeout: 20_000 });
    await screenshot(page, 'proactive-1-offer.png');
    const fired = await waitForCounters(dev.bridgeUrl, keys.bridge_api_key, (counters) => sum(counters, 'sightline_bridge_proactive_fired_total') >= 1, 'the offer is counted');
    assert.equal(fired['sightline_bridge_proactive_fired_total{trigger="canonical_url_ping_pong"}'], 1, 'fired once');
    assert.equal(fired['sightline_bridge_proactive_delivered_total{channel="socket",outcome="delivered"}'], 1, 'delivered to the widget');

    // Open the chat: the offer is there with its quick replies; the first one asks, grounded in what the user did.
    if (!(await page.locator('.rw-conversation-container').isVisible())) await page.locator('.rw-launcher').click();
    await page.locator('.rw-response', { hasText: OFFER }).first().waitFor();
    const quickReply = page.locator('.rw-reply', { hasText: ASK });
    await quickReply.waitFor();
    assert.equal(await page.locator('.rw-reply', { hasText: 'Not now' }).count(), 1, 'the offer can be declined');
    await screenshot(page, 'proactive-2-quick-replies.png');
    const beforeAnswer = await page.locator('.rw-response').count();
    await quickReply.click();
    // The answer has arrived when a response after the offer has words in it (the typing dots have none).
    await page.waitForFunction(
      (count) => [...document.querySelectorAll('.rw-response')].slice(count).some((node) => /[A-Za-z]{3}/.test(node.textContent ?? '')),
      beforeAnswer,
      { timeout: 30_000 },
    );
    await waitForCounters(dev.bridgeUrl, keys.bridge_api_key, (counters) => (counters['sightline_bridge_proactive_answered_total{answer="reply"}'] ?? 0) >= 1, 'the answer is counted');
    const answers = (await page.locator('.rw-response').allInnerTexts()).slice(beforeAnswer).join('\n');
    await screenshot(page, 'proactive-3-answer.png');
    assert.match(answers, /Billing|Team/, `the answer is grounded in the pages:\n${answers}`);
    assert.doesNotMatch(answers, /can't see any activity/i, `the answer sees the activity:\n${answers}`);

    // The same moment again, inside the cooldown: the bridge decides it (the counter moves) and fires nothing.
    const decidedBefore = sum(await proactiveCounters(dev.bridgeUrl, keys.bridge_api_key), 'sightline_bridge_proactive_decisions_total');
    await goTo(page, '#nav-projects', 'Projects');
    await backAndForth(page);
    const after = await waitForCounters(
      dev.bridgeUrl,
      keys.bridge_api_key,
      (counters) => sum(counters, 'sightline_bridge_proactive_decisions_total') > decidedBefore,
      'the repeated moment is decided',
    );
    assert.equal(sum(after, 'sightline_bridge_proactive_fired_total'), 1, 'nothing fired again');
    assert.ok(
      (after['sightline_bridge_proactive_suppressed_total{reason="user_chatting"}'] ?? 0) + (after['sightline_bridge_proactive_suppressed_total{reason="cooldown"}'] ?? 0) >= 1,
      `suppressed for the chat or the cooldown: ${JSON.stringify(after)}`,
    );
    assert.equal(await page.getByText(OFFER).count(), 1, 'the offer is in the widget once');
    assert.deepEqual(pageErrors, [], 'the demo page throws no errors');
  } catch (error) {
    if (dev) console.log(`# sightline dev output:\n${dev.output()}`);
    throw error;
  } finally {
    await browser?.close().catch(() => undefined);
    if (dev) exitCode = await stopDev(dev.child);
    await rm(dataDir, { recursive: true, force: true });
  }
  assert.equal(exitCode, 0, `sightline dev stops cleanly on Ctrl-C:\n${dev?.output() ?? ''}`);
});
