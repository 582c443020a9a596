/**
 * Reading a playbook's YAML (docs/proactive.md, "The playbook file"): every key checked, every limit enforced, and a
 * reason that says where and what when the file is wrong. Part of the Node-only subpath `@sightline/sdk/playbook`
 * (it needs the `yaml` package); what a playbook is and its trigger are in the main entry.
 */
import { parseDocument } from 'yaml';
import { createError } from '../errors.ts';
import { BuiltinTriggerId, type BuiltinTriggersOptions } from '../proactive/builtin-triggers.ts';
import { MAX_PROACTIVE_MESSAGE_CHARS, type Playbook, type PlaybookMatch, type PlaybookRule } from '../proactive/playbook.ts';
import { DEFAULT_TRIGGER_COOLDOWN_S } from '../proactive/proactive-trigger.ts';

const MAX_QUICK_REPLIES = 4;
const MAX_QUICK_REPLY_CHARS = 80;
const LANGUAGE = /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$/;
const RULE_ID = /^[A-Za-z0-9][\w.-]{0,63}$/;

/** The `triggers:` keys and their thresholds, snake_case as written in the file. */
const TRIGGER_KEYS: Record<string, { option: keyof BuiltinTriggersOptions; fields: Record<string, string> }> = {
  [BuiltinTriggerId.PING_PONG]: { option: 'pingPong', fields: { min_cycles: 'minCycles', within_s: 'withinS', cooldown_s: 'cooldownS' } },
  [BuiltinTriggerId.PAGE_DWELL]: { option: 'pageDwell', fields: { after_s: 'afterS', max_actions: 'maxActions', cooldown_s: 'cooldownS' } },
  [BuiltinTriggerId.CONTAINER_IDLE]: { option: 'containerIdle', fields: { after_s: 'afterS', cooldown_s: 'cooldownS' } },
  [BuiltinTriggerId.REPEATED_FAILURE]: {
    option: 'repeatedFailure',
    fields: { rage_clicks: 'rageClicks', dead_clicks: 'deadClicks', repeated_submits: 'repeatedSubmits', cooldown_s: 'cooldownS' },
  },
};

class PlaybookProblem extends Error {}

function problem(where: string, reason: string): never {
  throw new PlaybookProblem(`${where}: ${reason}`);
}

function record(value: unknown, where: string, allowed: readonly string[]): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) problem(where, 'expected a mapping (key: value)');
  const unknown = Object.keys(value).filter((key) => !allowed.includes(key));
  if (unknown.length > 0) problem(where, `unknown key '${unknown[0]}' (known: ${allowed.join(', ')})`);
  return value as Record<string, unknown>;
}

function text(value: unknown, where: string, max: number): string {
  if (typeof value !== 'string' && typeof value !== 'number') problem(where, 'expected text');
  const trimmed = String(value).trim();
  if (trimmed === '') problem(where, 'is empty');
  if (trimmed.length > max) problem(where, `is ${trimmed.length} characters; at most ${max}`);
  return trimmed;
}

function seconds(value: unknown, where: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) problem(where, 'expected a number of seconds, 0 or more');
  return value;
}

function parseTriggers(value: unknown): BuiltinTriggersOptions {
  if (value === undefined || value === null) return {};
  const section = record(value, 'triggers', Object.keys(TRIGGER_KEYS));
  const options: Record<string, unknown> = {};
  for (const [id, setting] of Object.entries(section)) {
    const known = TRIGGER_KEYS[id]!;
    if (setting === false) {
      options[known.option] = false;
      continue;
    }
    if (setting === true || setting === null) continue;
    const fields = record(setting, `triggers.${id}`, Object.keys(known.fields));
    const thresholds: Record<string, number> = {};
    for (const [field, name] of Object.entries(known.fields)) {
      const number = fields[field];
      if (number === undefined) continue;
      if (typeof number !== 'number' || !Number.isFinite(number) || number <= 0) problem(`triggers.${id}.${field}`, 'expected a number above 0');
      thresholds[name] = number;
    }
    options[known.option] = thresholds;
  }
  return options as BuiltinTriggersOptions;
}

