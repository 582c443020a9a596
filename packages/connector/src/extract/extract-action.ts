/**
 * One captured event → one UI action a person would recognise, or nothing
 * (docs/reference/wire-contract.md#extraction, docs/reference/posthog-capture.md#from-chain-to-action). The structure
 * (page, target, container, choice, step) is read once from the parsed `elements_chain` and the event's properties;
 * `title` and `description` are then written from that structure alone (describe-action.ts). The fields Autoplay's
 * Hog script cuts out of the chain are used only when there is no chain. docs/structured-activity.md, "Connector
 * extraction", has the rules.
 */
import type { ActionContainer, ActionPage, ActionStep, ActionTarget } from '@sightline/protocol';
import type { CapturedEvent } from '../ingest/captured-event.ts';
import type { IngestMemo } from '../ingest/ingest-memo.ts';
import { finalizeChoice, finalizeContainer, finalizeNewText, finalizePage, finalizeTarget, finalizeText, type ActionPrivacy, type FinalRedaction } from './action-privacy.ts';
import { structureOfChain, type ChainStructure, type EventKind } from './chain-structure.ts';
import { cleanLabel } from './clean-label.ts';
import { describeAction, type ActionFacts, type ActionText } from './describe-action.ts';
import { parseElementsChain, type ChainElement } from './elements-chain.ts';
import { humanizeIdentifier, humanizeName } from './humanize-identifier.ts';
import { pageFactsOf, type PageFacts } from './page-facts.ts';
import { parsedChainOf } from './parsed-chain.ts';
import { pageTitleFromDocumentTitle } from './page-title.ts';
import type { ElementSelector } from './privacy-rules.ts';
import type { FinishedStrings, TabMemory } from './tab-memory.ts';

/** Action types on the wire (docs/reference/wire-contract.md#action-fields). */
export type ActionType = 'pageview' | 'click' | 'submit' | 'type' | 'focus' | 'blur';

/** Why a click is special: repeated quick clicks, or a click after which nothing changed. */
export type ActionNote = 'rage_click' | 'dead_click';

/**
 * A UI action before sessionizing (no index, no identity). Wire field names, times in epoch seconds. Every
 * structured field is present: `null` means the connector looked and found none.
 */
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
  /** Set for rage and dead clicks, which stay `click`s; their step is `failed`. */
  note?: ActionNote;
  /** The browser tab: posthog-js `$window_id`. */
  window_id: string | null;
  page: ActionPage | null;
  target: ActionTarget | null;
  container: ActionContainer | null;
  choice: string | null;
  step: ActionStep | null;
  /** When the connector received the event (its clock), epoch seconds; null when the event does not say. */
  received_at: number | null;
}

/** Options of {@link extractAction}. */
export interface ExtractActionOptions {
  /**
   * The memory of the event's tab (the sessionizer keeps one per tab): a pageview's title is kept there for the
   * clicks that follow on the same page. Without one, each event is read on its own.
   */
  tab?: TabMemory | null;
  /**
   * Whether the label of a chosen radio, checkbox, option or tab is sent (`choice`, `target.label`, the title).
   * Default true. Select choices are never named (posthog-js does not send their text).
   */
  captureChoiceLabels?: boolean;
  /**
   * The event's join keys and the product's privacy list (see action-privacy.ts): applied to every string the
   * action carries, after every other step. Without it only the built-in redaction applies.
   */
  privacy?: ActionPrivacy | null;
  /** The connector's memo of pure string work (ingest/ingest-memo.ts); without one, everything is computed afresh. */
  memo?: IngestMemo | null;
}

const NO_SELECTORS: readonly ElementSelector[] = [];

/** Most chain elements extraction looks at (target, then ancestors). */
const MAX_ELEMENTS = 64;
/** Longest window id kept, as PostHog caps ids. */
const MAX_WINDOW_ID_LENGTH = 200;

