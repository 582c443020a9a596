/** What one doctor check found, how it is built and how it is printed. */

/** How a check came out: `fail` makes the exit code 1, `warn` does not. */
export type DoctorStatus = 'ok' | 'warn' | 'fail';

/** One check's outcome, as printed (one line) and as emitted by `--json`. */
export interface DoctorCheck {
  /** Which check: `node`, `config`, `names` (settings given under a former name), `bridge-key`, `identity`, `llm`, `connector`, `stream`, `bridge`, `metrics`, `actions`, `rasa`, `rasa-actions`. */
  name: string;
  status: DoctorStatus;
  /** What was found. */
  message: string;
  /** What to do next, when there is something to do. */
  hint?: string;
}

/** The `--json` output: `ok` is true when no check failed. */
export interface DoctorReport {
  ok: boolean;
  checks: DoctorCheck[];
}

export const ok = (name: string, message: string, hint?: string): DoctorCheck => ({ name, status: 'ok', message, ...(hint ? { hint } : {}) });
export const warn = (name: string, message: string, hint?: string): DoctorCheck => ({ name, status: 'warn', message, ...(hint ? { hint } : {}) });
export const fail = (name: string, message: string, hint?: string): DoctorCheck => ({ name, status: 'fail', message, ...(hint ? { hint } : {}) });

export function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}

const LABELS: Record<DoctorStatus, string> = { ok: 'ok  ', warn: 'warn', fail: 'FAIL' };

/** One printed line: `ok   stream     …`, `FAIL stream     … → what to do`. */
export function formatCheck(check: DoctorCheck): string {
  return `${LABELS[check.status]} ${check.name.padEnd(12)} ${check.message}${check.hint ? ` → ${check.hint}` : ''}`;
}
