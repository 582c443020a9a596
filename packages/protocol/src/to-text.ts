/**
 * Human-readable renderings of payloads (docs/reference/wire-contract.md#text-renderings,
 * docs/reference/wire-contract.md#action-list). The strings are exact: prompts, stored summaries and
 * Autoplay-compatible tests depend on every character.
 */
import type { ActionsPayload, GapPayload, SlimAction, StreamPayload } from './types.ts';

/** U+2014 with one space either side, the separator of every rendering. */
const SEPARATOR = ' \u2014 ';

/**
 * One action as `[{index}] {type}: {description} — {canonical_url}` (the title is not included).
 *
 * @example actionToText({ ...action, index: 0, type: 'click', description: 'desc', canonical_url: '/url' }) // '[0] click: desc — /url'
 */
export function actionToText(action: SlimAction): string {
  return `[${action.index}] ${action.type}: ${action.description}${SEPARATOR}${action.canonical_url}`;
}

function gapToText(payload: GapPayload): string {
  const resumed = payload.resumed_from ?? 'nothing newer';
  return `Gap after ${payload.last_event_id} (${payload.reason})${SEPARATOR}resumed from ${resumed}`;
}

/**
 * A payload as text.
 * - `actions`: `Session {session_id|unknown} — {n} actions` (always the plural), then one
 *   {@link actionToText} line per action, joined with `\n`, no trailing newline.
 * - `summary`: the summary verbatim.
 * - `gap` (Sightline's own rendering): `Gap after {last_event_id} ({reason}) — resumed from {resumed_from|nothing newer}`.
 *
 * @example payloadToText(emptyActions) // 'Session unknown — 0 actions'
 */
export function payloadToText(payload: StreamPayload): string {
  switch (payload.type) {
    case 'actions': {
      const header = `Session ${payload.session_id || 'unknown'}${SEPARATOR}${payload.actions.length} actions`;
      return [header, ...payload.actions.map(actionToText)].join('\n');
    }
    case 'summary':
      return payload.summary ?? '';
    case 'gap':
      return gapToText(payload);
  }
}

/**
 * The summarizer's and context store's action list (docs/reference/wire-contract.md#action-list): `{n}.
 * {actionToText}` per action, `n` counting from 1 across all payloads, joined with `\n`; `""` when there are no
 * actions.
 *
 * @example formatActionList([batch]) // '1. [0] : d0 — /a\n2. [1] click: d1 — /b'
 */
export function formatActionList(payloads: readonly ActionsPayload[]): string {
  const lines: string[] = [];
  for (const payload of payloads) {
    for (const action of payload.actions) lines.push(`${lines.length + 1}. ${actionToText(action)}`);
  }
  return lines.join('\n');
}
