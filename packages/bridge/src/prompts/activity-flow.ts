/**
 * Reads dialogs and forms out of the connector's action records: which click opened a dialog, what the user did
 * inside it (clicked a field, typed, picked an option), and what ended it (a confirm button, a submit, 'Cancel', a
 * page change). Everything is read from the records' own titles and descriptions, so it works for any product whose
 * actions come from the connector (titles such as "Clicked 'Invite member'", "Clicked 'email' field",
 * "Typed in 'email'", "Selected an option in 'role'", "Submitted 'invite-form'", "Page Load: Team").
 */
import type { SlimAction } from '@sightline/protocol';
import { actionLabel, pageNameOf } from './activity-facts.ts';

/** How a form control was used, from weakest to strongest. */
export type FieldUse = 'focused' | 'clicked' | 'toggled' | 'selected' | 'typed';

/** A form control an action touched, as the record names it. */
export interface FieldTouch {
  /** Readable name ("email", "project name": dashes and underscores read as spaces); `null` when unnamed. */
  name: string | null;
  /** The kind of control: `field`, `dropdown`, `checkbox`, `radio button`, `text area`, `switch`. */
  noun: string;
  use: FieldUse;
}

/** How a dialog or form ended. `left`: the user went to another page. */
export type FlowOutcome = 'completed' | 'cancelled' | 'left';

/** A dialog or form the user worked in. */
export interface ActivityFlow {
  /** The click that opened it ("Clicked 'Invite member'"); `null` for a form that is part of the page. */
  opener: SlimAction | null;
  /** The opener's label ("Invite member"); `null` with no opener. */
  label: string | null;
  /** The page it is on. */
  page: string | null;
  /** Actions inside it after the opener (field clicks, typing, option clicks), oldest first. */
  steps: SlimAction[];
  /** Controls used inside it, in order of first use, each with its strongest use. */
  fields: FieldTouch[];
  /** What ended it; `null` while it is still open. `label` is the closing button's label when there was one. */
  end: { action: SlimAction; label: string | null; outcome: FlowOutcome } | null;
  /** The form submit that went with a closing click, when the record has one. */
  submit: SlimAction | null;
}

const USE_STRENGTH: Record<FieldUse, number> = { focused: 0, clicked: 1, toggled: 2, selected: 3, typed: 4 };
const FIELD_NOUN = String.raw`(field|dropdown|checkbox|radio button|text area|text box|switch|input|select)`;
/** "Clicked 'email' field", "Clicked a dropdown", "Focused 'email' field", "Rage-clicked 'role' dropdown". */
const FIELD_TITLE = new RegExp(String.raw`^(clicked|rage-clicked|tapped|pressed|focused|left)\s+(?:(?:on\s+)?(?:the\s+)?['"‘“]([^'"’”]+)['"’”]|an?)\s+${FIELD_NOUN}\b`, 'i');
/** "User clicked the email field on the Team page". */
const FIELD_DESCRIPTION = new RegExp(String.raw`\b(clicked|focused|left)\s+(?:on\s+)?(?:the\s+(.+?)|an?)\s+${FIELD_NOUN}\b`, 'i');
const TYPED_TITLE = /^(?:typed|entered text|typing)\s+(?:in(?:to)?\s+)?(?:an?\s+field|['"‘“]([^'"’”]+)['"’”]|(?:the\s+)?(.+?))(?:\s+(?:field|input|box))?\s*$/i;
const SELECTED_TITLE = /^(?:selected|chose|picked)\s+an?\s+option(?:\s+(?:in|from|for)\s+(?:['"‘“]([^'"’”]+)['"’”]|(?:the\s+)?(.+?)))?(?:\s+dropdown)?\s*$/i;
const TOGGLED_TITLE = /^(?:toggled|checked|unchecked|ticked)\s+(?:['"‘“]([^'"’”]+)['"’”]|an?\s+(checkbox|radio button|switch)|(?:the\s+)?(.+?))\s*$/i;
const DEAD_CLICK = /\(nothing happened\)\s*$|\bdead click\b/i;

