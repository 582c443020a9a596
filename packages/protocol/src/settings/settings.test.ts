import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseArgs } from 'node:util';
import { decimal, list, oneOf, onOff, readSettings, required, SettingError, settingFlag, settingsFlagOptions, settingsHelp, SHARED_SETTINGS, text, urlSetting, wholeNumber, type SettingsTable } from './index.ts';

/** An invented server's table: a help desk's mail poller. */
const TABLE = {
  POLLER_PORT: { ...wholeNumber({ min: 0, max: 65_535, fallback: 7000, unit: 'port' }), help: 'port', sharedNames: ['PORT'], formerNames: ['MAIL_PORT'] },
  POLL_INTERVAL_S: { ...decimal({ min: 0, fallback: 2.5 }), help: 'seconds between polls' },
  MAILBOXES: { ...list('<mailbox>[,<mailbox>]'), help: 'mailboxes to read' },
  POLLER_VERBOSE: { ...onOff(false), help: 'log every message' },
  TICKET_MODE: { ...oneOf(['queue', 'direct'] as const, 'queue'), help: 'how tickets are opened' },
  INBOX_URL: { ...required(urlSetting(['imap', 'imaps'], 'imaps://mail.example.com')), help: 'the mail server', flag: 'inbox' },
  INBOX_PASSWORD: { ...text({ expects: '<password>' }), help: 'its password', secret: true },
} satisfies SettingsTable;

const ENV = { INBOX_URL: 'imaps://mail.example.com' };

function refusal(run: () => unknown): SettingError {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof SettingError);
    return error;
  }
  assert.fail('expected a refusal');
}

test('each setting takes its flag, else its variable, else a former name, else a shared name, else its default', () => {
  const read = (env: Record<string, string>, flags = {}) => readSettings(TABLE, { env: { ...ENV, ...env }, flags, serverPrefix: 'POLLER' }).POLLER_PORT;
  assert.equal(read({}), 7000);
  assert.equal(read({ PORT: '7001' }), 7001);
  assert.equal(read({ PORT: '7001', MAIL_PORT: '7002' }), 7002);
  assert.equal(read({ PORT: '7001', MAIL_PORT: '7002', POLLER_PORT: '7003' }), 7003);
  assert.equal(read({ POLLER_PORT: '7003' }, { port: '7004' }), 7004);
  assert.equal(read({ POLLER_PORT: ' ' }), 7000, 'an empty value is no value');
});

test('only a former name in use is told, naming the new one', () => {
  const told: string[] = [];
  readSettings(TABLE, { env: { ...ENV, PORT: '1' }, serverPrefix: 'POLLER', onFormerName: (message) => told.push(message) });
  assert.equal(told.length, 0);
  readSettings(TABLE, { env: { ...ENV, MAIL_PORT: '1' }, serverPrefix: 'POLLER', onFormerName: (message) => told.push(message) });
  assert.equal(told.length, 1);
  assert.match(told[0]!, /^MAIL_PORT is the former name of POLLER_PORT; rename it/);
});

test('values are converted: decimals, lists, switches in every spelling, words in any case', () => {
  const values = readSettings(TABLE, { env: { ...ENV, POLL_INTERVAL_S: '0.5', MAILBOXES: ' support , billing,,', POLLER_VERBOSE: 'YES', TICKET_MODE: 'Direct' }, serverPrefix: 'POLLER' });
  assert.equal(values.POLL_INTERVAL_S, 0.5);
  assert.deepEqual(values.MAILBOXES, ['support', 'billing']);
  assert.equal(values.POLLER_VERBOSE, true);
  assert.equal(values.TICKET_MODE, 'direct');
  for (const [spelling, expected] of [['on', true], ['1', true], ['true', true], ['off', false], ['0', false], ['no', false]] as const) {
    assert.equal(readSettings(TABLE, { env: { ...ENV, POLLER_VERBOSE: spelling }, serverPrefix: 'POLLER' }).POLLER_VERBOSE, expected, spelling);
  }
});

