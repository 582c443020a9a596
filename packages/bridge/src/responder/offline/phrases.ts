/**
 * The offline responder's phrase books, one per language (see phrase-book.ts for their shape).
 */
import type { ReplyLanguage } from '../language/detect-language.ts';
import type { PhraseBook } from './phrase-book.ts';
import { en } from './phrases/en.ts';
import { es } from './phrases/es.ts';
import { fr } from './phrases/fr.ts';
import { de } from './phrases/de.ts';
import { pt } from './phrases/pt.ts';

const BOOKS: Record<ReplyLanguage, PhraseBook> = { en, es, fr, de, pt };

/** The phrase book of a language. */
export function phraseBook(language: ReplyLanguage): PhraseBook {
  return BOOKS[language];
}
