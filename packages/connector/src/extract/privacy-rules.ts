/**
 * A product's own privacy list (docs/privacy.md, "Per-product list"): extra text patterns, redacted wherever they
 * appear in what leaves the connector, and CSS-like selectors whose elements' text never travels. Stored on the
 * product record as sent (strings), compiled here once per change. Patterns must be linear-safe: a pattern that
 * could backtrack exponentially would let one product's rule stall every ingest request.
 */
import safeRegex from 'safe-regex2';
import { createError } from '../errors.ts';
import type { ChainElement } from './elements-chain.ts';

/** The privacy list as stored and as sent to the admin API. */
export interface ProductPrivacyInput {
  /** Regular expressions (JavaScript syntax, no flags; compiled with `g`). */
  text_patterns: string[];
  /** Selectors: `tag`, `#id`, `.class`, `[attr]`, `[attr=value]` and compounds of them (`input.card[name=cc]`). */
  selectors: string[];
}

/** One compound selector, as matched against an element of the chain. */
export interface ElementSelector {
  tag: string | null;
  id: string | null;
  classes: readonly string[];
  attributes: readonly { name: string; value: string | null }[];
}

/** A privacy list ready for extraction. */
export interface CompiledPrivacy {
  patterns: readonly RegExp[];
  selectors: readonly ElementSelector[];
}

/** Most patterns and selectors per product, and their longest source, so a list stays cheap to apply. */
export const MAX_PRIVACY_RULES = 50;
export const MAX_RULE_LENGTH = 200;
/** Most repetitions safe-regex2 accepts in one pattern (its star-height check is the main guard). */
const MAX_REPETITIONS = 10;

// Backreferences make matching NP-hard in general; lookbehinds of unbounded length scan back over the input.
const BACKREFERENCE = /\\[1-9]|\\k</;
const SELECTOR_PART = /^([a-zA-Z][a-zA-Z0-9-]*)?((?:[#.][A-Za-z0-9_-]+|\[[A-Za-z_][A-Za-z0-9_:-]*(?:=(?:"[^"\]]*"|'[^'\]]*'|[^\]"']*))?\])*)$/;
const SELECTOR_PIECE = /[#.][A-Za-z0-9_-]+|\[([A-Za-z_][A-Za-z0-9_:-]*)(?:=("[^"\]]*"|'[^'\]]*'|[^\]"']*))?\]/g;

function invalid(rule: string, reason: string): never {
  throw createError('SL_PRIVACY_RULE_INVALID', { rule: JSON.stringify(rule.length > 60 ? `${rule.slice(0, 60)}…` : rule), reason });
}

/** Compiles one text pattern, refusing ones that are not linear-safe or that match the empty string. */
export function compileTextPattern(source: string): RegExp {
  if (typeof source !== 'string' || source.trim() === '') invalid(String(source), 'a pattern must be a non-empty string');
  if (source.length > MAX_RULE_LENGTH) invalid(source, `a pattern is at most ${MAX_RULE_LENGTH} characters`);
  if (BACKREFERENCE.test(source)) invalid(source, 'backreferences are not allowed (matching could take exponential time)');
  let pattern: RegExp;
  try {
    pattern = new RegExp(source, 'g');
  } catch (error) {
    invalid(source, `not a valid regular expression (${(error as Error).message})`);
  }
  if (!safeRegex(source, { limit: MAX_REPETITIONS })) {
    invalid(source, 'nested or too many quantifiers (e.g. (a+)+) could make matching take exponential time');
  }
  if (new RegExp(source).test('')) invalid(source, 'the pattern matches the empty string');
  return pattern;
}

/** Parses one selector (no combinators, no pseudo-classes). */
export function parseSelector(source: string): ElementSelector {
  if (typeof source !== 'string' || source.trim() === '') invalid(String(source), 'a selector must be a non-empty string');
  const text = source.trim();
  if (text.length > MAX_RULE_LENGTH) invalid(text, `a selector is at most ${MAX_RULE_LENGTH} characters`);
  const match = SELECTOR_PART.exec(text);
  if (match === null || text === '') {
    invalid(text, 'use tag, #id, .class, [attr] or [attr=value] and compounds of them, without spaces, combinators or pseudo-classes');
  }
  const selector: { tag: string | null; id: string | null; classes: string[]; attributes: { name: string; value: string | null }[] } = {
    tag: match[1]?.toLowerCase() ?? null,
    id: null,
    classes: [],
    attributes: [],
  };
  for (const piece of (match[2] ?? '').matchAll(SELECTOR_PIECE)) {
    const token = piece[0];
    if (token.startsWith('#')) selector.id = token.slice(1);
    else if (token.startsWith('.')) selector.classes.push(token.slice(1));
    else {
      const raw = piece[2];
      const value = raw === undefined ? null : raw.replace(/^["']|["']$/g, '');
      selector.attributes.push({ name: piece[1]!.toLowerCase(), value });
    }
  }
  return selector;
}

/** True when `element` matches `selector` (tag, id, every class, every attribute). */
export function matchesSelector(element: ChainElement, selector: ElementSelector): boolean {
  if (selector.tag !== null && element.tagName !== selector.tag) return false;
  if (selector.id !== null && element.id !== selector.id && element.attributes['attr__id'] !== selector.id) return false;
  for (const name of selector.classes) if (!element.classes.includes(name)) return false;
  for (const { name, value } of selector.attributes) {
    const actual = name === 'id' ? (element.id ?? undefined) : name === 'href' ? (element.href ?? undefined) : element.attributes[`attr__${name}`];
    if (actual === undefined || (value !== null && actual !== value)) return false;
  }
  return true;
}

function stringList(value: unknown, field: string): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) {
    throw createError('SL_BODY_INVALID', { reason: `privacy.${field} must be an array of strings` });
  }
  if (value.length > MAX_PRIVACY_RULES) throw createError('SL_BODY_INVALID', { reason: `privacy.${field} holds at most ${MAX_PRIVACY_RULES} entries` });
  return value.map((item: string) => item.trim());
}

/**
 * Validates a privacy list as sent (`{ text_patterns?, selectors? }`) and returns it normalised; throws
 * `SL_BODY_INVALID` for a wrong shape and `SL_PRIVACY_RULE_INVALID` for a pattern or selector that is refused.
 *
 * @example
 * validatePrivacyInput({ text_patterns: ['ACME-\\d{6}'], selectors: ['.customer-name', '[data-private]'] });
 */
export function validatePrivacyInput(value: unknown): ProductPrivacyInput {
  if (value === undefined || value === null) return { text_patterns: [], selectors: [] };
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw createError('SL_BODY_INVALID', { reason: 'privacy must be an object {text_patterns?: string[], selectors?: string[]}' });
  }
  const fields = value as Record<string, unknown>;
  for (const key of Object.keys(fields)) {
    if (key !== 'text_patterns' && key !== 'selectors') throw createError('SL_BODY_INVALID', { reason: `privacy has no field ${JSON.stringify(key).slice(0, 40)}` });
  }
  const input = { text_patterns: stringList(fields['text_patterns'], 'text_patterns'), selectors: stringList(fields['selectors'], 'selectors') };
  compilePrivacy(input);
  return input;
}

/** Compiles a validated privacy list for extraction. */
export function compilePrivacy(input: ProductPrivacyInput): CompiledPrivacy {
  return { patterns: input.text_patterns.map(compileTextPattern), selectors: input.selectors.map(parseSelector) };
}
