/** The table of `sightline` subcommands. */
import * as bridge from './bridge.ts';
import * as connector from './connector.ts';
import * as dev from './dev.ts';
import * as doctor from './doctor.ts';
import * as forget from './forget.ts';
import * as knowledge from './knowledge.ts';
import * as onboard from './onboard.ts';
import * as signUser from './sign-user.ts';

/** A subcommand: a one-line summary and `run`, which resolves to the exit code. */
export interface Command {
  summary: string;
  run(args: string[]): Promise<number>;
}

export const commands: Record<string, Command> = { dev, connector, bridge, onboard, doctor, forget, 'sign-user': signUser, knowledge };

/** The help text listing every subcommand. */
export function usage(): string {
  const lines = Object.entries(commands).map(([name, command]) => `  ${name.padEnd(10)} ${command.summary}`);
  return ['usage: sightline <command> [options]', '', 'commands:', ...lines, '', "Run 'sightline <command> --help' for its options."].join('\n');
}
