/**
 * The structure of one action, read from its parsed `elements_chain` (target first, then every ancestor up to
 * `<body>`): the element the user meant and its role and label, the region around it, the choice made, and the
 * kind of step. Only web conventions are read (tags, input types, ARIA, `<label for>`), never one product's own
 * attributes. The rules and their reasons are in docs/structured-activity.md, "Connector extraction".
 */
import type { ActionContainer, ActionStep, ActionTarget, ContainerKind, TargetRole } from '@sightline/protocol';
import { cleanLabel } from './clean-label.ts';
import type { ActionFacts } from './describe-action.ts';
import type { ChainElement } from './elements-chain.ts';
import { humanizeIdentifier, humanizeName } from './humanize-identifier.ts';
import { matchesSelector, type ElementSelector } from './privacy-rules.ts';
import { rememberLabel, type TabMemory } from './tab-memory.ts';

/** What happened, as far as the event's name and DOM event type tell (see `classifyEvent`). */
export type EventKind = 'pageview' | 'click' | 'submit' | 'type' | 'focus' | 'blur' | 'rage_click' | 'dead_click';

/** What an element says it opens, from `aria-haspopup`, `aria-expanded` or `aria-controls`. */
export type OpensWhat = 'dialog' | 'menu' | 'list' | 'more';

/**
 * The structure of one action, plus what only its sentence needs: the facts describeAction reads (its
 * page, detail and destination are filled in by extraction, which knows the URL and the event), and two more.
 */
export interface ChainStructure extends ActionFacts {
  /** For a link without a label: where it leads, as sent. */
  destinationHref: string | null;
  /** The text of an `<h1>` around the target, a name for the page when nothing better is known. */
  heading: string | null;
}

/** Options of {@link structureOfChain}. */
export interface ChainStructureOptions {
  /** The tab's memory: labels of recent `<label for>` clicks are kept and read there. */
  memory: TabMemory | null;
  /** Whether the chosen option's label may be sent (`choice`, and the label of a chosen radio, tab, …). */
  captureChoiceLabels: boolean;
  /** Where readings of these elements are kept (a remembered chain's entry), or null to read them every time. */
  cache: ReadingCache | null;
  /** The product's privacy selectors: a matching element, and everything inside it, gives no text or label. */
  selectors?: readonly ElementSelector[];
  /**
   * Ids read as words (`humanizeIdentifier`), remembered: the connector passes its memo's
   * (IngestMemo.humanizeIdentifier), since the regions around a new target are mostly the same elements. Default:
   * computed every time.
   */
  humanizeIdentifier?: (identifier: string) => string | null;
}

const SENSITIVE_CLASSES = new Set(['ph-sensitive', 'ph-no-capture']);
// posthog-js gives no text to an element whose name or id (non-alphanumerics removed) looks like a card, security
// code, password or SSN field; the same rule here covers sources that do not apply it. posthog-js's bare `exp` is
// left out: it would silence every "Export" button.
const SENSITIVE_NAME = /^cc|cardnum|ccnum|creditcard|csc|cvc|cvv|pass|pwd|routing|seccode|securitycode|securitynum|socialsec|socsec|ssn/i;
const CONTROL_TAGS = new Set(['a', 'button', 'input', 'select', 'textarea', 'label', 'option', 'summary']);
const ROLE_BY_ARIA: Readonly<Record<string, TargetRole>> = {
  button: 'button',
  link: 'link',
  checkbox: 'checkbox',
  radio: 'radio',
  switch: 'switch',
  option: 'option',
  tab: 'tab',
  menuitem: 'menuitem',
  menuitemradio: 'menuitem',
  menuitemcheckbox: 'menuitem',
  textbox: 'field',
  searchbox: 'field',
  spinbutton: 'field',
  slider: 'field',
  combobox: 'select',
  listbox: 'select',
  img: 'image',
  image: 'image',
  row: 'item',
  listitem: 'item',
  gridcell: 'item',
  treeitem: 'item',
  form: 'form',
};
const ITEM_TAGS = new Set(['li', 'tr']);
const IMAGE_TAGS = new Set(['img', 'svg', 'path', 'picture', 'use', 'i']);
const BUTTON_INPUT_TYPES = new Set(['submit', 'button', 'reset', 'image']);
/** Roles whose click is a choice. */
const CHOICE_ROLES = new Set<TargetRole>(['radio', 'checkbox', 'switch', 'option', 'tab']);
const CHOICE_MENU_ROLES = new Set(['menuitemradio', 'menuitemcheckbox']);
/** How far above the target the control it belongs to is looked for (a span in a strong in a button). */
const MAX_CONTROL_DEPTH = 6;

