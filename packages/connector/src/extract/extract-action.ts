/**
 * One captured event → one UI action a person would recognise, or nothing (wire-contract.md §18.3,
 * posthog.md §6.5). Titles and descriptions are built from the parsed `elements_chain`; the
 * fields Autoplay's Hog script cuts out of the chain are used only when there is no chain.
 */
import { memoizeString } from '../cache/memoize-string.ts';
import type { CapturedEvent } from '../ingest/captured-event.ts';
import { redactText } from '../privacy/redact-text.ts';
import { redactUrl } from '../privacy/redact-url.ts';
import { canonicalizeUrl } from './canonical-url.ts';
import { parseElementsChain, type ChainElement } from './elements-chain.ts';
import { pageNameFromUrl } from './page-name.ts';
import { parsedChainOf } from './parsed-chain.ts';

/** Action types on the wire (wire-contract.md §3.2). */
export type ActionType = 'pageview' | 'click' | 'submit' | 'type' | 'focus' | 'blur';

/** Why a click is special: repeated quick clicks, or a click after which nothing changed. */
export type ActionNote = 'rage_click' | 'dead_click';

/** A UI action before sessionizing (no index, no identity). Wire field names, times in epoch seconds. */
export interface ExtractedAction {
  type: ActionType;
  /** Short label: `Clicked 'Invite member'`, `Page Load: Billing`. */
  title: string;
  /** One sentence: `User clicked Invite member on the Team page`. */
  description: string;
  /** Query and fragment dropped, ids as `:id` (see `canonicalizeUrl`). */
  canonical_url: string;
  /** The page URL with query and fragment, redacted (see `redactUrl`). */
  raw_url: string;
  /** When the action happened, epoch seconds. */
  timestamp_start: number;
  /** Set for rage and dead clicks, which stay `click`s; the title and description say so too. */
  note?: ActionNote;
}

/** Longest label put into a title or description. */
export const MAX_LABEL_LENGTH = 80;

/** Most chain elements extraction looks at (target, then ancestors). */
const MAX_ELEMENTS = 64;

/** What an action says about the page it happened on; a pure function of the page URL. */
interface PageFacts {
  raw_url: string;
  canonical_url: string;
  page: string | null;
}

function pageFactsOf(url: string): PageFacts {
  const canonical_url = redactText(canonicalizeUrl(url));
  return { raw_url: redactUrl(url), canonical_url, page: canonical_url ? pageNameFromUrl(canonical_url) : null };
}

// Most events of a batch (and of a session) share their page URL: redact and canonicalise it once.
const pageFactsMemo = memoizeString(pageFactsOf, { maxEntries: 512 });

const SENSITIVE_CLASSES = new Set(['ph-sensitive', 'ph-no-capture']);
const CLICKABLE_ANCESTORS = new Set(['a', 'button', 'label']);
const INTERACTIVE = new Set(['a', 'button', 'input', 'select', 'textarea', 'label', 'form', 'option', 'summary']);
const ROLE_NOUNS: Record<string, string> = {
  button: 'button',
  link: 'link',
  tab: 'tab',
  menuitem: 'menu item',
  checkbox: 'checkbox',
  radio: 'radio button',
  switch: 'switch',
  option: 'option',
  combobox: 'dropdown',
  textbox: 'field',
};

function stringProperty(event: CapturedEvent, key: string): string | null {
  const value = event.properties[key];
  return typeof value === 'string' && value.trim() !== '' ? value : null;
}

/** A label fit for a sentence: redacted, whitespace collapsed, capped; null when empty. */
function cleanLabel(value: string | null | undefined): string | null {
  if (typeof value !== 'string') return null;
  const collapsed = redactText(value).replace(/\s+/g, ' ').trim();
  if (collapsed === '') return null;
  return collapsed.length > MAX_LABEL_LENGTH ? `${collapsed.slice(0, MAX_LABEL_LENGTH - 1).trimEnd()}…` : collapsed;
}

