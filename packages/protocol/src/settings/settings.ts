/**
 * How a Sightline server reads its settings (docs/configuration.md): one table per server names every setting once,
 * as an environment variable whose words are also its command-line flag, with a zod schema that validates and converts
 * it. Reading the table gives typed values, or stops at the first wrong setting with a message that names it and says
 * what to set. Old names are still read, with a warning, so an upgrade breaks no deployment.
 */
import { z } from 'zod';

/** What reading a setting produces from its text, or `undefined` when it is not set anywhere. */
export type SettingSchema<T = unknown> = z.ZodType<T, string | undefined>;

/** One setting of a server. The table's key is its variable name, in SCREAMING_SNAKE_CASE. */
export interface SettingSpec<T = unknown> {
  /** Validates and converts the text; applies the default when the text is absent. */
  schema: SettingSchema<T>;
  /** What to write in "set NAME=…" when the value is wrong, e.g. `<number>`, `true`, `https://app.example.com`. */
  expects: string;
  /** One line for `--help` and the documentation. */
  help: string;
  /** How a wrong value is shown in the refusal (a URL with its password masked); default as given. */
  show?: (text: string) => string;
  /** A secret: never printed, and read from the environment only (a command line is visible to every user of the machine). */
  secret?: boolean;
  /** Whether the flag is a switch: `--name` means true and `--no-name` false. */
  isSwitch?: boolean;
  /** The flag, when it is not the variable's words (`REDIS_URL` is `--redis`, the name every command gave it first). */
  flag?: string;
  /** Former flags, still read when the flag itself is absent, each with a warning. */
  formerFlags?: readonly string[];
  /** Former names, still read when the setting itself is absent, each with a warning to rename it. */
  formerNames?: readonly string[];
  /**
   * Names other software gives the same setting, read silently when the setting itself is absent: the `PORT` a
   * platform such as Heroku or Cloud Run sets, the `UNKEY_API_KEY` of Autoplay's tutorial.
   */
  sharedNames?: readonly string[];
}

/** A server's settings, keyed by variable name. */
export type SettingsTable = Readonly<Record<string, SettingSpec>>;

/** The typed values of a table. */
export type SettingsValues<T extends SettingsTable> = { [K in keyof T]: z.output<T[K]['schema']> };

/** Why a setting was refused: the variable to fix and a sentence that says what to set. */
export class SettingError extends Error {
  readonly setting: string;
  readonly reason: string;

  constructor(setting: string, reason: string) {
    super(`${setting}: ${reason}`);
    this.name = 'SettingError';
    this.setting = setting;
    this.reason = reason;
  }
}

/** How a table is read. */
export interface ReadSettingsOptions {
  /** Variables, the environment merged with `.env` by the caller. */
  env: Readonly<Record<string, string | undefined>>;
  /** Flag values as `node:util` `parseArgs` gives them, keyed by flag name (without `--`). */
  flags?: Readonly<Record<string, string | boolean | undefined>>;
  /** The server's name in its variables (`BRIDGE`, `CONNECTOR`): its flags leave it out, the command already says it. */
  serverPrefix: string;
  /** Told once per former name found in use; default a process warning with code `SIGHTLINE_SETTING_RENAMED`. */
  onFormerName?: (message: string) => void;
}

function warnRenamed(message: string): void {
  process.emitWarning(message, { code: 'SIGHTLINE_SETTING_RENAMED' });
}

/** The flag of a setting: its words in kebab case, without the server's prefix (`BRIDGE_PORT` → `port`). */
export function settingFlag(name: string, spec: Pick<SettingSpec, 'flag'>, serverPrefix: string): string {
  if (spec.flag !== undefined) return spec.flag;
  const words = name.startsWith(`${serverPrefix}_`) ? name.slice(serverPrefix.length + 1) : name;
  return words.toLowerCase().replaceAll('_', '-');
}

/** The `parseArgs` options of a table's flags (secrets have none); switches take `--no-<flag>` as well. */
export function settingsFlagOptions(table: SettingsTable, serverPrefix: string): Record<string, { type: 'string' | 'boolean' }> {
  const options: Record<string, { type: 'string' | 'boolean' }> = {};
  for (const [name, spec] of Object.entries(table)) {
    if (spec.secret) continue;
    for (const flag of [settingFlag(name, spec, serverPrefix), ...(spec.formerFlags ?? [])]) {
      options[flag] = { type: spec.isSwitch ? 'boolean' : 'string' };
      if (spec.isSwitch) options[`no-${flag}`] = { type: 'boolean' };
    }
  }
  return options;
}

/**
 * The help of a table for `--help`: each flag with what it takes, its variable, its help line and its default, then
 * the secrets, which are variables only.
 */