const DRAWER_HINT = /(?:^|[-_\s])(?:drawer|offcanvas|sheet|slide-?over|flyout)(?:$|[-_\s])/;
const CLOSING_CONTAINERS = new Set<ContainerKind>(['dialog', 'drawer', 'form']);

// Labels of buttons that leave a dialog or form without a result, in English, Spanish, French, German and
// Portuguese, compared lower-cased without punctuation.
const DISMISS_LABELS = new Set([
  'cancel', 'close', 'dismiss', 'discard', 'not now', 'no thanks', 'maybe later', 'later', 'skip for now',
  'cancelar', 'cerrar', 'descartar', 'ahora no', 'no gracias', 'más tarde', 'mas tarde',
  'annuler', 'fermer', 'ignorer', 'pas maintenant', 'non merci', 'plus tard',
  'abbrechen', 'schließen', 'schliessen', 'verwerfen', 'nicht jetzt', 'nein danke', 'später',
  'fechar', 'agora não', 'não obrigado', 'não obrigada', 'mais tarde',
  '×', '✕', '✖', '╳', 'x',
]);
// Longest of those labels; a label with more letters and digits than this cannot be one of them.
const MAX_DISMISS_LENGTH = Math.max(...[...DISMISS_LABELS].map((label) => label.length));
// An icon button's `aria-label` often says what it closes ("Close dialog", "Cerrar ventana").
const CLOSING_ARIA_LABEL = /^(?:close|dismiss|cerrar|fermer|schließen|schliessen|fechar)\b/;

/** An attribute by its chain key (`attr__role`): call sites pass the key itself, so no key string is built per read. */
function attribute(element: ChainElement, key: string): string | undefined {
  return element.attributes[key];
}

function ariaRole(element: ChainElement): string | null {
  const role = attribute(element, 'attr__role');
  if (role === undefined) return null;
  const first = role.trim().toLowerCase().split(/\s+/)[0];
  return first ? first : null;
}

function inputType(element: ChainElement): string {
  return (attribute(element, 'attr__type') ?? 'text').toLowerCase();
}

/** An element whose text, if any, is what the user typed: never read. */
function isTextEntry(element: ChainElement): boolean {
  const tag = element.tagName;
  if (tag === 'textarea' || tag === 'select') return true;
  if (tag === 'input') return !BUTTON_INPUT_TYPES.has(inputType(element));
  const editable = attribute(element, 'attr__contenteditable');
  if (editable !== undefined && editable.toLowerCase() !== 'false') return true;
  const role = ariaRole(element);
  return role === 'textbox' || role === 'searchbox' || role === 'combobox';
}

/** An input, select, textarea or editable element: labelled from outside, never by its own text. */
function isField(element: ChainElement): boolean {
  const tag = element.tagName;
  return tag === 'input' || tag === 'select' || tag === 'textarea' || isTextEntry(element);
}

function isControl(element: ChainElement): boolean {
  if (CONTROL_TAGS.has(element.tagName ?? '')) return true;
  const role = ariaRole(element);
  return role !== null && ROLE_BY_ARIA[role] !== undefined && ROLE_BY_ARIA[role] !== 'item' && ROLE_BY_ARIA[role] !== 'image' && ROLE_BY_ARIA[role] !== 'form';
}

function isItem(element: ChainElement): boolean {
  const role = ariaRole(element);
  return ITEM_TAGS.has(element.tagName ?? '') || (role !== null && ROLE_BY_ARIA[role] === 'item');
}

