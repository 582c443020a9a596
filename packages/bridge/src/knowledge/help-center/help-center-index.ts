/**
 * The help center's full-text index: one Orama database per language (BM25, each language's Snowball stemmer from
 * `@orama/stemmers`), saved to and loaded from one JSON file. A question is searched in its own language first;
 * when that finds too little, the other languages are searched with the question's words and their translations
 * from the offline responder's concept groups, so an English-only help center answers a Spanish question. See
 * docs/knowledge.md for why Orama.
 */
import { count, create, insertMultiple, load, save, search, type AnyOrama, type RawData } from '@orama/orama';
import { stemmer as englishStemmer } from '@orama/stemmers/english';
import { stemmer as frenchStemmer } from '@orama/stemmers/french';
import { stemmer as germanStemmer } from '@orama/stemmers/german';
import { stemmer as portugueseStemmer } from '@orama/stemmers/portuguese';
import { stemmer as spanishStemmer } from '@orama/stemmers/spanish';
import { topicWords } from '../../responder/offline/detect-intent.ts';
import { compoundParts, relatedWords } from '../../responder/offline/topic-match.ts';
import type { HelpPassage, HelpStep } from '../knowledge-types.ts';
import type { HelpArticle } from './read-help-center.ts';

/** Version of the index file's layout; a file of another version is rebuilt. */
export const HELP_INDEX_VERSION = 1;

/** Orama's language name and Snowball stemmer for each language the offline responder speaks. */
const LANGUAGES: Record<string, { name: string; stemmer: (word: string) => string }> = {
  en: { name: 'english', stemmer: englishStemmer },
  es: { name: 'spanish', stemmer: spanishStemmer },
  fr: { name: 'french', stemmer: frenchStemmer },
  de: { name: 'german', stemmer: germanStemmer },
  pt: { name: 'portuguese', stemmer: portugueseStemmer },
};

const SCHEMA = { title: 'string', headings: 'string', body: 'string' } as const;

/** Accents removed: a question typed without them ("transferencias") meets the article's words ("transferências"). */
function plain(word: string): string {
  return word.normalize('NFD').replace(/\p{M}/gu, '');
}

/** The passage's text as indexed: labels unquoted ('Export' would be one token with its quotes). */
function bodyOf(text: string): string {
  return text.replace(/(^|[\s(])'([^'\n]+)'(?=[\s.,;:!?)]|$)/g, '$1$2');
}

/** What is stored per passage beside the indexed fields (Orama keeps a document's other properties as they are). */
interface PassageDocument {
  title: string;
  headings: string;
  body: string;
  text: string;
  headingList: string[];
  source: string;
  language: string;
  steps: HelpStep[];
}

/** The index file's content. */
export interface HelpIndexFile {
  version: number;
  /** The fingerprint of the articles it was built from (see `readHelpCenter`). */
  fingerprint: string;
  /** Epoch milliseconds of the build. */
  builtAt: number;
  articles: number;
  languages: Record<string, RawData>;
}

/** Options of {@link HelpCenterIndex.search}. */
export interface HelpSearchOptions {
  /** The question's language (ISO 639-1); null searches every language alike. */
  language?: string | null;
  /** Most passages returned. Default 3. */
  limit?: number;
}

function databaseFor(language: string): AnyOrama {
  const known = LANGUAGES[language];
  // A language without a Snowball stemmer here is split as English and not stemmed.
  const stemmer = known?.stemmer;
  return create({
    schema: SCHEMA,
    components: { tokenizer: stemmer ? { language: known.name, stemming: true, stemmer: (word: string) => stemmer(plain(word)) } : { language: 'english', stemming: false } },
  });
}

/**
 * A passage with numbered steps ranks this much higher: questions to a product assistant mostly ask how to do
 * something, and the section with the steps answers them better than the one that only mentions the same words.
 */
const STEPS_BOOST = 1.25;

/** The words searched for a question: its topic (question words and fillers of five languages dropped), else all of it. */
function searchTerms(query: string): string[] {
  const topic = topicWords(query).flatMap((word) => [word, ...compoundParts(word)]);
  return topic.length > 0 ? topic : query.split(/\s+/).filter(Boolean);
}

/**
 * The help center's index. Build it from articles with {@link HelpCenterIndex.build}, or load a saved one with
 * {@link HelpCenterIndex.fromFile}; search with {@link HelpCenterIndex.search}.
 *
 * @example
 * const index = await HelpCenterIndex.build(articles, 'abc123', Date.now());
 * index.search('how do I change my plan?', { language: 'en' }); // [{ title: 'Change your plan', … }]
 */
export class HelpCenterIndex {
  private constructor(
    private readonly databases: Map<string, AnyOrama>,
    /** The fingerprint of the articles indexed. */
    readonly fingerprint: string,
    /** Epoch milliseconds of the build. */
    readonly builtAt: number,
    /** How many articles were indexed. */
    readonly articles: number,
  ) {}

