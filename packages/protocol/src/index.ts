/**
 * @sightline/protocol: Sightline's wire contract as code. No I/O.
 * Public surface only; see README.md.
 */
export type {
  ActionsPayload,
  GapPayload,
  GapReason,
  SlimAction,
  StreamPayload,
  StreamPayloadType,
  SummaryPayload,
} from './types.ts';
export { SightlineError, defineErrors, isSightlineError, type ErrorDefinition } from './sightline-error.ts';
