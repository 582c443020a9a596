/**
 * The user's first name as guessed from their email address, as the Autoplay tutorial's bridge does.
 */

/** Mailboxes that belong to a role or a system rather than a person: greeting "Admin" would be wrong. */
const ROLE_MAILBOXES = new Set([
  'admin', 'administrator', 'billing', 'contact', 'dev', 'hello', 'help', 'info', 'mail', 'marketing', 'no-reply',
  'noreply', 'office', 'postmaster', 'root', 'sales', 'security', 'support', 'team', 'test', 'user', 'webmaster',
]);

/** Printable ASCII only. */
const ASCII = /^[ -~]*$/;

/**
 * Guesses a first name from an email's local part: the text before `+`, split on `.`, `_` or `-`, first part with
 * letters, digits dropped, capitalised when it was all one case. Returns `null` for no email, role mailboxes
 * (`support@`, `noreply@`) and parts shorter than two letters.
 *
 * @example
 * firstNameFromEmail('jane.doe+test@acme.io'); // 'Jane'
 * firstNameFromEmail('support@acme.io');       // null
 */
export function firstNameFromEmail(email: string | null): string | null {
  if (!email) return null;
  const at = email.lastIndexOf('@');
  if (at <= 0) return null;
  const local = email.slice(0, at).split('+')[0]!.trim();
  if (ROLE_MAILBOXES.has(local.toLowerCase())) return null;
  for (const part of local.split(/[._-]+/)) {
    // Printable-ASCII parts (nearly all) skip the Unicode-property regex; in ASCII the only letters are A–Z and a–z.
    const letters = ASCII.test(part) ? part.replace(/[^A-Za-z]+/g, '') : part.replace(/[^\p{L}]/gu, '');
    if (letters.length < 2) continue;
    if (ROLE_MAILBOXES.has(letters.toLowerCase())) return null;
    const isOneCase = letters === letters.toLowerCase() || letters === letters.toUpperCase();
    const name = isOneCase ? letters.toLowerCase() : letters;
    return name.charAt(0).toUpperCase() + name.slice(1);
  }
  return null;
}
