/**
 * The structure of one action: the connector's structured fields when the action has them, else what one small
 * adapter can derive from Autoplay's `title`, `description`, `canonical_url` and `type`. This adapter is the only
 * place in Sightline that reads prose back (docs/DESIGN.md, "Structured activity"); everything after it works on
 * the {@link NormalisedStructure}.
 */
import type { ActionContainer, ActionPage, ActionStep, ActionTarget, SlimAction, TargetRole } from '@sightline/protocol';
import type { ActivityStep } from './activity-state.ts';

/** What the activity reducer needs to know about one action, whichever stream it came from. */
export interface NormalisedStructure {
  /** The kind of step, or null for an action that is not a step of its own (focus, blur, unknown types). */
  step: ActionStep | null;
  /** The page, its path without host, query or fragment; null when the action names none. */
  page: ActionPage | null;
  target: ActionTarget | null;
  container: ActionContainer | null;
  /** The chosen option's label (radios, checkboxes, options, tabs), else null. */
  choice: string | null;
  /** The browser tab (`window_id`), null when the stream carries none. */
  windowId: string | null;
  /** For `failed` steps: a rage click or a dead click. */
  failure: 'rage' | 'dead' | null;
  /** When it happened, epoch seconds: `received_at` when present, else `timestamp_start`. */
  at: number;
}

/**
 * The structure of an action. An action with a `step` is structured: its fields are used as they are (absent
 * means null), and only a missing `page` is derived as below. Any other action goes through the adapter for
 * Autoplay's prose:
 *
 * | title                                  | step       | target                 |
 * |----------------------------------------|------------|------------------------|
 * | `Page Load: X`                         | `navigate` | none; the page is X    |
 * | `Clicked 'X'`                          | `click`    | element X              |
 * | `Clicked 'Cancel'` (a closing word)    | `dismiss`  | button Cancel          |
 * | `Submitted …`                          | `submit`   | form                   |
 * | `Typed in 'X'`                         | `type`     | field X                |
 * | `Toggled 'X'`                          | `choose`   | checkbox or radio X, X chosen |
 * | `Selected an option in 'X'`            | `choose`   | select X, choice unknown |
 * | `Rage-clicked …`, `… (nothing happened)` | `failed` | element                |
 *
 * A label runs from the title's first `'` to its last, so labels may hold quotes (`Clicked 'Say "hi"'`).
 * Typing, choosing and submitting are taken to happen in an unnamed form (so the reducer can see a form being
 * filled in); clicks have no container. The page title is the description's "… on the X page", else a name
 * made from the path's last segment that is not `:id`. There is no window id.
 *
 * `failure` is the action's own `failure` field; a `failed` step without one (a connector older than that field) is
 * rage when the title starts with "Rage-clicked", else dead.
 *
 * @example
 * structureOf({ ...action, type: 'click', title: "Clicked 'Assign'", description: 'User clicked Assign on the Leads page' })
 * // { step: 'click', page: { title: 'Leads', path: '/leads' }, target: { role: 'element', label: 'Assign' }, … }
 */
export function structureOf(action: SlimAction): NormalisedStructure {
  const at = typeof action.received_at === 'number' ? action.received_at : action.timestamp_start;
  const windowId = action.window_id ?? null;
  if (action.step) {
    // A change event on a radio, checkbox or switch is the same choice its click made, not typing.
    const isChoiceChange = action.step === 'type' && action.target !== undefined && action.target !== null && CHOICE_ROLES.has(action.target.role);
    return {
      step: isChoiceChange ? 'choose' : action.step,
      page: action.page?.path ? { title: action.page.title || titleFromPath(pathOnly(action.page.path)), path: pathOnly(action.page.path) } : adapterPage(action),
      target: action.target ? { role: action.target.role, label: action.target.label ?? null } : null,
      container: action.container ? { kind: action.container.kind, label: action.container.label ?? null } : null,
      choice: action.choice ?? (isChoiceChange ? (action.target?.label ?? null) : null),
      windowId,
      failure: action.step === 'failed' ? (action.failure ?? (action.title.startsWith('Rage-clicked') ? 'rage' : 'dead')) : null,
      at,
    };
  }
  return { ...adapterStructure(action), page: adapterPage(action), windowId, at };
}

/**
 * An action as the activity state keeps it (an {@link ActivityStep}), or null when it is not a step of its own (focus,
 * blur, unknown types). `page` overrides the action's own page: the reducer passes the tab's page, so a click on a
 * page without a title of its own carries the title its page view gave.
 *
 * @example
 * activityStepOf(action)?.label; // 'Upgrade plan'
 */
