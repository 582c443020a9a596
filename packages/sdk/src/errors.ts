/**
 * The SDK's error catalogue: one stable code per case (shared/STYLE.md). Tests assert codes, not messages.
 * Add entries in alphabetical order; never rename a published code.
 */
import { defineErrors } from '@sightline/protocol';

export const { catalogue: sdkErrors, createError } = defineErrors({
  SL_CONFIG_INVALID: { status: 500, message: 'Invalid option {option}: {reason}' },
});

/** Codes of {@link sdkErrors}. */
export type SdkErrorCode = keyof typeof sdkErrors;
