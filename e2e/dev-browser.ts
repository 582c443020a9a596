/**
 * What the browser tests share: `sightline dev` started on free ports and stopped with Ctrl-C, and Debian's Chromium
 * driven by playwright-core in contexts that never reach beyond this machine. Never downloads a browser.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { TestContext } from 'node:test';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext } from 'playwright-core';

export const chromiumPath = '/usr/bin/chromium';
export const repoRoot = fileURLToPath(new URL('..', import.meta.url));
/** Screenshots (gitignored). */
export const artifacts = join(repoRoot, 'e2e', 'artifacts');
/** Whether `SIGHTLINE_REQUIRE` names chromium: then a missing browser fails the test instead of skipping it. */
const isChromiumRequired = (process.env.SIGHTLINE_REQUIRE ?? '')
  .split(',')
  .map((name) => name.trim().toLowerCase())
  .includes('chromium');

export const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-quic',
  '--disable-sync',
];

/**
 * Whether Debian's Chromium is here to run a browser test. Without it the test is skipped and says why, unless
 * `SIGHTLINE_REQUIRE` names chromium: then it fails.
 */
export function hasChromium(t: TestContext): boolean {
  if (existsSync(chromiumPath)) return true;
  const reason = `${chromiumPath} is not installed (apt-get install chromium)`;
  if (isChromiumRequired) assert.fail(`SIGHTLINE_REQUIRE names chromium, but ${reason}`);
  console.log(`# skipped browser test: ${reason}`);
  t.skip(reason);
  return false;
}

/** A running `sightline dev` and the URLs its banner printed. */
export interface DevProcess {
  child: ChildProcess;
  output: () => string;
  demoUrl: string;
  connectorUrl: string;
  bridgeUrl: string;
}

/** Starts `sightline dev` on free ports and resolves with the URLs its banner prints. */
export async function startDev(dataDir: string): Promise<DevProcess> {
  const env: NodeJS.ProcessEnv = { ...process.env, LLM_PROVIDER: 'offline', LOG_LEVEL: 'warn' };
  // The offline responder is deterministic; a key in the caller's environment must not change the answer.
  for (const name of ['OPENAI_API_KEY', 'ANTHROPIC_API_KEY', 'GOOGLE_GENERATIVE_AI_API_KEY', 'GEMINI_API_KEY', 'LLM_API_KEY', 'LLM_BASE_URL', 'LLM_MODEL']) {
    delete env[name];
  }
  const child = spawn(
    process.execPath,
    [
      '--conditions=source', '--import', 'tsx', 'packages/cli/src/main.ts', 'dev',
      '--connector-port', '0', '--bridge-port', '0', '--demo-port', '0',
      '--data-dir', dataDir, '--dotenv', join(dataDir, 'none.env'),
    ],
    { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const banner = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`sightline dev printed no URL within 60 s:\n${output}`)), 60_000);
    const check = (): void => {
      if (/Press Ctrl-C to stop/.test(output)) {
        clearTimeout(timer);
        resolve(output);
      }
    };
    child.stdout?.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`sightline dev exited with ${String(code)} before starting:\n${output}`));
    });
  });
  const find = (label: string): string => {
    const url = new RegExp(`${label}\\s+(http://\\S+)`).exec(banner)?.[1];
    assert.ok(url, `banner has no ${label} URL:\n${banner}`);
    return url;
  };
  return { child, output: () => output, demoUrl: find('Open'), connectorUrl: find('Connector'), bridgeUrl: find('Bridge') };
}

/** Stops `sightline dev` with Ctrl-C (SIGINT) and waits for it; SIGKILL if it takes over 15 s. */
export async function stopDev(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.kill('SIGINT');
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  const code = await exited;
  clearTimeout(timer);
  return code;
}

/**
 * A browser context that reaches loopback only. Every request that tries to leave the machine is refused and its
 * URL pushed to `external`, so a test can assert the demo needs none (no CDN, no analytics host).
 */
export async function loopbackContext(browser: Browser, external: string[] = []): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  await context.route(/^https?:\/\/(?!127\.0\.0\.1|localhost)/, (route) => {
    external.push(route.request().url());
    return route.abort();
  });
  return context;
}