function inputType(element: ChainElement): string | null {
  return element.tagName === 'input' ? (element.attributes['attr__type'] ?? 'text').toLowerCase() : null;
}

/** What kind of control an element is, in words. */
function nounOf(element: ChainElement | undefined): string {
  if (!element) return 'element';
  const role = element.attributes['attr__role']?.toLowerCase();
  if (role && ROLE_NOUNS[role]) return ROLE_NOUNS[role];
  switch (element.tagName) {
    case 'a':
      return 'link';
    case 'button':
      return 'button';
    case 'input': {
      const type = inputType(element);
      if (type === 'checkbox') return 'checkbox';
      if (type === 'radio') return 'radio button';
      if (type === 'submit' || type === 'button' || type === 'reset') return 'button';
      return 'field';
    }
    case 'select':
      return 'dropdown';
    case 'textarea':
      return 'text area';
    case 'label':
      return 'label';
    case 'form':
      return 'form';
    case 'img':
      return 'image';
    case 'svg':
    case 'path':
      return 'icon';
    case 'li':
    case 'option':
      return 'item';
    default:
      return 'element';
  }
}

function withArticle(noun: string): string {
  return /^[aeiou]/i.test(noun) ? `an ${noun}` : `a ${noun}`;
}

/** How an action's object reads in a title (`'Save' button`) and in a sentence (`the Save button`). */
interface Phrase {
  title: string;
  sentence: string;
}

function textPhrase(label: string): Phrase {
  return { title: `'${label}'`, sentence: label };
}

function attributePhrase(label: string, noun: string): Phrase {
  return { title: `'${label}' ${noun}`, sentence: `the ${label} ${noun}` };
}

function linkPhrase(href: string): Phrase | null {
  const destination = cleanLabel(canonicalizeUrl(redactUrl(href)));
  return destination ? { title: `link to ${destination}`, sentence: `a link to ${destination}` } : null;
}

function nounPhrase(noun: string): Phrase {
  return { title: withArticle(noun), sentence: withArticle(noun) };
}

function isSensitive(elements: readonly ChainElement[]): boolean {
  return elements.some((element) => element.classes.some((name) => SENSITIVE_CLASSES.has(name)));
}

function attributeLabel(element: ChainElement | undefined, keys: readonly string[]): string | null {
  if (!element) return null;
  for (const key of keys) {
    const label = cleanLabel(element.attributes[key]);
    if (label) return label;
  }
  return null;
}

/** The element a click was meant for: the target, or the link/button/label around a span or icon. */
function clickSubject(elements: readonly ChainElement[]): ChainElement | undefined {
  const target = elements[0];
  if (!target || INTERACTIVE.has(target.tagName ?? '')) return target;
  return elements.find((element) => CLICKABLE_ANCESTORS.has(element.tagName ?? '')) ?? target;
}

function clickPhrase(event: CapturedEvent, elements: readonly ChainElement[]): Phrase {
  const target = elements[0];
  const subject = clickSubject(elements);
  const noun = nounOf(subject);
  if (elements.length > 0) {
    // Masked or sensitive elements: say what was clicked, never try to recover the hidden text.
    if (isSensitive(elements)) return nounPhrase(noun);
    const text = cleanLabel(subject?.text) ?? attributeLabel(subject, ['attr__aria-label']) ?? cleanLabel(target?.text);
    if (text) return textPhrase(text);
    const href = subject?.href ?? target?.href ?? elements.find((element) => element.tagName === 'a')?.href;
    const link = href ? linkPhrase(href) : null;
    if (link) return link;
    const attribute =
      attributeLabel(subject, ['attr__name', 'attr__title', 'attr__alt', 'attr__placeholder', 'attr__data-testid']) ??
      cleanLabel(subject?.id);
    if (attribute) return attributePhrase(attribute, noun);
    return nounPhrase(noun);
  }
  // No chain: the Hog script's cut-out fields, then `$el_text`.
  const text = cleanLabel(stringProperty(event, 'button_or_link_text')) ?? cleanLabel(stringProperty(event, '$el_text'));
  if (text) return textPhrase(text);
  const destination = stringProperty(event, 'link_destination');
  const link = destination ? linkPhrase(destination) : null;
  if (link) return link;
  const attribute = cleanLabel(stringProperty(event, 'input_field_name')) ?? cleanLabel(stringProperty(event, 'element_id'));
  return attribute ? attributePhrase(attribute, 'element') : nounPhrase('element');
}

