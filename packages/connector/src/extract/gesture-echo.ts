/**
 * Events posthog-js sends for one gesture that are not actions of their own (docs/reference/posthog-capture.md,
 * "One click, several events"). A click on a radio card's label reaches the connector as a click on the label, a
 * click on the input (the browser clicks a label's control for it) and a change of the input: three times "Selected
 * 'Business'". And picking an option or clicking into a field changes nothing on the page, so posthog-js's dead-click
 * detection reports it as a click where nothing happened, which it is not.
 *
 * posthog-js sends a radio without its type, so a label read as a choice only because it sits in a fieldset may be a
 * text field's: the gesture tells. The browser's click on the control follows the label's within milliseconds; a
 * radio then fires its change at once, a text field only when typing is done. So the control's click stands for the
 * gesture (a click into the field) until a change of it comes within the same gesture, which makes it the label's
 * choice again.
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
 * What one action is within its tab's gesture: an action of its own (`keep`), an echo to leave out (`drop`), or the
 * gesture read anew (`swap`): the current action is left out, and `replaced`, an action of the gesture still waiting
 * to be sent, gives way to `by` (sent as a new action when `replaced` went out already).
 */
export type GestureReading = { kind: 'keep' } | { kind: 'drop' } | { kind: 'swap'; replaced: ExtractedAction; by: ExtractedAction };

const KEEP: GestureReading = { kind: 'keep' };
const DROP: GestureReading = { kind: 'drop' };

function isWithinGesture(action: ExtractedAction, since: number): boolean {
  return Math.abs(action.timestamp_start - since) <= GESTURE_SECONDS;
}

/**
 * Reads `action` within its tab's gesture (see the module comment), and remembers what the next event of the gesture
 * needs: the tab's last choice, and a choice the browser's click on a field may have echoed. `waiting` holds the
 * session's actions not sent yet.
 *
 * @example
 * readGesture(tab, labelClick, pending); // keep: "Selected 'Business'"
 * readGesture(tab, inputChange, pending); // drop: the same choice, 3 ms later
 * readGesture(tab, fieldClick, pending); // swap: a click into the field stands for the label's "Selected 'Email'"
 */
export function readGesture(memory: TabMemory, action: ExtractedAction, waiting: readonly ExtractedAction[]): GestureReading {
  if (action.note === 'dead_click' && action.target !== null && STATEFUL_CONTROLS.has(action.target.role)) return DROP;
  const echoed = memory.echoedChoice;
  const label = action.target?.label ?? null;
  if (echoed !== null && label !== null && label === echoed.choice.target?.label && action.target?.role === 'field' && isWithinGesture(action, echoed.choice.timestamp_start)) {
    // The browser's click on the field a label is for: a click into a text field, until a change says otherwise. If
    // the choice went out already, the click is an action of its own, and a change after it only the choice's echo.
    if (action.step === 'click' && echoed.field === null) {
      if (!waiting.includes(echoed.choice)) return KEEP;
      echoed.field = action;
      return { kind: 'swap', replaced: echoed.choice, by: action };
    }
    // Its change at once: the field was a radio after all, and the gesture the label's choice.
    if (action.step === 'type') {
      memory.echoedChoice = null;
      return echoed.field === null ? DROP : { kind: 'swap', replaced: echoed.field, by: echoed.choice };
    }
  }
  if (action.step !== 'choose') return KEEP;
  const key = choiceKey(action);
  const last = memory.lastChoice;
  memory.lastChoice = { key, at: action.timestamp_start };
  if (last !== null && last.key === key && isWithinGesture(action, last.at)) return DROP;
  memory.echoedChoice = { choice: action, field: null };
  return KEEP;
}
