/**
 * Labels fit for a person: every text the connector puts into a structured field, a title or a description
 * passes through here, so each one is redacted (emails, long numbers) the same way.
 */
import { redactText } from '@sightline/protocol/internal';

/** Longest label put into a structured field, a title or a description, in characters. */
export const MAX_LABEL_LENGTH = 80;

/**
 * A label fit for a sentence: whitespace collapsed, then redacted (so `4111  1111  1111  1111` is seen as the card
 * it is), then capped at {@link MAX_LABEL_LENGTH} with `…` (a cut never splits what redaction must see); null when
 * nothing is left.
 *
 * @example cleanLabel('  Invite\n jane@example.com ') // 'Invite [email]'
 */
export function cleanLabel(value: string | null | undefined): string | null {
  if (typeof value !== 'string' || value === '') return null;
  const collapsed = redactText(value.replace(/\s+/g, ' ').trim());
  if (collapsed === '') return null;
  return collapsed.length > MAX_LABEL_LENGTH ? `${collapsed.slice(0, MAX_LABEL_LENGTH - 1).trimEnd()}…` : collapsed;
}
