/**
 * Builds the system prompt and the user block for one chat reply from a {@link ReplyContext}, from the SDK's activity
 * state rather than from action prose: the `[WHERE THE USER IS NOW]` section for the tab the user acted in last, one
 * line per other tab, then the SDK's `buildUserPromptBlock` (activity since the last chat message, recent activity
 * as the story so far and recent steps, prior conversation, message), within a token budget. See docs/reply-prompt.md.
 */
import type { SlimAction } from '@sightline/protocol';
import { buildUserPromptBlock, formatHistoryForPrompt, formatKbRecordsForPrompt, type ActivityState, type KbRecord } from '@sightline/sdk';
import type { ConversationTurn, ReplyContext, ReplySession } from '../responder/reply-context.ts';
import { knowledgeRecords } from './knowledge-records.ts';
import { DEFAULT_PROMPT_TOKEN_BUDGET, CHARS_PER_TOKEN } from './prompt-budget.ts';
import { clip, inline } from './prompt-text.ts';
import { itemAt, itemOfAction, markOpened, stepLines, type StepLineItem } from './step-line.ts';
import { renderSystemPrompt } from './system-prompt.ts';
import { OTHER_TABS_HEADER, otherTabLines, whereUserIsSection } from './where-user-is.ts';

export { DEFAULT_PROMPT_TOKEN_BUDGET } from './prompt-budget.ts';

/** What goes into the prompt and how much of it. */
export interface ReplyPromptOptions {
  /** System prompt template with a `{first_name}` placeholder. Default `SYSTEM_PROMPT_TEMPLATE`. */
  systemPrompt?: string;
  /**
   * Estimated tokens (characters / 4) of the system prompt and user block together. When over, the prompt drops, in
   * this order: the oldest recent steps, the other tabs, the story (oldest session first), the least relevant
   * knowledge-base records, the oldest conversation turns, and only then the oldest lines of the activity since the
   * last message. The where-the-user-is section and
   * the message are never dropped. Default {@link DEFAULT_PROMPT_TOKEN_BUDGET} (3000).
   */
  tokenBudget?: number;
  /** Most recent steps listed under the story. Default 20. */
  maxRecentSteps?: number;
  /** Most recent conversation turns kept. Default 10. */
  maxHistoryTurns?: number;
  /** Characters kept from each conversation turn. Default 1000. */
  maxTurnChars?: number;
  /** Characters kept from each session's summary. Default 1200. */
  maxSummaryChars?: number;
}

/** The two texts sent to the model. */
export interface ReplyPrompt {
  system: string;
  prompt: string;
}

/** A language tag as the widget sends it (`es`, `pt-BR`); anything else is not passed to the model. */
const LANGUAGE_TAG = /^[a-z]{2,3}(-[A-Za-z]{2,4})?$/;

/**
 * The system prompt's last line for the widget's language, or `''`: a short message ("¿y ahora?") can be too short
 * for the model to tell its language.
 */
function languageLine(languageHint: string | null): string {
  const tag = languageHint?.trim();
  return tag && LANGUAGE_TAG.test(tag) ? `\nChat widget language: ${tag} (use it only when the message's own language is unclear).` : '';
}

/** Shown as the recent activity when there is nothing at all, so the model can say so honestly. */
const NO_ACTIVITY = '(no activity recorded for this user yet)';

/** The trimmable pieces of a prompt, each list oldest first. */
interface PromptParts {
  where: string;
  otherTabs: string[];
  since: StepLineItem[];
  sinceLeftOut: number;
  story: string[];
  steps: StepLineItem[];
  history: ConversationTurn[];
  /** Knowledge-base records, best first (trimmed from the end). */
  knowledge: KbRecord[];
}

function lastActionAt(session: ReplySession): number {
  let latest = -Infinity;
  for (const action of session.actions) latest = Math.max(latest, action.received_at ?? action.timestamp_start);
  return latest;
}

