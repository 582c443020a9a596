/**
 * Conversation history as a prompt section (docs/reference/wire-contract.md#history-and-knowledge-sections).
 */

/** One turn of a conversation, oldest first in a history. */
export interface ConversationTurn {
  /** `user`, `assistant`, … Default `user`. */
  role?: string | null;
  content: string;
}

/**
 * `{sectionHeader}` then one `{role}: {content}` line per turn with non-blank content (content
 * trimmed, role defaulting to `user`), joined with `\n`. An empty history gives `""`; a history of
 * blank turns gives the header alone.
 *
 * @example formatHistoryForPrompt([{ role: 'user', content: 'Hi' }, { role: 'assistant', content: 'Hello!' }])
 * // 'Prior conversation:\nuser: Hi\nassistant: Hello!'
 */
export function formatHistoryForPrompt(history: readonly ConversationTurn[], sectionHeader = 'Prior conversation:'): string {
  if (history.length === 0) return '';
  const lines = [sectionHeader];
  for (const turn of history) {
    const content = (turn.content ?? '').trim();
    if (content) lines.push(`${turn.role || 'user'}: ${content}`);
  }
  return lines.join('\n');
}
