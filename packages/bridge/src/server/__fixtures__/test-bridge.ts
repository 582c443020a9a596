/**
 * What the bridge's integration tests share: a loopback configuration, a deadline wait for real I/O, and the socket.io
 * client exactly as rasa-webchat 1.0.1 bundles it (socket.io-client 3.1.2).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { BRIDGE_DEFAULTS, type BridgeConfig } from '../../config/bridge-config.ts';
import { resolveLlmSettings } from '../../llm/chat-model.ts';

/** A bridge configuration on loopback, port 0, offline responder, no stream; `overrides` win. */
export function testBridgeConfig(overrides: Partial<BridgeConfig> = {}): BridgeConfig {
  return {
    ...BRIDGE_DEFAULTS,
    adminToken: null,
    streamUrl: '',
    streamKey: '',
    host: '127.0.0.1',
    port: 0,
    llm: resolveLlmSettings({}),
    ...overrides,
  };
}

/** Waits for a condition that depends on real I/O (a stream connecting, a payload arriving), with a deadline. */
export async function until(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** The parts of a socket.io-client 3 socket the tests use (the package's ESM wrapper ships no types). */
export interface WebchatSocket {
  readonly id: string;
  on(event: string, listener: (data: never) => void): WebchatSocket;
  once(event: string, listener: (data: never) => void): WebchatSocket;
  emit(event: string, ...args: unknown[]): WebchatSocket;
  close(): WebchatSocket;
}

/** `io(url, options)` of socket.io-client 3.1.2, the client rasa-webchat 1.0.1 bundles. */
export const connectWebchat = (createRequire(import.meta.url)('socket.io-client-v3') as {
  io: (url: string, options: Record<string, unknown>) => WebchatSocket;
}).io;

/** Rasa's reference action call (packages/bridge/src/rasa/__fixtures__/rasa-action-call.json); clone it before changing it. */
export const EXAMPLE_RASA_CALL = JSON.parse(readFileSync(new URL('../../rasa/__fixtures__/rasa-action-call.json', import.meta.url), 'utf8')) as {
  tracker: { latest_message: { metadata: Record<string, unknown>; text: string } };
} & Record<string, unknown>;
