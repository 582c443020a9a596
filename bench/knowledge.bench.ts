/**
 * The help center (docs/knowledge.md, "Help center"): index size and build time per 1,000 passages, the time to
 * read and split Markdown articles from disk, to load a saved index, and the query p99, over synthetic help centers
 * in five languages. Baselines in the same run: the passages' own text as JSON (size), a JSON round trip of the
 * passages (build and load), and a naive scan of every passage for the query's words (query).
 */
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HelpCenterIndex, readHelpCenter, type HelpArticle } from '@sightline/bridge/internal';
import type { Benchmark } from './harness.ts';

const LANGUAGES = ['en', 'es', 'fr', 'de', 'pt'] as const;
const ARTICLES_PER_LANGUAGE = 250;
const SECTIONS_PER_ARTICLE = 4;
const QUERIES = 2_000;

/** Words of each language: verbs, nouns and filler, enough for varied text. */
const WORDS: Record<(typeof LANGUAGES)[number], { verbs: string[]; nouns: string[]; filler: string[] }> = {
  en: { verbs: ['export', 'invite', 'archive', 'assign', 'merge', 'refund', 'publish', 'schedule', 'transfer', 'review', 'approve', 'share'], nouns: ['report', 'member', 'ticket', 'invoice', 'article', 'deal', 'contact', 'card', 'payment', 'order', 'campaign', 'project'], filler: ['the', 'your', 'from', 'with', 'when', 'each', 'settings', 'page', 'list', 'team', 'account', 'window'] },
  es: { verbs: ['exportar', 'invitar', 'archivar', 'asignar', 'fusionar', 'reembolsar', 'publicar', 'programar', 'transferir', 'revisar', 'aprobar', 'compartir'], nouns: ['informe', 'miembro', 'ticket', 'factura', 'artículo', 'trato', 'contacto', 'tarjeta', 'pago', 'pedido', 'campaña', 'proyecto'], filler: ['el', 'tu', 'desde', 'con', 'cuando', 'cada', 'ajustes', 'página', 'lista', 'equipo', 'cuenta', 'ventana'] },
  fr: { verbs: ['exporter', 'inviter', 'archiver', 'attribuer', 'fusionner', 'rembourser', 'publier', 'planifier', 'transférer', 'vérifier', 'approuver', 'partager'], nouns: ['rapport', 'membre', 'ticket', 'facture', 'article', 'affaire', 'contact', 'carte', 'paiement', 'commande', 'campagne', 'projet'], filler: ['le', 'votre', 'depuis', 'avec', 'quand', 'chaque', 'paramètres', 'page', 'liste', 'équipe', 'compte', 'fenêtre'] },
  de: { verbs: ['exportieren', 'einladen', 'archivieren', 'zuweisen', 'zusammenführen', 'erstatten', 'veröffentlichen', 'planen', 'überweisen', 'prüfen', 'freigeben', 'teilen'], nouns: ['Bericht', 'Mitglied', 'Ticket', 'Rechnung', 'Artikel', 'Geschäft', 'Kontakt', 'Karte', 'Zahlung', 'Bestellung', 'Kampagne', 'Projekt'], filler: ['der', 'dein', 'aus', 'mit', 'wenn', 'jede', 'Einstellungen', 'Seite', 'Liste', 'Team', 'Konto', 'Fenster'] },
  pt: { verbs: ['exportar', 'convidar', 'arquivar', 'atribuir', 'mesclar', 'reembolsar', 'publicar', 'agendar', 'transferir', 'revisar', 'aprovar', 'compartilhar'], nouns: ['relatório', 'membro', 'chamado', 'fatura', 'artigo', 'negócio', 'contato', 'cartão', 'pagamento', 'pedido', 'campanha', 'projeto'], filler: ['o', 'seu', 'de', 'com', 'quando', 'cada', 'configurações', 'página', 'lista', 'equipe', 'conta', 'janela'] },
};

