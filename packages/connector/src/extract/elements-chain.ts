/**
 * Parser (and serialiser) for posthog-js's `$elements_chain` string
 * (docs/reference/posthog-capture.md#elements-chain): elements target first, `<body>` last, joined by `;`; each
 * `tag.class…:key="value"…` with only `"` escaped (as `\"`). One hand-written scanner, no backtracking regex, so any
 * input — including megabytes of quotes and backslashes — parses in time linear in its length.
 */

/** One element of a chain. Element 0 is the event's target. */
export interface ChainElement {
  /** Position in the chain, 0 = target. */
  order: number;
  /** Lower-case tag name, or null when the chain has none (hand-written chains). */
  tagName: string | null;
  /** Classes, from `attr__class` when present (keeps `py-0.5`, `md:flex` intact), else from the selector. */
  classes: string[];
  /** The element's captured text (`text=`), unescaped. */
  text: string | null;
  /** `href=` (posthog-js copies the nearest link's href onto the target). */
  href: string | null;
  /** `attr_id=`, else `attr__id`. */
  id: string | null;
  /** 1-based position among siblings, or null when absent or 0. */
  nthChild: number | null;
  /** 1-based position among same-tag siblings, or null when absent or 0. */
  nthOfType: number | null;
  /** Every other `key="value"` pair, unescaped, keys as sent (`attr__aria-label`, `attr__name`, …). */
  attributes: Record<string, string>;
}

/** Options of {@link parseElementsChain}. */
export interface ParseElementsChainOptions {
  /** Most elements returned; the rest are ignored. Default 1000 (posthog-js's own depth limit). */
  maxElements?: number;
}

/** Internal work counter, used by tests to prove the scanner's cost is linear. */
export interface ScanCounter {
  steps: number;
}

const PROMOTED_KEYS = new Set(['text', 'href', 'attr_id', 'nth-child', 'nth-of-type']);
// Keys posthog-js writes right after the selector (its attributes are sorted, `attr__*` first).
// Checking for these before the generic rule keeps `a.hover:underline` and `md:flex` classes whole
// even when an attribute name itself contains `:` (Alpine's `x-on:click`).
const KNOWN_FIRST_KEYS = ['attr__', 'attr_id="', 'href="', 'nth-child="', 'nth-of-type="', 'text="'];

function isKeyChar(code: number): boolean {
  return (
    (code >= 48 && code <= 57) || // 0-9
    (code >= 65 && code <= 90) || // A-Z
    (code >= 97 && code <= 122) || // a-z
    code === 95 || // _
    code === 45 // -
  );
}

/**
 * Splits a chain into raw element strings at `;` outside quoted values. Inside quotes a backslash
 * followed by `"` is an escaped quote. Jumps from one `;` or `"` to the next with `indexOf`; each
 * search resumes past the previous one, so every character is passed over a bounded number of times.
 */
function splitChain(chain: string, maxElements: number, counter: ScanCounter): string[] {
  const parts: string[] = [];
  const length = chain.length;
  let start = 0;
  let i = 0;
  let isQuoted = false;
  let nextSemicolon = -1; // refreshed whenever it falls behind `i`
  let nextQuote = chain.indexOf('"');
  if (nextQuote < 0) nextQuote = length;
  counter.steps += length;
  for (;;) {
    if (isQuoted) {
      if (nextQuote >= length) break; // unterminated value: the rest is one part
      // A quote right after a backslash inside a value is escaped (the backslash cannot be the second half of an
      // earlier escape, which is always a quote).
      const isEscaped = chain.charCodeAt(nextQuote - 1) === 92 /* \ */;
      i = nextQuote + 1;
      nextQuote = chain.indexOf('"', i);
      if (nextQuote < 0) nextQuote = length;
      if (!isEscaped) isQuoted = false;
      continue;
    }
    if (nextSemicolon < i) {
      nextSemicolon = chain.indexOf(';', i);
      if (nextSemicolon < 0) nextSemicolon = length;
    }
    if (nextQuote < nextSemicolon) {
      isQuoted = true;
      i = nextQuote + 1;
      nextQuote = chain.indexOf('"', i);
      if (nextQuote < 0) nextQuote = length;
      continue;
    }
    if (nextSemicolon >= length) break;
    const part = chain.slice(start, nextSemicolon).trim();
    if (part) {
      parts.push(part);
      if (parts.length >= maxElements) return parts;
    }
    start = nextSemicolon + 1;
    i = start;
  }
  const last = chain.slice(start).trim();
  if (last) parts.push(last);
  return parts;
}