/** A region a click inside belongs to, or null. */
function containerKindOf(element: ChainElement): ContainerKind | null {
  const tag = element.tagName;
  const role = ariaRole(element);
  if (tag === 'dialog' || role === 'dialog' || role === 'alertdialog' || attribute(element, 'attr__aria-modal') === 'true') {
    return hasDrawerHint(element) ? 'drawer' : 'dialog';
  }
  if ((tag === 'aside' || role === 'complementary') && hasDrawerHint(element)) return 'drawer';
  if (role === 'menu' || role === 'listbox') return 'menu';
  if (tag === 'form' || role === 'form') return 'form';
  if (role === 'tabpanel') return 'tabpanel';
  if ((tag === 'section' || role === 'region') && (attribute(element, 'attr__aria-label') ?? '').trim() !== '') return 'section';
  return null;
}

function hasDrawerHint(element: ChainElement): boolean {
  if (element.classes.some((name) => DRAWER_HINT.test(name.toLowerCase()))) return true;
  return element.id !== null && DRAWER_HINT.test(element.id.toLowerCase());
}

/** The innermost element near the target that `matches`, looked for up to the first region or `<body>` above it. */
function nearest(elements: readonly ChainElement[], matches: (element: ChainElement) => boolean): ChainElement | undefined {
  const depth = Math.min(elements.length, MAX_CONTROL_DEPTH + 1);
  for (let i = 0; i < depth; i++) {
    const element = elements[i]!;
    if (matches(element)) return element;
    if (i > 0 && (element.tagName === 'body' || containerKindOf(element) !== null)) break;
  }
  return undefined;
}

/** The element the user meant: the target, or the control (or list item) a span or icon sits in. */
function subjectOf(elements: readonly ChainElement[], kind: EventKind): ChainElement {
  const target = elements[0]!;
  if (kind === 'submit') return elements.find((element) => element.tagName === 'form') ?? target;
  return nearest(elements, isControl) ?? nearest(elements, isItem) ?? target;
}

/** Words of an element's classes, id and `for`, for the hints a `<label>` gives about its input. */
function labelHints(element: ChainElement): string {
  return `${element.classes.join(' ')} ${element.id ?? ''} ${attribute(element, 'attr__for') ?? ''}`.toLowerCase();
}

/**
 * The role of a `<label>` that was clicked: the role of the input it belongs to. A label names a radio when its
 * classes or ids say so, or when it sits in a radio group or a fieldset (radio cards); a checkbox or switch when
 * they say so; a field when it is `for` some other input.
 */
function labelRole(label: ChainElement, elements: readonly ChainElement[]): TargetRole {
  const hints = labelHints(label);
  if (/radio/.test(hints)) return 'radio';
  if (/switch|toggle/.test(hints)) return 'switch';
  if (/check/.test(hints)) return 'checkbox';
  for (let i = label.order + 1; i < elements.length; i++) {
    const element = elements[i]!;
    if (ariaRole(element) === 'radiogroup' || element.tagName === 'fieldset') return 'radio';
    if (element.tagName === 'form' || containerKindOf(element) !== null) break;
  }
  if (/(?:^|[-_\s])(?:option|choice)/.test(hints)) return 'radio';
  return attribute(label, 'attr__for') !== undefined ? 'field' : 'element';
}

/**
 * The role of an `<input>` that came without a type: a radio, checkbox or switch when its own classes and id, or
 * those of the `<label>` around it, say so (`plan-option`, `toggle`), or when it sits in a radio group; else a text
 * field. A fieldset alone says nothing here: text fields are grouped in fieldsets too.
 */
function untypedInputRole(input: ChainElement, elements: readonly ChainElement[]): TargetRole {
  let hints = labelHints(input);
  for (let i = input.order + 1; i < elements.length; i++) {
    const element = elements[i]!;
    if (element.tagName === 'label') hints += ` ${labelHints(element)}`;
    if (ariaRole(element) === 'radiogroup') return 'radio';
    if (element.tagName === 'form' || containerKindOf(element) !== null) break;
  }
  if (/radio/.test(hints)) return 'radio';
  if (/switch|toggle/.test(hints)) return 'switch';
  // A word of its own: "checkout-email" is a text field.
  if (/(?:^|[-_\s])check(?:box)?(?:$|[-_\s])/.test(hints)) return 'checkbox';
  if (/(?:^|[-_\s])(?:option|choice)/.test(hints)) return 'radio';
  return 'field';
}