/** Buttons that close a dialog without finishing it. */
const CANCEL_WORDS = new Set(['cancel', 'close', 'dismiss', 'discard', 'abort', 'nevermind', 'x', '×', '✕', '✖']);
/** First words of buttons that open something (a dialog, a form): "Invite member", "Add Project", "Upgrade plan". */
const OPENING_WORDS = new Set([
  'invite', 'add', 'new', 'create', 'edit', 'open', 'share', 'upload', 'import', 'export', 'delete', 'remove', 'rename',
  'configure', 'connect', 'compose', 'manage', 'change', 'settings', 'write', 'start', 'upgrade', 'downgrade', 'request',
  'schedule', 'book', 'assign', 'transfer', 'duplicate', 'move', 'customize', 'customise', 'set',
]);
/** First words of buttons that finish something: "Send invite", "Confirm upgrade", "Save changes". */
const COMPLETING_WORDS = new Set([
  'save', 'send', 'submit', 'confirm', 'apply', 'publish', 'finish', 'done', 'ok', 'okay', 'pay', 'sign', 'log', 'update',
  'place', 'buy', 'checkout', 'purchase', 'complete', 'yes',
]);

/** What a click on a labelled element most likely did. */
export type ClickEffect = 'opens' | 'completes' | 'cancels' | 'other';

function labelWords(label: string): string[] {
  return label.toLowerCase().split(/[^\p{L}\p{N}×✕✖]+/u).filter(Boolean);
}

/**
 * What a click on an element labelled `label` most likely did, judged from the label's words alone: a verb phrase
 * such as "Invite member" opens something, "Send invite" or a lone "Save" finishes it, "Cancel" closes it.
 *
 * @example
 * clickEffect('Invite member'); // 'opens'
 * clickEffect('Create');        // 'completes' (a lone verb is usually a dialog's confirm button)
 */
export function clickEffect(label: string): ClickEffect {
  const words = labelWords(label);
  const first = words[0] ?? '';
  if (CANCEL_WORDS.has(first) || (words.length <= 3 && /^(?:no|not now|no thanks|never mind)\b/.test(words.join(' ')))) return 'cancels';
  if (/(?:\.\.\.|…)$/.test(label.trim())) return 'opens';
  // A one-word "Create" or "Invite" is usually the confirm button inside a dialog, not the one that opens it.
  if (words.length === 1 && (COMPLETING_WORDS.has(first) || OPENING_WORDS.has(first))) return 'completes';
  if (COMPLETING_WORDS.has(first)) return 'completes';
  if (OPENING_WORDS.has(first)) return 'opens';
  return 'other';
}

/** A form field name as people read it: `project_name` → "project name", `workspaceName` → "workspace name". */
export function readableName(name: string): string {
  const trimmed = name.trim();
  if (/\s/.test(trimmed)) return trimmed;
  const spaced = trimmed
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/[-_.]+/g, ' ')
    .trim();
  return spaced === trimmed ? trimmed : spaced.toLowerCase();
}

/** Labels the connector gives elements it could not name ("Clicked an element", "Clicked a button"). */
const UNNAMED = /^an?\s+(?:element|button|link|icon|image|item|label|field|dropdown|checkbox|radio button|text area|switch|form)$/i;

/**
 * The element an action used, like `actionLabel`, but `null` for the connector's placeholders for unnamed
 * elements ("an element"), which must never be quoted back to the user as if they were UI labels.
 */
export function namedLabel(action: SlimAction): string | null {
  const label = actionLabel(action);
  return label && !UNNAMED.test(label) ? label : null;
}

function pick(...candidates: Array<string | undefined>): string | null {
  const found = candidates.find((candidate) => candidate !== undefined && candidate.trim() !== '');
  return found ? readableName(found) : null;
}

function normaliseNoun(noun: string): string {
  const lower = noun.toLowerCase();
  if (lower === 'input' || lower === 'text box') return 'field';
  if (lower === 'select') return 'dropdown';
  return lower;
}

/**
 * The form control an action used, or `null` when it did not use one (a button click, a pageview, a submit).
 *
 * @example
 * fieldOf(typedInEmail);  // { name: 'email', noun: 'field', use: 'typed' }
 */
