/** Where doctor's output goes and what it reads: injectable for tests. */
import type { RedisInspection } from '@sightline/connector/internal';

/** Where output goes, which environment is read, how HTTP is done and which Node is checked (injectable for tests). */
export interface DoctorIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
  fetch: typeof fetch;
  /** The Node version to check, e.g. `20.12.2`. Default: the running one. */
  nodeVersion: string;
  /** How Redis is inspected. Default: the connector's `inspectRedis`. */
  inspectRedis?: (url: string, options: { timeoutMs: number }) => Promise<RedisInspection>;
}

export const defaultIo = (): DoctorIo => ({
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
  fetch: (input, init) => fetch(input, init),
  nodeVersion: process.versions.node,
});
