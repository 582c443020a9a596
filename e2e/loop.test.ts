/**
 * The whole loop in a real browser: `sightline dev` on free ports, the demo app in Chromium,
 * posthog-js autocapture → connector → SSE → bridge, and the rasa-webchat widget asking the bridge.
 * Verification is on, as in production: `sightline dev` starts the bridge with a generated
 * BRIDGE_API_KEY and IDENTITY_SECRET, and the demo's server signs its user (customData.userHash).
 * A page whose userHash is wrong, and a backend without the key, get none of the user's activity.
 *
 * Needs /usr/bin/chromium (driven by playwright-core; never downloads a browser). Without it the
 * test skips and says why, unless SIGHTLINE_REQUIRE names chromium, in which case it fails.
 * Screenshots go to e2e/artifacts/ (gitignored).
 */
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { artifacts, chromiumArgs, chromiumPath, hasChromium, loopbackContext, startDev, stopDev, type DevProcess } from './dev-browser.ts';

/**
 * Waits until the connector has streamed an actions payload that mentions `text`, reading the demo
 * product's stream with the credentials `sightline dev` saved. The bridge reads the same stream,
 * so after this the click is part of the user's activity.
 */
async function waitForStreamedAction(connectorUrl: string, dataDir: string, text: string, timeoutMs: number): Promise<void> {
  const product = JSON.parse(await readFile(join(dataDir, 'dev-product.json'), 'utf8')) as { product_id: string; stream_key: string };
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), timeoutMs);
  try {
    const response = await fetch(`${connectorUrl}/stream/${product.product_id}?last_event_id=0-0`, {
      headers: { authorization: `Bearer ${product.stream_key}`, accept: 'text/event-stream' },
      signal: abort.signal,
    });
    assert.equal(response.status, 200, 'the demo product stream opens');
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) throw new Error('stream ended before the action arrived');
      buffer += value;
      if (buffer.includes(text)) return;
    }
  } catch (error) {
    if (abort.signal.aborted) throw new Error(`no streamed action mentioning '${text}' within ${timeoutMs} ms`);
    throw error;
  } finally {
    clearTimeout(timer);
    abort.abort();
  }
}

/** A browser context that reaches loopback only: the widget's stylesheet asks Google Fonts for Inter, which must not leave the machine. */
/** Requests the demo tried to send off this machine (fonts, scripts, analytics); the demo needs none. */
const externalRequests: string[] = [];

/** Sends a chat message through the widget and resolves with the text of the bot messages that answer it. */
async function ask(page: Page, question: string): Promise<string> {
  const responses = page.locator('.rw-response');
  const before = await responses.count();
  await page.locator('.rw-new-message').fill(question);
  await page.keyboard.press('Enter');
  await page.waitForFunction((count) => document.querySelectorAll('.rw-response').length > count, before, { timeout: 30_000 });
  // A long answer arrives as several messages (split on blank lines); wait until no more come.
  let seen = -1;
  for (let polls = 0; polls < 40; polls += 1) {
    const now = await responses.count();
    if (now === seen) break;
    seen = now;
    await page.waitForTimeout(500);
  }
  const texts = await responses.allInnerTexts();
  return texts.slice(before).join('\n');
}

