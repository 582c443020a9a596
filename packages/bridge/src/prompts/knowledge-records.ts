/**
 * Product knowledge as the prompt's knowledge-base records (the SDK's `Knowledge base excerpts:` section): the UI
 * map's paths first, then help-center passages, each named with its source so the model can say where an answer
 * comes from. Sentences are written here from the structured fields; labels are quoted as the product shows them.
 */
import type { KbRecord } from '@sightline/sdk';
import type { ProductKnowledge, UiPathStep } from '../knowledge/knowledge-types.ts';
import { clip, inline, quote } from './prompt-text.ts';

/** Characters kept from each passage's text. */
const MAX_PASSAGE_CHARS = 800;

function stepLine(step: UiPathStep): string {
  const on = step.page && step.kind !== 'navigate' ? ` (on ${inline(step.page)})` : '';
  switch (step.kind) {
    case 'navigate':
      return `- go to ${quote(step.label)}`;
    case 'open':
      return `- open ${quote(step.label)}${on}`;
    case 'submit':
      return `- finish with ${quote(step.label)}${on}`;
    default:
      return `- click ${quote(step.label)}${on}`;
  }
}

/**
 * The records for `knowledge`, paths before passages, best first within each.
 *
 * @example
 * knowledgeRecords({ paths: [], passages: [{ title: 'Export contacts', headings: ['Steps'], text: "1. Click 'Export'.", source: 'en/export.md', language: 'en', score: 3 }] });
 * // [{ title: "Help article 'Export contacts' › Steps (help center, en/export.md)", content: "1. Click 'Export'." }]
 */
export function knowledgeRecords(knowledge: ProductKnowledge | undefined): KbRecord[] {
  if (!knowledge) return [];
  const records: KbRecord[] = [];
  for (const path of knowledge.paths) {
    if (path.steps.length === 0) continue;
    records.push({
      title: `Path other users took to ${quote(path.goal)} from where this user is (UI map, ${path.users} users${path.isDemoData ? '; demo data: simulated users, say so' : ''})`,
      content: path.steps.map(stepLine).join('\n'),
    });
  }
  for (const passage of knowledge.passages) {
    const headings = passage.headings.length > 0 ? ` › ${passage.headings.map((heading) => inline(heading)).join(' › ')}` : '';
    records.push({
      title: `Help article ${quote(passage.title)}${headings} (help center, ${inline(passage.source, 120)}, language ${passage.language})`,
      content: clip(passage.text, MAX_PASSAGE_CHARS),
    });
  }
  return records;
}