export function fieldOf(action: SlimAction): FieldTouch | null {
  const title = action.title.trim();
  if (action.type === 'type' || action.type === 'change' || action.type === 'input') {
    const selected = SELECTED_TITLE.exec(title);
    if (selected) return { name: pick(selected[1], selected[2]), noun: 'dropdown', use: 'selected' };
    const toggled = TOGGLED_TITLE.exec(title);
    if (toggled) {
      const noun = toggled[2] ?? /\b(radio button|checkbox|switch)\b/i.exec(action.description)?.[1] ?? 'checkbox';
      return { name: pick(toggled[1], toggled[3]), noun: noun.toLowerCase(), use: 'toggled' };
    }
    const typed = TYPED_TITLE.exec(title);
    return { name: typed ? pick(typed[1], typed[2]) : null, noun: 'field', use: 'typed' };
  }
  if (action.type !== 'click' && action.type !== 'focus' && action.type !== 'blur') return null;
  const titled = FIELD_TITLE.exec(title);
  const described = titled ? null : FIELD_DESCRIPTION.exec(action.description);
  const match = titled ?? described;
  if (!match) return null;
  const verb = match[1]!.toLowerCase();
  const use: FieldUse = verb === 'focused' || verb === 'left' || action.type !== 'click' ? 'focused' : 'clicked';
  return { name: pick(match[2]), noun: normaliseNoun(match[3]!), use };
}

function isDeadClick(action: SlimAction): boolean {
  return DEAD_CLICK.test(action.title) || DEAD_CLICK.test(action.description);
}

function sharesWord(a: string, b: string): boolean {
  const words = new Set(labelWords(a).filter((word) => word.length > 2));
  return labelWords(b).some((word) => words.has(word));
}

function touch(flow: ActivityFlow, field: FieldTouch): void {
  const known = flow.fields.find((entry) => entry.name === field.name && entry.noun === field.noun);
  if (!known) flow.fields.push({ ...field });
  else if (USE_STRENGTH[field.use] > USE_STRENGTH[known.use]) known.use = field.use;
}

function newFlow(opener: SlimAction | null, page: string | null): ActivityFlow {
  return { opener, label: opener ? namedLabel(opener) : null, page, steps: [], fields: [], end: null, submit: null };
}

/** The state of one {@link readActivityFlows} pass: the flows so far and the one still open. */
interface FlowReader {
  flows: ActivityFlow[];
  open: ActivityFlow | null;
}

// Module-level rather than closures inside readActivityFlows: it runs on every chat message, and per-call closures
// (named, so the dev build wraps each in a name-keeping helper) were a measurable share of its cost.
function finishFlow(reader: FlowReader, action: SlimAction, label: string | null, outcome: FlowOutcome): void {
  if (reader.open) reader.open.end = { action, label, outcome };
  reader.open = null;
}

function startFlow(reader: FlowReader, opener: SlimAction | null, page: string | null): ActivityFlow {
  const flow = newFlow(opener, page);
  reader.flows.push(flow);
  reader.open = flow;
  return flow;
}

/**
 * Splits chronological actions into the dialogs and forms the user worked in. A flow starts at a click that opens
 * something (or, looking back, at the click just before the first field used on that page; or with no opener for a
 * form that is part of the page), collects everything done inside it, and ends at a finishing click or a submit
 * (`completed`), a 'Cancel'/'Close' click (`cancelled`) or a page change (`left`). The last flow has `end: null` while
 * the user is still in it. Clicks and pageviews outside any dialog or form belong to no flow.
 *
 * @example
 * const flows = readActivityFlows([pageLoadTeam, clickedInviteMember, clickedEmailField]);
 * flows.at(-1); // { label: 'Invite member', page: 'Team', fields: [{ name: 'email', noun: 'field', use: 'clicked' }], end: null, … }
 */