function roleOf(subject: ChainElement, elements: readonly ChainElement[]): TargetRole {
  const role = ariaRole(subject);
  if (role !== null) {
    const mapped = ROLE_BY_ARIA[role];
    if (mapped !== undefined) return mapped;
  }
  switch (subject.tagName) {
    case 'a':
      return 'link';
    case 'button':
    case 'summary':
      return 'button';
    case 'input': {
      const type = inputType(subject);
      if (type === 'checkbox') return 'checkbox';
      if (type === 'radio') return 'radio';
      if (BUTTON_INPUT_TYPES.has(type)) return 'button';
      // posthog-js sends a radio like a text input, without its type (docs/reference/posthog-capture.md#elements-chain):
      // the label around it, or its own classes and id, tell.
      return attribute(subject, 'attr__type') === undefined ? untypedInputRole(subject, elements) : 'field';
    }
    case 'select':
      return 'select';
    case 'textarea':
      return 'field';
    case 'option':
      return 'option';
    case 'label':
      return labelRole(subject, elements);
    case 'form':
      return 'form';
    default:
      if (isTextEntry(subject)) return 'field';
      if (IMAGE_TAGS.has(subject.tagName ?? '')) return 'image';
      return isItem(subject) ? 'item' : 'element';
  }
}

function hasSensitiveName(element: ChainElement): boolean {
  const name = attribute(element, 'attr__name');
  if (name !== undefined && SENSITIVE_NAME.test(name.replace(/[^A-Za-z0-9]/g, ''))) return true;
  return element.id !== null && SENSITIVE_NAME.test(element.id.replace(/[^A-Za-z0-9]/g, ''));
}

/**
 * Reads labels from a chain, leaving out every element at or below one marked sensitive (`ph-sensitive`,
 * `ph-no-capture`, a product selector) and everything inside a text entry (what a user typed into a contenteditable
 * region arrives as the text of the elements inside it).
 */
class LabelReader {
  /** Elements up to this position are hidden: a sensitive element and everything inside it. */
  private readonly hiddenUpTo: number;

  constructor(
    private readonly elements: readonly ChainElement[],
    selectors: readonly ElementSelector[] = [],
    private readonly humanize: (identifier: string) => string | null = humanizeIdentifier,
  ) {
    let hiddenUpTo = -1;
    for (const element of elements) {
      if (element.classes.some((name) => SENSITIVE_CLASSES.has(name)) || selectors.some((selector) => matchesSelector(element, selector))) {
        hiddenUpTo = element.order;
      } else if (element.order > 0 && isTextEntry(element)) hiddenUpTo = Math.max(hiddenUpTo, element.order - 1);
    }
    this.hiddenUpTo = hiddenUpTo;
  }

  isHidden(element: ChainElement): boolean {
    return element.order <= this.hiddenUpTo;
  }

  text(element: ChainElement): string | null {
    return this.isHidden(element) || isTextEntry(element) || hasSensitiveName(element) ? null : cleanLabel(element.text);
  }

  attribute(element: ChainElement, key: string): string | null {
    return this.isHidden(element) ? null : cleanLabel(attribute(element, key));
  }

  /** The text of a `<label>` around `field`. */
  labelFor(field: ChainElement): string | null {
    for (let i = field.order + 1; i < this.elements.length && i <= field.order + MAX_CONTROL_DEPTH; i++) {
      const element = this.elements[i]!;
      if (element.tagName === 'label') {
        const text = this.text(element) ?? this.attribute(element, 'attr__aria-label');
        if (text !== null) return text;
      }
      if (element.tagName === 'form' || containerKindOf(element) !== null) break;
    }
    return null;
  }

