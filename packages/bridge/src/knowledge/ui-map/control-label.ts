/**
 * Which texts may enter the UI map: labels of the product's controls, never data. The connector already redacted
 * emails, numbers and the product's privacy list at the source (docs/privacy.md); this is the second gate, on the
 * bridge, so what the map keeps is also what the privacy rules would let through.
 */
import { REDACTED, redactKnownValues, redactText } from '@sightline/protocol/internal';

/** Longest label kept (the connector caps labels at 80 characters). */
const MAX_LABEL_LENGTH = 80;
/** Labels with this many digits or more name records (invoice numbers, dates, amounts), not controls. */
const MAX_DIGITS = 3;
const PLACEHOLDERS = Object.values(REDACTED);

/** Decides whether a label may enter the map, and in what form. */
export interface LabelGate {
  /**
   * The label as the map keeps it (trimmed, inner white space collapsed), or null when it must stay out: empty or too
   * long, holding a redaction placeholder or anything the privacy rules redact, one of the user's own values, many
   * digits, or a word of the deny-list.
   */
  accept(label: string | null | undefined, knownValues?: readonly (string | null | undefined)[]): string | null;
}

/**
 * Builds the gate for one product. `deny` lists words or phrases (any case) whose labels never enter the map, e.g.
 * a product's plan names for one customer, or its internal tools (`UI_MAP_DENY`).
 *
 * @example
 * const gate = createLabelGate({ deny: ['Acme internal'] });
 * gate.accept('  Invite   member '); // 'Invite member'
 * gate.accept('jane@example.com'); // null
 */
export function createLabelGate(options: { deny?: readonly string[] } = {}): LabelGate {
  const deny = (options.deny ?? []).map(normaliseForMatch).filter((term) => term.length >= 2);
  return {
    accept(label, knownValues = []) {
      if (typeof label !== 'string') return null;
      const text = label.replace(/\s+/g, ' ').trim();
      if (text === '' || text.length > MAX_LABEL_LENGTH) return null;
      if (PLACEHOLDERS.some((placeholder) => text.includes(placeholder))) return null;
      if ((text.match(/\d/g)?.length ?? 0) >= MAX_DIGITS) return null;
      if (redactText(text) !== text) return null;
      if (redactKnownValues(text, knownValues) !== text) return null;
      if (deny.length > 0) {
        const words = ` ${normaliseForMatch(text)} `;
        if (deny.some((term) => words.includes(` ${term} `))) return null;
      }
      return text;
    },
  };
}

/** Lower case, accents removed, words separated by single spaces: "Équipe / Team" → "equipe team". */
function normaliseForMatch(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean)
    .join(' ');
}

/** Whether a canonical path names one record (`/customers/:id`): its title then names the record, not the page. */
export function namesRecord(path: string): boolean {
  return path.split('/').some((segment) => segment.startsWith(':'));
}

/**
 * A page's name made from its path, for pages whose title may name a record: the last segment that is not a
 * parameter, as words (`/tickets/:id` → `Tickets`, `/settings/team-members` → `Team members`); `/` is `Home`.
 */
export function nameFromPath(path: string): string {
  const segment = path.split('/').filter((part) => part !== '' && !part.startsWith(':')).at(-1);
  if (segment === undefined) return 'Home';
  const words = decodeURIComponentSafe(segment).replace(/[-_.]+/g, ' ').trim();
  return words === '' ? path : words.charAt(0).toUpperCase() + words.slice(1);
}

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