/** Index of the `:` that separates the selector from the attributes, or -1. Linear in `raw`. */
function findBoundary(raw: string, counter: ScanCounter): number {
  // A quote can only appear after the boundary, so only the text before the first quote is searched.
  const firstQuote = raw.indexOf('"');
  const limit = firstQuote < 0 ? raw.length : firstQuote;
  let generic = -1;
  // Every character is examined a bounded number of times: `indexOf` moves forward only, the
  // known-key test looks at ≤ 13 characters, and the generic look-ahead only crosses key
  // characters, which contain no `:`, so two look-aheads never overlap.
  let i = raw.indexOf(':');
  while (i >= 0 && i < limit) {
    counter.steps += 1 + KNOWN_FIRST_KEYS.length;
    for (const key of KNOWN_FIRST_KEYS) if (raw.startsWith(key, i + 1)) return i;
    let j = i + 1;
    if (generic < 0) {
      while (j < raw.length && isKeyChar(raw.charCodeAt(j))) j++;
      counter.steps += j - i;
      if (raw.charCodeAt(j) === 61 /* = */ && raw.charCodeAt(j + 1) === 34) generic = i;
    }
    i = raw.indexOf(':', j);
  }
  counter.steps += limit;
  return generic;
}

/**
 * The class names of an `attr__class` value, as `value.split(/\s+/).filter(Boolean)` gives them. Class lists of
 * printable ASCII separated by plain spaces (nearly all) are cut at the spaces in one pass, without the regular
 * expression and the filter.
 */
function splitClassNames(value: string): string[] {
  const names: string[] = [];
  let start = 0;
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code === 32) {
      if (i > start) names.push(value.slice(start, i));
      start = i + 1;
    } else if (code < 33 || code > 126) return value.split(/\s+/).filter(Boolean);
  }
  if (value.length > start) names.push(value.slice(start));
  return names;
}

/** Own-property test: attribute names come from the input and may be `constructor`, `toString`, … */
const hasOwn = (record: Record<string, string>, key: string): boolean => Object.prototype.hasOwnProperty.call(record, key);

/** Positive integer of at most 9 digits, else null (absent, 0, or not a plain number). */
function toPosition(value: string | undefined): number | null {
  if (value === undefined || value.length === 0 || value.length > 9) return null;
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code < 48 || code > 57) return null;
  }
  const number = Number(value);
  return number > 0 ? number : null;
}

/**
 * Whether a raw element is already exactly what {@link writeChainElement} writes for its parse, worked out while
 * parsing it (see {@link readChainElement}).
 */
interface WrittenFormCheck {
  isWritten: boolean;
}

/**
 * Reads one element. The `key="value"` pairs are read in one forward pass (values unescaped, the first of a
 * repeated key wins) straight into the element's fields, without an intermediate map. With `form`, also says
 * whether `raw` is in written form: a selector of a plain lower-case tag and its classes sorted, then pairs with
 * keys in strictly increasing order, every key written as the writer writes it, no backslash in any value, both
 * positions present as the writer writes them, and nothing after the last value.
 */
