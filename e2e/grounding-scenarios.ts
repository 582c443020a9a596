/**
 * Grounding scenarios in products that look nothing like the demo: each one a user's posthog-js events (built the
 * way posthog-js builds them) and questions with what a good answer must and must not do. Used by
 * grounding.test.ts, which runs them through a real connector and bridge.
 */

/** Options of one element of an `$elements_chain`. */
interface ElementOptions {
  classes?: string[];
  id?: string;
  text?: string;
  href?: string;
  attributes?: Record<string, string>;
}

/** One element as posthog-js writes it: `tag.class:attr__…="…"href="…"nth-child="1"nth-of-type="1"text="…"`. */
export function element(tag: string, options: ElementOptions = {}): string {
  const pairs: Record<string, string> = {};
  for (const [name, value] of Object.entries(options.attributes ?? {})) pairs[`attr__${name}`] = value;
  if (options.classes?.length) pairs['attr__class'] = options.classes.join(' ');
  if (options.id) {
    pairs['attr__id'] = options.id;
    pairs['attr_id'] = options.id;
  }
  if (options.href) {
    pairs['attr__href'] = options.href;
    pairs['href'] = options.href;
  }
  pairs['nth-child'] = '1';
  pairs['nth-of-type'] = '1';
  if (options.text !== undefined) pairs['text'] = options.text;
  const selector = `${tag}${(options.classes ?? []).map((name) => `.${name}`).join('')}`;
  const body = Object.keys(pairs)
    .sort()
    .map((key) => `${key}="${pairs[key]!.replace(/"/g, '\\"')}"`)
    .join('');
  return `${selector}:${body}`;
}

/** A chain, target first, `body` last. */
export function chain(...elements: string[]): string {
  return [...elements, 'body:nth-child="2"nth-of-type="1"'].join(';');
}

export const dialog = (label: string): string => element('div', { classes: ['modal'], attributes: { role: 'dialog', 'aria-modal': 'true', 'aria-label': label } });
export const main = element('main', { id: 'content' });

/** One posthog-js event before it is stamped with identity and time. */
export interface EventSpec {
  event: '$pageview' | '$autocapture' | '$rageclick' | '$dead_click';
  path: string;
  /** `document.title` on page views. */
  title?: string;
  eventType?: 'click' | 'change' | 'submit';
  chain?: string;
  /** Another tab of the same browser (posthog-js `$window_id`). */
  window?: string;
}

export const pageview = (path: string, title: string, window?: string): EventSpec => ({ event: '$pageview', path, title, ...(window ? { window } : {}) });
export const click = (path: string, elements: string, window?: string): EventSpec => ({ event: '$autocapture', eventType: 'click', path, chain: elements, ...(window ? { window } : {}) });
export const change = (path: string, elements: string): EventSpec => ({ event: '$autocapture', eventType: 'change', path, chain: elements });
export const submit = (path: string, elements: string): EventSpec => ({ event: '$autocapture', eventType: 'submit', path, chain: elements });
export const rageClick = (path: string, elements: string): EventSpec => ({ event: '$rageclick', path, chain: elements });

/** A question and what its answer must do. */
export interface Question {
  query: string;
  language: 'en' | 'es' | 'fr' | 'de' | 'pt';
  /** The answer names where the user is (any of these). */
  places?: RegExp[];
  /** Labels the answer must not tell the user to click or open again. */
  notAgain?: string[];
  /** The answer addresses the question (any of these). */
  answers: RegExp[];
  /** The question has nothing to do with the product: the answer must not mention the user's activity. */
  isUnrelated?: boolean;
  /** A recap may list, within this many lines. */
  maxLines?: number;
  /** Text that must not appear (another user's labels, an older flow). */
  mustNotMention?: RegExp[];
}

/** One scenario: a product, users' events, and questions. */
export interface Scenario {
  name: string;
  host: string;
  /** Every label of the product's UI that the events show; an answer quotes nothing else. */
  labels: string[];
  /** Events of the user who asks; spread over `spanSeconds` before the question. */
  events: EventSpec[];
  spanSeconds: number;
  questions: Question[];
  /** Another user of the same product, whose activity must never reach this user's answers. */
  otherUser?: { events: EventSpec[]; labels: string[] };
}