function stringProperty(event: CapturedEvent, key: string): string | null {
  const value = event.properties[key];
  return typeof value === 'string' && value.trim() !== '' ? value : null;
}

/**
 * Without a chain: what the Hog script's cut-out fields tell. `$el_text` is not read: without the chain nothing
 * says whether it is a button's text or what was typed into an input (some posthog-js versions send it for inputs),
 * while Autoplay's `button_or_link_text` is empty for inputs by construction.
 */
function structureOfFlatFields(event: CapturedEvent, kind: EventKind): ChainStructure {
  const none: ChainStructure = {
    step: null, detail: null, page: null, target: null, container: null, choice: null, destination: null, opens: null, group: null, destinationHref: null, heading: null,
  };
  const fieldName = stringProperty(event, 'input_field_name');
  switch (kind) {
    case 'pageview':
      return { ...none, step: 'navigate' };
    case 'submit':
      return { ...none, step: 'submit', target: { role: 'form', label: cleanLabel(humanizeIdentifier(fieldName)) } };
    case 'type':
      return { ...none, step: 'type', target: { role: 'field', label: cleanLabel(humanizeName(fieldName)) } };
    default: {
      const text = cleanLabel(stringProperty(event, 'button_or_link_text'));
      const href = stringProperty(event, 'link_destination');
      const step: ActionStep | null = kind === 'rage_click' || kind === 'dead_click' ? 'failed' : kind === 'click' ? 'click' : null;
      return {
        ...none,
        step,
        target: { role: href ? 'link' : 'element', label: text },
        destinationHref: text === null ? href : null,
      };
    }
  }
}

/**
 * The page's name: on a pageview, the document title without the product's name (unless the tab showed the
 * same title on another path, which means the title names the product, or was not updated yet); on other events,
 * the name the tab's last pageview gave the same path, else an `<h1>` around the target; else a name made from
 * the path. Remembers a pageview's name in the tab.
 */
function pageOf(event: CapturedEvent, kind: EventKind, facts: PageFacts, heading: string | null, tab: TabMemory | null): ActionPage | null {
  if (facts.pathName === null) return null;
  if (kind === 'pageview') {
    const documentTitle = pageTitleFromDocumentTitle(stringProperty(event, 'title'));
    const isStale = documentTitle !== null && tab !== null && tab.page !== null && tab.page.path !== facts.path && tab.documentTitle === documentTitle;
    const page: ActionPage = { title: (isStale ? null : documentTitle) ?? facts.pathName, path: facts.path };
    if (tab !== null) {
      tab.page = page;
      tab.documentTitle = documentTitle;
    }
    return page;
  }
  if (tab === null) return { title: heading ?? facts.pathName, path: facts.path };
  if (tab.page !== null && tab.page.path === facts.path) return tab.page;
  const title = heading ?? facts.pathName;
  const other = tab.otherPage;
  if (other !== null && other.path === facts.path && other.title === title) return other;
  tab.otherPage = { title, path: facts.path };
  return tab.otherPage;
}

function isSameFacts(a: ActionFacts, b: ActionFacts): boolean {
  return (
    a.target === b.target && a.container === b.container && a.page === b.page && a.step === b.step && a.detail === b.detail &&
    a.choice === b.choice && a.destination === b.destination && a.opens === b.opens && a.group === b.group
  );
}

/**
 * {@link describeAction}, remembering the tab's last sentences: repeated clicks on one element of one page share
 * their target, container and page objects (cached readings), so they compare equal field by field.
 */
function describe(facts: ActionFacts, tab: TabMemory | null): ActionText {
  if (tab === null) return describeAction(facts);
  if (tab.describedFacts !== null && tab.describedText !== null && isSameFacts(tab.describedFacts, facts)) return tab.describedText;
  const text = describeAction(facts);
  tab.describedFacts = facts;
  tab.describedText = text;
  return text;
}

/**
 * What the tab finished last under this privacy object, started afresh when the privacy changed (a new identity or
 * rule list); null without a tab.
 */
