/**
 * Action records worded exactly as the connector writes them for the demo app (apps/demo): pageviews
 * "Page Load: Team", button clicks "Clicked 'Invite member'", field clicks "Clicked 'email' field", changes
 * "Typed in 'email'" / "Selected an option in 'role'" / "Toggled 'plan'", submits "Submitted 'invite-member-form'".
 * Built with `createActionsPayload`, the way an actions payload reaches the bridge.
 */
import { createActionsPayload, type SlimAction, type SlimActionFields } from '@sightline/protocol';

const ORIGIN = 'http://127.0.0.1:5173';

/** One demo step: which page it is on and what the connector would title it. */
export type DemoStep =
  | { kind: 'pageview'; page: string }
  | { kind: 'click'; page: string; label: string }
  | { kind: 'field-click'; page: string; name: string; noun: 'field' | 'dropdown' | 'radio button' | 'checkbox' }
  | { kind: 'typed'; page: string; name: string }
  | { kind: 'selected'; page: string; name: string }
  | { kind: 'toggled'; page: string; name: string; noun: 'radio button' | 'checkbox' }
  | { kind: 'submit'; page: string; form: string };

function fields(step: DemoStep): SlimActionFields {
  const path = `/${step.page.toLowerCase()}`;
  const at = { canonical_url: `${ORIGIN}${path}`, raw_url: `${ORIGIN}${path}` };
  switch (step.kind) {
    case 'pageview':
      return { ...at, type: 'pageview', title: `Page Load: ${step.page}`, description: `User landed on the ${step.page} page` };
    case 'click':
      return { ...at, type: 'click', title: `Clicked '${step.label}'`, description: `User clicked ${step.label} on the ${step.page} page` };
    case 'field-click':
      return { ...at, type: 'click', title: `Clicked '${step.name}' ${step.noun}`, description: `User clicked the ${step.name} ${step.noun} on the ${step.page} page` };
    case 'typed':
      return { ...at, type: 'type', title: `Typed in '${step.name}'`, description: `User typed in the ${step.name} field on the ${step.page} page` };
    case 'selected':
      return { ...at, type: 'type', title: `Selected an option in '${step.name}'`, description: `User selected an option in the ${step.name} dropdown on the ${step.page} page` };
    case 'toggled':
      return { ...at, type: 'type', title: `Toggled '${step.name}'`, description: `User toggled the ${step.name} ${step.noun} on the ${step.page} page` };
    case 'submit':
      return { ...at, type: 'submit', title: `Submitted '${step.form}'`, description: `User submitted the ${step.form} form on the ${step.page} page` };
  }
}

/** The actions of one demo session, 5 s apart from `startAt` (epoch seconds), as the connector streams them. */
export function demoActions(steps: readonly DemoStep[], startAt = 1000): SlimAction[] {
  return createActionsPayload({
    product_id: 'demo',
    forwarded_at: startAt + steps.length * 5,
    session_id: 's1',
    user_id: 'u1',
    email: 'jane.doe@acme.io',
    actions: steps.map((step, position) => ({ ...fields(step), timestamp_start: startAt + position * 5 })),
  }).actions;
}

const team = 'Team';
const billing = 'Billing';

/** Dashboard → Team → "Invite member" (the e2e path). */
export const OPEN_INVITE: DemoStep[] = [
  { kind: 'pageview', page: 'Dashboard' },
  { kind: 'click', page: 'Dashboard', label: 'Team' },
  { kind: 'pageview', page: team },
  { kind: 'click', page: team, label: 'Invite member' },
];

/** …then the email field clicked and filled in, and a role picked in the dropdown. */
export const FILLING_INVITE: DemoStep[] = [
  ...OPEN_INVITE,
  { kind: 'field-click', page: team, name: 'email', noun: 'field' },
  { kind: 'typed', page: team, name: 'email' },
  { kind: 'field-click', page: team, name: 'role', noun: 'dropdown' },
  { kind: 'selected', page: team, name: 'role' },
];

/** …then 'Send invite' and the form's submit. */
export const SENT_INVITE: DemoStep[] = [
  ...FILLING_INVITE,
  { kind: 'click', page: team, label: 'Send invite' },
  { kind: 'submit', page: team, form: 'invite-member-form' },
];

/** Billing → "Upgrade plan" → picked Business (label click, radio click, change). */
export const CHOOSING_PLAN: DemoStep[] = [
  { kind: 'pageview', page: billing },
  { kind: 'click', page: billing, label: 'Upgrade plan' },
  { kind: 'click', page: billing, label: 'Business' },
  { kind: 'field-click', page: billing, name: 'plan', noun: 'radio button' },
  { kind: 'toggled', page: billing, name: 'plan', noun: 'radio button' },
];