  /**
   * The label of the element the user meant, best first (docs/structured-activity.md). For a field this is only
   * what the chain names it by; see {@link LabelReader.fieldFallback} for the rest.
   */
  labelOf(subject: ChainElement, role: TargetRole): string | null {
    if (this.isHidden(subject)) return null;
    if (isField(subject)) return this.attribute(subject, 'attr__aria-label') ?? this.attribute(subject, 'attr__title') ?? this.labelFor(subject);
    // A form is named like a region: by `aria-label`, else its ids read as words.
    if (role === 'form') return this.containerLabel(subject, 'form');
    return this.controlLabel(subject, role);
  }

  /**
   * What names a field the chain gives no label: its placeholder, else its name read as words. A `<label for>`
   * clicked just before (in the tab's memory) ranks above these.
   */
  fieldFallback(subject: ChainElement, role: TargetRole): string | null {
    if (this.isHidden(subject)) return null;
    return (
      this.attribute(subject, 'attr__placeholder') ??
      (inputType(subject) === 'image' ? this.attribute(subject, 'attr__alt') : null) ??
      // A radio's name is its group's ("plan"), not the option's.
      (role === 'radio' ? null : humanizeName(attribute(subject, 'attr__name')))
    );
  }

  private controlLabel(subject: ChainElement, role: TargetRole): string | null {
    return (
      this.text(subject) ??
      this.textInside(subject) ??
      this.attribute(subject, 'attr__aria-label') ??
      this.attributeInside(subject, 'attr__aria-label') ??
      this.attribute(subject, 'attr__title') ??
      this.attributeInside(subject, 'attr__title') ??
      this.attribute(subject, 'attr__alt') ??
      this.attributeInside(subject, 'attr__alt') ??
      this.attribute(subject, 'attr__placeholder') ??
      // A link's `name` is an anchor for fragments, not a label: its destination says more.
      (role === 'link' ? null : humanizeName(attribute(subject, 'attr__name')))
    );
  }

  /** The first text of an element inside `subject` (the target first, then outwards). */
  private textInside(subject: ChainElement): string | null {
    for (let i = 0; i < subject.order; i++) {
      const label = this.text(this.elements[i]!);
      if (label !== null) return label;
    }
    return null;
  }

  /** The first attribute `key` of an element inside `subject`. */
  private attributeInside(subject: ChainElement, key: string): string | null {
    for (let i = 0; i < subject.order; i++) {
      const label = this.attribute(this.elements[i]!, key);
      if (label !== null) return label;
    }
    return null;
  }

  /** A region's accessible name: `aria-label`, else an `aria-labelledby` id or its own id (or form name) read as words. */
  containerLabel(element: ChainElement, kind: ContainerKind): string | null {
    if (this.isHidden(element)) return null;
    const label = this.attribute(element, 'attr__aria-label');
    if (label !== null) return label;
    const labelledBy = attribute(element, 'attr__aria-labelledby')?.trim().split(/\s+/)[0];
    const fromIds =
      this.humanized(labelledBy) ??
      (kind === 'form' ? this.humanized(attribute(element, 'attr__name')) : null) ??
      (kind === 'section' ? null : this.humanized(element.id));
    return cleanLabel(fromIds);
  }

  private humanized(identifier: string | null | undefined): string | null {
    return typeof identifier === 'string' ? this.humanize(identifier) : null;
  }

  /** The text of an `<h1>` above the target. */
  heading(): string | null {
    for (const element of this.elements) if (element.tagName === 'h1') return this.text(element);
    return null;
  }
}

/**
 * The innermost region around `subject`, except that a dialog or drawer around it wins over the form, menu,
 * tab panel or section inside it: the dialog is where the user is.
 */
function containerOf(subject: ChainElement, elements: readonly ChainElement[], labels: LabelReader): ActionContainer | null {
  let element: ChainElement | null = null;
  let kind: ContainerKind | null = null;
  for (let i = subject.order + 1; i < elements.length; i++) {
    const candidate = elements[i]!;
    const candidateKind = containerKindOf(candidate);
    if (candidateKind === null) continue;
    if (kind === null || candidateKind === 'dialog' || candidateKind === 'drawer') {
      element = candidate;
      kind = candidateKind;
    }
    if (kind === 'dialog' || kind === 'drawer') break;
  }
  // A reading is cached, so this object is shared by every action read from the same chain: never mutated.
  return element === null || kind === null ? null : { kind, label: labels.containerLabel(element, kind) };
}