function parseRule(value: unknown, position: number, seen: Set<string>): PlaybookRule {
  const where = `rules[${position}]`;
  const rule = record(value, where, ['id', 'match', 'after_s', 'cooldown_s', 'message', 'quick_replies']);
  const id = text(rule.id, `${where}.id`, 64);
  if (!RULE_ID.test(id)) problem(`${where}.id`, `'${id}' must be letters, digits, '-', '_' or '.'`);
  if (seen.has(id)) problem(`${where}.id`, `'${id}' is used by another rule`);
  seen.add(id);
  const matchFields = record(rule.match, `${where}.match`, ['path', 'title', 'container']);
  const match: PlaybookMatch = {};
  if (matchFields.path !== undefined) match.path = text(matchFields.path, `${where}.match.path`, 512);
  if (matchFields.title !== undefined) match.title = text(matchFields.title, `${where}.match.title`, 200);
  if (matchFields.container !== undefined) match.container = text(matchFields.container, `${where}.match.container`, 200);
  if (Object.keys(match).length === 0) problem(`${where}.match`, 'needs at least one of path, title, container');
  if (match.path !== undefined && !match.path.startsWith('/')) problem(`${where}.match.path`, `'${match.path}' must start with '/'`);

  const messages = record(rule.message, `${where}.message`, Object.keys(asObject(rule.message)));
  const message: Record<string, string> = {};
  for (const [language, body] of Object.entries(messages)) {
    if (!LANGUAGE.test(language)) problem(`${where}.message`, `'${language}' is not a language code such as en, es, pt-BR`);
    message[language.toLowerCase()] = text(body, `${where}.message.${language}`, MAX_PROACTIVE_MESSAGE_CHARS);
  }
  if (Object.keys(message).length === 0) problem(`${where}.message`, 'needs a message in at least one language');
  const quickReplies: Record<string, string[]> = {};
  if (rule.quick_replies !== undefined && rule.quick_replies !== null) {
    const replies = record(rule.quick_replies, `${where}.quick_replies`, Object.keys(asObject(rule.quick_replies)));
    for (const [language, list] of Object.entries(replies)) {
      if (!(language.toLowerCase() in message)) problem(`${where}.quick_replies.${language}`, `has no message in '${language}'`);
      if (!Array.isArray(list)) problem(`${where}.quick_replies.${language}`, 'expected a list');
      if (list.length > MAX_QUICK_REPLIES) problem(`${where}.quick_replies.${language}`, `has ${list.length} replies; at most ${MAX_QUICK_REPLIES}`);
      quickReplies[language.toLowerCase()] = list.map((reply, index) => text(reply, `${where}.quick_replies.${language}[${index}]`, MAX_QUICK_REPLY_CHARS));
    }
  }
  return {
    id,
    match,
    afterS: seconds(rule.after_s, `${where}.after_s`, 0),
    cooldownS: seconds(rule.cooldown_s, `${where}.cooldown_s`, DEFAULT_TRIGGER_COOLDOWN_S),
    text: { message, quickReplies },
  };
}

function asObject(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/**
 * Parses and checks a playbook. `source` names it in errors (a file path).
 *
 * @throws SightlineError `SL_PLAYBOOK_INVALID` with `details.reason` saying where and what: YAML syntax (with its line),
 *   an unknown key, a missing message, a message over 150 characters, a duplicate rule id…
 * @example
 * const playbook = parsePlaybook(await readFile('playbook.yaml', 'utf8'), 'playbook.yaml');
 */
export function parsePlaybook(yamlText: string, source = 'playbook'): Playbook {
  const document = parseDocument(yamlText, { prettyErrors: true, uniqueKeys: true });
  if (document.errors.length > 0) {
    const first = document.errors[0]!;
    const line = first.linePos?.[0]?.line;
    throw createError('SL_PLAYBOOK_INVALID', { source, reason: `YAML ${line === undefined ? '' : `line ${line}: `}${first.message.split('\n')[0]}` });
  }
  try {
    const root = document.toJS() as unknown;
    if (root === null || root === undefined) return { version: 1, triggers: {}, rules: [] };
    const top = record(root, 'the file', ['version', 'triggers', 'rules']);
    if (top.version !== undefined && top.version !== 1) problem('version', `${JSON.stringify(top.version)} is not a version this SDK reads (1)`);
    const rulesValue = top.rules ?? [];
    if (!Array.isArray(rulesValue)) problem('rules', 'expected a list of rules');
    const seen = new Set<string>();
    return { version: 1, triggers: parseTriggers(top.triggers), rules: rulesValue.map((rule, position) => parseRule(rule, position, seen)) };
  } catch (error) {
    if (error instanceof PlaybookProblem) throw createError('SL_PLAYBOOK_INVALID', { source, reason: error.message });
    throw error;
  }
}
