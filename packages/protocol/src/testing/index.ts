/**
 * `@sightline/protocol/testing`: test doubles every package's tests (and users' tests) share.
 */
export { FakeClock } from './fake-clock.ts';
