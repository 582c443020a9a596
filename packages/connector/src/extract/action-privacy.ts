/**
 * The last step of extraction, after every normalisation: each string an action carries out of the connector
 * (title, description, page title, target and container labels, choice, canonical and raw URL) is redacted once
 * more as the final string, the session's join keys (user id, distinct id, email) are replaced wherever they appear
 * outside their own fields, and the product's own text patterns are applied. docs/privacy.md, "Connector".
 */
import type { ActionContainer, ActionPage, ActionTarget } from '@sightline/protocol';
import { REDACTED, redactKnownValues, redactText, redactUrl } from '@sightline/protocol/internal';
import type { IngestMemo } from '../ingest/ingest-memo.ts';
import type { ElementSelector } from './privacy-rules.ts';

/** What extraction hides or redacts beyond the built-in rules, for one event. */
export interface ActionPrivacy {
  /** The event's join keys (user id, distinct id); replaced by `[user]` in every text and URL. */
  userIds: readonly (string | null)[];
  /** The person's email; replaced by `[email]` in every text and URL (it travels only in `email`). */
  emails: readonly (string | null)[];
  /** The product's extra text patterns (validated, global); each match becomes `[redacted]`. */
  patterns: readonly RegExp[];
  /** The product's selectors: an element matching one, and everything inside it, gives no text and no label. */
  selectors: readonly ElementSelector[];
  /**
   * Final texts already finished with this privacy, by the text as handed to {@link finalizeText}: the sessionizer
   * keeps one object per session, so repeated clicks on one page cost a lookup. Optional; bounded by
   * {@link MAX_CACHED_STRINGS}.
   */
  cache?: Map<string, string>;
  /** The same for URLs (a URL and a text with the same characters are redacted by different rules). */
  urlCache?: Map<string, string>;
}

/** Finished strings kept per privacy object (texts and URLs each) before its cache starts over. */
export const MAX_CACHED_STRINGS = 256;

/** Longer strings are finished every time and never kept, so a session's cache stays small. */
const MAX_CACHED_LENGTH = 1024;

/** How the final strings of one action are redacted: the session's privacy, through the connector's memo. */
export interface FinalRedaction {
  privacy: ActionPrivacy | null;
  /** The built-in rules are remembered here for repeated strings; null computes them every time. */
  memo: IngestMemo | null;
}

/** A final string with the built-in rules, the join keys and the product's patterns applied. */
export function finalizeText(text: string, redaction: FinalRedaction, isUrl = false): string {
  if (text === '') return text;
  const { privacy, memo } = redaction;
  if (privacy === null) return isUrl ? (memo === null ? redactUrl(text) : memo.finalUrl(text)) : memo === null ? redactText(text) : memo.finalText(text);
  // Looked up by the string as given: the result is a pure function of it and this privacy object, and the string
  // is most often the very object seen before (a remembered page, label or sentence), whose hash V8 keeps, so a
  // repeat costs one cheap lookup and no string is built to make a key.
  const cache = text.length > MAX_CACHED_LENGTH ? undefined : isUrl ? privacy.urlCache : privacy.cache;
  const known = cache?.get(text);
  if (known !== undefined) return known;
  // A text missing here is computed directly rather than through the connector's memo: the session's cache already
  // holds the session's repeats, and what is left is mostly new (a new label), for which a shared table would only
  // add an insertion and an eviction. URLs, slower to redact and the same for every session on a page, still go
  // through the memo.
  const result = withPrivacy(isUrl ? (memo === null ? redactUrl(text) : memo.finalUrl(text)) : redactText(text), privacy);
  if (cache !== undefined) {
    if (cache.size >= MAX_CACHED_STRINGS) cache.clear();
    cache.set(text, result);
  }
  return result;
}

/**
 * {@link finalizeText} for a text that is new nearly every time it comes here (a sentence just written): the same
 * result, computed without looking it up or keeping it, which would cost more than the rules themselves.
 */
export function finalizeNewText(text: string, redaction: FinalRedaction): string {
  if (text === '') return text;
  const result = redactText(text);
  return redaction.privacy === null ? result : withPrivacy(result, redaction.privacy);
}

/** The session's join keys and the product's patterns applied to a string the built-in rules have redacted. */
function withPrivacy(redacted: string, privacy: ActionPrivacy): string {
  let result = redactKnownValues(redacted, privacy.emails, REDACTED.email);
  result = redactKnownValues(result, privacy.userIds, REDACTED.user);
  for (const pattern of privacy.patterns) {
    pattern.lastIndex = 0;
    result = result.replace(pattern, REDACTED.secret);
  }
  return result;
}

function finalLabel(label: string | null, redaction: FinalRedaction): string | null {
  return label === null ? null : finalizeText(label, redaction);
}

/** The page with its final title; the same object when nothing changed (pages are shared, never mutated). */
export function finalizePage(page: ActionPage | null, redaction: FinalRedaction): ActionPage | null {
  if (page === null) return null;
  const title = finalizeText(page.title, redaction);
  const path = finalizeText(page.path, redaction, true);
  return title === page.title && path === page.path ? page : { title, path };
}

/**
 * The target with its final label; the same object when nothing changed. Finished without the session's cache: the
 * tab finishes a remembered reading's target once (extract-action.ts, `finishTarget`), so what comes here is mostly
 * a new label (see {@link finalizeNewText}).
 */
export function finalizeTarget(target: ActionTarget | null, redaction: FinalRedaction): ActionTarget | null {
  if (target === null) return null;
  const label = target.label === null ? null : finalizeNewText(target.label, redaction);
  return label === target.label ? target : { role: target.role, label };
}

/** The container with its final label; the same object when nothing changed. */
export function finalizeContainer(container: ActionContainer | null, redaction: FinalRedaction): ActionContainer | null {
  if (container === null) return null;
  const label = finalLabel(container.label, redaction);
  return label === container.label ? container : { kind: container.kind, label };
}

/** The choice with its final text. */
export function finalizeChoice(choice: string | null, redaction: FinalRedaction): string | null {
  return finalLabel(choice, redaction);
}
