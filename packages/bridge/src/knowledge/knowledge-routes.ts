/**
 * `GET /knowledge/search?q=&product=&lang=&page=` behind `BRIDGE_API_KEY`: what the knowledge sources give a reply for
 * a question (help-center passages, UI-map paths), so an operator can check the help center and the map answer what
 * users ask (docs/knowledge.md). Wire names are snake_case.
 */
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Clock } from '@sightline/sdk';
import type { requireCredential } from '../auth/credential-check.ts';
import { createError } from '../errors.ts';
import { detectLanguage } from '../responder/language/detect-language.ts';
import { gatherKnowledge } from './gather-knowledge.ts';
import type { HelpCenterStats } from './help-center/help-center-source.ts';
import type { KnowledgeSource } from './knowledge-types.ts';

/** Longest `q` accepted, as for a chat message. */
const MAX_QUERY_LENGTH = 2000;
const MAX_PARAMETER_LENGTH = 200;
const LANGUAGE = /^[a-z]{2}(?:[-_][A-Za-z]{2,4})?$/;

/** What {@link registerKnowledgeRoutes} needs. */
export interface KnowledgeRouteOptions {
  sources: readonly KnowledgeSource[];
  /** The help center's counts, shown with each answer; null without `KNOWLEDGE_DIR`. */
  helpCenter: (() => HelpCenterStats) | null;
  /** The product the bridge serves: the default of `?product=`. */
  productId: string;
  /** The key check (`requireCredential(apiKey)`). */
  authorize: ReturnType<typeof requireCredential>;
  /** Longest wait for the sources, ms (as for replies). */
  timeoutMs?: number;
  clock?: Clock;
  logger?: Logger;
}

function parameter(query: Record<string, unknown>, name: string, maxLength: number, pattern?: RegExp): string | null {
  const value = query[name];
  if (value === undefined) return null;
  if (typeof value !== 'string' || value.trim() === '' || value.length > maxLength || (pattern && !pattern.test(value.trim()))) {
    throw createError('SL_QUERY_PARAMETER_INVALID', { name, reason: pattern ? 'give a language code such as en or pt-BR' : `give one value of 1 to ${maxLength} characters` });
  }
  return value.trim();
}

/**
 * @example
 * registerKnowledgeRoutes(app, { sources, helpCenter: () => help.stats(), productId: 'acme', authorize: requireCredential(apiKey) });
 * // GET /knowledge/search?q=how+do+I+export → { "query": "how do I export", "language": "en", "passages": [{ "title": "Export your contacts", … }], "paths": [] , … }
 */
export function registerKnowledgeRoutes(app: FastifyInstance, options: KnowledgeRouteOptions): void {
  app.get('/knowledge/search', { onRequest: options.authorize }, async (request) => {
    const query = (request.query ?? {}) as Record<string, unknown>;
    const q = parameter(query, 'q', MAX_QUERY_LENGTH);
    if (q === null) throw createError('SL_QUERY_PARAMETER_INVALID', { name: 'q', reason: 'give the question to search for, e.g. ?q=how+do+I+export+contacts' });
    const productId = parameter(query, 'product', MAX_PARAMETER_LENGTH) ?? options.productId;
    const given = parameter(query, 'lang', 16, LANGUAGE);
    const page = parameter(query, 'page', 2048);
    const language = given ? given.toLowerCase().split(/[-_]/)[0]! : detectLanguage(q, null);
    const knowledge = await gatherKnowledge(
      options.sources,
      { productId, query: q, language, page, pageTitle: null },
      { ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}), ...(options.clock ? { clock: options.clock } : {}), ...(options.logger ? { logger: options.logger } : {}) },
    );
    const stats = options.helpCenter?.() ?? null;
    return {
      query: q,
      product_id: productId,
      language,
      passages: knowledge.passages.map((passage) => ({
        title: passage.title,
        headings: passage.headings,
        text: passage.text,
        steps: passage.steps ?? [],
        source: passage.source,
        language: passage.language,
        score: passage.score,
      })),
      paths: knowledge.paths.map((path) => ({ goal: path.goal, steps: path.steps, users: path.users, score: path.score, ...(path.isDemoData ? { demo_data: true } : {}) })),
      help_center: stats && {
        articles: stats.articles,
        passages: stats.passages,
        languages: stats.languages,
        built_at: stats.builtAt === null ? null : new Date(stats.builtAt).toISOString(),
        index_bytes: stats.indexBytes,
      },
    };
  });
}