test('the demo, the connector, the bridge and the chat widget work together in Chromium', { timeout: 180_000 }, async (t) => {
  if (!hasChromium(t)) return;
  await mkdir(artifacts, { recursive: true });
  const dataDir = await mkdtemp(join(tmpdir(), 'sightline-e2e-'));
  let dev: DevProcess | undefined;
  let browser: Browser | undefined;
  let exitCode: number | null = null;
  try {
    dev = await startDev(dataDir);
    browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs, timeout: 30_000 });
    const keysPath = join(dataDir, 'dev-keys.json');
    assert.ok(dev.output().includes(keysPath), 'the banner says where the keys are kept');
    assert.equal((await stat(keysPath)).mode & 0o777, 0o600, 'the generated keys are readable by their owner only');
    const keys = JSON.parse(await readFile(keysPath, 'utf8')) as { bridge_api_key: string; identity_secret: string };
    const context = await loopbackContext(browser, externalRequests);
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));

    await page.goto(dev.demoUrl);
    await page.locator('h1', { hasText: 'Dashboard' }).waitFor();
    await page.screenshot({ path: join(artifacts, '1-dashboard.png') });

    await page.locator('#nav-team').click();
    await page.locator('h1', { hasText: 'Team' }).waitFor();
    await page.locator('#invite-member-btn').click();
    await page.locator('#invite-member-dialog').waitFor({ state: 'visible' });
    await waitForStreamedAction(dev.connectorUrl, dataDir, 'Invite member', 30_000);
    await page.screenshot({ path: join(artifacts, '2-invite-dialog.png') });

    await page.locator('.rw-launcher').click();
    await page.locator('.rw-new-message').waitFor();
    // The widget sends initPayload "/greet" once connected; wait for the bridge's greeting first.
    await page.locator('.rw-response').first().waitFor({ timeout: 20_000 });

    const help = await ask(page, 'how do I add a teammate?');
    await page.screenshot({ path: join(artifacts, '3-help-reply.png') });
    assert.match(help, /invite (?:dialog|modal|form|window)|already (?:in|on|inside)\b|already have 'Invite member' open|what it opens/i, `the reply continues from the invite dialog:\n${help}`);
    // The demo's help center says what comes next inside the dialog.
    assert.match(help, /Send invite/, `the reply names the control that finishes the invite:\n${help}`);
    assert.doesNotMatch(help, /\bclick(?:ing)?\s+(?:on\s+)?(?:the\s+)?['"‘“]?invite member/i, `the reply does not send the user back to "Invite member":\n${help}`);
    // The article's steps continue from where the user is ("skip the first 2 steps", then step 3): the widget must
    // show their numbers, which rasa-webchat's own stylesheet replaces with bullets unless the page says otherwise.
    const stepLists = await page.locator('.rw-response ol').evaluateAll((lists) => lists.map((list) => `${list.getAttribute('start') ?? '1'} ${getComputedStyle(list).listStyleType}`));
    assert.ok(stepLists.length > 0 && stepLists.every((list) => list.endsWith(' decimal')), `the numbered steps are shown with their numbers: ${stepLists.join(', ')}`);

    const recap = await ask(page, 'what did I just do?');
    await page.screenshot({ path: join(artifacts, '4-recap-reply.png') });
    assert.match(recap, /team/i, `the recap mentions the Team page:\n${recap}`);
    assert.match(recap, /invite member/i, `the recap mentions the Invite member click:\n${recap}`);

    // README step 3 on the same fresh server, after a Cancel, with a second tab of the same browser open elsewhere:
    // posthog-js shares the session across tabs, so only the window id tells them apart.
    const otherTab = await context.newPage();
    await otherTab.goto(`${dev.demoUrl}/projects`);
    await otherTab.locator('h1', { hasText: 'Projects' }).waitFor();
    await waitForStreamedAction(dev.connectorUrl, dataDir, 'Projects', 30_000);
    await page.bringToFront();
    await page.locator('#cancel-invite-btn').click();
    await page.locator('#nav-billing').click();
    await page.locator('h1', { hasText: 'Billing' }).waitFor();
    await page.locator('#upgrade-plan-btn').click();
    await page.locator('#upgrade-plan-dialog').waitFor({ state: 'visible' });
    await page.locator('label[for="plan-business"] strong').click();
    await waitForStreamedAction(dev.connectorUrl, dataDir, 'Business', 30_000);
    const confirm = await ask(page, 'what happens when I confirm?');
    await page.screenshot({ path: join(artifacts, '5-confirm-reply.png') });
    assert.match(confirm, /Business/, `the reply names the chosen plan:\n${confirm}`);
    assert.match(confirm, /Upgrade plan/, `the reply names the open dialog:\n${confirm}`);
    assert.doesNotMatch(confirm, /can't see any activity/i, `the reply sees the activity:\n${confirm}`);
    assert.doesNotMatch(confirm, /Projects/, `the other tab does not lead:\n${confirm}`);
    assert.doesNotMatch(confirm, /OPENAI_API_KEY|Page Load:/, `no operator hint or wire title reaches the user:\n${confirm}`);
    // The upgrade sticks: the plan the user confirmed is shown on every page, not only until they leave Billing.
    await page.locator('#confirm-upgrade-btn').click();
    await page.locator('#nav-dashboard').click();
    await page.locator('h1', { hasText: 'Dashboard' }).waitFor();
    assert.deepEqual(await page.locator('[data-plan-name]').allTextContents(), ['Business', 'Business']);

    // A backend with the bridge key asks /reply for the user and gets the same grounded answer; without the key or a
    // user hash it gets 401 and nothing of the user's.
    const replyUrl = `${dev.bridgeUrl}/reply/demo-user?query=${encodeURIComponent('what did I just do?')}`;
    const backend = await fetch(replyUrl, { headers: { authorization: `Bearer ${keys.bridge_api_key}` } });
    const backendText = await backend.text();
    assert.equal(backend.status, 200, backendText);
    assert.match(backendText, /Business|Upgrade plan|Invite member/, `the backend's reply is grounded:\n${backendText}`);
    const anonymous = await fetch(replyUrl);
    const anonymousText = await anonymous.text();
    assert.equal(anonymous.status, 401, anonymousText);
    assert.doesNotMatch(anonymousText, /Business|Upgrade plan|Invite member/);

    // Someone who knows the user id but not the secret: the same page, its userHash signed with another secret.
    const stranger = await loopbackContext(browser, externalRequests);
    const forgedHash = createHmac('sha256', 'not-the-identity-secret').update('demo-user').digest('hex');
    const signedHash = createHmac('sha256', keys.identity_secret).update('demo-user').digest('hex');
    const served = await (await fetch(`${dev.demoUrl}/settings`)).text();
    assert.ok(served.includes(`"userHash":"${signedHash}"`), 'the demo page carries the hash its server signed');
    // The forgery swaps the hash as the page sets its config (a fulfilled route would lose the page its loopback
    // access). A string, not a function: tsx would add helpers to a function that the page does not have.
    await stranger.addInitScript(`(() => {
      let config;
      Object.defineProperty(window, 'SIGHTLINE_DEMO', {
        configurable: true,
        get: () => config,
        set: (value) => { config = { ...value, userHash: ${JSON.stringify(forgedHash)} }; },
      });
    })();`);
    const forged = await stranger.newPage();
    forged.setDefaultTimeout(20_000);
    forged.on('pageerror', (error) => pageErrors.push(error.message));
    await forged.goto(`${dev.demoUrl}/settings`);
    await forged.locator('h1', { hasText: 'Settings' }).waitFor();
    assert.equal(await forged.evaluate(() => (window as unknown as { SIGHTLINE_DEMO: { userHash: string } }).SIGHTLINE_DEMO.userHash), forgedHash);
    await forged.locator('.rw-launcher').click();
    await forged.locator('.rw-new-message').waitFor();
    await forged.locator('.rw-response').first().waitFor({ timeout: 20_000 });
    const strangerRecap = await ask(forged, 'what did I just do?');
    await forged.screenshot({ path: join(artifacts, '6-forged-hash-reply.png') });
    assert.ok(strangerRecap.trim().length > 0, 'the forged page still gets a polite answer');
    assert.doesNotMatch(strangerRecap, /Team|Invite member|Billing|Upgrade plan|Business|Projects/i,
      `a page with a wrong userHash gets none of the user's activity:\n${strangerRecap}`);
    await stranger.close();

    assert.deepEqual(pageErrors, [], 'the demo page throws no errors');
    assert.deepEqual(externalRequests, [], 'no request leaves the machine: the demo works offline, with no CDN');
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