function parseElement(raw: string, order: number, counter: ScanCounter, form: WrittenFormCheck | null = null): ChainElement {
  const boundary = findBoundary(raw, counter);
  const selector = boundary < 0 ? raw : raw.slice(0, boundary);
  const attributes: Record<string, string> = {};
  let text: string | undefined;
  let href: string | undefined;
  let attrId: string | undefined;
  let nthChild: string | undefined;
  let nthOfType: string | undefined;
  let isWritten = form !== null && boundary >= 0;
  let previousKey = '';
  let i = boundary < 0 ? raw.length : boundary + 1;
  // `indexOf` only moves forward from `i`, and `i` only grows, so the whole read is linear.
  while (i < raw.length) {
    // Key: everything up to the next `="`. A stray `=` not followed by `"` stays in the key.
    const keyEnd = raw.indexOf('="', i);
    if (keyEnd < 0) {
      counter.steps += raw.length - i;
      isWritten = false;
      break; // trailing text without a value: ignored
    }
    counter.steps += keyEnd - i + 2;
    const rawKey = raw.slice(i, keyEnd);
    const key = rawKey.trim();
    if (isWritten) {
      // Sorted and unique, as written, and under the name the writer gives it.
      isWritten = key === rawKey && key > previousKey && cleanKey(key) === key;
      previousKey = key;
    }
    i = keyEnd + 2;
    // Value: up to the next unescaped `"`; `\"` is an escaped quote, any other backslash is literal.
    let value = '';
    for (;;) {
      const quote = raw.indexOf('"', i);
      const end = quote < 0 ? raw.length : quote;
      counter.steps += end - i + 1;
      if (quote > 0 && raw.charCodeAt(quote - 1) === 92 /* \ */ && quote - 1 >= i) {
        value += `${raw.slice(i, quote - 1)}"`;
        i = quote + 1;
        isWritten = false;
        continue;
      }
      value += raw.slice(i, end);
      // A value the writer would escape or pad, or one left open, is not in written form.
      if (isWritten && (quote < 0 || value.includes('\\'))) isWritten = false;
      i = end + 1; // past the closing quote (or past the end of an unterminated value)
      break;
    }
    switch (key) {
      case '':
        break;
      case 'text':
        text ??= value;
        break;
      case 'href':
        href ??= value;
        break;
      case 'attr_id':
        attrId ??= value;
        break;
      case 'nth-child':
        nthChild ??= value;
        break;
      case 'nth-of-type':
        nthOfType ??= value;
        break;
      default:
        if (!hasOwn(attributes, key)) attributes[key] = value;
    }
  }
  const firstDot = selector.indexOf('.');
  const tag = (firstDot < 0 ? selector : selector.slice(0, firstDot)).trim();
  const rawClass = attributes['attr__class'];
  let classes: string[];
  if (rawClass !== undefined) classes = splitClassNames(rawClass);
  else if (firstDot < 0) classes = [];
  else classes = selector.slice(firstDot + 1).split('.').filter(Boolean);
  const element: ChainElement = {
    order,
    tagName: tag ? tag.toLowerCase() : null,
    classes,
    text: text ?? null,
    href: href ?? attributes['attr__href'] ?? null,
    id: attrId ?? attributes['attr__id'] ?? null,
    nthChild: toPosition(nthChild),
    nthOfType: toPosition(nthOfType),
    attributes,
  };
  if (form !== null) {
    // The writer always writes both positions, and writes `href` and `attr_id` for the fallbacks too.
    form.isWritten =
      isWritten &&
      nthChild === String(element.nthChild ?? 0) &&
      nthOfType === String(element.nthOfType ?? 0) &&
      (href !== undefined || element.href === null) &&
      (attrId !== undefined || element.id === null) &&
      isWrittenSelector(selector, element);
  }
  return element;
}

/** @internal Same as {@link parseElementsChain}, counting scanner steps into `counter`. */
export function scanElementsChain(
  chain: string,
  counter: ScanCounter,
  options: ParseElementsChainOptions = {},
): ChainElement[] {
  if (typeof chain !== 'string' || chain.length === 0) return [];
  const maxElements = Math.max(1, Math.floor(options.maxElements ?? 1000));
  const parts = splitChain(chain, maxElements, counter);
  const elements: ChainElement[] = new Array<ChainElement>(parts.length);
  for (let order = 0; order < parts.length; order++) elements[order] = parseElement(parts[order]!, order, counter);
  return elements;
}