test('flags are the variable in kebab case without the server prefix; switches take --no-; secrets have none', () => {
  assert.equal(settingFlag('POLLER_PORT', {}, 'POLLER'), 'port');
  assert.equal(settingFlag('POLL_INTERVAL_S', {}, 'POLLER'), 'poll-interval-s');
  assert.equal(settingFlag('INBOX_URL', { flag: 'inbox' }, 'POLLER'), 'inbox');
  const options = settingsFlagOptions(TABLE, 'POLLER');
  assert.deepEqual(Object.keys(options).sort(), ['inbox', 'mailboxes', 'no-verbose', 'poll-interval-s', 'port', 'ticket-mode', 'verbose']);
  const { values } = parseArgs({ args: ['--no-verbose', '--inbox', 'imap://10.0.0.2', '--port=7100'], options, strict: true });
  const read = readSettings(TABLE, { env: { POLLER_VERBOSE: 'true', INBOX_PASSWORD: 'from-env' }, flags: { ...values, 'inbox-password': 'from-flag' }, serverPrefix: 'POLLER' });
  assert.equal(read.POLLER_VERBOSE, false);
  assert.equal(read.INBOX_URL, 'imap://10.0.0.2');
  assert.equal(read.POLLER_PORT, 7100);
  assert.equal(read.INBOX_PASSWORD, 'from-env', 'a secret never comes from a command line');
});

test('a wrong value is refused with the setting, the value, where it came from, and what to set', () => {
  const fromEnv = refusal(() => readSettings(TABLE, { env: { ...ENV, POLLER_PORT: '70000' }, serverPrefix: 'POLLER' }));
  assert.equal(fromEnv.setting, 'POLLER_PORT');
  assert.equal(fromEnv.reason, "'70000' is not a whole number from 0 to 65535; set POLLER_PORT=<port> or unset it for the default (7000)");
  const fromFlag = refusal(() => readSettings(TABLE, { env: ENV, flags: { 'poll-interval-s': '-1' }, serverPrefix: 'POLLER' }));
  assert.equal(fromFlag.reason, "'-1' (given as --poll-interval-s) is not a number above 0; set POLL_INTERVAL_S=<seconds> or unset it for the default (2.5)");
  const missing = refusal(() => readSettings(TABLE, { env: {}, serverPrefix: 'POLLER' }));
  assert.equal(missing.setting, 'INBOX_URL');
  assert.equal(missing.reason, 'is not set; set INBOX_URL=imaps://mail.example.com');
  assert.match(refusal(() => readSettings(TABLE, { env: { ...ENV, TICKET_MODE: 'later' }, serverPrefix: 'POLLER' })).reason, /is not one of queue, direct/);
});

test('a refused URL shows no password', () => {
  const error = refusal(() => readSettings(SHARED_SETTINGS, { env: { REDIS_URL: 'http://app:s3cret-pass@cache:6379' }, serverPrefix: 'X' }));
  assert.equal(error.setting, 'REDIS_URL');
  assert.doesNotMatch(error.message, /s3cret-pass/);
  assert.match(error.message, /'http:\/\/\*\*\*@cache:6379'/);
});

test('help lists every flag with its variable and default, and the secrets apart', () => {
  const help = settingsHelp(TABLE, 'POLLER');
  assert.match(help, /--port <port>\n\s+POLLER_PORT: port \(default 7000\)/);
  assert.match(help, /--verbose, --no-verbose\n\s+POLLER_VERBOSE: log every message \(default false\)/);
  assert.match(help, /secrets \(from the environment only, never flags\):\n\s+INBOX_PASSWORD: its password/);
  assert.ok(help.split('\n').every((line) => line.length <= 110), 'lines fit a terminal');
  assert.doesNotMatch(help, /--inbox-password/);
});

test('without a listener, a former name in use is a process warning with its own code', async () => {
  const warned = new Promise<Error & { code?: string }>((resolve) => process.once('warning', resolve));
  readSettings(TABLE, { env: { ...ENV, MAIL_PORT: '7002' }, serverPrefix: 'POLLER' });
  const warning = await warned;
  assert.equal(warning.code, 'SIGHTLINE_SETTING_RENAMED');
  assert.match(warning.message, /MAIL_PORT is the former name of POLLER_PORT/);
});
