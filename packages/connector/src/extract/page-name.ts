/**
 * Human page names made from a canonical path, for pages whose document title gave none ("Page Load: Billing",
 * "… on the Team page"). A last segment that is a verb or a step of a flow (`/posts/:id/edit`, `/projects/new`,
 * `/auth/callback`) does not name the page alone: it is read with the resource before it ("Edit post",
 * "New project") or gives way to it ("Auth").
 */
import { redactText } from '@sightline/protocol/internal';
import { safeDecode, splitUrl } from './canonical-url.ts';

const FILE_EXTENSION = /\.(?:html?|php|aspx?|jsp)$/i;
const MAX_PAGE_NAME_LENGTH = 60;
const PLACEHOLDER = /^\[[a-z-]{1,16}\]$/;

// Segments that say what is done to the resource before them: "Edit post", "New project".
const VERBS: Readonly<Record<string, string>> = {
  edit: 'Edit',
  new: 'New',
  create: 'New',
  add: 'Add',
  review: 'Review',
  preview: 'Preview',
  view: 'View',
  show: 'View',
  details: 'Details of',
  delete: 'Delete',
  remove: 'Remove',
  duplicate: 'Duplicate',
  copy: 'Copy',
  clone: 'Copy',
  confirm: 'Confirm',
  import: 'Import',
  export: 'Export',
};
// Segments that are a technical step of a flow, not a page of its own: the segment before names the page.
const TECHNICAL = new Set(['callback', 'redirect', 'return', 'index', 'default', 'main', 'oauth', 'sso']);

/** A path segment as words: extension dropped, `-`, `_` and `+` as spaces, redacted. */
function wordsOf(segment: string): string {
  return redactText(safeDecode(segment).replace(FILE_EXTENSION, '').replace(/[-_+\s]+/g, ' ').trim());
}

/** `posts` → `post`, `categories` → `category`, `addresses` → `address`; other words as they are. */
function singular(word: string): string {
  if (/ies$/i.test(word) && word.length > 4) return `${word.slice(0, -3)}y`;
  if (/(?:ss|x|ch|sh)es$/i.test(word)) return word.slice(0, -2);
  if (/[^su]s$/i.test(word) && word.length > 3) return word.slice(0, -1);
  return word;
}

function capitalise(text: string): string {
  const name = text.length > MAX_PAGE_NAME_LENGTH ? `${text.slice(0, MAX_PAGE_NAME_LENGTH - 1)}…` : text;
  return name.charAt(0).toUpperCase() + name.slice(1);
}

/**
 * The page name of a canonical URL or path: its last segment that is not `:id`, as words with the first letter
 * upper-cased (`/settings/team-members` → `Team members`). A last segment that is a verb is read with the
 * resource before it (`/posts/:id/edit` → `Edit post`, `/projects/new` → `New project`); a technical one
 * (`callback`, `redirect`, `index`) gives way to the segment before it (`/auth/google/callback` → `Google`).
 * The root path, or a path of ids only, is `Home`.
 *
 * @example
 * pageNameFromUrl('https://app.example.com/projects/:id/billing'); // 'Billing'
 * pageNameFromUrl('/posts/:id/edit');                             // 'Edit post'
 */
export function pageNameFromUrl(canonicalUrl: string): string {
  const { path } = splitUrl(canonicalUrl);
  // Redacted segments (`[token]`, `[email]`) name no page, like ids.
  const segments = path.split('/').filter((segment) => segment !== '' && segment !== ':id' && !PLACEHOLDER.test(segment));
  while (segments.length > 1 && TECHNICAL.has(segments.at(-1)!.toLowerCase())) segments.pop();
  const last = segments.at(-1);
  if (last === undefined) return 'Home';
  const verb = VERBS[last.toLowerCase()];
  if (verb !== undefined) {
    const resource = segments.length > 1 ? wordsOf(segments.at(-2)!) : '';
    if (resource !== '') return capitalise(`${verb} ${singular(resource.toLowerCase())}`);
  }
  const words = wordsOf(last);
  return words === '' ? 'Home' : capitalise(words);
}