/**
 * @internal The raw text of each element of a chain, target first, as {@link parseElementsChain} splits it
 * (empty parts skipped, at most `maxElements`). With {@link readChainElement}, part `i` gives exactly
 * `parseElementsChain(chain)[i]` but for its `order` (0): elements are read independently of each other.
 */
export function splitElementsChain(chain: string, maxElements = 1000): string[] {
  if (typeof chain !== 'string' || chain.length === 0) return [];
  return splitChain(chain, Math.max(1, Math.floor(maxElements)), { steps: 0 });
}

/**
 * @internal One part from {@link splitElementsChain} parsed as the element at position 0, and whether the part is
 * already exactly what {@link writeChainElement} writes for that element (most parts posthog-js sends are): such a
 * part is its own written form, and its parse what a parse of the written form gives.
 */
export function readChainElement(raw: string): { element: ChainElement; isWritten: boolean } {
  const form: WrittenFormCheck = { isWritten: false };
  const element = parseElement(raw, 0, { steps: 0 }, form);
  return { element, isWritten: form.isWritten };
}

/**
 * Parses an `elements_chain` into elements, target first. Handles escaped quotes (`\"`), `;`, `:`
 * and `=` inside values, classes containing `:` or `.`, every attribute, `nth-child` and
 * `nth-of-type`. Never throws; malformed parts are skipped. Runs in linear time on any input.
 *
 * @example
 * parseElementsChain('button.btn:attr__id="save"nth-child="3"nth-of-type="2"text="Say \\"hi\\"";body:nth-child="2"nth-of-type="1"');
 * // [{ order: 0, tagName: 'button', classes: ['btn'], text: 'Say "hi"', id: 'save', nthChild: 3, … }, { order: 1, tagName: 'body', … }]
 */
export function parseElementsChain(chain: string, options?: ParseElementsChainOptions): ChainElement[] {
  return scanElementsChain(chain, { steps: 0 }, options);
}

