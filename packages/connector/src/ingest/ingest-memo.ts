/**
 * The connector's memo of pure string work on the ingest path. The same page URL arrives with most events of a
 * session, the same element chain with every click on one button, the same final titles with every click on one
 * page: each is worked out once. One memo per connector, passed explicitly (`NormalizeOptions.memo`,
 * `SessionizerOptions.memo`, `ExtractActionOptions.memo`); nothing is kept in module state, so two connectors in
 * one process, or two tests, never share entries. Without a memo every function computes afresh, with the same
 * results. Every entry is a pure function of its key, and every table is bounded (first in, first out).
 * docs/hot-path.md.
 */
import { redactText, redactUrl } from '@sightline/protocol/internal';
import { memoizeString } from '../cache/memoize-string.ts';
import type { WrittenElement } from '../extract/elements-chain.ts';
import { humanizeIdentifier } from '../extract/humanize-identifier.ts';
import { pageFactsOf, type PageFacts } from '../extract/page-facts.ts';
import { sanitizeChain, sanitizeRawElement, type SanitizedChain } from './sanitize-chain.ts';

/** Bounded memos of the ingest path's pure string functions. */
export class IngestMemo {
  /** Page URLs and referrers, redacted. */
  readonly redactUrl = memoizeString(redactUrl, { maxEntries: 512 });
  /** Raw chain elements, sanitised and written back (1,024 elements of at most 1 Ki characters). */
  private readonly element: (raw: string) => WrittenElement = memoizeString(sanitizeRawElement, { maxEntries: 1024, maxKeyLength: 1024 });
  /**
   * Whole chains, sanitised, with their parse (256 chains of at most 4 KiB). The same {@link SanitizedChain} comes
   * back for the same chain, so extraction's readings kept in its `parsed` serve every click on that element.
   */
  readonly sanitizeChain = memoizeString((chain: string): SanitizedChain => sanitizeChain(chain, this.element), { maxEntries: 256, maxKeyLength: 4096 });
  /** Page facts (redacted raw and canonical URL, path, page name) by page URL. */
  readonly pageFacts: (url: string) => PageFacts = memoizeString(pageFactsOf, { maxEntries: 512 });
  /** Region ids read as words (`invite-member-form` → `Invite member`): the regions around new targets repeat. */
  readonly humanizeIdentifier: (identifier: string) => string | null = memoizeString(humanizeIdentifier, { maxEntries: 512, maxKeyLength: 120 });
  /** Final strings of actions (titles, labels), redacted. */
  readonly finalText = memoizeString(redactText, { maxEntries: 4096, maxKeyLength: 512 });
  /** Final URLs of actions, redacted. */
  readonly finalUrl = memoizeString(redactUrl, { maxEntries: 1024 });
}
