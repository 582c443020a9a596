import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { SlimAction } from '@sightline/protocol';
import type { ActivityKey, ActivityState } from '../activity/activity-state.ts';
import { TabBuilder } from '../activity/__fixtures__/action-builder.ts';
import { reduceActivity } from '../activity/reduce-activity.ts';
import type { LogFields, Logger } from '../client/logger.ts';
import { FakeClock } from '@sightline/protocol/testing';
import { parsePlaybook } from '../playbook/parse-playbook.ts';
import { PlaybookFile } from '../playbook/playbook-file.ts';
import { playbookTrigger } from './playbook.ts';

const key: ActivityKey = { productId: 'bank', sessionId: 's1', windowId: 'w1' };

function stateOf(actions: readonly SlimAction[]): ActivityState {
  let state: ActivityState | null = null;
  for (const action of actions) state = reduceActivity(state, action, { key, userId: 'u1', email: null });
  assert.ok(state);
  return state;
}

const BANK_PLAYBOOK = `
version: 1
triggers:
  user_page_dwell: { after_s: 90, max_actions: 3 }
  canonical_url_ping_pong: false
rules:
  - id: wire-abroad
    match: { path: /transfers/international }
    after_s: 20
    cooldown_s: 1800
    message:
      en: "Sending money abroad? I can explain the fees and cut-off times."
      es: "¿Envías dinero al extranjero? Te explico comisiones y horarios."
    quick_replies:
      en: ["What are the fees?"]
      es: ["¿Cuáles son las comisiones?", "Ahora no"]
  - id: card-freeze
    match: { container: Freeze card }
    message: { de: "Karte sperren? Ich erkläre, was danach passiert." }
  - id: statements
    match: { path: "/accounts/*/statements", title: Statements }
    message: { pt: "Procurando um extrato? Posso ajudar." }
`;

describe('parsePlaybook', () => {
  it('reads rules, per-language text and the built-in thresholds', () => {
    const playbook = parsePlaybook(BANK_PLAYBOOK, 'bank.yaml');
    assert.deepEqual(playbook.triggers, { pageDwell: { afterS: 90, maxActions: 3 }, pingPong: false });
    assert.deepEqual(
      playbook.rules.map((rule) => [rule.id, rule.afterS, rule.cooldownS]),
      [['wire-abroad', 20, 1800], ['card-freeze', 0, 600], ['statements', 0, 600]],
    );
    assert.deepEqual(playbook.rules[0]!.text.quickReplies, { en: ['What are the fees?'], es: ['¿Cuáles son las comisiones?', 'Ahora no'] });
    assert.deepEqual(parsePlaybook('', 'empty.yaml'), { version: 1, triggers: {}, rules: [] });
  });

  for (const [name, text] of [
    ['YAML syntax', 'rules: [\n  - id: x\n    match: {path: /a'],
    ['an unknown key (a typo)', 'rules:\n  - id: x\n    match: { path: /a }\n    mesage: { en: hi }'],
    ['a rule without a message', 'rules:\n  - id: x\n    match: { path: /a }'],
    ['a match with nothing to match', 'rules:\n  - id: x\n    match: {}\n    message: { en: hi }'],
    ['a message over 150 characters', `rules:\n  - id: x\n    match: { path: /a }\n    message: { en: "${'a'.repeat(151)}" }`],
    ['a duplicate rule id', 'rules:\n  - id: x\n    match: { path: /a }\n    message: { en: hi }\n  - id: x\n    match: { path: /b }\n    message: { en: hi }'],
    ['quick replies in a language with no message', 'rules:\n  - id: x\n    match: { path: /a }\n    message: { en: hi }\n    quick_replies: { fr: [oui] }'],
    ['an unknown built-in trigger', 'triggers:\n  page_ping: { after_s: 3 }'],
    ['a threshold of 0', 'triggers:\n  user_page_dwell: { after_s: 0 }'],
    ['a path without a leading slash', 'rules:\n  - id: x\n    match: { path: billing }\n    message: { en: hi }'],
    ['another version', 'version: 2'],
  ] as const) {
    it(`refuses ${name} with SL_PLAYBOOK_INVALID`, () => {
      assert.throws(() => parsePlaybook(text, 'p.yaml'), (error: Error & { code?: string; details?: { reason?: string } }) => {
        assert.equal(error.code, 'SL_PLAYBOOK_INVALID');
        assert.ok(error.details?.reason, 'the reason says what is wrong');
        return true;
      });
    });
  }
});

