/**
 * Asks every knowledge source about one chat message at once and merges what they find, within a time limit: a
 * source that has not answered when the limit passes is cancelled (its signal aborts) and left out, so a slow or
 * failing source never holds an answer back by more than the limit.
 */
import { systemClock, type Clock } from '@sightline/sdk';
import type { Logger } from 'pino';
import type { HelpPassage, KnowledgeQuestion, KnowledgeSource, ProductKnowledge, UiPath } from './knowledge-types.ts';

/** Options of {@link gatherKnowledge}. */
export interface GatherKnowledgeOptions {
  /** Longest wait for the sources, ms. Default {@link DEFAULT_KNOWLEDGE_TIMEOUT_MS}. */
  timeoutMs?: number;
  /** Most passages kept. Default 3. */
  maxPassages?: number;
  /** Most UI paths kept. Default 3. */
  maxPaths?: number;
  /** Aborts the sources when the reply itself is cancelled. */
  signal?: AbortSignal;
  clock?: Clock;
  logger?: Logger;
}

/** Default longest wait for knowledge sources: long enough for a local index, short beside an LLM's answer. */
export const DEFAULT_KNOWLEDGE_TIMEOUT_MS = 300;

const NOTHING: ProductKnowledge = { passages: [], paths: [] };

function isPassage(value: unknown): value is HelpPassage {
  const passage = value as HelpPassage;
  return typeof passage === 'object' && passage !== null && typeof passage.title === 'string' && typeof passage.text === 'string' && typeof passage.source === 'string';
}

function isPath(value: unknown): value is UiPath {
  const path = value as UiPath;
  return typeof path === 'object' && path !== null && typeof path.goal === 'string' && Array.isArray(path.steps) && path.steps.every((step) => typeof step?.label === 'string');
}

/**
 * Asks all `sources` the question in parallel and merges their answers: lists in the order of the sources, each
 * source's own order kept (scores of different sources are not comparable), the same passage (source and headings)
 * or path (its labels) once, cut to the limits. Never rejects: a source that rejects, answers malformed data or
 * is still working when `timeoutMs` passes adds nothing.
 *
 * @example
 * const knowledge = await gatherKnowledge([helpCenter, uiMap], { productId: 'crm', query: 'how do I export?', language: 'en', page: '/contacts', pageTitle: 'Contacts' });
 */
export async function gatherKnowledge(sources: readonly KnowledgeSource[], question: KnowledgeQuestion, options: GatherKnowledgeOptions = {}): Promise<ProductKnowledge> {
  if (sources.length === 0) return NOTHING;
  const clock = options.clock ?? systemClock;
  const timeoutMs = options.timeoutMs ?? DEFAULT_KNOWLEDGE_TIMEOUT_MS;
  const controller = new AbortController();
  const onAbort = () => controller.abort();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  let timer: ReturnType<Clock['setTimeout']> | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = clock.setTimeout(() => resolve('timeout'), timeoutMs);
  });
  const answers: (Partial<ProductKnowledge> | null)[] = sources.map(() => null);
  const asked = sources.map(async (source, position) => {
    try {
      answers[position] = await source.find(question, controller.signal);
    } catch (error) {
      options.logger?.warn({ err: error, source: position }, 'knowledge-source-failed');
    }
  });
  const outcome = await Promise.race([Promise.all(asked).then(() => 'done' as const), timedOut]);
  if (timer !== undefined) clock.clearTimeout(timer);
  options.signal?.removeEventListener('abort', onAbort);
  if (outcome === 'timeout') {
    controller.abort();
    options.logger?.warn({ timeoutMs, late: answers.filter((answer) => answer === null).length }, 'knowledge-sources-late');
  }
  const passages: HelpPassage[] = [];
  const paths: UiPath[] = [];
  const seen = new Set<string>();
  for (const answer of answers) {
    for (const passage of Array.isArray(answer?.passages) ? answer.passages : []) {
      const key = `p\u0000${String(passage?.source)}\u0000${String(passage?.headings)}\u0000${String(passage?.text).slice(0, 64)}`;
      if (isPassage(passage) && !seen.has(key)) {
        seen.add(key);
        passages.push(passage);
      }
    }
    for (const path of Array.isArray(answer?.paths) ? answer.paths : []) {
      const key = isPath(path) ? `u\u0000${path.goal}\u0000${path.steps.map((step) => step.label).join('\u0000')}` : '';
      if (key && !seen.has(key)) {
        seen.add(key);
        paths.push(path);
      }
    }
  }
  return { passages: passages.slice(0, options.maxPassages ?? 3), paths: paths.slice(0, options.maxPaths ?? 3) };
}
