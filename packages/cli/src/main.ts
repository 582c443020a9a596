/**
 * Entry point of the `sightline` command. Each subcommand lives in commands/<name>.ts and exports
 * `run(args)`, which resolves to the process exit code (servers resolve when they have shut down).
 */
import { commands, usage } from './commands/index.ts';

const [name, ...args] = process.argv.slice(2);

if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
  console.log(usage());
  process.exit(name === undefined ? 2 : 0);
}

const command = commands[name];
if (!command) {
  console.error(`sightline: unknown command '${name}'\n\n${usage()}`);
  process.exit(2);
}

try {
  process.exitCode = await command.run(args);
} catch (error) {
  console.error(`sightline ${name}: ${error instanceof Error ? error.message : String(error)}`);
  // A server that cannot listen: say what to do, not only what the system call said.
  if ((error as NodeJS.ErrnoException | null)?.code === 'EADDRINUSE') {
    console.error(`The port is taken by another process: stop it, or start on a free port with --port (sightline ${name} --help).`);
  }
  process.exitCode = 1;
}
