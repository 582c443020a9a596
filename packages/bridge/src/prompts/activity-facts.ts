/**
 * Small facts read off the connector's action records: which page an action happened on, which UI element it
 * used, and what the user is doing now. Everything comes from the record's own text; nothing is invented.
 */
import type { SlimAction } from '@sightline/protocol';
import type { ReplySession } from '../responder/reply-context.ts';

/** Page name from a description such as "User clicked Invite member on the Team page". */
const ON_PAGE = /\bon the (.+?) page\b/i;
/** Page name from pageview titles such as "Page Load: Dashboard", "Viewed Team page", "Visited Billing". */
const PAGEVIEW_TITLE = /^(?:page ?load|page ?view|viewed|visited|opened|navigated to|landed on)\s*[:\-–—]?\s*(?:the\s+)?(.+?)(?:\s+page)?\s*$/i;
/** Element label from click titles: "Clicked 'Buy Now'", "Click Export CSV button", "CLICK Log in". */
const CLICK_TITLE = /^(?:clicked|click(?:ed)? on|click|tapped|pressed)\s+(.+?)\s*$/i;
/** Element label from submit titles: "Submitted 'Invite' form", "Submit Invite form". */
const SUBMIT_TITLE = /^(?:submitted|submit)\s+(?:the\s+)?(.+?)(?:\s+form)?\s*$/i;
/** Element label from a description: "User clicked Export CSV button on the dashboard page". */
const DESCRIPTION_VERB = /\b(?:clicked|clicked on|pressed|tapped|submitted|selected|opened)\s+(?:the\s+)?(.+?)(?:\s+on the .+? page|\s+—|$)/i;

function unquote(text: string): string {
  return text.replace(/^['"‘“«]+|['"’”»]+$/g, '').trim();
}

function withoutKindWord(label: string): string {
  // "Export CSV button" names the element "Export CSV"; the kind word is the connector's, not the UI's.
  return label.replace(/\s+(?:button|link|tab|menu item|icon)$/i, '').trim();
}

/** Human page name from a URL path: `/settings/team-members` → "Team members", `/` → "Home". */
export function pageNameFromUrl(url: string): string | null {
  if (!url) return null;
  let path: string;
  try {
    path = new URL(url, 'http://placeholder.invalid').pathname;
  } catch {
    return null;
  }
  const segments = path.split('/').filter((segment) => segment && !segment.startsWith(':') && !/^\d+$/.test(segment));
  const last = segments.at(-1);
  if (!last) return 'Home';
  let words: string;
  try {
    words = decodeURIComponent(last);
  } catch {
    words = last;
  }
  words = words.replace(/\.[a-z0-9]+$/i, '').replace(/[-_]+/g, ' ').trim();
  if (!words) return null;
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** The page an action happened on: from its description, its pageview title, then its URL. `null` when unknown. */
export function pageNameOf(action: SlimAction): string | null {
  const described = ON_PAGE.exec(action.description)?.[1];
  if (described) return capitalise(unquote(described));
  if (action.type === 'pageview') {
    const titled = PAGEVIEW_TITLE.exec(action.title)?.[1];
    if (titled) return capitalise(unquote(titled));
  }
  return pageNameFromUrl(action.canonical_url || action.raw_url);
}

/** The UI element an action used, as labelled in the record ("Invite member"). `null` for pageviews or unknown. */
export function actionLabel(action: SlimAction): string | null {
  if (action.type === 'pageview') return null;
  const title = action.title.trim();
  const quoted = /['"‘“«]([^'"’”»]+)['"’”»]/.exec(title)?.[1];
  if (quoted) return withoutKindWord(quoted.trim());
  const fromTitle = (action.type === 'submit' ? SUBMIT_TITLE : CLICK_TITLE).exec(title)?.[1];
  if (fromTitle) return withoutKindWord(unquote(fromTitle));
  const fromDescription = DESCRIPTION_VERB.exec(action.description)?.[1];
  if (fromDescription) return withoutKindWord(unquote(fromDescription));
  return title ? withoutKindWord(unquote(title)) : null;
}

/** How an action reads in one short phrase: its title, else its description, else its type. */
export function actionTitle(action: SlimAction): string {
  return action.title.trim() || action.description.trim() || action.type || 'an action';
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function lastTimestamp(session: ReplySession): number {
  return session.actions.reduce((latest, action) => Math.max(latest, action.timestamp_start), 0);
}

/** Sessions ordered oldest activity first, so the session the user is in now comes last. Stable for ties. */
export function sessionsByRecency(sessions: readonly ReplySession[]): ReplySession[] {
  return sessions
    .map((session, position) => ({ session, position, at: lastTimestamp(session) }))
    .sort((a, b) => a.at - b.at || a.position - b.position)
    .map((entry) => entry.session);
}

/** All recent actions across sessions in time order, oldest first. */
export function actionsInOrder(sessions: readonly ReplySession[]): SlimAction[] {
  return sessionsByRecency(sessions).flatMap((session) => session.actions);
}

/** Where the user is now: the current page and the last action, from the most recent session. */
export interface CurrentActivity {
  /** The page of the last action (its pageview, description or URL). */
  page: string | null;
  /** The user's last action of any kind. */
  lastAction: SlimAction | null;
  /** The last click or submit, i.e. the last thing the user actually did with an element. */
  lastInteraction: SlimAction | null;
  /** Actions after {@link lastInteraction} (typing, focus, pageviews), oldest first. */
  afterInteraction: SlimAction[];
}

/** Reads {@link CurrentActivity} from chronological actions. */
export function currentActivity(actions: readonly SlimAction[]): CurrentActivity {
  const lastAction = actions.at(-1) ?? null;
  let interactionAt = -1;
  for (let position = actions.length - 1; position >= 0; position -= 1) {
    const type = actions[position]!.type;
    if (type === 'click' || type === 'submit') {
      interactionAt = position;
      break;
    }
  }
  let page: string | null = null;
  for (let position = actions.length - 1; position >= 0 && page === null; position -= 1) {
    page = pageNameOf(actions[position]!);
  }
  return {
    page,
    lastAction,
    lastInteraction: interactionAt >= 0 ? actions[interactionAt]! : null,
    afterInteraction: interactionAt >= 0 ? actions.slice(interactionAt + 1) : [],
  };
}
