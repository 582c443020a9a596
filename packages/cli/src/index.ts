/** The `sightline` package: its public surface is the command table, for embedding or testing the CLI. */
export { commands, usage, type Command } from './commands/index.ts';