function finishedOf(tab: TabMemory | null, privacy: ActionPrivacy | null): FinishedStrings | null {
  if (tab === null) return null;
  if (tab.finished === null || tab.finished.privacy !== privacy) {
    tab.finished = { privacy, textFrom: null, text: null, pageFrom: null, page: null, targetFrom: null, target: null, factsFrom: null, canonicalUrl: '', rawUrl: '' };
  }
  return tab.finished;
}

/**
 * The action's sentences with every final rule applied. {@link describe} hands back the same object for a repeated
 * click, which the tab then finishes once; sentences written anew are finished without any lookup (they are mostly
 * new strings, see finalizeNewText).
 */
function finishText(text: ActionText, redaction: FinalRedaction, finished: FinishedStrings | null): ActionText {
  if (finished !== null && finished.textFrom === text) return finished.text!;
  const result: ActionText = { title: finalizeNewText(text.title, redaction), description: finalizeNewText(text.description, redaction) };
  if (finished !== null) {
    finished.textFrom = text;
    finished.text = result;
  }
  return result;
}

/** The page with its final title and path; the tab's page object comes again for every action on it. */
function finishPage(page: ActionPage | null, redaction: FinalRedaction, finished: FinishedStrings | null): ActionPage | null {
  if (page === null) return null;
  if (finished !== null && finished.pageFrom === page) return finished.page;
  const result = finalizePage(page, redaction);
  if (finished !== null) {
    finished.pageFrom = page;
    finished.page = result;
  }
  return result;
}

/**
 * The target with its final label. A remembered chain's reading hands back its target object for every click on
 * that element, which the tab finishes once; a target read anew is finished without a lookup (its label is mostly
 * new, see finalizeNewText).
 */
function finishTarget(target: ActionTarget | null, redaction: FinalRedaction, finished: FinishedStrings | null): ActionTarget | null {
  if (target === null) return null;
  if (finished !== null && finished.targetFrom === target) return finished.target;
  const result = finalizeTarget(target, redaction);
  if (finished !== null) {
    finished.targetFrom = target;
    finished.target = result;
  }
  return result;
}

/** The final canonical and raw URL of the page facts (one object per page URL through the memo). */
function finishUrls(facts: PageFacts, redaction: FinalRedaction, finished: FinishedStrings | null): FinishedStrings | { canonicalUrl: string; rawUrl: string } {
  if (finished !== null && finished.factsFrom === facts) return finished;
  const canonicalUrl = finalizeText(facts.canonical_url, redaction, true);
  const rawUrl = finalizeText(facts.raw_url, redaction, true);
  if (finished === null) return { canonicalUrl, rawUrl };
  finished.factsFrom = facts;
  finished.canonicalUrl = canonicalUrl;
  finished.rawUrl = rawUrl;
  return finished;
}

/** @internal The event's browser tab (`$window_id`, trimmed), or null when it has none or one too long to be an id. */
export function windowIdOf(event: CapturedEvent): string | null {
  const value = event.properties['$window_id'];
  if (typeof value !== 'string' || value.length > MAX_WINDOW_ID_LENGTH) return null;
  const windowId = value.trim();
  return windowId === '' ? null : windowId;
}

/** What {@link classifyEvent} says an event is: its action type, and for rage and dead clicks a note. */
export interface EventClass {
  type: ActionType;
  note?: ActionNote;
}