function opensOf(subject: ChainElement, role: TargetRole): OpensWhat | null {
  if (role !== 'button' && role !== 'link' && role !== 'element' && role !== 'menuitem' && role !== 'image') return null;
  const expanded = attribute(subject, 'attr__aria-expanded')?.toLowerCase();
  if (expanded === 'true') return null;
  const popup = attribute(subject, 'attr__aria-haspopup')?.toLowerCase();
  if (popup !== undefined && popup !== 'false') {
    if (popup === 'dialog') return 'dialog';
    return popup === 'listbox' || popup === 'tree' || popup === 'grid' ? 'list' : 'menu';
  }
  if (expanded === 'false' || attribute(subject, 'attr__aria-controls') !== undefined) return 'more';
  return null;
}

function normaliseWords(label: string): string {
  return label.toLowerCase().replace(/[.,!¡?¿…:;]/g, '').replace(/\s+/g, ' ').trim();
}

/**
 * Whether `label` could be a dismiss label once normalised: normalising removes only punctuation and spaces and
 * never shortens a letter or digit, so one with more ASCII letters and digits than the longest such label is none.
 */
function mayBeDismissLabel(label: string): boolean {
  let kept = 0;
  for (let i = 0; i < label.length; i++) {
    const code = label.charCodeAt(i);
    if ((code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122)) {
      kept++;
      if (kept > MAX_DISMISS_LENGTH) return false;
    }
  }
  return true;
}

function isDismissLabel(label: string): boolean {
  return mayBeDismissLabel(label) && DISMISS_LABELS.has(normaliseWords(label));
}

function isDismiss(label: string | null, ariaLabel: string | null): boolean {
  if (label !== null && isDismissLabel(label)) return true;
  return ariaLabel !== null && (isDismissLabel(ariaLabel) || CLOSING_ARIA_LABEL.test(ariaLabel.toLowerCase()));
}

function stepOf(kind: EventKind, role: TargetRole, subject: ChainElement): ActionStep | null {
  switch (kind) {
    case 'pageview':
      return 'navigate';
    case 'rage_click':
    case 'dead_click':
      return 'failed';
    case 'submit':
      return 'submit';
    case 'type':
      return role === 'select' || role === 'checkbox' || role === 'radio' || role === 'switch' ? 'choose' : 'type';
    case 'focus':
    case 'blur':
      return null;
    default: {
      const aria = ariaRole(subject);
      if (CHOICE_ROLES.has(role) || (aria !== null && CHOICE_MENU_ROLES.has(aria))) return 'choose';
      return 'click';
    }
  }
}

const NO_SELECTORS: readonly ElementSelector[] = [];

/** @internal What a chain says about an action, before the tab's memory and the options are applied. */
export interface ChainReading {
  /** The role and the label the chain gives (or null), shared by the actions whose label is the chain's own (never mutated). */
  target: ActionTarget;
  /** For a field the chain names by nothing better: its placeholder or name. */
  fallbackLabel: string | null;
  /** For such a field: its id, under which a label clicked just before may be remembered. */
  inputId: string | null;
  /** For a clicked `<label for>` with text: the input it is for. */
  labelForId: string | null;
  container: ActionContainer | null;
  step: ActionStep | null;
  opens: OpensWhat | null;
  /** For a radio: its group's name (`name`), used when it has no label. */
  groupName: string | null;
  destinationHref: string | null;
  heading: string | null;
}

