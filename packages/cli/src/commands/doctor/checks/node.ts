/** The `node` check: the running Node is one the packages support. */
import { fail, ok, type DoctorCheck } from '../doctor-check.ts';

/** Oldest Node the packages support (`engines` in package.json). */
export const MIN_NODE: readonly [number, number] = [20, 12];

export function checkNode(version: string): DoctorCheck {
  const [major = 0, minor = 0] = version.replace(/^v/, '').split('.').map((part) => Number.parseInt(part, 10) || 0);
  const isRecentEnough = major > MIN_NODE[0] || (major === MIN_NODE[0] && minor >= MIN_NODE[1]);
  return isRecentEnough
    ? ok('node', `Node.js ${version}`)
    : fail('node', `Node.js ${version} is older than ${MIN_NODE.join('.')}`, `install Node.js ${MIN_NODE.join('.')} or later (e.g. the current LTS)`);
}
