/**
 * Reads a help-center folder (`KNOWLEDGE_DIR`): Markdown (`.md`, `.markdown`) and HTML (`.html`, `.htm`) articles,
 * either one folder per language (`<dir>/en/…`, `<dir>/es/…`) or flat, each article's language then taken from its
 * front matter or `<html lang>`, else detected from its text, else the configured default. Hidden files and folders
 * (the index's own `.sightline/` among them) are skipped. An article that cannot be read is reported and left out;
 * the others are still read.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { extname, join, relative, sep } from 'node:path';
import { detectLanguage, languageOfHint } from '../../responder/language/detect-language.ts';
import { splitArticle, type ArticleFormat, type ArticlePassage } from './split-article.ts';

/** An article of the help center, split into passages. */
export interface HelpArticle {
  title: string;
  /** Path relative to the folder, with `/` separators: `en/billing/change-plan.md`. */
  source: string;
  /** ISO 639-1 code. */
  language: string;
  passages: ArticlePassage[];
}

/** One article file, as listed. */
export interface ArticleFile {
  source: string;
  path: string;
  format: ArticleFormat;
  size: number;
  mtimeMs: number;
  /** The language of the folder it sits in, when the folder is named by a language code. */
  folderLanguage: string | null;
}

/** Options of {@link readHelpCenter} and {@link listArticleFiles}. */
export interface ReadHelpCenterOptions {
  /** The language of articles whose language is given nowhere and cannot be detected. Default `en`. */
  defaultLanguage?: string;
  /** Files larger than this are left out (reported). Default 1 MiB. */
  maxFileBytes?: number;
  /** At most this many files are read; the rest are reported. Default 10,000. */
  maxFiles?: number;
}

/** What {@link readHelpCenter} found. */
export interface HelpCenterContent {
  articles: HelpArticle[];
  /** See {@link fingerprintOf}. */
  fingerprint: string;
  /** Files left out, and why. */
  problems: { source: string; reason: string }[];
}

const FORMATS: Record<string, ArticleFormat> = { '.md': 'markdown', '.markdown': 'markdown', '.html': 'html', '.htm': 'html' };
const LANGUAGE_FOLDER = /^[a-z]{2}(?:[-_][A-Za-z]{2,4})?$/;

function languageCode(tag: string | null | undefined): string | null {
  const primary = tag?.trim().toLowerCase().split(/[-_]/)[0];
  return primary && /^[a-z]{2}$/.test(primary) ? primary : null;
}

/**
 * The article files under `dir`, sorted by path, with the problems met (unreadable folders, too many files).
 * Throws when `dir` itself cannot be read.
 */
export async function listArticleFiles(dir: string, options: ReadHelpCenterOptions = {}): Promise<{ files: ArticleFile[]; problems: { source: string; reason: string }[] }> {
  const maxFiles = options.maxFiles ?? 10_000;
  const files: ArticleFile[] = [];
  const problems: { source: string; reason: string }[] = [];
  const walk = async (folder: string, folderLanguage: string | null, depth: number): Promise<void> => {
    let entries;
    try {
      entries = await readdir(folder, { withFileTypes: true });
    } catch (error) {
      if (depth === 0) throw error;
      problems.push({ source: relative(dir, folder).split(sep).join('/'), reason: (error as Error).message });
      return;
    }
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const path = join(folder, entry.name);
      const source = relative(dir, path).split(sep).join('/');
      if (entry.isDirectory()) {
        if (depth < 8) await walk(path, depth === 0 && LANGUAGE_FOLDER.test(entry.name) ? languageCode(entry.name) : folderLanguage, depth + 1);
        continue;
      }
      const format = FORMATS[extname(entry.name).toLowerCase()];
      if (!entry.isFile() || !format) continue;
      if (files.length >= maxFiles) {
        problems.push({ source, reason: `more than ${maxFiles} articles` });
        continue;
      }
      try {
        const info = await stat(path);
        files.push({ source, path, format, size: info.size, mtimeMs: info.mtimeMs, folderLanguage });
      } catch (error) {
        problems.push({ source, reason: (error as Error).message });
      }
    }
  };
  await walk(dir, null, 0);
  return { files, problems };
}

/** A digest of the listed files' paths, sizes and modification times: the index is rebuilt when it changes. */
export function fingerprintOf(files: readonly ArticleFile[], defaultLanguage = 'en'): string {
  const hash = createHash('sha256').update(`v1\u0000${defaultLanguage}`);
  for (const file of files) hash.update(`\u0000${file.source}\u0000${file.size}\u0000${Math.trunc(file.mtimeMs)}`);
  return hash.digest('base64url').slice(0, 22);
}

/** Reads and splits one listed article; throws when it cannot be read. */
async function readArticle(file: ArticleFile, defaultLanguage: string): Promise<HelpArticle> {
  const source = await readFile(file.path, 'utf8');
  const split = splitArticle(source, file.format);
  const text = split.passages.map((passage) => passage.text).join('\n').slice(0, 2000);
  const language = file.folderLanguage ?? languageCode(split.language) ?? (text.trim() ? detectLanguage(text, defaultLanguage) : null) ?? defaultLanguage;
  const name = file.source.split('/').at(-1)!.replace(/\.[^.]+$/, '').replace(/[-_]+/g, ' ');
  return { title: split.title ?? name.charAt(0).toUpperCase() + name.slice(1), source: file.source, language, passages: split.passages };
}

/**
 * Reads every article under `dir`. Throws only when `dir` cannot be read; an article that cannot be read or holds
 * no text is listed in `problems` and left out.
 *
 * @example
 * const { articles, problems } = await readHelpCenter('./help');
 */
export async function readHelpCenter(dir: string, options: ReadHelpCenterOptions = {}): Promise<HelpCenterContent> {
  const defaultLanguage = languageOfHint(options.defaultLanguage) ?? languageCode(options.defaultLanguage) ?? 'en';
  const maxFileBytes = options.maxFileBytes ?? 1024 * 1024;
  const { files, problems } = await listArticleFiles(dir, options);
  const articles: HelpArticle[] = [];
  for (const file of files) {
    if (file.size > maxFileBytes) {
      problems.push({ source: file.source, reason: `larger than ${maxFileBytes} bytes` });
      continue;
    }
    try {
      const article = await readArticle(file, defaultLanguage);
      if (article.passages.length === 0) problems.push({ source: file.source, reason: 'no text' });
      else articles.push(article);
    } catch (error) {
      problems.push({ source: file.source, reason: (error as Error).message });
    }
  }
  return { articles, fingerprint: fingerprintOf(files, defaultLanguage), problems };
}
