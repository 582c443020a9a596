/**
 * The "where is the user right now" section of the reply prompt: the page, the dialog or form they have open (and
 * the fields used in it) or the step they have just completed, and their last action. It is read from the same facts
 * the offline responder uses (`currentActivity`, `readActivityFlows`), so both responders agree on the user's state,
 * and every label in it is quoted from the activity records; nothing is invented.
 */
import type { SlimAction } from '@sightline/protocol';
import { actionLabel, actionTitle, currentActivity } from './activity-facts.ts';
import { fieldOf, finishedFlowOf, namedLabel, openFlowOf, readActivityFlows, type ActivityFlow, type FieldTouch } from './activity-flow.ts';

/** The section header. The system prompt names it, so the model knows which section is the current state. */
export const WHERE_USER_IS_HEADER = '[WHERE THE USER IS NOW]';

/** Longest label or title quoted in the section; longer ones are cut with "…". */
const MAX_QUOTE_CHARS = 120;
/** Most fields and inside clicks listed for one dialog; the action lines carry the rest. */
const MAX_LISTED = 6;

/**
 * Record text on one line and bounded: a UI label containing a newline could otherwise start a line that looks like
 * a prompt section header ("[CURRENT USER MESSAGE]").
 */
function inline(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > MAX_QUOTE_CHARS ? `${flat.slice(0, MAX_QUOTE_CHARS - 1)}…` : flat;
}

function quoted(label: string): string {
  return `'${inline(label)}'`;
}

const USE_WORDS: Record<FieldTouch['use'], string> = {
  focused: 'focused',
  clicked: 'clicked',
  toggled: 'toggled',
  selected: 'option picked',
  typed: 'typed in',
};

/** "email field (typed in)", "role dropdown (option picked)", "an unnamed field (typed in)". */
function fieldText(field: FieldTouch): string {
  const name = field.name ? `${inline(field.name)} ${field.noun}` : `an unnamed ${field.noun}`;
  return `${name} (${field.use === 'toggled' && field.noun === 'radio button' ? 'option picked' : USE_WORDS[field.use]})`;
}

function listed(items: readonly string[]): string {
  const shown = items.slice(0, MAX_LISTED);
  const more = items.length - shown.length;
  return more > 0 ? `${shown.join(', ')} and ${more} more` : shown.join(', ');
}

/** Named buttons clicked inside a dialog that are not its fields ("Business" in "Upgrade plan"), each once. */
function insideClicks(flow: ActivityFlow): string[] {
  const labels: string[] = [];
  for (const step of flow.steps) {
    if (step.type !== 'click' || fieldOf(step) || /\(nothing happened\)/.test(step.title)) continue;
    const label = namedLabel(step);
    // Clicking the opener again while the dialog is open adds nothing.
    if (!label || (flow.label && label.toLowerCase() === flow.label.toLowerCase())) continue;
    if (!labels.includes(label)) labels.push(label);
  }
  return labels.map(quoted);
}

/** How the flow is named in a line: "the dialog opened with 'Invite member'", "the form on this page". */
function flowDescription(flow: ActivityFlow): string {
  if (flow.label) return `the dialog opened with ${quoted(flow.label)}`;
  if (flow.opener) return 'the dialog or form opened by a click on an unlabelled element';
  return 'the form on this page';
}

/** What was used inside a dialog: its fields, then other named buttons clicked in it. */
function usedParts(flow: ActivityFlow, lead: string): string[] {
  const parts: string[] = [];
  if (flow.fields.length > 0) parts.push(`${lead}: ${listed(flow.fields.map(fieldText))}`);
  const clicks = insideClicks(flow);
  if (clicks.length > 0) parts.push(`also clicked inside: ${listed(clicks)}`);
  return parts;
}

function openLine(flow: ActivityFlow): string {
  const what = flow.label
    ? `Open dialog: opened with ${quoted(flow.label)}`
    : flow.opener
      ? 'Open dialog or form: opened by a click on an unlabelled element'
      : 'Open form: part of the page, not opened by a button';
  const parts = usedParts(flow, 'fields used so far');
  if (flow.fields.length === 0) parts.unshift('no fields used yet');
  return [what, ...parts].join('; ');
}

function finishedLine(flow: ActivityFlow): string | null {
  const end = flow.end;
  if (!end) return null;
  const parts = usedParts(flow, 'fields used');
  const used = parts.length > 0 ? ` (${parts.join('; ')})` : '';
  if (end.outcome === 'cancelled') {
    const closer = end.label ? `${quoted(end.label)}, which ` : '';
    return `Last closed without finishing: ${closer}closed ${flowDescription(flow)}${used}`;
  }
  const submitted = flow.submit ? actionLabel(flow.submit) : null;
  const step = end.label ? quoted(end.label) : submitted ? `submitted ${quoted(submitted)}` : 'submitted a form';
  return `Last completed step: ${step}, which finished ${flowDescription(flow)}${used}`;
}

/**
 * The lines of the where-the-user-is section for chronological `actions` (all recent sessions, oldest first):
 * `Page: …`, then `Open dialog: …` while a dialog or form is open, or `Last completed step: …` /
 * `Last closed without finishing: …` right after one ended, then `Last action: …`. `[]` with no actions.
 *
 * @example
 * whereUserIsLines(actions); // ['Page: Team', "Open dialog: opened with 'Invite member'; fields used so far: email field (typed in)", "Last action: Typed in 'email'"]
 */
export function whereUserIsLines(actions: readonly SlimAction[]): string[] {
  if (actions.length === 0) return [];
  const now = currentActivity(actions);
  const flows = readActivityFlows(actions);
  const open = openFlowOf(flows);
  const finished = open ? null : finishedFlowOf(flows, actions);
  const lines: string[] = [];
  if (now.page) lines.push(`Page: ${inline(now.page)}`);
  if (open) lines.push(openLine(open));
  else if (finished) {
    const line = finishedLine(finished);
    if (line) lines.push(line);
  }
  if (now.lastAction) lines.push(`Last action: ${inline(actionTitle(now.lastAction))}`);
  return lines;
}

/**
 * The whole section, header and lines, for `actions`; `''` when there is no activity, so the prompt leaves it out.
 *
 * @example
 * whereUserIsSection(actions);
 * // "[WHERE THE USER IS NOW]\nPage: Team\nOpen dialog: opened with 'Invite member'; no fields used yet\nLast action: Clicked 'Invite member'"
 */
export function whereUserIsSection(actions: readonly SlimAction[]): string {
  const lines = whereUserIsLines(actions);
  return lines.length > 0 ? `${WHERE_USER_IS_HEADER}\n${lines.join('\n')}` : '';
}
