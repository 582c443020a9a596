/**
 * Names for people made from names in the product's code (`invite-member-form`, `first_name`), used only when
 * the element chain carries nothing a person would read. An identifier that does not read as words
 * (`radix-:r1:`, `dlg_8f3a`, `mui-12`) gives nothing: a made-up label is worse than none.
 */

// Words that say what kind of element an id belongs to, not what it is about (`upgrade-plan-title`).
const ROLE_WORDS = new Set([
  'title', 'dialog', 'modal', 'form', 'label', 'heading', 'header', 'panel', 'drawer', 'sheet', 'popup', 'popover',
  'container', 'wrapper', 'root', 'content', 'body', 'tab', 'tabpanel', 'region', 'section', 'menu', 'overlay', 'id',
  'js', 'el', 'dlg', 'frm',
]);
// Prefixes UI libraries put on generated ids.
const LIBRARY_WORDS = new Set(['radix', 'headlessui', 'mui', 'chakra', 'react', 'ember', 'ng', 'rc', 'ant', 'mantine', 'reach', 'downshift', 'aria', 'v', 'vue', 'svelte']);
const WORD = /^[a-z]+$/;
const VOWEL = /[aeiouy]/;
const MAX_WORDS = 6;

function wordsOf(identifier: string): string[] {
  return identifier
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .split(/[-_\s.:[\]]+/)
    .filter(Boolean)
    .map((word) => word.toLowerCase());
}

function sentence(words: readonly string[]): string | null {
  if (words.length === 0 || words.length > MAX_WORDS) return null;
  if (!words.every((word) => WORD.test(word) && VOWEL.test(word) && !LIBRARY_WORDS.has(word))) return null;
  if (!words.some((word) => word.length >= 3)) return null;
  const text = words.join(' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * A region's id or `aria-labelledby` id as words, without the words that only say what kind of element it is
 * (`title`, `dialog`, `modal`, `form`, `tab`, …, at either end); null unless what is left reads as words
 * (letters only, each with a vowel, at most six, none a UI library's prefix).
 *
 * @example
 * humanizeIdentifier('upgrade-plan-title'); // 'Upgrade plan'
 * humanizeIdentifier('invite-member-form'); // 'Invite member'
 * humanizeIdentifier('radix-:r1:');         // null
 */
export function humanizeIdentifier(identifier: string | null | undefined): string | null {
  if (typeof identifier !== 'string' || identifier.length > 120) return null;
  const words = wordsOf(identifier);
  while (words.length > 0 && ROLE_WORDS.has(words.at(-1)!)) words.pop();
  while (words.length > 0 && ROLE_WORDS.has(words[0]!)) words.shift();
  return sentence(words);
}

/**
 * A field's `name` as words (`first_name` → `First name`, `billingEmail` → `Billing email`, `user[email]` →
 * `User email`); null unless it reads as words. Unlike {@link humanizeIdentifier} no word is dropped: a field
 * named `title` is the Title field.
 *
 * @example humanizeName('first_name'); // 'First name'
 */
export function humanizeName(name: string | null | undefined): string | null {
  if (typeof name !== 'string' || name.length > 120) return null;
  return sentence(wordsOf(name));
}