const crmOwner = dialog('Assign owner');
const helpdeskTabs = element('div', { attributes: { role: 'tablist', 'aria-label': 'Reply type' } });
const bankDialog = dialog('Open account');
const scheduleDialog = dialog('Schedule post');
const claimDialog = dialog('New claim');
const renewDialog = dialog('Renew policy');
const labelDialog = dialog('Create label');
const exportDialog = dialog('Export report');

function shipments(): EventSpec[] {
  const events: EventSpec[] = [];
  for (let k = 1; k <= 9; k += 1) {
    events.push(pageview('/shipments', 'Shipments · Haulr'));
    events.push(click('/shipments', chain(element('a', { href: `/shipments/${8800 + k}`, text: `Track shipment ${k}` }), element('td'), element('tr'), main)));
    events.push(pageview(`/shipments/${8800 + k}`, `Shipment details · Haulr`));
    events.push(click(`/shipments/${8800 + k}`, chain(element('button', { classes: ['btn'], text: 'Refresh status' }), main)));
  }
  events.push(pageview('/shipments/8810', 'Shipment details · Haulr'));
  events.push(click('/shipments/8810', chain(element('button', { classes: ['btn', 'primary'], text: 'Create label' }), main)));
  events.push(change('/shipments/8810', chain(element('input', { attributes: { name: 'weight_kg', 'aria-label': 'Weight' } }), element('form', { id: 'label-form' }), labelDialog, main)));
  return events;
}