function fieldLabel(event: CapturedEvent, element: ChainElement | undefined, isSensitiveChain: boolean): string | null {
  if (element) {
    if (isSensitiveChain) return null;
    return (
      attributeLabel(element, ['attr__aria-label', 'attr__name', 'attr__placeholder', 'attr__title', 'attr__data-testid']) ??
      cleanLabel(element.id)
    );
  }
  return cleanLabel(stringProperty(event, 'input_field_name')) ?? cleanLabel(stringProperty(event, 'element_id'));
}

function onPage(page: string | null): string {
  return page ? ` on the ${page} page` : '';
}

function describeChange(event: CapturedEvent, elements: readonly ChainElement[], page: string | null) {
  const field = elements[0];
  const label = fieldLabel(event, field, isSensitive(elements));
  const type = field ? inputType(field) : null;
  if (field?.tagName === 'select') {
    return label
      ? { title: `Selected an option in '${label}'`, description: `User selected an option in the ${label} dropdown${onPage(page)}` }
      : { title: 'Selected an option', description: `User selected an option in a dropdown${onPage(page)}` };
  }
  if (type === 'checkbox' || type === 'radio') {
    const noun = type === 'radio' ? 'radio button' : 'checkbox';
    return label
      ? { title: `Toggled '${label}'`, description: `User toggled the ${label} ${noun}${onPage(page)}` }
      : { title: `Toggled ${withArticle(noun)}`, description: `User toggled ${withArticle(noun)}${onPage(page)}` };
  }
  return label
    ? { title: `Typed in '${label}'`, description: `User typed in the ${label} field${onPage(page)}` }
    : { title: 'Typed in a field', description: `User typed in a field${onPage(page)}` };
}

function describeSubmit(event: CapturedEvent, elements: readonly ChainElement[], page: string | null) {
  const form = elements.find((element) => element.tagName === 'form') ?? elements[0];
  let label: string | null = null;
  if (form && !isSensitive(elements)) {
    label = attributeLabel(form, ['attr__aria-label', 'attr__name']) ?? cleanLabel(form.id);
    const action = form.attributes['attr__action'];
    if (!label && action) label = cleanLabel(canonicalizeUrl(redactUrl(action)));
  } else if (!form) {
    label = cleanLabel(stringProperty(event, 'input_field_name')) ?? cleanLabel(stringProperty(event, 'element_id'));
  }
  return label
    ? { title: `Submitted '${label}'`, description: `User submitted the ${label} form${onPage(page)}` }
    : { title: 'Submitted a form', description: `User submitted a form${onPage(page)}` };
}

function describeClick(phrase: Phrase, page: string | null, note: ActionNote | undefined) {
  if (note === 'rage_click') {
    return { title: `Rage-clicked ${phrase.title}`, description: `User clicked ${phrase.sentence} repeatedly${onPage(page)} (rage click)` };
  }
  if (note === 'dead_click') {
    return {
      title: `Clicked ${phrase.title} (nothing happened)`,
      description: `User clicked ${phrase.sentence}${onPage(page)}, but nothing happened (dead click)`,
    };
  }
  return { title: `Clicked ${phrase.title}`, description: `User clicked ${phrase.sentence}${onPage(page)}` };
}

