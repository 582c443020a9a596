/**
 * Human page names for titles and descriptions ("Page Load: Billing", "… on the Team page").
 */
import { redactText } from '../privacy/redact-text.ts';
import { splitUrl } from './canonical-url.ts';

const FILE_EXTENSION = /\.(?:html?|php|aspx?|jsp)$/i;
const MAX_PAGE_NAME_LENGTH = 60;

/**
 * The page name of a canonical URL: its last path segment that is not `:id`, with `-`, `_` and `+`
 * read as spaces and the first letter upper-cased (`/settings/team-members` → `Team members`).
 * The root path, or a path of ids only, is `Home`.
 *
 * @example
 * pageNameFromUrl('https://app.example.com/projects/:id/billing'); // 'Billing'
 */
export function pageNameFromUrl(canonicalUrl: string): string {
  const { path } = splitUrl(canonicalUrl);
  const segments = path.split('/').filter((segment) => segment !== '' && segment !== ':id');
  const last = segments.at(-1);
  if (last === undefined) return 'Home';
  let decoded = last;
  try {
    decoded = decodeURIComponent(last);
  } catch {
    // keep the raw segment
  }
  const words = redactText(decoded.replace(FILE_EXTENSION, '').replace(/[-_+\s]+/g, ' ').trim());
  if (words === '') return 'Home';
  const name = words.length > MAX_PAGE_NAME_LENGTH ? `${words.slice(0, MAX_PAGE_NAME_LENGTH - 1)}…` : words;
  return name.charAt(0).toUpperCase() + name.slice(1);
}
