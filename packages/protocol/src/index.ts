/**
 * @sightline/protocol: Sightline's wire contract as code. No I/O.
 * Public surface only; see README.md. What the Sightline servers share beyond the wire contract
 * (credential guard, secret strength, redaction) is in `@sightline/protocol/internal`.
 */
export type {
  ActionContainer,
  ActionFailure,
  ActionPage,
  ActionStep,
  ActionStructure,
  ActionTarget,
  ActionsPayload,
  ContainerKind,
  GapPayload,
  GapReason,
  PayloadOrigin,
  SlimAction,
  StreamPayload,
  StreamPayloadType,
  SummaryPayload,
  TargetRole,
} from './types.ts';
export { ACTION_FAILURES, ACTION_STEPS, CONTAINER_KINDS, TARGET_ROLES } from './types.ts';
export { SightlineError, defineErrors, isSightlineError, type ErrorDefinition } from './sightline-error.ts';
export { protocolErrors, type ProtocolErrorCode } from './errors.ts';
export {
  MAX_LABEL_LENGTH,
  isFalsy,
  parsePayload,
  parsePayloadDetailed,
  parsePayloadJson,
  parsePayloadJsonDetailed,
  parseSlimAction,
  type ParsePayloadJsonResult,
  type ParsePayloadResult,
  type PayloadRejectReason,
} from './parse-payload.ts';
export { actionToText, formatActionList, payloadToText } from './to-text.ts';
export { mergeActionsPayloads } from './merge-actions.ts';
export {
  createActionsPayload,
  createGapPayload,
  createSlimAction,
  createSummaryPayload,
  toWireJson,
  type ActionsPayloadFields,
  type GapPayloadFields,
  type SlimActionFields,
  type SummaryPayloadFields,
} from './wire-json.ts';
export { compareEventIds, formatEventId, parseEventId, type EventId } from './event-id.ts';
export { HEARTBEAT_FRAME, encodePayloadFrame, encodeSseFrame, type SseFrame } from './sse/encode-frame.ts';
export { systemClock, type Clock, type TimerHandle } from './clock.ts';
export { backoffDelay } from './backoff.ts';
