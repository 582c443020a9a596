/**
 * `@sightline/connector/testing`: what tests and attack scripts outside the package need to drive a connector the
 * way real clients do: the fuzzing kit of every door and the recorded PostHog bodies it mutates.
 */
export { FUZZ_DOORS, fuzzRound, mutate, prng, randomBody, randomValue, type FuzzDoor, type FuzzRequest, type FuzzTarget, type Random } from './fuzz-doors.ts';
export { hogFlatPayloads, posthogJsEvents } from '../__fixtures__/index.ts';