// A value ending in a backslash would turn its closing quote into an escaped one (posthog-js has the
// same ambiguity, docs/reference/posthog-capture.md#escaping); a trailing space keeps the chain's structure intact.
function escapeValue(value: string): string {
  const escaped = value.includes('"') ? value.replace(/"/g, '\\"') : value;
  return escaped.endsWith('\\') ? `${escaped} ` : escaped;
}

// A class must not be able to end the selector early when the chain is read back: no quotes,
// separators or `=`, and no `:` that would read as the start of a known key.
function cleanClass(name: string): string {
  const cleaned = isPlainClass(name) ? name : name.replace(/[";=\\\s]/g, '');
  if (!cleaned.includes(':')) return cleaned;
  return KNOWN_FIRST_KEYS.some((key) => cleaned.includes(`:${key}`)) ? '' : cleaned;
}

// Letters, digits, `-`, `_`, `.` and `:` only: nothing `cleanClass` would remove (most class names).
function isPlainClass(name: string): boolean {
  for (let i = 0; i < name.length; i++) {
    const code = name.charCodeAt(i);
    if (!isKeyChar(code) && code !== 46 /* . */ && code !== 58 /* : */) return false;
  }
  return true;
}

// posthog-js keys are `attr__<name>` or plain key characters; anything else could not be told apart
// from the selector when read back, so it is dropped.
function cleanKey(key: string): string {
  if (/[";\s]/.test(key)) return '';
  if (key.startsWith('attr__')) return key;
  for (let i = 0; i < key.length; i++) if (!isKeyChar(key.charCodeAt(i))) return '';
  return key;
}

/** @internal One element as written into a chain, and what a parse of that text gives back. */
export interface WrittenElement {
  text: string;
  element: ChainElement;
  /**
   * The same element at another position (`order` the only difference), kept by whoever holds this object: the
   * ingest memo's chains put the ancestors of new targets at the same positions again and again.
   */
  moved?: ChainElement;
}

/** A chain written by {@link writeElementsChain}, with the elements a parse of it gives back. */
export interface WrittenChain {
  /** The chain text, exactly as {@link stringifyElementsChain} writes it. */
  chain: string;
  /** `parseElementsChain(chain)`, computed while writing (null when not asked for). */
  elements: ChainElement[] | null;
}

const NON_TAG_CHARACTERS = /[^A-Za-z0-9_-]/g;

// What the parser reads back from a value written by `escapeValue`: the value itself, plus the space that
// keeps a trailing backslash from escaping the closing quote.
function readBack(value: string): string {
  return value.endsWith('\\') ? `${value} ` : value;
}

/** Up to this many items, sorting is by insertion (quadratic, so never for long, possibly hostile, lists). */
const INSERTION_SORT_MAX = 24;

function comparePairs(a: [string, string], b: [string, string]): number {
  return a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0;
}

// Stable insertion sort by key: an element has a handful of pairs, usually sorted already (posthog-js writes
// them sorted), where this is one pass and allocation-free; same order as the stable `sort` used for long lists.
function sortPairs(pairs: Array<[string, string]>): void {
  if (pairs.length > INSERTION_SORT_MAX) {
    pairs.sort(comparePairs);
    return;
  }
  for (let i = 1; i < pairs.length; i++) {
    const pair = pairs[i]!;
    const key = pair[0];
    let j = i - 1;
    while (j >= 0 && pairs[j]![0] > key) {
      pairs[j + 1] = pairs[j]!;
      j--;
    }
    pairs[j + 1] = pair;
  }
}

// The same for class names (`Array.prototype.sort()` without a comparator orders strings by UTF-16 code units,
// as `<` does).
function sortNames(names: string[]): void {
  if (names.length > INSERTION_SORT_MAX) {
    names.sort();
    return;
  }
  for (let i = 1; i < names.length; i++) {
    const name = names[i]!;
    let j = i - 1;
    while (j >= 0 && names[j]! > name) {
      names[j + 1] = names[j]!;
      j--;
    }
    names[j + 1] = name;
  }
}

/** The classes of an element as the writer writes them into the selector: cleaned, empty ones dropped, sorted. */
function writtenClasses(element: ChainElement): string[] {
  const classes: string[] = [];
  for (const name of element.classes) {
    const cleaned = cleanClass(name);
    if (cleaned !== '') classes.push(cleaned);
  }
  sortNames(classes);
  return classes;
}

/** The tag as the writer writes it. */
function writtenTag(element: ChainElement): string {
  return (element.tagName ?? '').replace(NON_TAG_CHARACTERS, '');
}

/** Whether a raw selector (the text before the boundary) is exactly the one the writer writes for `element`. */
function isWrittenSelector(selector: string, element: ChainElement): boolean {
  const tag = writtenTag(element);
  if (!selector.startsWith(tag)) return false;
  let at = tag.length;
  for (const name of writtenClasses(element)) {
    if (selector.charCodeAt(at) !== 46 /* . */ || !selector.startsWith(name, at + 1)) return false;
    at += name.length + 1;
  }
  return at === selector.length;
}

function writeElement(element: ChainElement, order: number, out: string[], elements: ChainElement[] | null): void {
  const classes = writtenClasses(element);
  const pairs: Array<[string, string]> = [];
  const source = element.attributes;
  // Whether every attribute is written, under its own name, and reads back unchanged.
  let isReadBackSame = true;
  for (const rawKey of Object.keys(source)) {
    const key = cleanKey(rawKey);
    const value = source[rawKey]!;
    if (key !== '' && !PROMOTED_KEYS.has(key)) {
      pairs.push([key, value]);
      if (value.endsWith('\\')) isReadBackSame = false;
    } else isReadBackSame = false;
  }
  if (element.text !== null) pairs.push(['text', element.text]);
  if (element.href !== null) pairs.push(['href', element.href]);
  if (element.id !== null) pairs.push(['attr_id', element.id]);
  const nthChild = String(element.nthChild ?? 0);
  const nthOfType = String(element.nthOfType ?? 0);
  pairs.push(['nth-child', nthChild]);
  pairs.push(['nth-of-type', nthOfType]);
  sortPairs(pairs);
  const tag = writtenTag(element);
  out.push(tag);
  for (const name of classes) out.push('.', name);
  out.push(':');
  for (const [key, value] of pairs) out.push(key, '="', escapeValue(value), '"');
  if (elements !== null) {
    // Mirrors parseElement on the text just written (keys are unique and sorted, values come back as
    // `readBack` gives them); extract/parsed-chain.test.ts checks it against a real parse.
    // The input's own attribute object when it reads back unchanged (the ingest path's elements are fresh
    // and never mutated, so sharing it is safe); otherwise a copy as the parser would build it.
    let attributes: Record<string, string> = source;
    if (!isReadBackSame) {
      attributes = {};
      for (const [key, value] of pairs) {
        if (!PROMOTED_KEYS.has(key) && !hasOwn(attributes, key)) attributes[key] = readBack(value);
      }
    }
    const rawClass = attributes['attr__class'];
    let readClasses: string[];
    if (rawClass !== undefined) readClasses = splitClassNames(rawClass);
    else {
      readClasses = [];
      // A class holding `.` (py-0.5 without attr__class) reads back as two selector classes.
      for (const name of classes) {
        if (name.includes('.')) {
          for (const part of name.split('.')) if (part !== '') readClasses.push(part);
        } else readClasses.push(name);
      }
    }
    elements.push({
      order,
      tagName: tag ? tag.toLowerCase() : null,
      classes: readClasses,
      text: element.text === null ? null : readBack(element.text),
      href: element.href === null ? (attributes['attr__href'] ?? null) : readBack(element.href),
      id: element.id === null ? (attributes['attr__id'] ?? null) : readBack(element.id),
      nthChild: toPosition(nthChild),
      nthOfType: toPosition(nthOfType),
      attributes,
    });
  }
}

/**
 * @internal {@link stringifyElementsChain}, optionally also returning what {@link parseElementsChain} reads
 * back from the written text, without parsing it: the ingest path stores the written chain and hands the
 * read-back elements to extraction, so each chain is parsed once. The read-back elements may share the
 * input's attribute objects: neither may be mutated afterwards.
 */
export function writeElementsChain(elements: readonly ChainElement[], withElements: boolean): WrittenChain {
  const readElements: ChainElement[] | null = withElements ? [] : null;
  // Pieces joined once: a flat string, cheap to hash when the connector's memo looks it up.
  const out: string[] = [];
  for (let order = 0; order < elements.length; order++) {
    if (order > 0) out.push(';');
    writeElement(elements[order]!, order, out, readElements);
  }
  return { chain: out.join(''), elements: readElements };
}

/**
 * @internal One element as {@link writeElementsChain} writes it at position `order` (chains join these with
 * `;`), with what a parse of that text gives back.
 */
export function writeChainElement(element: ChainElement, order: number): WrittenElement {
  const out: string[] = [];
  const elements: ChainElement[] = [];
  writeElement(element, order, out, elements);
  return { text: out.join(''), element: elements[0]! };
}

/**
 * Writes elements back as a chain string in posthog-js's format (classes and keys sorted, `"`
 * escaped), so `parseElementsChain(stringifyElementsChain(x))` gives `x` back. Used to store a
 * chain after sensitive attributes were removed.
 *
 * @example
 * stringifyElementsChain(parseElementsChain('button:nth-child="1"nth-of-type="1"text="Save"'));
 * // 'button:nth-child="1"nth-of-type="1"text="Save"'
 */
export function stringifyElementsChain(elements: readonly ChainElement[]): string {
  return writeElementsChain(elements, false).chain;
}
