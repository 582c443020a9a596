/**
 * The one place the connector writes sentences: an action's `title` and `description`, in Autoplay's style
 * (`Clicked 'Invite member'`, `User clicked Invite member on the Team page`, `Page Load: Billing`), made from
 * its structured fields only. Autoplay's clients read these; Sightline's own readers use the fields.
 */
import type { ActionContainer, ActionPage, ActionStep, ActionTarget, TargetRole } from '@sightline/protocol';
import { CONTAINER_NOUNS, ROLE_NOUNS } from '@sightline/protocol/internal';
import type { OpensWhat } from './chain-structure.ts';

/** What a sentence about an action may use: its structure, and the facts only sentences need. */
export interface ActionFacts {
  step: ActionStep | null;
  /** For `failed` steps: which failure. For a step of null: focus or blur. */
  detail: 'rage_click' | 'dead_click' | 'focus' | 'blur' | null;
  page: ActionPage | null;
  target: ActionTarget | null;
  container: ActionContainer | null;
  choice: string | null;
  /** For a link without a label: the name of the page it leads to. */
  destination: string | null;
  /** For `open`: what the element opens. */
  opens: OpensWhat | null;
  /** For a radio without a label: the name of its group. */
  group: string | null;
}

/** An action's two sentences. */
export interface ActionText {
  title: string;
  description: string;
}

/** Roles whose label reads better with its noun in a sentence: "the Email field", "the Agree checkbox". */
const NAMED_WITH_NOUN = new Set<TargetRole>(['field', 'checkbox', 'radio', 'switch', 'select', 'tab']);
const OPENS_TEXT: Readonly<Record<OpensWhat, string>> = {
  dialog: 'which opens a dialog',
  menu: 'which opens a menu',
  list: 'which opens a list',
  more: 'which shows more',
};

function withArticle(noun: string): string {
  return /^[aeiou]/i.test(noun) ? `an ${noun}` : `a ${noun}`;
}

/** How the target reads in a title (`'Save'`) and in a sentence (`Save`, `the Email field`). */
function objectOf(facts: ActionFacts): ActionText {
  const role = facts.target?.role ?? 'element';
  const label = facts.target?.label ?? null;
  if (label !== null) return { title: `'${label}'`, description: NAMED_WITH_NOUN.has(role) ? `the ${label} ${ROLE_NOUNS[role]}` : label };
  if (facts.destination !== null) {
    const link = `a link to the ${facts.destination} page`;
    return { title: link, description: link };
  }
  const noun = withArticle(ROLE_NOUNS[role]);
  return { title: noun, description: noun };
}

/** ` in the Invite member dialog`, ` in a dialog`, or nothing. */
function inContainer(container: ActionContainer | null, except: string | null = null): string {
  if (container === null) return '';
  const noun = CONTAINER_NOUNS[container.kind];
  if (container.label !== null) return container.label === except ? '' : ` in the ${container.label} ${noun}`;
  return container.kind === 'dialog' || container.kind === 'drawer' || container.kind === 'menu' || container.kind === 'form' ? ` in ${withArticle(noun)}` : '';
}

function onPage(page: ActionPage | null): string {
  return page !== null && page.title !== '' ? ` on the ${page.title} page` : '';
}

function clickText(facts: ActionFacts): ActionText {
  const object = objectOf(facts);
  const where = `${inContainer(facts.container, facts.target?.label ?? null)}${onPage(facts.page)}`;
  return { title: `Clicked ${object.title}`, description: `User clicked ${object.description}${where}` };
}

