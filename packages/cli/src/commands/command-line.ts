/**
 * The command line of a `sightline` command with positionals: parsed strictly, with `--help` and a wrong flag
 * answered the same way by every command (help on stdout and exit 0; the problem and the help on stderr and exit 2).
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';

type Options = NonNullable<ParseArgsConfig['options']>;

/** What the command was given, or the exit code when it has already answered. */
export type CommandLine<O extends Options> = ReturnType<typeof parseArgs<{ args: string[]; options: O; allowPositionals: true; strict: true }>> | { exitCode: number };

/**
 * Parses `args` against `options` plus `--help`/`-h`.
 *
 * @example
 * const line = readCommandLine(args, { json: { type: 'boolean' } }, { name: 'sightline knowledge', help: HELP, io });
 * if ('exitCode' in line) return line.exitCode;
 */
export function readCommandLine<const O extends Options>(
  args: string[],
  options: O,
  command: { name: string; help: string; io: { stdout: (text: string) => void; stderr: (text: string) => void } },
): CommandLine<O & { help: { type: 'boolean'; short: 'h' } }> {
  let parsed;
  try {
    parsed = parseArgs({ args, options: { ...options, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
  } catch (error) {
    command.io.stderr(`${command.name}: ${(error as Error).message}\n\n${command.help}`);
    return { exitCode: 2 };
  }
  if ((parsed.values as { help?: boolean }).help) {
    command.io.stdout(command.help);
    return { exitCode: 0 };
  }
  return parsed as CommandLine<O & { help: { type: 'boolean'; short: 'h' } }>;
}
