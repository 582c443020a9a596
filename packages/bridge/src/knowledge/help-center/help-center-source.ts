/**
 * The help center as a {@link KnowledgeSource}: it loads the saved index when it matches the folder (same files,
 * sizes and times), else reads the articles, builds the index and saves it; it watches the folder and, a short
 * quiet time after the last change, does the same again while the previous index keeps answering. `find` never
 * rejects: with no index yet, a broken folder or any error, it resolves with no passages.
 */
import { watch as watchFs } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Logger } from 'pino';
import { systemClock, type Clock, type TimerHandle } from '@sightline/sdk';
import { detectLanguage } from '../../responder/language/detect-language.ts';
import type { HelpPassage, KnowledgeQuestion, KnowledgeSource, ProductKnowledge } from '../knowledge-types.ts';
import { HELP_INDEX_VERSION, HelpCenterIndex, type HelpIndexFile, type HelpSearchOptions } from './help-center-index.ts';
import { fingerprintOf, listArticleFiles, readHelpCenter } from './read-help-center.ts';

/** Watches a folder; calls `onChange` on any change under it (often several times for one save). */
export type FolderWatcher = (dir: string, onChange: () => void, onError: (error: Error) => void) => { close(): void };

/** Node's recursive `fs.watch`, ignoring changes to hidden entries (the index's own folder among them). */
export const watchFolder: FolderWatcher = (dir, onChange, onError) => {
  const watcher = watchFs(dir, { recursive: true, persistent: false }, (_event, name) => {
    const path = typeof name === 'string' ? name : '';
    if (path.split(/[\\/]/).some((part) => part.startsWith('.'))) return;
    onChange();
  });
  watcher.on('error', onError);
  return { close: () => watcher.close() };
};

/** Options of {@link createHelpCenterSource}. */
export interface HelpCenterSourceOptions {
  /** The help-center folder (`KNOWLEDGE_DIR`). */
  dir: string;
  /** Where the index is saved. Default `<dir>/.sightline/help-index.json`. */
  indexPath?: string;
  /** Language of articles whose language is given nowhere and cannot be detected. Default `en`. */
  defaultLanguage?: string;
  /** Answers questions about this product only; null answers for any product (the bridge's one). Default null. */
  productId?: string | null;
  /** Passages given per question. Default 3. */
  limit?: number;
  /** Watch the folder and reload on change: `true` (Node's `fs.watch`), `false`, or a watcher. Default true. */
  watch?: boolean | FolderWatcher;
  /** Quiet time after the last change before reloading, ms. Default 500. */
  debounceMs?: number;
  clock?: Clock;
  logger?: Logger;
}

/** What the source holds now. */
export interface HelpCenterStats {
  articles: number;
  passages: number;
  languages: string[];
  /** Epoch ms of the index's build, or null before the first. */
  builtAt: number | null;
  /** Bytes of the saved index file, or null when it was not saved. */
  indexBytes: number | null;
}

/** The help-center source: a {@link KnowledgeSource} with its index's life cycle. */
export interface HelpCenterSource extends KnowledgeSource {
  /** Resolves when the first load is done (with an empty index if the folder could not be read). */
  ready(): Promise<void>;
  /** Loads the saved index, or rebuilds and saves it when the folder changed; resolves with what it holds. */
  reload(): Promise<HelpCenterStats>;
  /** Searches the current index (see {@link HelpCenterIndex.search}); rejects only on a bug. */
  search(query: string, options?: HelpSearchOptions): Promise<HelpPassage[]>;
  stats(): HelpCenterStats;
  /** Stops watching. */
  close(): Promise<void>;
}

/** The default index path for a help-center folder. */
export function defaultIndexPath(dir: string): string {
  return join(dir, '.sightline', 'help-index.json');
}

async function readIndexFile(path: string): Promise<{ file: HelpIndexFile; bytes: number } | null> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return null;
  }
  const file = JSON.parse(text) as HelpIndexFile;
  return { file, bytes: Buffer.byteLength(text) };
}

/** Writes through a temporary file and a rename, so a reader never sees half an index. */
async function writeIndexFile(path: string, file: HelpIndexFile): Promise<number> {
  const text = JSON.stringify(file);
  await mkdir(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, text);
  await rename(temporary, path);
  return Buffer.byteLength(text);
}

/**
 * Builds the help center's index from `dir` and saves it to `indexPath` (the `sightline knowledge index` command),
 * whatever is saved there already.
 *
 * @example
 * const { stats, problems } = await indexHelpCenter({ dir: './help' });
 */
export async function indexHelpCenter(options: { dir: string; indexPath?: string; defaultLanguage?: string; now?: number }): Promise<{ index: HelpCenterIndex; stats: HelpCenterStats; problems: { source: string; reason: string }[] }> {
  const content = await readHelpCenter(options.dir, { ...(options.defaultLanguage ? { defaultLanguage: options.defaultLanguage } : {}) });
  const index = await HelpCenterIndex.build(content.articles, content.fingerprint, options.now ?? Date.now());
  const indexBytes = await writeIndexFile(options.indexPath ?? defaultIndexPath(options.dir), index.toFile());
  return { index, stats: { articles: index.articles, passages: index.passages, languages: index.languages, builtAt: index.builtAt, indexBytes }, problems: content.problems };
}