export function settingsHelp(table: SettingsTable, serverPrefix: string): string {
  const lines: string[] = [];
  const secrets: string[] = [];
  for (const [name, spec] of Object.entries(table)) {
    const fallback = describeDefault(spec);
    const about = wrap(`${name}: ${spec.help}${fallback === null ? '' : ` (default ${fallback})`}`, spec.secret ? '  ' : '        ');
    if (spec.secret) {
      secrets.push(...about);
      continue;
    }
    const flag = settingFlag(name, spec, serverPrefix);
    lines.push(spec.isSwitch ? `  --${flag}, --no-${flag}` : `  --${flag} ${spec.expects}`, ...about);
  }
  return [...lines, '', 'secrets (from the environment only, never flags):', ...secrets].join('\n');
}

/** Words laid out in lines of at most 110 characters, each starting with `indent`. */
function wrap(text: string, indent: string): string[] {
  const lines: string[] = [];
  let line = indent;
  for (const word of text.split(' ')) {
    if (line.length > indent.length && line.length + 1 + word.length > 110) {
      lines.push(line);
      line = indent;
    }
    line += line.length > indent.length ? ` ${word}` : word;
  }
  lines.push(line);
  return lines;
}

function presentText(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed === undefined || trimmed === '' ? undefined : trimmed;
}

function flagText(flags: ReadSettingsOptions['flags'], flag: string): string | undefined {
  if (!flags) return undefined;
  if (flags[`no-${flag}`] === true) return 'false';
  const value = flags[flag];
  if (value === true) return 'true';
  return typeof value === 'string' ? value : undefined;
}

/** The text of one setting and where it came from, by precedence: flag, variable, former names, shared names. */
function findText(name: string, spec: SettingSpec, options: ReadSettingsOptions & { onFormerName: (message: string) => void }): { text: string | undefined; from: string } {
  if (!spec.secret) {
    const flag = settingFlag(name, spec, options.serverPrefix);
    const fromFlag = flagText(options.flags, flag);
    if (fromFlag !== undefined) return { text: fromFlag.trim(), from: `--${flag}` };
    for (const former of spec.formerFlags ?? []) {
      const value = flagText(options.flags, former);
      if (value === undefined) continue;
      options.onFormerName(`--${former} is the former name of --${flag}; use --${flag} (the former name still works for now)`);
      return { text: value.trim(), from: `--${former}` };
    }
  }
  const fromEnv = presentText(options.env[name]);
  if (fromEnv !== undefined) return { text: fromEnv, from: name };
  for (const former of spec.formerNames ?? []) {
    const value = presentText(options.env[former]);
    if (value === undefined) continue;
    options.onFormerName(`${former} is the former name of ${name}; rename it to ${name} (the former name still works for now)`);
    return { text: value, from: former };
  }
  for (const shared of spec.sharedNames ?? []) {
    const value = presentText(options.env[shared]);
    if (value !== undefined) return { text: value, from: shared };
  }
  return { text: undefined, from: name };
}

function describeDefault(spec: SettingSpec): string | null {
  const result = spec.schema.safeParse(undefined);
  if (!result.success || result.data === undefined || result.data === null) return null;
  const value = result.data;
  if (Array.isArray(value)) return value.length === 0 ? null : value.join(',');
  return String(value);
}

/** The sentence that says what is wrong with one setting and what to set instead. */
function refusal(name: string, spec: SettingSpec, text: string | undefined, from: string, issue: string): SettingError {
  const set = `set ${name}=${spec.expects}`;
  if (text === undefined) return new SettingError(name, `is not set; ${set}`);
  const shown = spec.secret ? 'the value' : `'${truncate(spec.show ? spec.show(text) : text)}'`;
  const where = from === name ? '' : ` (given as ${from})`;
  const fallback = describeDefault(spec);
  const unset = fallback === null ? ' or unset it' : ` or unset it for the default (${fallback})`;
  return new SettingError(name, `${shown}${where} ${issue}; ${set}${unset}`);
}

function truncate(text: string): string {
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

/**
 * Reads every setting of `table`: from its flag, else its variable, else a former name (with a warning), else a
 * shared name, else its default.
 *
 * @throws SettingError naming the first setting that is wrong and what to set.
 * @example
 * const values = readSettings({ PORT_NUMBER: { ...wholeNumber({ min: 0, max: 65535, fallback: 8080 }), help: 'port' } }, { env: {}, serverPrefix: 'X' });
 * values.PORT_NUMBER; // 8080
 */
export function readSettings<T extends SettingsTable>(table: T, options: ReadSettingsOptions): SettingsValues<T> {
  const reading = { ...options, onFormerName: options.onFormerName ?? warnRenamed };
  const values: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(table)) {
    const { text, from } = findText(name, spec, reading);
    const result = spec.schema.safeParse(text);
    if (!result.success) throw refusal(name, spec, text, from, result.error.issues[0]?.message ?? 'is not valid');
    values[name] = result.data;
  }
  return values as SettingsValues<T>;
}

// Builders for the kinds of setting the servers have. Each gives the schema and what to write; a table entry adds its
// help line (and, where it has them, former and shared names).