export function readActivityFlows(actions: readonly SlimAction[]): ActivityFlow[] {
  const reader: FlowReader = { flows: [], open: null };
  const flows = reader.flows;
  // Each action's page is compared with its neighbours' too: read every page once (a few regexes each).
  const pages = actions.map(pageNameOf);

  for (let position = 0; position < actions.length; position += 1) {
    const action = actions[position]!;
    const previous = position > 0 ? actions[position - 1]! : null;
    const next = actions[position + 1];
    const page = pages[position]!;
    const current = reader.open;

    if (action.type === 'pageview') {
      finishFlow(reader, action, null, 'left');
      continue;
    }
    // Without pageview capture a page change still shows in the action's own page.
    if (current && current.page && page && page !== current.page) finishFlow(reader, action, null, 'left');

    const field = fieldOf(action);
    if (field || action.type === 'focus' || action.type === 'blur') {
      let flow = reader.open;
      if (!flow) {
        if (!field) continue; // focus on a button outside any form is not a flow
        // The click just before the first field used is what opened the form, when it is a plain button click on
        // the same page that ended nothing ("Upgrade plan" then "Toggled 'plan'").
        const endedSomething = flows.some((entry) => entry.end?.action === previous);
        const opener =
          previous &&
          previous.type === 'click' &&
          !fieldOf(previous) &&
          !isDeadClick(previous) &&
          !endedSomething &&
          namedLabel(previous) !== null &&
          clickEffect(namedLabel(previous)!) !== 'cancels' &&
          pages[position - 1] === page
            ? previous
            : null;
        flow = startFlow(reader, opener, page);
      }
      flow.steps.push(action);
      if (field) touch(flow, field);
      continue;
    }

    if (action.type === 'submit') {
      const last = flows.at(-1);
      // The submit event that follows a click on the form's own button belongs to that click.
      if (!reader.open && last && last.end?.action === previous && last.end.outcome === 'completed' && !last.submit) {
        last.submit = action;
        continue;
      }
      const flow = reader.open ?? startFlow(reader, null, page);
      flow.submit = action;
      finishFlow(reader, action, null, 'completed');
      continue;
    }

    if (action.type !== 'click') continue;
    const label = namedLabel(action);
    const flow = reader.open;
    if (isDeadClick(action) || !label) {
      flow?.steps.push(action);
      continue;
    }
    // A click followed straight away by a submit is the form's submit button, whatever its label says.
    let effect: ClickEffect = next?.type === 'submit' && pages[position + 1] === page ? 'completes' : clickEffect(label);
    if (flow && effect === 'opens') {
      if (flow.label && label.toLowerCase() === flow.label.toLowerCase()) {
        flow.steps.push(action); // clicked the opener again while the dialog is open
        continue;
      }
      // Inside an open dialog a verb button ("Create project" in "Add Project") is its confirm button. One that has
      // nothing to do with the dialog, before anything was filled in, opens something new (Escape is not captured).
      if (flow.opener && (flow.steps.length > 0 || (flow.label !== null && sharesWord(flow.label, label)))) effect = 'completes';
    }
    switch (effect) {
      case 'opens':
        finishFlow(reader, action, null, 'left');
        startFlow(reader, action, page);
        break;
      case 'completes':
        // A finishing click with no form used before ("Save changes" straight away) still ends a (bare) flow.
        if (!flow) startFlow(reader, null, page);
        finishFlow(reader, action, label, 'completed');
        break;
      case 'cancels':
        if (flow) finishFlow(reader, action, label, 'cancelled');
        break;
      default:
        flow?.steps.push(action);
    }
  }
  return flows;
}

/** The dialog or form the user is in now, or `null`. */
export function openFlowOf(flows: readonly ActivityFlow[]): ActivityFlow | null {
  const last = flows.at(-1);
  return last && !last.end ? last : null;
}

/**
 * The dialog or form the user has just finished or cancelled: the last flow, when it ended that way and the user has
 * not clicked anything or changed page since (focus, typing outside a form and the matching submit do not count).
 */
export function finishedFlowOf(flows: readonly ActivityFlow[], actions: readonly SlimAction[]): ActivityFlow | null {
  const last = flows.at(-1);
  if (!last?.end || last.end.outcome === 'left') return null;
  const endAt = actions.lastIndexOf(last.end.action);
  if (endAt < 0) return null;
  const after = actions.slice(endAt + 1).filter((action) => action !== last.submit);
  return after.some((action) => action.type === 'click' || action.type === 'pageview' || action.type === 'submit') ? null : last;
}
