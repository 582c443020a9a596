/**
 * Knowledge-base excerpts as a prompt section (docs/reference/wire-contract.md#history-and-knowledge-sections).
 */

/** One retrieved knowledge-base record. */
export interface KbRecord {
  title?: string | null;
  content: string;
}

/**
 * `Knowledge base excerpts:` then one `--- {title or "Doc i"} ---\n{content}` part per record with
 * non-blank content (`i` is the record's 1-based position), parts joined with a blank line. No
 * records gives `""`.
 *
 * @example formatKbRecordsForPrompt([{ title: 'Export', content: 'Use Reports → Export.' }])
 * // 'Knowledge base excerpts:\n\n--- Export ---\nUse Reports → Export.'
 */
export function formatKbRecordsForPrompt(records: readonly KbRecord[]): string {
  if (records.length === 0) return '';
  const parts = ['Knowledge base excerpts:'];
  records.forEach((record, position) => {
    const content = (record.content ?? '').trim();
    if (content) parts.push(`--- ${record.title || `Doc ${position + 1}`} ---\n${content}`);
  });
  return parts.join('\n\n');
}