/** The action type and note of an event, or null when the event is not a UI action. */
export function classifyEvent(event: CapturedEvent): EventClass | null {
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
 * Mapping: `$pageview` → `pageview` (step `navigate`); `$autocapture` click → `click` (step `click`, `open`,
 * `choose` or `dismiss`), submit → `submit`, change or keydown → `type` (step `type`, or `choose` for selects,
 * checkboxes and radios); `$rageclick` and `$dead_click` → `click` with a `note` and step `failed`. Every text is
 * redacted; input values and the text of inputs are never read.
 *
 * @example
 * extractAction(saveButtonClick);
 * // { type: 'click', title: "Clicked 'Save changes'", description: 'User clicked Save changes on the Dashboard page',
 * //   canonical_url: 'https://app.example.com/dashboard', raw_url: 'https://app.example.com/dashboard?tab=reports#top',
 * //   timestamp_start: 1795300407.374, window_id: '01a2…', page: { title: 'Dashboard', path: '/dashboard' },
 * //   target: { role: 'button', label: 'Save changes' }, container: null, choice: null, step: 'click', received_at: 1795300407.39 }
 */
export function extractAction(event: CapturedEvent, options: ExtractActionOptions = {}): ExtractedAction | null {
  const classified = classifyEvent(event);
  return classified === null ? null : extractClassifiedAction(event, classified, options);
}

/**
 * @internal {@link extractAction} for an event already classified by {@link classifyEvent}, for callers that
 * classify first (the sessionizer drops events that are no action before it looks up their session).
 */
export function extractClassifiedAction(event: CapturedEvent, classified: EventClass, options: ExtractActionOptions = {}): ExtractedAction {
  const kind: EventKind = classified.note ?? classified.type;
  const tab = options.tab ?? null;
  const privacy = options.privacy ?? null;
  const memo = options.memo ?? null;
  const redaction: FinalRedaction = { privacy, memo };
  const selectors = privacy?.selectors ?? NO_SELECTORS;
  const pageFacts = memo === null ? pageFactsOf : memo.pageFacts;
  const facts = pageFacts(pageUrlOf(event));
  const chain = stringProperty(event, '$elements_chain');
  // Normalisers hand on the parse of the chain they stored; any other chain is parsed here.
  const handed = chain === null ? null : (event.parsedChain ?? null);
  const remembered = handed === null || handed.elements.length <= MAX_ELEMENTS ? handed : parsedChainOf(handed.elements.slice(0, MAX_ELEMENTS));
  const elements: readonly ChainElement[] = remembered?.elements ?? (chain ? parseElementsChain(chain, { maxElements: MAX_ELEMENTS }) : []);
  const structure =
    elements.length > 0 && kind !== 'pageview'
      ? structureOfChain(kind, elements, {
          memory: tab,
          captureChoiceLabels: options.captureChoiceLabels ?? true,
          // A chain's cached reading is the built-in one; a product's selectors change it, so it is read afresh.
          cache: selectors.length > 0 ? null : remembered,
          selectors,
          humanizeIdentifier: memo === null ? humanizeIdentifier : memo.humanizeIdentifier,
        })
      : structureOfFlatFields(event, kind);
  const finished = finishedOf(tab, privacy);
  const page = finishPage(pageOf(event, kind, facts, structure.heading, tab), redaction, finished);
  structure.page = page;
  structure.target = finishTarget(structure.target, redaction, finished);
  structure.container = finalizeContainer(structure.container, redaction);
  structure.choice = finalizeChoice(structure.choice, redaction);
  structure.detail = kind === 'rage_click' || kind === 'dead_click' || kind === 'focus' || kind === 'blur' ? kind : null;
  // The page a link leads to is named like the page an action is on.
  if (structure.destinationHref !== null) {
    const destination = pageFacts(structure.destinationHref).pathName;
    structure.destination = destination === null ? null : finalizeText(destination, redaction);
  }
  const text = finishText(describe(structure, tab), redaction, finished);
  const urls = finishUrls(facts, redaction, finished);
  // The last step before anything leaves: every final string is redacted as it will be read.
  const action: ExtractedAction = {
    type: classified.type,
    title: text.title,
    description: text.description,
    canonical_url: urls.canonicalUrl,
    raw_url: urls.rawUrl,
    timestamp_start: event.timestamp,
    window_id: windowIdOf(event),
    page,
    target: structure.target,
    container: structure.container,
    choice: structure.choice,
    step: structure.step,
    received_at: event.receivedAt ?? null,
  };
  if (classified.note) action.note = classified.note;
  return action;
}
