/**
 * `@sightline/sdk/testing`: test doubles for Sightline's own tests and for users' tests of code
 * built on the SDK.
 */
export { FakeClock } from './fake-clock.ts';
export { FakeLlm, type FakeLlmCall } from './fake-llm.ts';