/** The sessions' summaries as the story: other sessions oldest first, then the current tab's session. */
function storyParts(sessions: readonly ReplySession[], current: ActivityState | undefined, maxChars: number): string[] {
  const ordered = [...sessions].sort((a, b) => lastActionAt(a) - lastActionAt(b));
  const currentId = current?.key.sessionId ?? ordered.at(-1)?.sessionId;
  const parts: string[] = [];
  let currentSummary = '';
  for (const session of ordered) {
    const summary = inline(session.summary, maxChars);
    if (!summary) continue;
    if (session.sessionId === currentId && (!current || session.productId === current.key.productId)) currentSummary = summary;
    else parts.push(`An earlier session: ${summary}`);
  }
  if (currentSummary) parts.push(`Story so far: ${currentSummary}`);
  return parts;
}

function sinceKeys(actions: readonly SlimAction[]): Set<string> {
  return new Set(actions.map((action) => `${action.session_id ?? ''}\u0000${action.index}`));
}

/**
 * The recent steps that the since-block does not already list: the current tab's, else (no state yet) the
 * sessions' raw actions in time order.
 */
function recentItems(context: ReplyContext, current: ActivityState | undefined, limit: number): StepLineItem[] {
  const listed = sinceKeys(context.activitySince);
  let items: StepLineItem[];
  if (current) {
    const steps = current.recentSteps;
    items = markOpened(steps.map((step) => ({ step })));
    // The last step opened what is open now when its label is the opener's.
    const last = items.at(-1);
    if (last && 'step' in last && last.step.step === 'open' && current.open && current.open.openedBy === last.step.label) {
      last.opened ??= current.open;
    }
    items = items.filter((item) => 'step' in item && !listed.has(`${current.key.sessionId}\u0000${item.step.index}`));
  } else {
    const actions = context.sessions
      .flatMap((session) => session.actions)
      .map((action) => ({ action, item: itemOfAction(action) }))
      .sort((a, b) => itemAt(a.item) - itemAt(b.item));
    markOpened(actions.map(({ item }) => item));
    items = actions.filter(({ action }) => !listed.has(`${action.session_id ?? ''}\u0000${action.index}`)).map(({ item }) => item);
  }
  return items.slice(Math.max(0, items.length - limit));
}

function isOtherTab(action: SlimAction, current: ActivityState | undefined): boolean {
  return Boolean(current?.key.windowId && action.window_id && action.window_id !== current.key.windowId);
}

function historyTurns(history: readonly ConversationTurn[], maxTurns: number, maxChars: number): ConversationTurn[] {
  return history
    .slice(Math.max(0, history.length - maxTurns))
    .map((turn) => ({ role: turn.role, content: clip(turn.content, maxChars).replace(/\s*\n\s*/g, ' ') }));
}

function turnChars(turn: ConversationTurn): number {
  return turn.role.length + turn.content.length + 3;
}

/**
 * Drops parts, in the documented order, until the estimate of `system` and the rendered prompt fits `budget`. Each
 * drop subtracts the characters its line took in the first rendering, so the prompt is rendered twice at most.
 */
function trimToBudget(parts: PromptParts, nowMs: number, systemChars: number, renderedChars: number, budget: number): void {
  let excess = systemChars + renderedChars - budget * CHARS_PER_TOKEN;
  const dropOldest = <T>(items: T[], sizes: number[]): number => {
    let dropped = 0;
    while (excess > 0 && items.length > 0) {
      items.shift();
      excess -= sizes[dropped]!;
      dropped += 1;
    }
    return dropped;
  };
  const lineSizes = (lines: readonly string[], extra: number) => lines.map((line) => line.length + extra);
  dropOldest(parts.steps, lineSizes(stepLines(parts.steps, nowMs), 1));
  dropOldest(parts.otherTabs, lineSizes(parts.otherTabs, 1));
  dropOldest(parts.story, lineSizes(parts.story, 2));
  // Knowledge goes least relevant first: its last records.
  while (excess > 0 && parts.knowledge.length > 0) {
    const record = parts.knowledge.pop()!;
    excess -= (record.title ?? '').length + record.content.length + 10;
  }
  dropOldest(parts.history, parts.history.map(turnChars));
  parts.sinceLeftOut += dropOldest(parts.since, lineSizes(stepLines(parts.since, nowMs), 1));
}

