/**
 * Builds the system prompt and the user block for one chat reply from a {@link ReplyContext}: Sightline's
 * `[WHERE THE USER IS NOW]` section, then the SDK's `buildUserPromptBlock` (wire-contract §14.3: activity since the
 * last chat message, recent activity, prior conversation, message).
 */
import { actionToText, type SlimAction } from '@sightline/protocol';
import { buildUserPromptBlock, formatHistoryForPrompt } from '@sightline/sdk';
import type { ConversationTurn, ReplyContext, ReplySession } from '../responder/reply-context.ts';
import { sessionsByRecency } from './activity-facts.ts';
import { renderSystemPrompt } from './system-prompt.ts';
import { whereUserIsSection } from './where-user-is.ts';

/** Bounds on what goes into the prompt; the defaults keep a reply prompt to a few thousand tokens. */
export interface ReplyPromptOptions {
  /** System prompt template with a `{first_name}` placeholder. Default `SYSTEM_PROMPT_TEMPLATE`. */
  systemPrompt?: string;
  /** Most recent action lines kept across all sessions. Default 40. */
  maxActionLines?: number;
  /** Most recent action lines kept from the activity since the last chat message. Default 20. */
  maxSinceLines?: number;
  /** Most recent conversation turns kept. Default 10. */
  maxHistoryTurns?: number;
  /** Characters kept from each turn and from each session summary. Default 1000. */
  maxTurnChars?: number;
}

/** The two texts sent to the model. */
export interface ReplyPrompt {
  system: string;
  prompt: string;
}

function clip(text: string, limit: number): string {
  const trimmed = text.trim();
  return trimmed.length > limit ? `${trimmed.slice(0, limit - 1)}…` : trimmed;
}

/** One action as a prompt line (wire-contract §10.2), with the title standing in for a missing description. */
function actionLine(action: SlimAction, ordinal: number): string {
  const description = action.description.trim() || action.title.trim();
  return `${ordinal}. ${actionToText({ ...action, description })}`;
}

function actionLines(actions: readonly SlimAction[], limit: number): string {
  const kept = actions.slice(Math.max(0, actions.length - limit));
  const omitted = actions.length - kept.length;
  const lines = kept.map((action, position) => actionLine(action, position + 1));
  return (omitted > 0 ? [`(${omitted} earlier actions omitted)`, ...lines] : lines).join('\n');
}

/** The recent-activity section: per-session summaries, then the last action lines. */
function recentActivityText(
  sessions: readonly ReplySession[],
  actions: readonly SlimAction[],
  options: Required<Omit<ReplyPromptOptions, 'systemPrompt'>>,
): string {
  const summaries = sessions
    .filter((session) => session.summary.trim())
    .map((session) => `Earlier in session ${session.sessionId}: ${clip(session.summary, options.maxTurnChars)}`);
  if (actions.length === 0 && summaries.length === 0) return '';
  const parts = [...summaries];
  if (actions.length > 0) parts.push(actionLines(actions, options.maxActionLines));
  return parts.join('\n\n');
}

/** The SDK's history section over the last turns only, each clipped and kept on one line. */
function historyText(history: readonly ConversationTurn[], maxTurns: number, maxChars: number): string {
  const turns = history
    .slice(Math.max(0, history.length - maxTurns))
    .map((turn) => ({ role: turn.role, content: clip(turn.content, maxChars).replace(/\s*\n\s*/g, ' ') }));
  return formatHistoryForPrompt(turns);
}

/**
 * The reply prompt: the system prompt with the user's first name, and the user block: where the user is now (page,
 * open dialog and the fields used in it or the step just completed, last action; left out with no activity), then
 * the activity since their last chat message, their recent activity (bounded), the last turns of the conversation,
 * and the message. With no activity at all, the recent-activity section says so, so the model can answer honestly.
 *
 * @example
 * const { system, prompt } = buildReplyPrompt(context);
 * await model({ system, prompt, temperature: 0.4, maxOutputTokens: 250 });
 */
export function buildReplyPrompt(context: ReplyContext, options: ReplyPromptOptions = {}): ReplyPrompt {
  const bounds = {
    maxActionLines: options.maxActionLines ?? 40,
    maxSinceLines: options.maxSinceLines ?? 20,
    maxHistoryTurns: options.maxHistoryTurns ?? 10,
    maxTurnChars: options.maxTurnChars ?? 1000,
  };
  // Ordered once and shared by both sections (the same order `actionsInOrder` gives).
  const sessions = sessionsByRecency(context.sessions);
  const recentActions = sessions.flatMap((session) => session.actions);
  const recent = recentActivityText(sessions, recentActions, bounds) || '(no activity recorded for this user yet)';
  const since = context.activitySince.length > 0 ? actionLines(context.activitySince, bounds.maxSinceLines) : '';
  const block = buildUserPromptBlock({
    activitySinceLastChatMessage: since,
    recentActivity: recent,
    conversationHistoryText: historyText(context.history, bounds.maxHistoryTurns, bounds.maxTurnChars),
    kbRecordsText: '',
    userMessage: context.query,
  });
  // The current state is a section of its own in front of the SDK's block rather than a tail of the recent-activity
  // text: the SDK block stays exactly wire-contract §14.3 (so prompts written for Autoplay read the same), the model
  // reads the state before the long action lists, and the system prompt can point at it by its header as the
  // authoritative "now". It is read from all recent actions (the same facts as the offline responder), or from the
  // activity since the last message when the sessions hold no actions.
  const state = whereUserIsSection(recentActions.length > 0 ? recentActions : context.activitySince);
  return {
    system: renderSystemPrompt(context.firstName, options.systemPrompt),
    prompt: state ? `${state}\n\n${block}` : block,
  };
}
