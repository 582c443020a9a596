/** Test-only helpers (not exported): a connector on port 0 in a fresh temp data dir, and small HTTP calls. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startConnector, type ConnectorOptions, type RunningConnector } from '../server/start-connector.ts';

export async function tempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'sightline-connector-'));
}

export async function removeDir(path: string): Promise<void> {
  await rm(path, { recursive: true, force: true });
}

/** Starts a quiet connector on a free loopback port; `cleanup` closes it and removes its data dir. */
export async function startTestConnector(options: Partial<ConnectorOptions> = {}): Promise<RunningConnector & { dataDir: string; cleanup(): Promise<void> }> {
  const dataDir = options.dataDir ?? (await tempDir());
  const connector = await startConnector({ port: 0, logger: false, defaultMetrics: false, batchWindowMs: 5, ...options, dataDir });
  return Object.assign(connector, {
    dataDir,
    async cleanup() {
      await connector.close();
      await removeDir(dataDir);
    },
  });
}

/** POSTs a body and returns status, headers and parsed JSON (or null). */
export async function post(url: string, body: string | Uint8Array, headers: Record<string, string> = {}) {
  const response = await fetch(url, { method: 'POST', body: typeof body === 'string' ? body : Uint8Array.from(body), headers });
  const text = await response.text();
  let json: unknown = null;
  try {
    json = text === '' ? null : JSON.parse(text);
  } catch {
    json = null;
  }
  return { status: response.status, headers: response.headers, json: json as Record<string, unknown> & { error?: { code: string; message: string } }, text };
}
