/**
 * The demo's simulated users: a few sessions of Acme Workspace's own flows (invite a member, upgrade the plan, add a
 * project, save the settings), written as posthog-js captures them from the demo's markup, so that `sightline dev`
 * can feed them through the connector on a first start and the bridge's UI map is not empty. This is demo data: the
 * caller gives the user ids a prefix that only a bridge started for the demo counts (docs/knowledge.md, "The demo's
 * seed").
 */

/** One event as posthog-js sends it in a capture batch. */
export interface DemoSeedEvent {
  event: '$pageview' | '$autocapture';
  properties: Record<string, unknown>;
  timestamp: string;
}

/** One simulated user's session: the body of one `POST /e/` to the connector. */
export interface DemoSeedBatch {
  userId: string;
  sessionId: string;
  body: { api_key: string; batch: DemoSeedEvent[] };
}

/** Options of {@link demoSeedBatches}. */
export interface DemoSeedOptions {
  /** The demo product's public capture token. */
  captureToken: string;
  /** Put before each simulated user's number to make their id (the bridge's demo-seed prefix). */
  userIdPrefix: string;
  /** The time of the last event, ms; the sessions end just before it. */
  now: number;
  /** How many simulated users (default 4: one more than the UI map's default threshold). */
  users?: number;
  /** The host the events say they came from (default `localhost:3000`). */
  host?: string;
}

type Attributes = Record<string, string>;

/** One element of an `$elements_chain` as posthog-js writes it: tag and classes, then its attributes sorted by key. */
function element(tag: string, attributes: Attributes = {}, text?: string): string {
  const classes = attributes['class']?.split(' ').filter(Boolean) ?? [];
  const pairs: Attributes = {};
  for (const [name, value] of Object.entries(attributes)) pairs[`attr__${name}`] = value;
  if (attributes['id']) pairs['attr_id'] = attributes['id'];
  if (attributes['href']) pairs['href'] = attributes['href'];
  pairs['nth-child'] = '1';
  pairs['nth-of-type'] = '1';
  if (text !== undefined) pairs['text'] = text;
  const body = Object.keys(pairs)
    .sort()
    .map((key) => `${key}="${pairs[key]!.replace(/"/g, '\\"')}"`)
    .join('');
  return `${tag}${classes.map((name) => `.${name}`).join('')}:${body}`;
}

// The demo's shell (apps/demo/src/browser/main.ts): the sidebar's navigation, the page inside <main id="page">.
const BODY = 'body:nth-child="2"nth-of-type="1"';
const APP = element('div', { id: 'app' });
const PAGE = [element('main', { id: 'page' }), element('div', { class: 'main' }), APP, BODY];
const chain = (...elements: string[]): string => elements.join(';');

const navLink = (title: string, path: string): string =>
  chain(element('a', { href: path, id: `nav-${title.toLowerCase()}`, 'data-link': '' }, title), element('nav', { class: 'nav', 'aria-label': 'Main' }), element('aside', { class: 'sidebar' }), APP, BODY);

const headerButton = (text: string, id: string, name: string, dialog: string): string =>
  chain(element('button', { type: 'button', class: 'button primary', id, name, 'data-open-dialog': dialog }, text), element('div'), element('header', { class: 'page-header' }), ...PAGE);

/** The elements around a control inside one of the demo's dialogs, innermost first. */
const inDialog = (form: string, formName: string, dialog: string): string[] => [
  element('form', { id: form, name: formName }),
  element('div', { class: 'dialog', id: dialog, role: 'dialog', 'aria-modal': 'true', 'aria-labelledby': dialog.replace(/-dialog$/, '-title') }),
  element('div', { class: 'overlay', 'data-dialog-overlay': '' }),
  ...PAGE,
];

const submitButton = (text: string, id: string, name: string, around: string[]): string =>
  chain(element('button', { type: 'submit', class: 'button primary', id, name }, text), element('div', { class: 'dialog-actions' }), ...around);

/** A step of a simulated session, before it is stamped with identity and time. */
interface Step {
  event: '$pageview' | '$autocapture';
  path: string;
  eventType?: 'click' | 'change' | 'submit';
  chain?: string;
}

const TITLES: Record<string, string> = { '/dashboard': 'Dashboard', '/projects': 'Projects', '/team': 'Team', '/billing': 'Billing', '/settings': 'Settings' };
const view = (path: string): Step => ({ event: '$pageview', path });
const click = (path: string, elements: string): Step => ({ event: '$autocapture', eventType: 'click', path, chain: elements });
const change = (path: string, elements: string): Step => ({ event: '$autocapture', eventType: 'change', path, chain: elements });
const submit = (path: string, elements: string): Step => ({ event: '$autocapture', eventType: 'submit', path, chain: elements });

/** From the Dashboard through the sidebar to a page, and back afterwards (which shows the finish led on). */
const goTo = (title: string, path: string): Step[] => [click('/dashboard', navLink(title, path)), view(path)];
const backHome = (from: string): Step[] => [click(from, navLink('Dashboard', '/dashboard')), view('/dashboard')];

