/**
 * The protocol package's error catalogue. Every error here is a programming error on the producing
 * side (a frame or payload that cannot be put on the wire), hence status 500: the server built it.
 */
import { defineErrors } from './sightline-error.ts';

/** Codes, statuses and message templates of the errors `@sightline/protocol` throws (`protocolErrors`). */
export const { catalogue: protocolErrors, createError } = defineErrors({
  SL_SSE_FIELD_INVALID: {
    status: 500,
    message: 'SSE field {field} cannot be encoded: {reason}.',
  },
  SL_SSE_FRAME_EMPTY: {
    status: 500,
    message: 'An SSE frame needs at least one of data, id, event, retry or comment.',
  },
  SL_MERGE_EMPTY: {
    status: 500,
    message: 'Merging actions payloads requires at least one payload.',
  },
  SL_EVENT_ID_INVALID: {
    status: 500,
    message: 'Event id part {part} must be a non-negative safe integer, got {value}.',
  },
  SL_PAYLOAD_INVALID: {
    status: 500,
    message: 'Payload cannot be written to the wire: {field} {reason}.',
  },
});

/** Every code in {@link protocolErrors}. */
export type ProtocolErrorCode = keyof typeof protocolErrors;
