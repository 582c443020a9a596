/**
 * What both attack scripts share (docs/attack-figures.md): a real connector on a loopback port with one product, a
 * real SSE reader (the SDK's ConnectorClient) on its stream, heap readings after a full collection, option parsing
 * and the table printer.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { ActionsPayload } from '@sightline/protocol';
import { startConnector, type ConnectorOptions, type ProductCredentials, type RunningConnector } from '@sightline/connector';
import { ConnectorClient, silentLogger } from '@sightline/sdk';

/** A connector started for an attack run, with its product and a stream reader. */
export interface AttackRig {
  connector: RunningConnector;
  credentials: ProductCredentials;
  /** What the reader received: counts and session ids only, so the reader's own memory stays flat. */
  received: { payloads: number; actions: number; sessions: Set<string | null> };
  /** Gap frames the reader got (each means payloads were missed). */
  gaps: number;
  close(): Promise<void>;
}

/** Starts a quiet connector on port 0 with product `acme` and a stream reader, connected before it resolves. */
export async function startRig(options: Partial<ConnectorOptions> = {}): Promise<AttackRig> {
  const dataDir = await mkdtemp(join(tmpdir(), 'sightline-attack-'));
  const connector = await startConnector({ port: 0, logger: false, defaultMetrics: false, ...options, dataDir });
  const credentials = await connector.registerProduct({ productId: 'acme', contactEmail: 'owner@example.com' });
  const received: AttackRig['received'] = { payloads: 0, actions: 0, sessions: new Set() };
  const rig: AttackRig = {
    connector,
    credentials,
    received,
    gaps: 0,
    async close() {
      await client.stop();
      await running.catch(() => undefined);
      await connector.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
  let isConnected = false;
  const client = new ConnectorClient({ url: credentials.stream_url, token: credentials.stream_key, logger: silentLogger })
    .onActions((payload: ActionsPayload) => {
      received.payloads++;
      received.actions += payload.actions.length;
      received.sessions.add(payload.session_id);
    })
    .onGap(() => {
      rig.gaps++;
    })
    .onConnect(() => {
      isConnected = true;
    });
  const running = client.start();
  await until(() => isConnected, 10_000, 'the stream reader to connect');
  return rig;
}

/** Polls `condition` every 20 ms until it holds or `timeoutMs` passes; resolves to whether it held. */
export async function waitFor(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return true;
}

async function until(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  if (!(await waitFor(condition, timeoutMs))) throw new Error(`timed out waiting for ${what}`);
}

let collect: (() => void) | undefined;

/** Heap in use after a full garbage collection, MiB (one decimal). */
export function heapMiB(): number {
  if (collect === undefined) {
    setFlagsFromString('--expose-gc');
    collect = runInNewContext('gc') as () => void;
  }
  collect();
  return Math.round((process.memoryUsage().heapUsed / 1048576) * 10) / 10;
}

/** Parses `--name value` integer options with defaults; exits 2 with a message on a bad value. */
export function integerOptions<Name extends string>(args: string[], defaults: Record<Name, number>): Record<Name, number> {
  const { values } = parseArgs({
    args,
    strict: true,
    options: Object.fromEntries(Object.keys(defaults).map((name) => [name, { type: 'string' as const }])),
  });
  const result = { ...defaults };
  for (const name of Object.keys(defaults) as Name[]) {
    const given = (values as Record<string, string | undefined>)[name];
    if (given === undefined) continue;
    const value = Number(given);
    if (!Number.isSafeInteger(value) || value < 0) {
      console.error(`--${name} must be a whole number ≥ 0 (got ${given})`);
      process.exit(2);
    }
    result[name] = value;
  }
  return result;
}

/** Prints rows as an aligned text table. */
export function printTable(title: string, header: readonly string[], rows: ReadonlyArray<readonly (string | number)[]>): void {
  const cells = [header, ...rows].map((row) => row.map(String));
  const widths = header.map((_, column) => Math.max(...cells.map((row) => row[column]!.length)));
  console.log(`\n${title}`);
  for (const [position, row] of cells.entries()) {
    console.log(row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join('  '));
    if (position === 0) console.log(widths.map((width) => '-'.repeat(width)).join('  '));
  }
}

/** Prints each property as PASS/FAIL and resolves to the exit code (1 when one failed). */
export function verdict(properties: ReadonlyArray<{ name: string; holds: boolean; detail: string }>): number {
  console.log('');
  for (const property of properties) console.log(`${property.holds ? 'PASS' : 'FAIL'}  ${property.name}: ${property.detail}`);
  return properties.every((property) => property.holds) ? 0 : 1;
}
