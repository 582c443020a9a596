/**
 * A small static server for the demo product: the page for every route, the esbuild output and the
 * rasa-webchat bundle from `/build/`, and `/healthz`. No framework: it serves a handful of files.
 */
import { createHmac } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join } from 'node:path';
import { buildDemoAssets } from '../assets/build-demo-assets.ts';
import { demoPackageRoot } from '../assets/package-root.ts';
import { findPage } from '../browser/pages.ts';
import type { DemoPageConfig } from '../demo-config.ts';
import { renderDemoPage } from './demo-page.ts';

/** Options for {@link startDemoServer}. */
export interface DemoServerOptions {
  /** Port to listen on. Default 3000; 0 picks a free one. */
  port?: number;
  /** Interface to bind. Default `127.0.0.1`; use `0.0.0.0` in a container. */
  host?: string;
  /** The connector as the browser reaches it (posthog-js `api_host`), e.g. `http://localhost:8080`. */
  connectorUrl: string;
  /** The demo product's `capture_token` (posthog-js api key). */
  captureToken: string;
  /** Where the chat widget connects: the bridge (e.g. `http://localhost:8090`) or Rasa (`http://localhost:5005`). */
  chatUrl: string;
  /** socket.io path on `chatUrl`. Default `/socket.io/`. */
  chatPath?: string;
  /** The demo user's id, given to `posthog.identify` and the widget's `customData.userId`. Default `demo-user`. */
  userId?: string;
  /**
   * The bridge's identity secret (the first of its IDENTITY_SECRET list). The server signs the user's id with it, as a
   * product's backend does, and puts the hash in the page for the widget's `customData.userHash`. Default none: the
   * page carries no hash, and a bridge that verifies identities gives the widget no activity.
   */
  identitySecret?: string;
  /** The demo user's email. Default `alex@acme.test`. */
  email?: string;
  /** The demo user's display name. Default `Alex Rivera`. */
  userName?: string;
  /** Build the browser assets before listening. Default true; false serves what is already in `assetsDir`. */
  buildAssets?: boolean;
  /** Folder of built assets. Default `apps/demo/public/build`. */
  assetsDir?: string;
}

/** A running demo server. */
export interface DemoServer {
  /** Base URL to open, e.g. `http://localhost:3000`. */
  url: string;
  port: number;
  /** The config the page receives. */
  config: DemoPageConfig;
  /** Stops listening and drops open connections. */
  close(): Promise<void>;
}

const contentTypes: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

function requireUrl(name: string, value: string): string {
  try {
    const url = new URL(value);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('not http');
    return value.replace(/\/+$/, '');
  } catch {
    throw new TypeError(`sightline demo: ${name} must be an http(s) URL, got '${value}'`);
  }
}

/**
 * The user hash of an id: hex HMAC-SHA256 with the identity secret. Written out with node:crypto, as any product's
 * backend would (docs/security.md), rather than imported from the bridge the demo only talks to.
 */
function signUserId(secret: string, userId: string): string {
  return createHmac('sha256', secret).update(userId, 'utf8').digest('hex');
}

function send(response: ServerResponse, status: number, type: string, body: string | Buffer, method: string): void {
  response.writeHead(status, {
    'Content-Type': type,
    'Content-Length': Buffer.byteLength(body),
    'Cache-Control': 'no-cache',
    'X-Content-Type-Options': 'nosniff',
  });
  response.end(method === 'HEAD' ? undefined : body);
}

/**
 * Builds the demo's browser assets (unless `buildAssets: false`) and serves the demo product.
 *
 * @example
 * const demo = await startDemoServer({ port: 3000, connectorUrl: 'http://localhost:8080',
 *   captureToken: product.capture_token, chatUrl: 'http://localhost:8090' });
 * console.log(`open ${demo.url}`);
 */
export async function startDemoServer(options: DemoServerOptions): Promise<DemoServer> {
  if (!options.captureToken) throw new TypeError('sightline demo: captureToken is required (the product\'s capture_token)');
  if (options.identitySecret !== undefined && options.identitySecret.trim() === '') {
    throw new TypeError('sightline demo: identitySecret is empty; pass the bridge\'s IDENTITY_SECRET or leave it out');
  }
  const userId = options.userId ?? 'demo-user';
  const config: DemoPageConfig = {
    connectorUrl: requireUrl('connectorUrl', options.connectorUrl),
    captureToken: options.captureToken,
    chatUrl: requireUrl('chatUrl', options.chatUrl),
    chatPath: options.chatPath ?? '/socket.io/',
    userId,
    userHash: options.identitySecret === undefined ? null : signUserId(options.identitySecret.trim(), userId),
    email: options.email ?? 'alex@acme.test',
    userName: options.userName ?? 'Alex Rivera',
  };
  const assetsDir = options.assetsDir ?? join(demoPackageRoot(), 'public', 'build');
  if (options.buildAssets ?? true) await buildDemoAssets({ outDir: assetsDir });
  const page = renderDemoPage(config);

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const method = request.method ?? 'GET';
    if (method !== 'GET' && method !== 'HEAD') {
      response.setHeader('Allow', 'GET, HEAD');
      send(response, 405, 'text/plain; charset=utf-8', 'Method not allowed\n', method);
      return;
    }
    const path = new URL(request.url ?? '/', 'http://demo.invalid').pathname;
    if (path === '/healthz') {
      send(response, 200, 'application/json; charset=utf-8', JSON.stringify({ status: 'ok' }), method);
      return;
    }
    if (findPage(path)) {
      send(response, 200, 'text/html; charset=utf-8', page, method);
      return;
    }
    const asset = /^\/build\/([\w.-]+)$/.exec(path)?.[1];
    const type = asset ? contentTypes[extname(asset)] : undefined;
    // The name pattern admits no slash, so ".." can only be a whole file name, which is refused here.
    if (asset && type && !asset.startsWith('.')) {
      try {
        send(response, 200, type, await readFile(join(assetsDir, asset)), method);
        return;
      } catch {
        // fall through to 404
      }
    }
    send(response, 404, 'text/plain; charset=utf-8', 'Not found\n', method);
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) send(response, 500, 'text/plain; charset=utf-8', 'Internal error\n', 'GET');
      console.error('sightline demo: request failed', error);
    });
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 3000, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const publicHost = host === '0.0.0.0' || host === '::' ? 'localhost' : host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${publicHost}:${port}`,
    port,
    config,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
