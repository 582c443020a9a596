/**
 * What an action says about the page it happened on: a pure function of the page URL, remembered per connector
 * in its IngestMemo (most events of a batch and of a session share their page URL).
 */
import { redactUrl } from '@sightline/protocol/internal';
import { canonicalizeUrl, splitUrl } from './canonical-url.ts';
import { pageNameFromUrl } from './page-name.ts';

/** The page facts of one URL. */
export interface PageFacts {
  raw_url: string;
  canonical_url: string;
  /** The canonical path, no host; '' when the event has no URL. */
  path: string;
  /** A name made from the path, or null when the event has no URL. */
  pathName: string | null;
}

/** Redacts and canonicalises `url` and names its page. */
export function pageFactsOf(url: string): PageFacts {
  // The canonical URL goes through the URL rules too: a reset token made only of letters is no `:id`.
  const canonical_url = redactUrl(canonicalizeUrl(url));
  const path = canonical_url ? splitUrl(canonical_url).path || '/' : '';
  return { raw_url: redactUrl(url), canonical_url, path, pathName: canonical_url ? pageNameFromUrl(canonical_url) : null };
}