const INVITE = inDialog('invite-form', 'invite-member-form', 'invite-member-dialog');
const UPGRADE = inDialog('upgrade-form', 'upgrade-plan-form', 'upgrade-plan-dialog');
const ADD_PROJECT = inDialog('add-project-form', 'add-project', 'add-project-dialog');
const SETTINGS = [element('form', { id: 'settings-form', name: 'workspace-settings' }), element('div', { class: 'card narrow' }), ...PAGE];

/** The demo's flows, each from the Dashboard and back: what its users do most. */
const FLOWS: Step[][] = [
  [
    ...goTo('Team', '/team'),
    click('/team', headerButton('Invite member', 'invite-member-btn', 'invite-member', 'invite-member-dialog')),
    change('/team', chain(element('input', { id: 'invite-email', name: 'email', type: 'email', placeholder: 'name@company.com', autocomplete: 'off' }), ...INVITE)),
    click('/team', submitButton('Send invite', 'send-invite-btn', 'send-invite', INVITE)),
    submit('/team', chain(...INVITE)),
    ...backHome('/team'),
  ],
  [
    ...goTo('Billing', '/billing'),
    click('/billing', headerButton('Upgrade plan', 'upgrade-plan-btn', 'upgrade-plan', 'upgrade-plan-dialog')),
    click('/billing', chain(element('input', { type: 'radio', id: 'plan-business', name: 'plan' }), element('label', { class: 'plan-option', for: 'plan-business' }), element('fieldset', { class: 'plans' }), ...UPGRADE)),
    click('/billing', submitButton('Confirm upgrade', 'confirm-upgrade-btn', 'confirm-upgrade', UPGRADE)),
    submit('/billing', chain(...UPGRADE)),
    ...backHome('/billing'),
  ],
  [
    ...goTo('Projects', '/projects'),
    click('/projects', headerButton('Add Project', 'add-project-btn', 'add-project', 'add-project-dialog')),
    change('/projects', chain(element('input', { id: 'project-name', name: 'project_name', type: 'text', placeholder: 'e.g. Spring campaign', autocomplete: 'off' }), ...ADD_PROJECT)),
    click('/projects', submitButton('Create project', 'create-project-btn', 'create-project', ADD_PROJECT)),
    submit('/projects', chain(...ADD_PROJECT)),
    ...backHome('/projects'),
  ],
  [
    ...goTo('Settings', '/settings'),
    change('/settings', chain(element('input', { id: 'workspace-name', name: 'workspace_name', type: 'text', autocomplete: 'off' }), ...SETTINGS)),
    click('/settings', chain(element('button', { type: 'submit', class: 'button primary', id: 'save-settings-btn', name: 'save-settings' }, 'Save changes'), element('div', { class: 'form-actions' }), ...SETTINGS)),
    submit('/settings', chain(...SETTINGS)),
    ...backHome('/settings'),
  ],
];

/** The number of distinct flows every simulated user finishes: once the UI map knows this many, the seed is in. */
export const DEMO_SEED_FLOW_COUNT = FLOWS.length;

/** Seconds between two events of a simulated session. */
const STEP_SECONDS = 2;

/**
 * The simulated users' sessions, one capture batch each: every user starts on the Dashboard and goes through the
 * demo's flows, each user in another order. Pure: the same options give the same batches.
 *
 * @example
 * for (const { body } of demoSeedBatches({ captureToken, userIdPrefix: DEMO_SEED_USER_PREFIX, now: Date.now() })) {
 *   await fetch(`${connectorUrl}/e/`, { method: 'POST', body: JSON.stringify(body) });
 * }
 */
export function demoSeedBatches(options: DemoSeedOptions): DemoSeedBatch[] {
  const host = options.host ?? 'localhost:3000';
  const count = options.users ?? 4;
  const batches: DemoSeedBatch[] = [];
  for (let user = 1; user <= count; user++) {
    const userId = `${options.userIdPrefix}${user}`;
    // Shaped like posthog-js's UUIDv7 session ids; the start time keeps sessions of different starts apart.
    const sessionId = `${options.now.toString(16).padStart(12, '0').slice(-12).replace(/^(.{8})(.{4})$/, '$1-$2')}-7000-8000-${String(user).padStart(12, '0')}`;
    const flows = FLOWS.map((_, index) => FLOWS[(index + user - 1) % FLOWS.length]!);
    const steps = [view('/dashboard'), ...flows.flat()];
    const batch = steps.map((step, position): DemoSeedEvent => {
      const properties: Record<string, unknown> = {
        distinct_id: userId,
        token: options.captureToken,
        $session_id: sessionId,
        $window_id: `${sessionId}-seed`,
        $current_url: `http://${host}${step.path}`,
        $host: host,
        $pathname: step.path,
        $lib: 'web',
      };
      if (step.event === '$pageview') properties['title'] = `${TITLES[step.path] ?? 'Dashboard'} · Acme Workspace`;
      if (step.eventType) properties['$event_type'] = step.eventType;
      if (step.chain) properties['$elements_chain'] = step.chain;
      // Each session's events a few seconds apart, the last one just before `now`.
      const at = options.now - (steps.length - position) * STEP_SECONDS * 1000 - user * 100;
      return { event: step.event, properties, timestamp: new Date(at).toISOString() };
    });
    batches.push({ userId, sessionId, body: { api_key: options.captureToken, batch } });
  }
  return batches;
}