describe('playbookTrigger', () => {
  const playbook = parsePlaybook(BANK_PLAYBOOK, 'bank.yaml');
  const trigger = playbookTrigger(() => playbook);

  it('a path rule waits its after_s on the page, then offers the rule with its text', () => {
    const tab = new TabBuilder({ startAt: 1_700_000_000 });
    tab.navigate('International transfer', '/transfers/international');
    const state = stateOf(tab.actions);
    const since = state.page!.since;
    assert.equal(trigger.evaluate({ state, now: (since + 19) * 1000 }), null);
    const hit = trigger.evaluate({ state, now: (since + 20) * 1000 });
    assert.equal(hit?.triggerId, 'playbook:wire-abroad');
    assert.equal(hit?.cooldownS, 1800);
    assert.equal(hit?.moment, `wire-abroad@${since}`);
    assert.equal(hit?.text?.message.es, '¿Envías dinero al extranjero? Te explico comisiones y horarios.');
  });

  it('a container rule matches the open dialog by label, without case', () => {
    const tab = new TabBuilder({ startAt: 1_700_000_000 });
    tab.navigate('Karten', '/cards');
    tab.click('Sperren');
    tab.choose('Vorübergehend', { kind: 'dialog', label: 'freeze card' });
    const state = stateOf(tab.actions);
    assert.equal(trigger.evaluate({ state, now: state.lastAt * 1000 })?.triggerId, 'playbook:card-freeze');
  });

  it('a wildcard path and a title must both match', () => {
    const tab = new TabBuilder({ startAt: 1_700_000_000 });
    tab.navigate('Statements', '/accounts/8812/statements');
    const state = stateOf(tab.actions);
    assert.equal(trigger.evaluate({ state, now: state.lastAt * 1000 })?.triggerId, 'playbook:statements');
    const other = new TabBuilder({ startAt: 1_700_000_000 });
    other.navigate('Overview', '/accounts/8812/statements');
    const wrongTitle = stateOf(other.actions);
    assert.equal(trigger.evaluate({ state: wrongTitle, now: wrongTitle.lastAt * 1000 }), null);
  });
});

function recordingLogger(): Logger & { lines: Array<[string, LogFields | undefined]> } {
  const lines: Array<[string, LogFields | undefined]> = [];
  const record = (message: string, fields?: LogFields) => lines.push([message, fields]);
  return { lines, debug: record, info: record, warn: record, error: record };
}

describe('PlaybookFile', () => {
  it('reloads a changed file on the next poll, keeps the previous playbook when the new one is broken, and says why', async (t) => {
    const dir = await mkdtemp(join(tmpdir(), 'sightline-playbook-'));
    t.after(() => rm(dir, { recursive: true, force: true }));
    const path = join(dir, 'playbook.yaml');
    await writeFile(path, 'rules:\n  - id: first\n    match: { path: /a }\n    message: { en: hi }\n');
    const clock = new FakeClock();
    const logger = recordingLogger();
    const file = new PlaybookFile({ path, clock, logger, pollMs: 1000 });
    await file.start();
    t.after(() => file.stop());
    assert.deepEqual(file.current?.rules.map((rule) => rule.id), ['first']);
    assert.equal(clock.pendingTimers, 1, 'the next check is scheduled on the clock');

    await writeFile(path, 'rules:\n  - id: second\n    match: { path: /b }\n    message: { en: hello }\n');
    assert.equal(await file.check(), true);
    assert.deepEqual(file.current?.rules.map((rule) => rule.id), ['second']);

    await writeFile(path, 'rules:\n  - id: third\n    match: { path: /c\n');
    assert.equal(await file.check(), false);
    assert.deepEqual(file.current?.rules.map((rule) => rule.id), ['second'], 'the previous playbook stays');
    assert.match(file.lastError ?? '', /YAML/);
    const logged = logger.lines.find(([message]) => message === 'playbook-invalid');
    assert.equal(logged?.[1]?.code, 'SL_PLAYBOOK_INVALID');
    assert.equal(logged?.[1]?.kept, 'previous');
    assert.equal(await file.check(), false, 'the same broken file is not read again');
    assert.equal(logger.lines.filter(([message]) => message === 'playbook-invalid').length, 1, 'and not logged again');
  });

  it('the poll timer checks the file: advancing the clock picks up a change', async (t) => {
    const dir = await mkdtemp(join(tmpdir(), 'sightline-playbook-'));
    t.after(() => rm(dir, { recursive: true, force: true }));
    const path = join(dir, 'playbook.yaml');
    await writeFile(path, '');
    const clock = new FakeClock();
    const changes: string[][] = [];
    const file = new PlaybookFile({ path, clock, pollMs: 500, onChange: (playbook) => changes.push(playbook.rules.map((rule) => rule.id)) });
    await file.start();
    t.after(() => file.stop());
    await writeFile(path, 'rules:\n  - id: later\n    match: { title: Ajustes }\n    message: { es: "¿Te ayudo con los ajustes?" }\n');
    const changed = new Promise<void>((resolve) => {
      const poll = setInterval(() => {
        if (changes.length === 2) {
          clearInterval(poll);
          resolve();
        }
      }, 5);
    });
    await clock.advance(500);
    await changed;
    assert.deepEqual(changes, [[], ['later']]);
  });

  it('a missing file leaves no playbook and logs why, without throwing', async () => {
    const logger = recordingLogger();
    const file = new PlaybookFile({ path: join(tmpdir(), 'no-such-dir-sightline', 'playbook.yaml'), clock: new FakeClock(), logger });
    assert.equal(await file.check(), false);
    assert.equal(file.current, null);
    assert.match(file.lastError ?? '', /ENOENT/);
  });
});
