/**
 * The benchmark harness: each `bench/*.bench.ts` default-exports a {@link Benchmark}; `npm run bench`
 * runs them in turn and prints one table. Figures only: nothing here passes or fails on speed.
 */

/** One printed row: a measured subject beside the baseline it is compared with in the same run. */
export interface BenchRow {
  /** What was measured, e.g. `ConnectorClient: 100,000 payloads`. */
  name: string;
  /** The figure, already in its unit (e.g. 182000). */
  value: number;
  /** Unit of `value`, e.g. `payloads/s`, `ms`, `bytes/session`. */
  unit: string;
  /** The baseline figure in the same unit, measured in the same run, when there is one. */
  baseline?: number;
  /** What the baseline is, e.g. `read-and-discard over the same socket`. */
  baselineName?: string;
  /** A goal as text, e.g. `p99 < 20 ms`; printed, never asserted. */
  goal?: string;
}

/** Collects rows and notes while a benchmark runs. */
export interface BenchReport {
  row(row: BenchRow): void;
  note(text: string): void;
}

/** A benchmark module's default export. */
export interface Benchmark {
  /** Section title in the table. */
  title: string;
  run(report: BenchReport): Promise<void>;
}

function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Math.abs(value) >= 100) return Math.round(value).toLocaleString('en-US');
  return value.toLocaleString('en-US', { maximumFractionDigits: 2 });
}

/** Renders the collected rows of one section as an aligned text table. */
export function formatTable(title: string, rows: BenchRow[], notes: string[]): string {
  const header = ['measure', 'value', 'unit', 'baseline', 'ratio', 'goal'];
  const lines = rows.map((row) => [
    row.name,
    formatNumber(row.value),
    row.unit,
    row.baseline === undefined ? '' : `${formatNumber(row.baseline)} (${row.baselineName ?? 'baseline'})`,
    row.baseline === undefined || row.baseline === 0 ? '' : `${(row.value / row.baseline).toFixed(2)}x`,
    row.goal ?? '',
  ]);
  const widths = header.map((cell, column) => Math.max(cell.length, ...lines.map((line) => line[column]!.length)));
  const render = (cells: string[]) => cells.map((cell, column) => cell.padEnd(widths[column]!)).join('  ').trimEnd();
  return [
    `## ${title}`,
    render(header),
    render(widths.map((width) => '-'.repeat(width))),
    ...lines.map(render),
    ...notes.map((note) => `  note: ${note}`),
  ].join('\n');
}

/** Runs one benchmark and returns its table text. */
export async function runBenchmark(benchmark: Benchmark): Promise<string> {
  const rows: BenchRow[] = [];
  const notes: string[] = [];
  await benchmark.run({ row: (row) => rows.push(row), note: (text) => notes.push(text) });
  return formatTable(benchmark.title, rows, notes);
}
