/**
 * The playbook: proactive rules a product team writes without code, in YAML (docs/proactive.md, "The playbook file").
 * A rule matches a canonical path, a page title or an open container's label, and carries its message and quick
 * replies per language; the file may also tune or switch off the built-in triggers. Autoplay's `section_playbook`
 * idea, in a format of our own. This module holds what a playbook is and the trigger that runs it; reading the YAML
 * and the file lives in the Node-only subpath `@sightline/sdk/playbook`, so the main entry stays fetch-only.
 *
 * ```yaml
 * version: 1
 * triggers:
 *   user_page_dwell: { after_s: 90 }
 *   canonical_url_ping_pong: false
 * rules:
 *   - id: payout-settings
 *     match: { path: /settings/payouts }
 *     after_s: 20
 *     message: { en: "Setting up payouts? I can walk you through it.", es: "¿Configurando los pagos? Te guío." }
 *     quick_replies: { en: ["How do payouts work?"], es: ["¿Cómo funcionan los pagos?"] }
 * ```
 */
import type { ActivityState } from '../activity/activity-state.ts';
import type { BuiltinTriggersOptions } from './builtin-triggers.ts';
import type { AuthoredText, ProactiveContext, ProactiveProposal, ProactiveTrigger } from './proactive-trigger.ts';

/** What a rule matches; every field given must match. */
export interface PlaybookMatch {
  /** The canonical path (`/billing`); `*` matches any run of characters (`/projects/*`). */
  path?: string;
  /** The page title, compared without case. */
  title?: string;
  /** The label of the open dialog, drawer or form, compared without case. */
  container?: string;
}

/** One rule of the playbook. */
export interface PlaybookRule {
  id: string;
  match: PlaybookMatch;
  /** Seconds on the matched page (or with the matched container open) before the offer. Default 0. */
  afterS: number;
  /** Seconds the rule stays quiet for the user after it fired. Default 600. */
  cooldownS: number;
  text: AuthoredText;
}

/** A parsed playbook. */
export interface Playbook {
  version: 1;
  /** Thresholds of the built-in triggers from the file's `triggers:` section (`false` leaves one out). */
  triggers: BuiltinTriggersOptions;
  rules: PlaybookRule[];
}

/** The registry id of the playbook trigger; each hit names its rule as `playbook:<rule id>`. */
export const PLAYBOOK_TRIGGER_ID = 'section_playbook_match';

/** Longest message of a rule, in characters (Autoplay's limit on proactive bodies). */
export const MAX_PROACTIVE_MESSAGE_CHARS = 150;

function pathMatches(pattern: string, path: string): boolean {
  if (!pattern.includes('*')) return pattern === path || `${pattern}/` === path;
  const expression = new RegExp(`^${pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
  return expression.test(path);
}

function sameLabel(expected: string, actual: string | null | undefined): boolean {
  return actual !== null && actual !== undefined && expected.localeCompare(actual.trim(), undefined, { sensitivity: 'accent' }) === 0;
}

/** When the rule's moment began (epoch seconds), or null when the rule does not match the state. */
function matchedSince(rule: PlaybookRule, state: ActivityState): number | null {
  const page = state.page;
  const { path, title, container } = rule.match;
  if ((path !== undefined || title !== undefined) && !page) return null;
  if (path !== undefined && !pathMatches(path, page!.path)) return null;
  if (title !== undefined && !sameLabel(title, page!.title)) return null;
  if (container !== undefined) {
    const open = state.open;
    if (!open || !sameLabel(container, open.label)) return null;
    return open.openedAt;
  }
  return page!.since;
}

/**
 * The playbook as a trigger: the first rule, in file order, that matches the tab and has waited its `after_s`. Reads
 * the playbook on every evaluation, so a reloaded file applies at once.
 *
 * @example
 * registry.register(playbookTrigger(() => playbookFile.current));
 */
export function playbookTrigger(playbook: () => Playbook | null): ProactiveTrigger {
  return {
    id: PLAYBOOK_TRIGGER_ID,
    evaluate({ state, now }: ProactiveContext): ProactiveProposal | null {
      for (const rule of playbook()?.rules ?? []) {
        const since = matchedSince(rule, state);
        if (since === null || now / 1000 - since < rule.afterS) continue;
        return {
          triggerId: `playbook:${rule.id}`,
          moment: `${rule.id}@${since}`,
          facts: { kind: 'playbook', ruleId: rule.id, page: state.page?.title ?? null, container: state.open?.label ?? null },
          cooldownS: rule.cooldownS,
          text: rule.text,
        };
      }
      return null;
    },
  };
}