function readChain(kind: EventKind, elements: readonly ChainElement[], selectors: readonly ElementSelector[], humanize: (identifier: string) => string | null): ChainReading {
  const labels = new LabelReader(elements, selectors, humanize);
  const heading = labels.heading();
  const subject = subjectOf(elements, kind);
  const role = roleOf(subject, elements);
  const label = labels.labelOf(subject, role);
  const isVisible = !labels.isHidden(subject);
  const isUnnamedField = label === null && isVisible && isField(subject);
  const container = containerOf(subject, elements, labels);
  let step = stepOf(kind, role, subject);
  let opens: OpensWhat | null = null;
  if (step === 'click') {
    opens = opensOf(subject, role);
    if (opens !== null) step = 'open';
    else if (
      (role === 'button' || role === 'link') &&
      container !== null &&
      CLOSING_CONTAINERS.has(container.kind) &&
      isDismiss(label, labels.attribute(subject, 'attr__aria-label'))
    ) step = 'dismiss';
  }
  const labelFor = subject.tagName === 'label' && label !== null ? attribute(subject, 'attr__for') : undefined;
  return {
    target: { role, label },
    fallbackLabel: isUnnamedField ? labels.fieldFallback(subject, role) : null,
    inputId: isUnnamedField ? subject.id : null,
    labelForId: labelFor ? labelFor : null,
    container,
    step,
    opens,
    groupName: role === 'radio' && isVisible ? humanizeName(attribute(subject, 'attr__name')) : null,
    destinationHref: role === 'link' && label === null && isVisible ? (subject.href ?? elements[0]!.href) : null,
    heading,
  };
}

/**
 * @internal Readings of one remembered chain by event kind. A chain's reading depends on its elements and the
 * event's kind alone, so repeated clicks on one element are read once (see parsed-chain.ts).
 */
export type ChainReadings = Partial<Record<EventKind, ChainReading>>;

/** @internal Where the readings of one chain are kept (see parsed-chain.ts). */
export interface ReadingCache {
  /** Whether extraction has read these elements before. */
  isRead: boolean;
  /** Filled by extraction when it reads the elements a second time; null until then. */
  readings: ChainReadings | null;
}

/**
 * The reading of `elements`, kept in `cache` from the second time on: most chains are clicked once, and a reading
 * kept for each would only keep garbage alive for the collector to move.
 */
function readingOf(
  kind: EventKind,
  elements: readonly ChainElement[],
  cache: ReadingCache | null,
  selectors: readonly ElementSelector[],
  humanize: (identifier: string) => string | null,
): ChainReading {
  if (cache === null) return readChain(kind, elements, selectors, humanize);
  if (!cache.isRead) {
    cache.isRead = true;
    return readChain(kind, elements, selectors, humanize);
  }
  cache.readings ??= {};
  return (cache.readings[kind] ??= readChain(kind, elements, selectors, humanize));
}

/**
 * The structure of an action from its chain. `open` and `dismiss` refine a click: `open` when the element says
 * by ARIA that it opens something, `dismiss` when a button or link in a dialog, drawer or form reads as a way
 * out (Cancel, Close, ×, … in five languages). With `captureChoiceLabels` off, a choice's label is left out of
 * both `choice` and `target.label`. Reads and updates the tab's memory of `<label for>` clicks.
 *
 * @example
 * structureOfChain('click', parseElementsChain('button:attr__aria-haspopup="dialog"text="Assign";div:attr__role="main"'), options);
 * // { target: { role: 'button', label: 'Assign' }, step: 'open', opens: 'dialog', container: null, … }
 */
export function structureOfChain(kind: EventKind, elements: readonly ChainElement[], options: ChainStructureOptions): ChainStructure {
  const reading = readingOf(kind, elements, options.cache, options.selectors ?? NO_SELECTORS, options.humanizeIdentifier ?? humanizeIdentifier);
  const { role, label: chainLabel } = reading.target;
  const memory = options.memory;
  // A label clicked for an input: the click on the input that follows carries no text, so its label is kept.
  if (reading.labelForId !== null && memory !== null) rememberLabel(memory, reading.labelForId, chainLabel!);
  let label = chainLabel;
  if (label === null && reading.inputId !== null) label = memory?.labels.get(reading.inputId) ?? reading.fallbackLabel;
  else if (label === null) label = reading.fallbackLabel;
  let choice: string | null = null;
  if (reading.step === 'choose' && role !== 'select') {
    if (options.captureChoiceLabels) choice = label;
    else label = null;
  }
  return {
    step: reading.step,
    detail: null,
    page: null,
    target: label === chainLabel ? reading.target : { role, label },
    container: reading.container,
    choice,
    destination: null,
    opens: reading.opens,
    group: label === null ? reading.groupName : null,
    destinationHref: reading.destinationHref,
    heading: reading.heading,
  };
}
