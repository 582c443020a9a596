/** The SDK's clock is the protocol's; kept under this path for the SDK's public exports. */
export { systemClock, type Clock, type TimerHandle } from '@sightline/protocol';
