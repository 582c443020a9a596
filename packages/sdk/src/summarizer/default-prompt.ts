/**
 * Sightline's own wording of the session-summary prompt (docs/reference/wire-contract.md#summary-prompt, extended by
 * rolling summaries: docs/rolling-summaries.md). `{previous_summary}` receives the session's story so far (or
 * "(none yet)"), `{actions}` the numbered action list; the model is asked to keep the earlier work in the new summary. It
 * ends with `Summary:` and no trailing newline so the model continues right after it.
 */
export const DEFAULT_SUMMARY_PROMPT = [
  'You are keeping a running summary of one user\'s session in a web application. The summary will be stored and',
  'embedded for retrieval, so that a support chatbot can answer the user\'s next question knowing what they',
  'were doing.',
  '',
  'Rewrite the story so far to include the new actions, in at most six sentences. Keep the earlier work (the',
  'first pages visited and any flows the user finished), shortened if needed, then add which pages or features',
  'the user visited, what they did there, and what they appear to be trying to accomplish if that is clear.',
  'Use only the story so far and the actions below; do not guess beyond them.',
  '',
  'Story so far:',
  '{previous_summary}',
  '',
  'Actions:',
  '{actions}',
  '',
  'Summary:',
].join('\n');

/** The placeholder a summary prompt must contain. */
export const ACTIONS_PLACEHOLDER = '{actions}';

/**
 * The optional placeholder for the session's story so far. A template without it still works: the
 * story is then put before the template as a paragraph `Earlier in this session: {story}`.
 */
export const PREVIOUS_SUMMARY_PLACEHOLDER = '{previous_summary}';

/** What `{previous_summary}` becomes before the session's first summary. */
export const NO_PREVIOUS_SUMMARY = '(none yet)';

/**
 * The prompt for one summary: every `{actions}` and `{previous_summary}` in `template` replaced in one
 * pass (so text inside the story or the actions is never substituted again, and `$` patterns are
 * literal), other braces untouched. A template without `{previous_summary}` gets the story as an
 * `Earlier in this session: …` paragraph in front when there is one.
 *
 * @example
 * renderSummaryPrompt('Story: {previous_summary}\n{actions}', '1. [0] click: Export — /reports', null);
 * // "Story: (none yet)\n1. [0] click: Export — /reports"
 */
export function renderSummaryPrompt(template: string, actionsText: string, previousSummary: string | null): string {
  const story = previousSummary?.trim() ? previousSummary.trim() : null;
  const body = template.replace(/\{actions\}|\{previous_summary\}/g, (placeholder) =>
    placeholder === ACTIONS_PLACEHOLDER ? actionsText : (story ?? NO_PREVIOUS_SUMMARY),
  );
  if (story === null || template.includes(PREVIOUS_SUMMARY_PLACEHOLDER)) return body;
  return `Earlier in this session: ${story}\n\n${body}`;
}
