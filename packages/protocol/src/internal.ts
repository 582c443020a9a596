/**
 * @sightline/protocol/internal: what the Sightline packages share beyond the wire contract (the
 * credential guard, secret strength, redaction of text, URLs and Redis URLs). For Sightline's own
 * packages, CLI, benches and tests; it may change in any release. The public surface is the root entry.
 */
export { MIN_SECRET_BITS, secretBits } from './secrets/secret-strength.ts';
export {
  CredentialGuard,
  type CredentialGuardOptions,
  type CredentialKind,
  type FailureVerdict,
} from './guard/credential-guard.ts';
export {
  REDACTED,
  REDACT_MAX_LENGTH,
  isRandomToken,
  redactDocument,
  redactText,
} from './privacy/redact-text.ts';
export {
  REDACTED_URL_MAX_LENGTH,
  SECRET_PARAMETER_NAMES,
  SECRET_PATH_WORDS,
  isSecretParameterName,
  redactUrl,
} from './privacy/redact-url.ts';
export { redactKnownValues } from './privacy/redact-known-values.ts';
export { isIbanValid, isLuhnValid } from './privacy/checksums.ts';
export { redactRedisUrl } from './privacy/redact-redis-url.ts';
export { displayUrl } from './privacy/display-url.ts';
export { CONTAINER_NOUNS, ROLE_NOUNS } from './english-nouns.ts';