function render(parts: PromptParts, query: string, nowMs: number): string {
  const recent = [...parts.story];
  if (parts.steps.length > 0) recent.push(`Recent steps (oldest first):\n${stepLines(parts.steps, nowMs).join('\n')}`);
  const hasActivity = parts.where || recent.length > 0 || parts.since.length > 0 || parts.sinceLeftOut > 0;
  const since = [...(parts.sinceLeftOut > 0 ? [`(${parts.sinceLeftOut} earlier actions left out)`] : []), ...stepLines(parts.since, nowMs)];
  const block = buildUserPromptBlock({
    activitySinceLastChatMessage: since.join('\n'),
    recentActivity: hasActivity ? recent.join('\n\n') : NO_ACTIVITY,
    conversationHistoryText: formatHistoryForPrompt(parts.history),
    kbRecordsText: formatKbRecordsForPrompt(parts.knowledge),
    userMessage: query,
  });
  const state = [parts.where, parts.otherTabs.length > 0 ? `${OTHER_TABS_HEADER}\n${parts.otherTabs.join('\n')}` : ''];
  return [...state.filter(Boolean), block].join('\n\n');
}

/**
 * The reply prompt: the system prompt with the user's first name, and the user block. The block leads with where the
 * user is now in the tab they acted in last (left out with no state) and one line per other recent tab, then the
 * SDK's sections in their exact order: every action since their last chat message, their recent activity (the
 * sessions' rolling summaries as the story so far, then recent steps), the last turns of the conversation, the
 * product knowledge found for the message (UI-map paths, then help-center passages, each with its source), and the
 * message. Steps are short lines written from structured fields, with times relative to `context.now` on the
 * connector's clock. With no activity at all, the recent activity says so. A valid `languageHint` (the widget's
 * language) ends the system prompt as a fallback for messages too short to tell their language. Built only from
 * `context`.
 *
 * @example
 * const { system, prompt } = buildReplyPrompt(context, { tokenBudget: 2000 });
 * await model({ system, prompt, temperature: 0.4, maxOutputTokens: 250 });
 */
export function buildReplyPrompt(context: ReplyContext, options: ReplyPromptOptions = {}): ReplyPrompt {
  const current = context.tabs[0];
  const nowMs = context.now;
  const system = renderSystemPrompt(context.firstName, options.systemPrompt) + languageLine(context.languageHint);
  const parts: PromptParts = {
    where: whereUserIsSection(context.tabs, nowMs),
    otherTabs: otherTabLines(context.tabs, nowMs),
    since: markOpened(context.activitySince.map((action) => itemOfAction(action, isOtherTab(action, current)))),
    sinceLeftOut: 0,
    story: storyParts(context.sessions, current, options.maxSummaryChars ?? 1200),
    steps: recentItems(context, current, options.maxRecentSteps ?? 20),
    history: historyTurns(context.history, options.maxHistoryTurns ?? 10, options.maxTurnChars ?? 1000),
    knowledge: knowledgeRecords(context.knowledge),
  };
  const budget = options.tokenBudget ?? DEFAULT_PROMPT_TOKEN_BUDGET;
  const full = render(parts, context.query, nowMs);
  if (system.length + full.length <= budget * CHARS_PER_TOKEN) return { system, prompt: full };
  trimToBudget(parts, nowMs, system.length, full.length, budget);
  return { system, prompt: render(parts, context.query, nowMs) };
}
