/**
 * Sightline's own wording of the session-summary prompt (wire-contract §10.1). Its one placeholder,
 * `{actions}`, receives the numbered action list; it ends with `Summary:` and no trailing newline so
 * the model continues right after it.
 */
export const DEFAULT_SUMMARY_PROMPT = [
  'You are condensing one user\'s recent session in a web application. The summary will be stored and',
  'embedded for retrieval, so that a support chatbot can answer the user\'s next question knowing what they',
  'were doing.',
  '',
  'In two or three sentences, say which pages or features the user visited, what they did there, and what',
  'they appear to be trying to accomplish if that is clear. Use only the actions below; do not guess beyond them.',
  '',
  'Actions:',
  '{actions}',
  '',
  'Summary:',
].join('\n');

/** The placeholder a summary prompt must contain. */
export const ACTIONS_PLACEHOLDER = '{actions}';