/** The action type and note of an event, or null when the event is not a UI action. */
export function classifyEvent(event: CapturedEvent): { type: ActionType; note?: ActionNote } | null {
  switch (event.event) {
    case '$pageview':
      return { type: 'pageview' };
    case '$rageclick':
      return { type: 'click', note: 'rage_click' };
    case '$dead_click':
      return { type: 'click', note: 'dead_click' };
    case 'focus':
    case 'blur':
      return { type: event.event };
    case '$autocapture': {
      const domEvent = event.properties['$event_type'];
      if (domEvent === 'click') return { type: 'click' };
      if (domEvent === 'submit') return { type: 'submit' };
      if (domEvent === 'change' || domEvent === 'keydown' || domEvent === 'input') return { type: 'type' };
      if (domEvent === 'focus' || domEvent === 'blur') return { type: domEvent };
      return null;
    }
    default:
      // $pageleave, $identify, $set, $groupidentify, $feature_flag_called, $web_vitals, $copy_autocapture,
      // $exception, custom events …: not UI actions.
      return null;
  }
}

/** The page URL of an event: `$current_url`, else host and path. */
function pageUrlOf(event: CapturedEvent): string {
  const current = stringProperty(event, '$current_url');
  if (current) return current;
  const path = stringProperty(event, '$pathname') ?? '';
  const host = stringProperty(event, '$host');
  return host ? `https://${host}${path.startsWith('/') ? path : `/${path}`}` : path;
}

/**
 * Turns a captured event into a UI action, or returns null for events that are not UI actions
 * (`$pageleave`, `$identify`, `$set`, feature-flag, web-vitals and other system or custom events,
 * and autocapture of copy/paste).
 *
 * Mapping: `$pageview` → `pageview`; `$autocapture` click → `click`, submit → `submit`, change or
 * keydown → `type`; `$rageclick` and `$dead_click` → `click` with a `note`. The label is, best
 * first: the element's own text, its `aria-label`, the link's destination, its `name` (then title,
 * alt, placeholder, data-testid, id). Page names come from the canonical path. Everything is
 * redacted; input values are never read.
 *
 * @example
 * extractAction(saveButtonClick);
 * // { type: 'click', title: "Clicked 'Save changes'", description: 'User clicked Save changes on the Dashboard page',
 * //   canonical_url: 'https://app.example.com/dashboard', raw_url: 'https://app.example.com/dashboard?tab=reports#top', timestamp_start: 1795300407.374 }
 */
export function extractAction(event: CapturedEvent): ExtractedAction | null {
  const kind = classifyEvent(event);
  if (!kind) return null;
  const { raw_url, canonical_url, page } = pageFactsMemo(pageUrlOf(event));
  const chain = stringProperty(event, '$elements_chain');
  // Normalisers leave the parse of the chain they stored; any other chain is parsed here.
  const elements: readonly ChainElement[] = chain ? (parsedChainOf(chain, MAX_ELEMENTS) ?? parseElementsChain(chain, { maxElements: MAX_ELEMENTS })) : [];

  let text: { title: string; description: string };
  switch (kind.type) {
    case 'pageview':
      text = page
        ? { title: `Page Load: ${page}`, description: `User landed on the ${page} page` }
        : { title: 'Page Load', description: 'User loaded a page' };
      break;
    case 'submit':
      text = describeSubmit(event, elements, page);
      break;
    case 'type':
      text = describeChange(event, elements, page);
      break;
    case 'focus':
    case 'blur': {
      const phrase = clickPhrase(event, elements);
      const verb = kind.type === 'focus' ? 'focused' : 'left';
      text = {
        title: `${verb === 'focused' ? 'Focused' : 'Left'} ${phrase.title}`,
        description: `User ${verb} ${phrase.sentence}${onPage(page)}`,
      };
      break;
    }
    default:
      text = describeClick(clickPhrase(event, elements), page, kind.note);
  }
  const action: ExtractedAction = {
    type: kind.type,
    title: text.title,
    description: text.description,
    canonical_url,
    raw_url,
    timestamp_start: event.timestamp,
  };
  if (kind.note) action.note = kind.note;
  return action;
}
