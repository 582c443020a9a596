/**
 * `npm run bench`: runs every bench/*.bench.ts (or those whose file name contains an argument,
 * e.g. `npm run bench -- client`) one after another and prints their tables.
 */
import { readdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { cpus, totalmem } from 'node:os';
import { runBenchmark, type Benchmark } from './harness.ts';

const folder = fileURLToPath(new URL('.', import.meta.url));
const filters = process.argv.slice(2);
const files = readdirSync(folder)
  .filter((name) => name.endsWith('.bench.ts'))
  .filter((name) => filters.length === 0 || filters.some((filter) => name.includes(filter)))
  .sort();

console.log(
  `# Sightline benchmarks — node ${process.version}, ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, ${new Date().toISOString()}\n`,
);
for (const file of files) {
  const module = (await import(pathToFileURL(join(folder, file)).href)) as { default: Benchmark };
  const started = performance.now();
  console.log(await runBenchmark(module.default));
  console.log(`  (${file}: ${((performance.now() - started) / 1000).toFixed(1)} s)\n`);
}
