/**
 * The stored form of an `elements_chain`: parsed, value attributes dropped, text and URLs redacted, written back.
 * Pure functions of the chain text; the connector remembers their results in its IngestMemo.
 */
import { redactText, redactUrl } from '@sightline/protocol/internal';
import { readChainElement, splitElementsChain, writeChainElement, type ChainElement, type WrittenElement } from '../extract/elements-chain.ts';
import { parsedChainOf, type ParsedChain } from '../extract/parsed-chain.ts';

// Element attributes that hold what a user typed or chose.
const DROPPED_ATTRIBUTES = new Set(['attr__value', 'attr__data-ph-capture-value']);
const URL_ATTRIBUTES = new Set(['href', 'attr__href', 'attr__action', 'attr__src', 'attr__formaction']);
const POSITION_ATTRIBUTES = new Set(['nth-child', 'nth-of-type', 'attr__class']);

/** A chain as stored, and the parse of exactly that text. */
export interface SanitizedChain {
  chain: string;
  parsed: ParsedChain;
}

/**
 * One element with value attributes dropped and text, ids and URLs redacted. Returns the element itself when
 * nothing in it needs removing or redacting (most elements of a chain), and otherwise a copy; attribute objects
 * are only copied once something in them changes.
 */
export function sanitizeElement(element: ChainElement): ChainElement {
  const source = element.attributes;
  const keys = Object.keys(source);
  let attributes: Record<string, string> | null = null;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    const value = source[key]!;
    const isDropped = DROPPED_ATTRIBUTES.has(key);
    const clean = isDropped || POSITION_ATTRIBUTES.has(key) ? value : URL_ATTRIBUTES.has(key) ? redactUrl(value) : redactText(value);
    if (attributes === null && (isDropped || clean !== value)) {
      attributes = {};
      for (let j = 0; j < i; j++) attributes[keys[j]!] = source[keys[j]!]!;
    }
    if (attributes !== null && !isDropped) attributes[key] = clean;
  }
  const text = element.text === null ? null : redactText(element.text);
  const href = element.href === null ? null : redactUrl(element.href);
  const id = element.id === null ? null : redactText(element.id);
  if (attributes === null && text === element.text && href === element.href && id === element.id) return element;
  return { ...element, text, href, id, attributes: attributes ?? source };
}

/**
 * One element of a chain (its raw text) sanitised and written back, with what a parse of the written text gives.
 * Computed at position 0; the position shows only in the element's `order`. An element that arrived in written
 * form and that sanitising left alone (most of what posthog-js sends) is its own written text, unchanged, so it is
 * not written again.
 */
export function sanitizeRawElement(raw: string): WrittenElement {
  const { element, isWritten } = readChainElement(raw);
  const clean = sanitizeElement(element);
  return isWritten && clean === element ? { text: raw, element } : writeChainElement(clean, 0);
}

/**
 * A whole chain sanitised, element by element. `elementOf` gives each raw element's written form: pass a memo of
 * {@link sanitizeRawElement} (a new chain mostly differs from chains seen before in its target alone; its
 * ancestors up to `<body>` are the same elements), or the function itself.
 */
export function sanitizeChain(chain: string, elementOf: (raw: string) => WrittenElement = sanitizeRawElement): SanitizedChain {
  const parts = splitElementsChain(chain);
  const texts: string[] = new Array<string>(parts.length);
  const elements: ChainElement[] = new Array<ChainElement>(parts.length);
  // Whether every element came back as sent, and how long the chain of the parts is with their `;`.
  let isAsSent = true;
  let partsLength = parts.length - 1;
  for (let order = 0; order < parts.length; order++) {
    const part = parts[order]!;
    const written = elementOf(part);
    texts[order] = written.text;
    if (isAsSent && written.text !== part) isAsSent = false;
    partsLength += part.length;
    let element = written.element;
    if (element.order !== order) {
      const moved = written.moved;
      element = moved !== undefined && moved.order === order ? moved : (written.moved = { ...element, order });
    }
    elements[order] = element;
  }
  // Nothing trimmed or skipped between the parts either: the chain is its own written form.
  return { chain: isAsSent && partsLength === chain.length ? chain : texts.join(';'), parsed: parsedChainOf(elements) };
}
