/**
 * The user-turn block of a chat prompt (docs/reference/wire-contract.md#user-prompt-block): the headers, their order
 * and the joiner are exact, so prompts written for Autoplay keep working.
 */
import type { ChatContextAssembly } from './chat-context-assembly.ts';

/**
 * Joins, with a blank line, each section whose text is not blank:
 * 1. `[ACTIVITY SINCE YOUR LAST CHAT MESSAGE]` + the delta activity;
 * 2. `[RECENT PRODUCT ACTIVITY]` + the recent activity;
 * 3. the conversation history (it carries its own `Prior conversation:` header);
 * 4. the knowledge-base excerpts (their own `Knowledge base excerpts:` header);
 * 5. `[CURRENT USER MESSAGE]` + the message, always present, even when empty.
 *
 * @example
 * buildUserPromptBlock({ recentActivity: 'Recent activity:\n1. [0] click: …', kbRecordsText: '', conversationHistoryText: '', userMessage: 'How do I export?' })
 * // '[RECENT PRODUCT ACTIVITY]\nRecent activity:\n1. [0] click: …\n\n[CURRENT USER MESSAGE]\nHow do I export?'
 */
export function buildUserPromptBlock(assembly: ChatContextAssembly): string {
  const sections = contextSections(assembly, true);
  sections.push(`[CURRENT USER MESSAGE]\n${(assembly.userMessage ?? '').trim()}`);
  return sections.join('\n\n');
}

/**
 * The context for a system prompt: sections 1, 2 and 4 of {@link buildUserPromptBlock} (delta
 * activity, recent activity, knowledge base), same joiner; `""` when all are blank.
 */
export function buildSelectedContext(assembly: ChatContextAssembly): string {
  return contextSections(assembly, false).join('\n\n');
}

function contextSections(assembly: ChatContextAssembly, includeHistory: boolean): string[] {
  const sections: string[] = [];
  const delta = (assembly.activitySinceLastChatMessage ?? '').trim();
  if (delta) sections.push(`[ACTIVITY SINCE YOUR LAST CHAT MESSAGE]\n${delta}`);
  const recent = (assembly.recentActivity ?? '').trim();
  if (recent) sections.push(`[RECENT PRODUCT ACTIVITY]\n${recent}`);
  const history = (assembly.conversationHistoryText ?? '').trim();
  if (includeHistory && history) sections.push(history);
  const kb = (assembly.kbRecordsText ?? '').trim();
  if (kb) sections.push(kb);
  return sections;
}