function chooseText(facts: ActionFacts): ActionText {
  const role = facts.target?.role ?? 'element';
  const label = facts.target?.label ?? null;
  const where = `${inContainer(facts.container, label)}${onPage(facts.page)}`;
  if (role === 'select') {
    return label !== null
      ? { title: `Selected an option in '${label}'`, description: `User selected an option in the ${label} dropdown${where}` }
      : { title: 'Selected an option', description: `User selected an option in a dropdown${where}` };
  }
  if (role === 'checkbox' || role === 'switch') {
    const noun = ROLE_NOUNS[role];
    return label !== null
      ? { title: `Toggled '${label}'`, description: `User toggled the ${label} ${noun}${where}` }
      : { title: `Toggled ${withArticle(noun)}`, description: `User toggled ${withArticle(noun)}${where}` };
  }
  const chosen = facts.choice ?? label;
  if (chosen !== null) {
    const object = role === 'tab' ? `the ${chosen} tab` : chosen;
    return { title: `Selected '${chosen}'`, description: `User selected ${object}${where}` };
  }
  if (facts.group !== null) {
    return { title: `Selected an option in '${facts.group}'`, description: `User selected an option in the ${facts.group} group${where}` };
  }
  const noun = withArticle(ROLE_NOUNS[role] === 'element' ? 'option' : ROLE_NOUNS[role]);
  return { title: `Selected ${noun}`, description: `User selected ${noun}${where}` };
}

function submitText(facts: ActionFacts): ActionText {
  const container = facts.container;
  const overlayLabel = container !== null && (container.kind === 'dialog' || container.kind === 'drawer') ? container.label : null;
  const form = facts.target?.label ?? overlayLabel;
  const where = `${inContainer(container, form)}${onPage(facts.page)}`;
  return form !== null
    ? { title: `Submitted the '${form}' form`, description: `User submitted the ${form} form${where}` }
    : { title: 'Submitted a form', description: `User submitted a form${where}` };
}

function dismissText(facts: ActionFacts): ActionText {
  const object = objectOf(facts);
  const container = facts.container;
  if (container !== null && container.kind !== 'form') {
    const noun = CONTAINER_NOUNS[container.kind];
    const closed = container.label !== null ? `the ${container.label} ${noun}` : withArticle(noun);
    return { title: `Clicked ${object.title}`, description: `User clicked ${object.description} to close ${closed}${onPage(facts.page)}` };
  }
  return clickText(facts);
}

/**
 * The title and description of an action, from its structure. Never holds an id, a field's raw name or a URL:
 * labels are the product's own words (or names made readable), pages are page titles.
 *
 * @example
 * describeAction({ step: 'submit', detail: null, page: { title: 'Team', path: '/team' }, target: { role: 'form', label: null },
 *   container: { kind: 'dialog', label: 'Invite member' }, choice: null, destination: null, opens: null, group: null });
 * // { title: "Submitted the 'Invite member' form", description: 'User submitted the Invite member form on the Team page' }
 */
export function describeAction(facts: ActionFacts): ActionText {
  switch (facts.step) {
    case 'navigate': {
      const title = facts.page?.title ?? '';
      return title !== '' ? { title: `Page Load: ${title}`, description: `User landed on the ${title} page` } : { title: 'Page Load', description: 'User loaded a page' };
    }
    case 'submit':
      return submitText(facts);
    case 'type': {
      const label = facts.target?.label ?? null;
      const where = `${inContainer(facts.container)}${onPage(facts.page)}`;
      return label !== null
        ? { title: `Typed in '${label}'`, description: `User typed in the ${label} field${where}` }
        : { title: 'Typed in a field', description: `User typed in a field${where}` };
    }
    case 'choose':
      return chooseText(facts);
    case 'open': {
      const text = clickText(facts);
      return facts.opens === null ? text : { title: text.title, description: `${text.description}, ${OPENS_TEXT[facts.opens]}` };
    }
    case 'dismiss':
      return dismissText(facts);
    case 'failed': {
      const object = objectOf(facts);
      const where = `${inContainer(facts.container, facts.target?.label ?? null)}${onPage(facts.page)}`;
      if (facts.detail === 'dead_click') {
        return { title: `Clicked ${object.title} (nothing happened)`, description: `User clicked ${object.description}${where}, but nothing happened (dead click)` };
      }
      return { title: `Rage-clicked ${object.title}`, description: `User clicked ${object.description} repeatedly${where} (rage click)` };
    }
    case 'click':
      return clickText(facts);
    default: {
      const object = objectOf(facts);
      const verb = facts.detail === 'blur' ? 'left' : 'focused';
      return { title: `${verb === 'left' ? 'Left' : 'Focused'} ${object.title}`, description: `User ${verb} ${object.description}${onPage(facts.page)}` };
    }
  }
}
