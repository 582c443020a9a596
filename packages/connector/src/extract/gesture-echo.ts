/**
 * Events posthog-js sends for one gesture that are not actions of their own (docs/reference/posthog-capture.md,
 * "One click, several events"). A click on a radio card's label reaches the connector as a click on the label, a
 * click on the input (the browser clicks a label's control for it) and a change of the input: three times "Selected
 * 'Business'". And picking an option or clicking into a field changes nothing on the page, so posthog-js's dead-click
 * detection reports it as a click where nothing happened, which it is not.
 */
import type { TargetRole } from '@sightline/protocol';
import type { ExtractedAction } from './extract-action.ts';
import type { TabMemory } from './tab-memory.ts';

/**
 * Seconds within which the same choice is one gesture: the label's click, the input's click and its change come
 * in one task of the browser (a few milliseconds apart); a person picking twice is ten times slower.
 */
export const GESTURE_SECONDS = 0.05;

/** Controls whose effect is their own state (picked, ticked, focused), not a change of the page. */
const STATEFUL_CONTROLS = new Set<TargetRole>(['radio', 'checkbox', 'switch', 'option', 'select', 'field']);

function choiceKey(action: ExtractedAction): string {
  return `${action.target?.role ?? ''}\0${action.target?.label ?? ''}\0${action.container?.label ?? ''}\0${action.choice ?? ''}`;
}

/**
 * Whether `action` only echoes its tab's previous one: a dead click on a control whose effect is its own state, or
 * the same choice again within {@link GESTURE_SECONDS}. Remembers the tab's last choice.
 *
 * @example
 * isGestureEcho(tab, labelClick); // false: "Selected 'Business'"
 * isGestureEcho(tab, inputChange); // true: the same choice, 3 ms later
 */
export function isGestureEcho(memory: TabMemory, action: ExtractedAction): boolean {
  if (action.note === 'dead_click' && action.target !== null && STATEFUL_CONTROLS.has(action.target.role)) return true;
  if (action.step !== 'choose') return false;
  const key = choiceKey(action);
  const last = memory.lastChoice;
  memory.lastChoice = { key, at: action.timestamp_start };
  return last !== null && last.key === key && Math.abs(action.timestamp_start - last.at) <= GESTURE_SECONDS;
}