export function activityStepOf(
  action: SlimAction,
  structure: NormalisedStructure = structureOf(action),
  page: { title: string | null; path: string | null } = { title: structure.page?.title ?? null, path: structure.page?.path ?? null },
): ActivityStep | null {
  if (!structure.step) return null;
  return {
    index: action.index,
    step: structure.step,
    role: structure.target?.role ?? null,
    label: structure.target?.label ?? null,
    choice: structure.step === 'choose' ? structure.choice : null,
    page: page.title,
    path: page.path,
    container: structure.container ? { kind: structure.container.kind, label: structure.container.label } : null,
    failure: structure.failure,
    at: structure.at,
  };
}

/** Roles whose change event is a choice. */
const CHOICE_ROLES: ReadonlySet<string> = new Set(['radio', 'checkbox', 'switch', 'option']);

/** Words on buttons that close a dialog without a result, matched whole and case-insensitively (adapter only). */
const CLOSING_LABELS = new Set(['cancel', 'close', 'dismiss', 'not now', 'no thanks', '×', '✕', 'x', 'cancelar', 'cerrar', 'fechar', 'annuler', 'fermer', 'abbrechen', 'schließen']);

const UNNAMED_FORM: ActionContainer = { kind: 'form', label: null };

function adapterStructure(action: SlimAction): Pick<NormalisedStructure, 'step' | 'target' | 'container' | 'choice' | 'failure'> {
  const title = action.title;
  const label = quotedLabel(title);
  const none = { target: null, container: null, choice: null, failure: null };
  if (title.startsWith('Rage-clicked')) return { ...none, step: 'failed', target: { role: 'element', label }, failure: 'rage' };
  if (title.endsWith('(nothing happened)')) return { ...none, step: 'failed', target: { role: 'element', label }, failure: 'dead' };
  if (action.type === 'pageview' || title.startsWith('Page Load')) return { ...none, step: 'navigate' };
  if (action.type === 'submit' || title.startsWith('Submitted')) return { ...none, step: 'submit', target: { role: 'form', label }, container: UNNAMED_FORM };
  if (title.startsWith('Toggled')) {
    const role: TargetRole = action.description.includes('radio') ? 'radio' : 'checkbox';
    return { ...none, step: 'choose', target: { role, label }, container: UNNAMED_FORM, choice: label };
  }
  if (title.startsWith('Selected an option')) return { ...none, step: 'choose', target: { role: 'select', label }, container: UNNAMED_FORM };
  if (action.type === 'type' || title.startsWith('Typed in')) return { ...none, step: 'type', target: { role: 'field', label }, container: UNNAMED_FORM };
  if (action.type === 'click') {
    if (label !== null && CLOSING_LABELS.has(label.toLowerCase())) return { ...none, step: 'dismiss', target: { role: 'button', label } };
    return { ...none, step: 'click', target: { role: 'element', label } };
  }
  return { ...none, step: null };
}

/** The text between the first and the last `'` of a title, or null when it has no quoted label. */
function quotedLabel(title: string): string | null {
  const first = title.indexOf("'");
  const last = title.lastIndexOf("'");
  if (first === -1 || last <= first + 1) return null;
  return title.slice(first + 1, last);
}

function adapterPage(action: SlimAction): ActionPage | null {
  const path = pathOnly(action.canonical_url || action.raw_url);
  if (!path) return null;
  const title = titleFromProse(action) ?? titleFromPath(path);
  return { title, path };
}

const ON_PAGE = /^ on the (.+) page(?:,.*| \(.*\))?$/;

function titleFromProse(action: SlimAction): string | null {
  if (action.title.startsWith('Page Load: ')) return action.title.slice('Page Load: '.length).trim() || null;
  const description = action.description;
  const at = description.lastIndexOf(' on the ');
  if (at === -1) return null;
  return ON_PAGE.exec(description.slice(at))?.[1] ?? null;
}

/** "Billing settings" from `/settings/billing-settings/:id`; "Home" for `/`. */
function titleFromPath(path: string): string {
  const segment = path.split('/').filter((part) => part !== '' && part !== ':id').at(-1);
  if (!segment) return 'Home';
  let words: string;
  try {
    words = decodeURIComponent(segment);
  } catch {
    words = segment;
  }
  words = words.replace(/[-_]+/g, ' ').trim();
  return words ? words.charAt(0).toUpperCase() + words.slice(1) : 'Home';
}

/** The path of a URL or path, without host, query or fragment: the state never holds a full URL. */
function pathOnly(url: string): string {
  if (!url) return '';
  let path = url;
  const scheme = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i.exec(path);
  if (scheme) path = path.slice(scheme[0].length);
  path = path.split(/[?#]/, 1)[0] ?? '';
  if (!path.startsWith('/')) path = `/${path}`;
  return path;
}
