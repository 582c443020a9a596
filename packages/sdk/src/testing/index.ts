/**
 * `@sightline/sdk/testing`: test doubles for Sightline's own tests and for users' tests of code
 * built on the SDK.
 */
export { FakeClock } from '@sightline/protocol/testing';
export { FakeLlm, type FakeLlmCall } from './fake-llm.ts';
export {
  startSseTestServer,
  type RecordedRequest,
  type ScriptedResponseOptions,
  type SseTestServer,
  type SseTestServerOptions,
} from './sse-test-server.ts';
export { deleteKeysWithPrefix, redisForTests, type TestRedis } from './redis-for-tests.ts';
