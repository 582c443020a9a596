#!/usr/bin/env node
// Runs a TypeScript entry point straight from the workspace sources: tsx compiles on the fly and the
// "source" export condition makes @sightline/* packages resolve to their src/ instead of dist/.
// Signals reach the child directly (same process group), so this wrapper only waits and mirrors its exit.
import { spawn } from 'node:child_process';

const [entry, ...args] = process.argv.slice(2);
if (!entry) {
  console.error('usage: node scripts/run.mjs <entry.ts> [args...]');
  process.exit(2);
}
const child = spawn(process.execPath, ['--conditions=source', '--import', import.meta.resolve('tsx'), entry, ...args], {
  stdio: 'inherit',
});
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => child.kill(signal));
}
child.on('exit', (code, signal) => {
  if (signal) process.kill(process.pid, signal);
  else process.exit(code ?? 1);
});