/**
 * Creates the help-center source over `dir` and starts its first load (await {@link HelpCenterSource.ready}).
 *
 * @example
 * const help = createHelpCenterSource({ dir: process.env.KNOWLEDGE_DIR!, logger });
 * await help.ready();
 * await help.find({ productId: 'crm', query: '¿Cómo exporto contactos?', language: 'es', page: '/contacts', pageTitle: 'Contacts' });
 */
export function createHelpCenterSource(options: HelpCenterSourceOptions): HelpCenterSource {
  const clock = options.clock ?? systemClock;
  const log = options.logger;
  const indexPath = options.indexPath ?? defaultIndexPath(options.dir);
  const defaultLanguage = options.defaultLanguage ?? 'en';
  const limit = options.limit ?? 3;
  const debounceMs = options.debounceMs ?? 500;
  let index = HelpCenterIndex.empty();
  let indexBytes: number | null = null;
  let loading: Promise<HelpCenterStats> | null = null;
  let pendingReload = false;
  let timer: TimerHandle | null = null;
  let closed = false;

  const stats = (): HelpCenterStats => ({ articles: index.articles, passages: index.passages, languages: index.languages, builtAt: index.builtAt || null, indexBytes });

  async function loadOnce(): Promise<HelpCenterStats> {
    const { files } = await listArticleFiles(options.dir);
    const fingerprint = fingerprintOf(files, defaultLanguage);
    if (fingerprint === index.fingerprint && index.builtAt > 0) return stats();
    try {
      const saved = await readIndexFile(indexPath);
      if (saved && saved.file.version === HELP_INDEX_VERSION && saved.file.fingerprint === fingerprint) {
        index = HelpCenterIndex.fromFile(saved.file);
        indexBytes = saved.bytes;
        log?.info({ dir: options.dir, passages: index.passages, languages: index.languages }, 'help-center-index-loaded');
        return stats();
      }
    } catch (error) {
      log?.warn({ err: error, index: indexPath }, 'help-center-index-unreadable');
    }
    const content = await readHelpCenter(options.dir, { defaultLanguage });
    for (const problem of content.problems) log?.warn(problem, 'help-center-article-skipped');
    const built = await HelpCenterIndex.build(content.articles, content.fingerprint, clock.now());
    index = built;
    try {
      indexBytes = await writeIndexFile(indexPath, built.toFile());
    } catch (error) {
      indexBytes = null;
      log?.warn({ err: error, index: indexPath }, 'help-center-index-not-saved');
    }
    log?.info({ dir: options.dir, articles: built.articles, passages: built.passages, languages: built.languages }, 'help-center-index-built');
    return stats();
  }

  function reload(): Promise<HelpCenterStats> {
    if (loading) {
      // A change during a load is read by one more load right after it.
      pendingReload = true;
      return loading;
    }
    loading = loadOnce()
      .catch((error: unknown) => {
        log?.error({ err: error, dir: options.dir }, 'help-center-load-failed');
        return stats();
      })
      .finally(() => {
        loading = null;
        if (pendingReload && !closed) {
          pendingReload = false;
          void reload();
        }
      });
    return loading;
  }

  const first = reload();
  const watcher = options.watch === false ? null : (typeof options.watch === 'function' ? options.watch : watchFolder);
  let watching: { close(): void } | null = null;
  if (watcher) {
    try {
      watching = watcher(
        options.dir,
        () => {
          if (closed) return;
          if (timer !== null) clock.clearTimeout(timer);
          timer = clock.setTimeout(() => {
            timer = null;
            void reload();
          }, debounceMs);
        },
        (error) => log?.warn({ err: error, dir: options.dir }, 'help-center-watch-failed'),
      );
    } catch (error) {
      log?.warn({ err: error, dir: options.dir }, 'help-center-watch-failed');
    }
  }

  async function search(query: string, searchOptions: HelpSearchOptions = {}): Promise<HelpPassage[]> {
    return index.search(query, { limit, ...searchOptions });
  }

  return {
    async ready() {
      await first;
    },
    reload,
    search,
    stats,
    async find(question: KnowledgeQuestion, signal?: AbortSignal): Promise<Partial<ProductKnowledge>> {
      try {
        if (signal?.aborted) return {};
        if (options.productId && question.productId !== options.productId) return {};
        await first;
        const language = question.language ?? detectLanguage(question.query, null);
        const passages = await search(question.query, { language });
        if (!question.openLabel) return { passages };
        // What is open, after what the message found: its article names the control that finishes it.
        const about = await search(question.openLabel, { language, limit: 2 });
        const isNew = (passage: HelpPassage) => !passages.some((known) => known.source === passage.source && known.text === passage.text);
        return { passages: [...passages, ...about.filter(isNew)] };
      } catch (error) {
        log?.warn({ err: error }, 'help-center-search-failed');
        return {};
      }
    },
    async close() {
      closed = true;
      if (timer !== null) clock.clearTimeout(timer);
      timer = null;
      watching?.close();
      await loading;
    },
  };
}