/** Scenarios in products unlike the demo; every language the offline responder speaks. */
export const SCENARIOS: Scenario[] = [
  {
    name: 'crm one-word opener, Spanish short question',
    host: 'app.pipedeal.test',
    labels: ['Deals', 'Acme renewal', 'Assign', 'Assign owner', 'Owner', 'Save owner'],
    events: [
      pageview('/deals', 'Deals · Pipedeal'),
      pageview('/deals/4471', 'Acme renewal · Pipedeal'),
      click('/deals/4471', chain(element('button', { classes: ['btn'], text: 'Assign' }), element('div', { classes: ['toolbar'] }), main)),
      change('/deals/4471', chain(element('select', { attributes: { name: 'owner_id', 'aria-label': 'Owner' } }), element('form', { id: 'assign-owner-form' }), crmOwner, main)),
    ],
    spanSeconds: 40,
    questions: [
      { query: '¿y ahora?', language: 'es', places: [/assign owner/i], notAgain: ['Assign'], answers: [/assign owner|guard|confirm|botón/i] },
      { query: 'how do I finish this?', language: 'en', places: [/assign owner/i], notAgain: ['Assign'], answers: [/button|confirm|save|finish/i] },
    ],
  },
  {
    name: 'help desk tabs, French',
    host: 'desk.supportly.test',
    labels: ['Tickets', 'Internal note', 'Public reply', 'Note', 'Reply type'],
    events: [
      pageview('/tickets', 'Tickets · Supportly'),
      click('/tickets', chain(element('a', { href: '/tickets/4821', text: 'Printer on fire' }), element('td'), element('tr'), main)),
      pageview('/tickets/4821', 'Ticket · Supportly'),
      click('/tickets/4821', chain(element('button', { text: 'Internal note', attributes: { role: 'tab', 'aria-selected': 'false' } }), helpdeskTabs, main)),
      change('/tickets/4821', chain(element('textarea', { attributes: { name: 'note_body', 'aria-label': 'Note' } }), element('div', { attributes: { role: 'tabpanel', 'aria-label': 'Internal note' } }), main)),
    ],
    spanSeconds: 50,
    questions: [{ query: 'Où suis-je et que dois-je faire maintenant ?', language: 'fr', places: [/ticket/i], notAgain: ['Internal note'], answers: [/note|envoy|enregistr|ticket/i] }],
  },
  {
    name: 'bank radio card, German',
    host: 'online.northbank.test',
    labels: ['Accounts', 'Open account', 'Savings', 'Checking', 'Confirm'],
    events: [
      pageview('/accounts', 'Accounts | Northbank'),
      click('/accounts', chain(element('button', { classes: ['btn'], text: 'Open account', attributes: { 'aria-haspopup': 'dialog' } }), main)),
      click('/accounts', chain(element('strong', { text: 'Savings' }), element('span'), element('label', { classes: ['card'], attributes: { for: 'acct-savings' } }), element('fieldset'), bankDialog, main)),
      click('/accounts', chain(element('input', { id: 'acct-savings', attributes: { type: 'radio', name: 'account_type' } }), element('label', { classes: ['card'], attributes: { for: 'acct-savings' } }), element('fieldset'), bankDialog, main)),
    ],
    spanSeconds: 30,
    questions: [{ query: 'Was passiert, wenn ich bestätige?', language: 'de', places: [/open account/i], notAgain: ['Open account'], answers: [/savings/i] }],
  },
  {
    name: 'cms edit page, Portuguese',
    host: 'cms.inkwell.test',
    labels: ['Posts', 'Edit post', 'Schedule', 'Schedule post', 'Publish date'],
    events: [
      pageview('/posts', 'Posts — Inkwell'),
      click('/posts', chain(element('a', { href: '/posts/311/edit', text: 'Edit' }), element('td'), element('tr'), main)),
      pageview('/posts/311/edit', 'Edit post — Inkwell'),
      click('/posts/311/edit', chain(element('button', { text: 'Schedule' }), element('header'), main)),
      change('/posts/311/edit', chain(element('input', { attributes: { type: 'datetime-local', name: 'publish_at', 'aria-label': 'Publish date' } }), scheduleDialog, main)),
    ],
    spanSeconds: 40,
    questions: [{ query: 'como eu termino isso?', language: 'pt', places: [/schedule post/i], notAgain: ['Schedule'], answers: [/schedule post|botão|confirm|conclu|agend/i] }],
  },
  {
    name: 'cms finished flow, English',
    host: 'cms.inkwell.test',
    labels: ['Posts', 'Edit post', 'Schedule', 'Schedule post', 'Publish date', 'Save schedule'],
    events: [
      pageview('/posts/12/edit', 'Edit post — Inkwell'),
      click('/posts/12/edit', chain(element('button', { text: 'Schedule' }), element('header'), main)),
      change('/posts/12/edit', chain(element('input', { attributes: { name: 'publish_at', 'aria-label': 'Publish date' } }), scheduleDialog, main)),
      click('/posts/12/edit', chain(element('button', { classes: ['primary'], text: 'Save schedule', attributes: { type: 'submit' } }), element('form', { id: 'schedule-form' }), scheduleDialog, main)),
      submit('/posts/12/edit', chain(element('form', { id: 'schedule-form' }), scheduleDialog, main)),
      pageview('/posts', 'Posts — Inkwell'),
    ],
    spanSeconds: 40,
    questions: [{ query: 'did that work?', language: 'en', places: [/posts/i], notAgain: ['Save schedule', 'Schedule'], answers: [/sav|schedul|went through|worked|done/i] }],
  },
  {
    name: 'insurance after a cancelled dialog, choice named',
    host: 'my.insurely.test',
    labels: ['Claims', 'New claim', 'Cancel', 'Policies', 'Renew policy', 'Premium', 'Basic', 'Renew policy'],
    events: [
      pageview('/claims', 'Claims · Insurely'),
      click('/claims', chain(element('button', { text: 'New claim' }), main)),
      click('/claims', chain(element('button', { text: 'Cancel' }), element('div', { classes: ['actions'] }), claimDialog, main)),
      pageview('/policies', 'Policies · Insurely'),
      click('/policies', chain(element('button', { text: 'Renew policy' }), main)),
      click('/policies', chain(element('span', { text: 'Premium' }), element('label', { attributes: { for: 'tier-premium' } }), element('form', { id: 'renew-form' }), renewDialog, main)),
      click('/policies', chain(element('input', { id: 'tier-premium', attributes: { type: 'radio', name: 'tier' } }), element('label', { attributes: { for: 'tier-premium' } }), element('form', { id: 'renew-form' }), renewDialog, main)),
    ],
    spanSeconds: 45,
    questions: [
      { query: 'what happens when I confirm?', language: 'en', places: [/renew policy/i], notAgain: ['Renew policy', 'New claim'], answers: [/premium/i], mustNotMention: [/new claim/i] },
    ],
  },
  {
    name: 'logistics long session past the summary threshold',
    host: 'ops.haulr.test',
    labels: ['Shipments', 'Shipment details', 'Refresh status', 'Create label', 'Weight', ...Array.from({ length: 9 }, (_, k) => `Track shipment ${k + 1}`)],
    events: shipments(),
    spanSeconds: 180,
    questions: [
      { query: 'what now?', language: 'en', places: [/create label/i], notAgain: ['Create label'], answers: [/create label|weight|confirm|button/i], mustNotMention: [/refresh status/i] },
      { query: '¿qué he hecho hasta ahora?', language: 'es', places: [/create label|shipment/i], answers: [/shipment|envío|create label/i], maxLines: 12 },
    ],
  },
  {
    name: 'two tabs: the latest one leads',
    host: 'app.metricly.test',
    labels: ['Reports', 'Export', 'Export report', 'Dashboards', 'Add widget', 'Widget type'],
    events: [
      pageview('/reports', 'Reports · Metricly', 'tab-1'),
      click('/reports', chain(element('button', { text: 'Export' }), main), 'tab-1'),
      { ...click('/reports', chain(element('input', { attributes: { type: 'checkbox', name: 'include_charts', 'aria-label': 'Include charts' } }), exportDialog, main)), window: 'tab-1' },
      pageview('/dashboards', 'Dashboards · Metricly', 'tab-2'),
      click('/dashboards', chain(element('button', { text: 'Add widget', attributes: { 'aria-haspopup': 'dialog' } }), main), 'tab-2'),
    ],
    spanSeconds: 30,
    questions: [{ query: 'where am I?', language: 'en', places: [/add widget/i], notAgain: ['Add widget'], answers: [/dashboards|add widget/i] }],
  },
  {
    name: 'an unrelated question is not forced onto the activity',
    host: 'people.hrly.test',
    labels: ['Time off', 'Request time off', 'Start date'],
    events: [
      pageview('/time-off', 'Time off · Hrly'),
      click('/time-off', chain(element('button', { text: 'Request time off' }), main)),
    ],
    spanSeconds: 20,
    questions: [
      { query: 'What is the capital of Australia?', language: 'en', isUnrelated: true, answers: [/can't|cannot|only|outside|product/i] },
      { query: '¿Cuál es la capital de Australia?', language: 'es', isUnrelated: true, answers: [/solo|no puedo|producto|fuera/i] },
    ],
  },
  {
    name: 'rage clicks, German',
    host: 'admin.shoplane.test',
    labels: ['Products', 'Edit product', 'Publish'],
    events: [
      pageview('/products/77/edit', 'Edit product · Shoplane'),
      click('/products/77/edit', chain(element('button', { classes: ['primary'], text: 'Publish' }), element('div', { classes: ['toolbar'] }), main)),
      rageClick('/products/77/edit', chain(element('button', { classes: ['primary'], text: 'Publish' }), element('div', { classes: ['toolbar'] }), main)),
    ],
    spanSeconds: 20,
    questions: [{ query: 'Warum funktioniert das nicht?', language: 'de', places: [/edit product|publish/i], answers: [/publish/i] }],
  },
  {
    name: 'a checklist link already took the user there',
    host: 'app.sitebuild.test',
    labels: ['Getting started', 'Connect a domain', 'Domains', 'Add domain'],
    events: [
      pageview('/getting-started', 'Getting started · Sitebuild'),
      click('/getting-started', chain(element('a', { href: '/settings/domains', text: 'Connect a domain' }), element('li'), element('ol', { classes: ['checklist'] }), main)),
      pageview('/settings/domains', 'Domains · Sitebuild'),
    ],
    spanSeconds: 20,
    questions: [{ query: 'how do I connect a domain?', language: 'en', places: [/domains/i], notAgain: ['Connect a domain'], answers: [/domain/i] }],
  },
  {
    name: 'a quoted label survives, and another user stays out',
    host: 'chat.talkbox.test',
    labels: ['Inbox', 'Quick replies', 'Say "hi" & bye', 'New quick reply', 'Shortcut'],
    events: [
      pageview('/inbox', 'Inbox · Talkbox'),
      click('/inbox', chain(element('button', { text: 'Quick replies', attributes: { 'aria-haspopup': 'menu', 'aria-expanded': 'false' } }), main)),
      click('/inbox', chain(element('li', { text: 'Say "hi" & bye', attributes: { role: 'menuitem' } }), element('ul', { attributes: { role: 'menu', 'aria-label': 'Quick replies' } }), main)),
    ],
    spanSeconds: 20,
    otherUser: {
      events: [pageview('/settings/billing', 'Billing · Talkbox'), click('/settings/billing', chain(element('button', { text: 'Cancel subscription' }), main))],
      labels: ['Billing', 'Cancel subscription'],
    },
    questions: [
      { query: 'what did I just do?', language: 'en', places: [/inbox|say "hi" & bye/i], answers: [/say "hi" & bye/i], maxLines: 8, mustNotMention: [/cancel subscription|billing/i] },
    ],
  },
];
