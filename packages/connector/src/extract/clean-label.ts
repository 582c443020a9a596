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
  const collapsed = redactText(collapseWhitespace(value).trim());
  if (collapsed === '') return null;
  return collapsed.length > MAX_LABEL_LENGTH ? `${collapsed.slice(0, MAX_LABEL_LENGTH - 1).trimEnd()}…` : collapsed;
}

/**
 * `value.replace(/\s+/g, ' ')`: printable ASCII with single spaces (most labels) has nothing to collapse and comes
 * back as it is, without running the regular expression.
 */
function collapseWhitespace(value: string): string {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code === 32 ? value.charCodeAt(i + 1) === 32 : code < 33 || code > 126) return value.replace(/\s+/g, ' ');
  }
  return value;
}
