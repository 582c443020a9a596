/**
 * The page's name from the document title posthog-js sends on a pageview (`title`, which is `document.title`).
 * Products write their name beside the page's: `Billing · Acme Workspace`, `Acme | Billing`,
 * `Edit post ‹ My Blog — WordPress`. The page's part is kept (docs/structured-activity.md, "Connector
 * extraction").
 */
import { cleanLabel } from './clean-label.ts';

// Separators between the page's name and the product's, with the spaces around them: a hyphen inside a word
// (`Sign-in`) is not one.
const SEPARATOR = /(?:^|\s)[·|\-—–‹›»«](?:\s|$)/;
// A count of unread items in front (`(3) Inbox`), which changes while the page stays the same.
const COUNTER = /^\(\d+\+?\)\s*/;

/**
 * The page's own part of a document title: the text before the first separator (` · `, ` | `, ` - `, ` — `,
 * ` – `, ` ‹ `, ` » `), or after it when nothing comes before; an unread counter such as `(3) ` dropped;
 * redacted and capped like every label. Null for an empty title.
 *
 * The first part is the page's in most products (a browser tab shows the start of the title). A product that
 * writes its own name first gives its own name here; extraction then sees the same title on every page of a tab
 * and names the page from its path instead.
 *
 * @example
 * pageTitleFromDocumentTitle('Billing · Acme Workspace'); // 'Billing'
 * pageTitleFromDocumentTitle(' | Acme');                  // 'Acme'
 */
export function pageTitleFromDocumentTitle(title: string | null | undefined): string | null {
  if (typeof title !== 'string') return null;
  const text = title.replace(/\s+/g, ' ').trim().replace(COUNTER, '');
  const match = SEPARATOR.exec(text);
  if (match === null) return cleanLabel(text);
  const before = text.slice(0, match.index).trim();
  if (before !== '') return cleanLabel(before);
  return pageTitleFromDocumentTitle(text.slice(match.index + match[0].length));
}
