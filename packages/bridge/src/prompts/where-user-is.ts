/**
 * The state sections of the reply prompt, written from the SDK's activity state of the user's tabs: where the user
 * is now in the tab they acted in last (page, open dialog and what opened it, fields done, choice made, the last
 * finished flow, the last action, signs of being lost), and one line for each other recent tab. Every label is
 * quoted from the state; nothing is invented and nothing is parsed back from prose.
 */
import type { ActivityState, FinishedFlow, LostSignals, OpenContainer } from '@sightline/sdk';
import { inline, joinList, quote, relativeTime } from './prompt-text.ts';
import { CONTAINER_WORDS, containerText, stepPhrase } from './step-line.ts';

/** The section header of the current tab's state. The system prompt names it as the authoritative "now". */
export const WHERE_USER_IS_HEADER = '[WHERE THE USER IS NOW]';

/** The section header of the user's other recent tabs. */
export const OTHER_TABS_HEADER = '[OTHER TABS]';

/** Distinct pages without finishing anything from which the section calls it a sign of being lost. */
const LOST_PAGES_THRESHOLD = 5;

/** Dead clicks (clicks that changed nothing) from which the section calls it a sign of being lost; one is common. */
const LOST_DEAD_CLICKS_THRESHOLD = 2;

/** Most other tabs listed; the rest are left out. */
const MAX_OTHER_TABS = 3;

/** Most fields or choices named in one line. */
const MAX_LISTED = 8;

function quotedList(labels: readonly string[]): string {
  const shown = labels.slice(-MAX_LISTED).map(quote);
  const more = labels.length - shown.length;
  return more > 0 ? `${more} more, then ${shown.join(', ')}` : shown.join(', ');
}

function openLines(open: OpenContainer, nowMs: number): string[] {
  const word = CONTAINER_WORDS[open.kind];
  const name = open.label ? `${quote(open.label)}` : '(no name shown)';
  const opener = open.openedBy ? `opened with ${quote(open.openedBy)}` : 'open since the page loaded';
  const lines = [`Open ${word}: ${name}, ${opener} ${relativeTime(open.openedAt, nowMs)}`];
  lines.push(`Fields done in it: ${open.fields.length > 0 ? quotedList(open.fields) : 'none yet'}`);
  if (open.choices.length === 1) lines.push(`Choice made in it: ${quote(open.choices[0]!)}`);
  else if (open.choices.length > 1) lines.push(`Choices made in it (latest last): ${quotedList(open.choices)}`);
  return lines;
}

function finishedLine(flow: FinishedFlow, nowMs: number): string {
  const what = flow.container ? containerText(flow.container) : 'a form';
  const parts = [
    `${flow.outcome === 'completed' ? 'completed' : 'closed without finishing'} ${what}`,
    flow.openedBy ? ` (opened with ${quote(flow.openedBy)})` : '',
    flow.by ? ` with ${quote(flow.by)}` : '',
    flow.page ? ` on ${inline(flow.page)}` : '',
    `, ${relativeTime(flow.at, nowMs)}`,
  ];
  const details: string[] = [];
  if (flow.fields.length > 0) details.push(`fields done: ${quotedList(flow.fields)}`);
  if (flow.choices.length > 0) details.push(`chosen: ${quotedList(flow.choices)}`);
  if (flow.ledTo) details.push(`then went to ${inline(flow.ledTo)}`);
  return `Last finished flow: ${parts.join('')}${details.map((detail) => `; ${detail}`).join('')}`;
}

/** The signs of being lost worth telling the model, or `[]`. */
export function lostSigns(lost: LostSignals): string[] {
  const signs: string[] = [];
  if (lost.pingPong) signs.push(`went back and forth between ${quote(lost.pingPong[0])} and ${quote(lost.pingPong[1])}`);
  if (lost.rageClicks > 0) signs.push(`clicked repeatedly with no effect (${lost.rageClicks} time${lost.rageClicks === 1 ? '' : 's'})`);
  if (lost.deadClicks >= LOST_DEAD_CLICKS_THRESHOLD) signs.push(`${lost.deadClicks} clicks that did nothing`);
  if (lost.pagesWithoutProgress >= LOST_PAGES_THRESHOLD) signs.push(`visited ${lost.pagesWithoutProgress} pages without finishing anything`);
  return signs;
}

/**
 * The lines of the where-the-user-is section for one tab's state: `Page: …`, `Open dialog: …` with `Fields done in
 * it` and `Choice made in it`, `Last finished flow: …`, `Last action: …` and `Seems lost: …`, each when the state
 * has it; times relative to `nowMs` (epoch milliseconds). `[]` for a state with no page and no action.
 *
 * @example
 * whereUserIsLines(state, Date.now());
 * // ['Page: Billing (arrived 2 min ago)', "Open dialog: 'Upgrade plan', opened with 'Upgrade plan' 1 min ago", …]
 */
export function whereUserIsLines(state: ActivityState, nowMs: number): string[] {
  const lines: string[] = [];
  if (state.page) lines.push(`Page: ${inline(state.page.title)} (arrived ${relativeTime(state.page.since, nowMs)})`);
  if (state.open) lines.push(...openLines(state.open, nowMs));
  if (state.lastFinished) lines.push(finishedLine(state.lastFinished, nowMs));
  if (state.lastAction) {
    const where = state.lastAction.page && state.lastAction.page !== state.page?.title ? ` on ${inline(state.lastAction.page)}` : '';
    lines.push(`Last action: ${stepPhrase(state.lastAction)}${where} (${relativeTime(state.lastAction.at, nowMs)})`);
  }
  const signs = lostSigns(state.lost);
  if (signs.length > 0) lines.push(`Seems lost: ${joinList(signs)}`);
  return lines;
}

/**
 * The whole section, header and lines, for the tab the user acted in last; `''` when there is no tab or it shows
 * nothing yet, so the prompt leaves it out.
 */
export function whereUserIsSection(tabs: readonly ActivityState[], nowMs: number): string {
  const current = tabs[0];
  const lines = current ? whereUserIsLines(current, nowMs) : [];
  return lines.length > 0 ? `${WHERE_USER_IS_HEADER}\n${lines.join('\n')}` : '';
}

/** One other tab on one line: "- Team · 'Invite member' dialog open · last active 5 min ago". */
function otherTabLine(state: ActivityState, nowMs: number): string | null {
  const parts: string[] = [];
  if (state.page) parts.push(inline(state.page.title));
  if (state.open) parts.push(`${state.open.label ? `${quote(state.open.label)} ` : ''}${CONTAINER_WORDS[state.open.kind]} open`);
  if (parts.length === 0 && !state.lastAction) return null;
  parts.push(`last active ${relativeTime(state.lastAt, nowMs)}`);
  return `- ${parts.join(' · ')}`;
}

/**
 * One line for each of the user's other tabs (all but the first, which {@link whereUserIsSection} describes), most
 * recent first, at most three. `[]` when there are none.
 */
export function otherTabLines(tabs: readonly ActivityState[], nowMs: number): string[] {
  const lines: string[] = [];
  for (const state of tabs.slice(1)) {
    if (lines.length >= MAX_OTHER_TABS) break;
    const line = otherTabLine(state, nowMs);
    if (line) lines.push(line);
  }
  return lines;
}