  /** An index of no articles. */
  static empty(): HelpCenterIndex {
    return new HelpCenterIndex(new Map(), '', 0, 0);
  }

  /** Indexes the articles' passages, one database per language. */
  static async build(articles: readonly HelpArticle[], fingerprint: string, builtAt: number): Promise<HelpCenterIndex> {
    const byLanguage = new Map<string, PassageDocument[]>();
    for (const article of articles) {
      const documents = byLanguage.get(article.language) ?? [];
      for (const passage of article.passages) {
        documents.push({
          title: article.title,
          headings: passage.headings.join(' · '),
          body: bodyOf(passage.text),
          text: passage.text,
          headingList: passage.headings,
          source: article.source,
          language: article.language,
          steps: passage.steps,
        });
      }
      byLanguage.set(article.language, documents);
    }
    const databases = new Map<string, AnyOrama>();
    for (const [language, documents] of byLanguage) {
      const database = databaseFor(language);
      await insertMultiple(database, documents as never[], 500);
      databases.set(language, database);
    }
    return new HelpCenterIndex(databases, fingerprint, builtAt, articles.length);
  }

  /** Restores a saved index; throws when the file's version is not {@link HELP_INDEX_VERSION}. */
  static fromFile(file: HelpIndexFile): HelpCenterIndex {
    if (file.version !== HELP_INDEX_VERSION) throw new Error(`help index version ${String(file.version)} is not ${HELP_INDEX_VERSION}`);
    const databases = new Map<string, AnyOrama>();
    for (const [language, raw] of Object.entries(file.languages)) {
      const database = databaseFor(language);
      load(database, raw);
      databases.set(language, database);
    }
    return new HelpCenterIndex(databases, file.fingerprint, file.builtAt, file.articles);
  }

  /** The index as saved to disk. */
  toFile(): HelpIndexFile {
    const languages: Record<string, RawData> = {};
    for (const [language, database] of this.databases) languages[language] = save(database);
    return { version: HELP_INDEX_VERSION, fingerprint: this.fingerprint, builtAt: this.builtAt, articles: this.articles, languages };
  }

  /** How many passages are indexed. */
  get passages(): number {
    let total = 0;
    for (const database of this.databases.values()) total += count(database);
    return total;
  }

  /** The languages that have articles. */
  get languages(): string[] {
    return [...this.databases.keys()].sort();
  }

  /**
   * The best passages for a question, best first: those of its language, then (when fewer than `limit`) those of
   * other languages found through translated words, ranked after them. Passages of one article's section appear once.
   */
  async search(query: string, options: HelpSearchOptions = {}): Promise<HelpPassage[]> {
    const limit = Math.max(1, options.limit ?? 3);
    const terms = searchTerms(query);
    if (terms.length === 0) return [];
    const language = options.language ?? null;
    const found: HelpPassage[] = [];
    const seen = new Set<string>();
    const collect = async (database: AnyOrama, term: string, weight: number) => {
      const results = await search(database, { term, properties: ['title', 'headings', 'body'], boost: { title: 2, headings: 1.5 }, threshold: 1, limit });
      for (const hit of results.hits) {
        const document = hit.document as unknown as PassageDocument;
        const key = `${document.source}\u0000${document.headings}\u0000${document.text.slice(0, 64)}`;
        if (seen.has(key)) continue;
        seen.add(key);
        found.push({
          title: document.title,
          headings: document.headingList,
          text: document.text,
          source: document.source,
          language: document.language,
          score: hit.score * weight * (document.steps.length > 0 ? STEPS_BOOST : 1),
          ...(document.steps.length > 0 ? { steps: document.steps } : {}),
        });
      }
    };
    const own = language === null ? [...this.databases.keys()] : this.databases.has(language) ? [language] : [];
    for (const name of own) await collect(this.databases.get(name)!, terms.join(' '), 1);
    found.sort((a, b) => b.score - a.score);
    if (found.length < limit) {
      // A translation written as one word here may be two in the other language's articles ('timezone', "time zone").
      const translated = [...new Set(terms.flatMap((term) => [term, ...relatedWords(term)]).flatMap((word) => [word, ...compoundParts(word)]))].join(' ');
      // Passages found only through translated words rank after the question's own language.
      const weight = found.length > 0 ? Math.min(...found.map((passage) => passage.score)) / 2 : 1;
      const before = found.length;
      for (const [name, database] of this.databases) if (!own.includes(name)) await collect(database, translated, 1);
      const extra = found.splice(before).sort((a, b) => b.score - a.score);
      const top = extra[0]?.score ?? 1;
      for (const passage of extra) found.push({ ...passage, score: before > 0 ? (passage.score / top) * weight : passage.score });
    }
    if (language === null) found.sort((a, b) => b.score - a.score);
    return found.slice(0, limit);
  }
}