type Built<T> = Pick<SettingSpec<T>, 'schema' | 'expects' | 'isSwitch'>;

/** The same setting, refused when absent (`is not set; set NAME=…`). */
export function required<T>(built: Built<T | undefined>): Built<T> {
  const schema = built.schema.refine((value) => value !== undefined, { error: 'is not set' }).transform((value) => value as T);
  return { ...built, schema };
}

/** A whole number from `min` to `max`. */
export function wholeNumber(options: { min: number; max?: number; fallback: number; unit?: string }): Built<number>;
export function wholeNumber(options: { min: number; max?: number; unit?: string }): Built<number | undefined>;
export function wholeNumber({ min, max = Number.MAX_SAFE_INTEGER, fallback, unit = 'number' }: { min: number; max?: number; fallback?: number; unit?: string }): Built<number | undefined> {
  const range = max === Number.MAX_SAFE_INTEGER ? `of ${min} or more` : `from ${min} to ${max}`;
  const error = `is not a whole number ${range}`;
  const schema = z.string().regex(/^\d+$/, { error }).transform(Number).pipe(z.number().min(min, { error }).max(max, { error }));
  return { schema: fallback === undefined ? schema.optional() : schema.default(fallback), expects: `<${unit}>` };
}

/** A number above `min` (or at least `min` when `inclusive`), decimals allowed: seconds, mostly. */
export function decimal({ min, inclusive = false, fallback, unit = 'seconds' }: { min: number; inclusive?: boolean; fallback: number; unit?: string }): Built<number> {
  const error = inclusive ? `is not a number of ${min} or more` : `is not a number above ${min}`;
  const schema = z
    .string()
    .regex(/^\d+(\.\d+)?$/, { error })
    .transform(Number)
    .pipe(inclusive ? z.number().min(min, { error }) : z.number().gt(min, { error }));
  return { schema: schema.default(fallback), expects: `<${unit}>` };
}

/** On or off: true/false, 1/0, yes/no, on/off. */
export function onOff(fallback: boolean): Built<boolean> {
  return { schema: z.stringbool({ error: 'is not true or false' }).default(fallback), expects: 'true', isSwitch: true };
}

/** Free text (a path, a token, a name). */
export function text(options: { fallback: string; expects: string }): Built<string>;
export function text(options: { expects: string }): Built<string | undefined>;
export function text({ fallback, expects }: { fallback?: string; expects: string }): Built<string | undefined> {
  return { schema: fallback === undefined ? z.string().optional() : z.string().default(fallback), expects };
}

/** One of a few words, case-insensitive. */
export function oneOf<const W extends readonly [string, ...string[]]>(words: W, fallback: W[number]): Built<W[number]> {
  const error = `is not one of ${words.join(', ')}`;
  return {
    schema: z.string().transform((value) => value.toLowerCase()).pipe(z.enum(words, { error })).default(fallback),
    expects: words.join('|'),
  };
}

/** A comma-separated list; empty items are dropped. */
export function list(expects: string): Built<string[]> {
  return {
    schema: z.string().transform((value) => value.split(',').map((item) => item.trim()).filter((item) => item !== '')).default([]),
    expects,
  };
}

/** An absolute URL whose scheme is one of `schemes` (without the colon). Credentials in it are never printed by the caller. */
export function urlSetting(schemes: readonly string[], expects: string): Built<string | undefined> {
  const error = `is not a ${schemes.join(' or ')} URL`;
  const schema = z.string().refine((value) => {
    try {
      return schemes.includes(new URL(value).protocol.slice(0, -1));
    } catch {
      return false;
    }
  }, { error });
  return { schema: schema.optional(), expects };
}

/** A URL as typed, with any `user:password@` masked: what a refusal may show of a URL setting. */
export function maskUrlCredentials(text: string): string {
  return text.replace(/\/\/[^@/]*@/, '//***@');
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/**
 * Settings every server reads under one name, because in one `sightline dev` process they mean one thing: the
 * process's log level, and the Redis both servers share.
 */
export const SHARED_SETTINGS = {
  LOG_LEVEL: { ...oneOf(LOG_LEVELS, 'info'), help: 'pino log level of the process (JSON lines on stdout)' },
  REDIS_URL: {
    ...urlSetting(['redis', 'rediss'], 'redis://[user:password@]host[:port][/db]'),
    help: 'share state with the other instances through Redis (rediss:// for TLS); unset keeps everything in this process',
    show: maskUrlCredentials,
    flag: 'redis',
  },
  REDIS_PREFIX: {
    // A brace would start a hash tag of its own and split a product's keys across Redis Cluster slots.
    schema: z.string().regex(/^[^{}\s]+$/, { error: 'contains a brace or a space' }).default('sightline:'),
    expects: 'sightline:',
    help: 'what every Redis key starts with',
  },
} satisfies SettingsTable;