/** A deterministic pseudo-random sequence (mulberry32), so every run indexes the same text. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function markdownArticle(language: (typeof LANGUAGES)[number], number: number, next: () => number): string {
  const words = WORDS[language];
  const pick = (list: string[]) => list[Math.floor(next() * list.length)]!;
  const sentence = (length: number) => Array.from({ length }, () => pick([...words.filler, ...words.nouns])).join(' ');
  const lines = [`# ${pick(words.verbs)} ${pick(words.nouns)} ${number}`, '', `${sentence(14)}.`];
  for (let section = 1; section < SECTIONS_PER_ARTICLE; section++) {
    lines.push('', `## ${pick(words.verbs)} ${pick(words.nouns)}`, '', `${sentence(10)}.`, '');
    for (let step = 1; step <= 3; step++) lines.push(`${step}. ${pick(words.filler)} **${pick(words.verbs)} ${pick(words.nouns)}** ${sentence(5)}.`);
  }
  return `${lines.join('\n')}\n`;
}

function percentile(sorted: number[], share: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * share))]!;
}

const benchmark: Benchmark = {
  title: 'Help center (Orama BM25 + Snowball stemmers, 5 languages)',
  async run(report) {
    const dir = await mkdtemp(join(tmpdir(), 'sightline-bench-help-'));
    try {
      const next = random(42);
      for (const language of LANGUAGES) {
        await mkdir(join(dir, language));
        for (let number = 0; number < ARTICLES_PER_LANGUAGE; number++) await writeFile(join(dir, language, `article-${number}.md`), markdownArticle(language, number, next));
      }
      let started = performance.now();
      const content = await readHelpCenter(dir);
      const readMs = performance.now() - started;
      const articles: HelpArticle[] = content.articles;
      const passages = articles.reduce((sum, article) => sum + article.passages.length, 0);
      const perThousand = 1000 / passages;

      started = performance.now();
      const index = await HelpCenterIndex.build(articles, content.fingerprint, Date.now());
      const buildMs = performance.now() - started;
      started = performance.now();
      const copy = JSON.parse(JSON.stringify(articles)) as HelpArticle[];
      const copyMs = performance.now() - started;

      const saved = JSON.stringify(index.toFile());
      const rawText = JSON.stringify(copy.flatMap((article) => article.passages.map((passage) => ({ title: article.title, ...passage }))));
      started = performance.now();
      HelpCenterIndex.fromFile(JSON.parse(saved));
      const loadMs = performance.now() - started;
      started = performance.now();
      JSON.parse(rawText);
      const parseMs = performance.now() - started;

      report.row({ name: `read and split ${articles.length} Markdown articles from disk`, value: readMs * perThousand, unit: 'ms / 1,000 passages' });
      report.row({ name: `build the index (${passages.toLocaleString('en-US')} passages)`, value: buildMs * perThousand, unit: 'ms / 1,000 passages', baseline: copyMs * perThousand, baselineName: 'JSON copy of the passages' });
      report.row({ name: 'index size on disk (JSON)', value: Buffer.byteLength(saved) * perThousand / 1024, unit: 'KiB / 1,000 passages', baseline: Buffer.byteLength(rawText) * perThousand / 1024, baselineName: "the passages' own JSON" });
      report.row({ name: 'load the saved index', value: loadMs * perThousand, unit: 'ms / 1,000 passages', baseline: parseMs * perThousand, baselineName: "JSON.parse of the passages' text" });

      const queryNext = random(7);
      const queries = Array.from({ length: QUERIES }, (_, position) => {
        const language = LANGUAGES[position % LANGUAGES.length]!;
        const words = WORDS[language];
        const pick = (list: string[]) => list[Math.floor(queryNext() * list.length)]!;
        return { language, query: `${pick(words.verbs)} ${pick(words.nouns)} ${pick(words.filler)}` };
      });
      const times: number[] = [];
      let found = 0;
      for (const { language, query } of queries) {
        const start = performance.now();
        const result = await index.search(query, { language, limit: 3 });
        times.push(performance.now() - start);
        if (result.length > 0) found += 1;
      }
      times.sort((a, b) => a - b);
      const flat = copy.flatMap((article) => article.passages.map((passage) => `${article.title} ${passage.text}`.toLowerCase()));
      const scanTimes: number[] = [];
      for (const { query } of queries.slice(0, 200)) {
        const start = performance.now();
        const terms = query.toLowerCase().split(' ');
        flat.filter((text) => terms.some((term) => text.includes(term))).slice(0, 3);
        scanTimes.push(performance.now() - start);
      }
      scanTimes.sort((a, b) => a - b);
      report.row({ name: `query p99 (${QUERIES.toLocaleString('en-US')} questions in 5 languages)`, value: percentile(times, 0.99), unit: 'ms', baseline: percentile(scanTimes, 0.99), baselineName: 'substring scan of every passage, p99', goal: 'p99 < 20 ms' });
      report.row({ name: 'query p50', value: percentile(times, 0.5), unit: 'ms' });
      report.note(`${articles.length} articles, ${passages} passages, ${LANGUAGES.length} languages; ${found} of ${QUERIES} questions found a passage`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  },
};

export default benchmark;
