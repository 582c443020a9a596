/**
 * The connector's error catalogue: one stable code, HTTP status and message per case (shared/STYLE.md).
 * HTTP errors answer `{"error": {"code", "message"}}`. Tests assert codes and statuses, not messages.
 * Add entries in alphabetical order; never rename a published code.
 */
import { defineErrors } from '@sightline/protocol';

export const { catalogue: connectorErrors, createError } = defineErrors({
  SL_CONFIG_INVALID: { status: 500, message: 'Invalid option {option}: {reason}' },
});

/** Codes of {@link connectorErrors}. */
export type ConnectorErrorCode = keyof typeof connectorErrors;
