/**
 * @sightline/sdk: keeps each user's live product activity ready for a chatbot.
 * Public surface only; see README.md. (Shared file: add exports with small insertions.)
 */
export { systemClock, type Clock, type TimerHandle } from './clock.ts';
export { sdkErrors, type SdkErrorCode } from './errors.ts';
export type { LlmFunction } from './llm.ts';
