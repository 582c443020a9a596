/**
 * The language a chat message is written in, among the five the offline responder answers in. A maintained n-gram
 * detector (eld, its smallest database) decides when it is confident; short messages ("¿y ahora?", "und jetzt?"),
 * where n-grams say little, are decided by cheap cues first (characters and words that belong to one language
 * only); then the widget's language; then English.
 */
import { eld } from 'eld/extrasmall';

/** A language the offline responder answers in (ISO 639-1). */
export type ReplyLanguage = 'en' | 'es' | 'fr' | 'de' | 'pt';

/** Every {@link ReplyLanguage}, English first. */
const REPLY_LANGUAGES: readonly ReplyLanguage[] = ['en', 'es', 'fr', 'de', 'pt'];

/**
 * The least score (eld's 0–1 scale) and the least lead over the runner-up, among the five languages, for the
 * detector's answer to count. Measured on short product questions: right answers lead by 0.05 or more; the wrong
 * ones seen (mixed-language, one-word messages) lead by less or score lower.
 */
const MIN_SCORE = 0.7;
const MIN_MARGIN = 0.05;
/** Up to this many words, a message is "short": words that belong to one language decide before the detector. */
const SHORT_WORDS = 4;

/** Characters that, in these five languages, only one of them uses. */
const CHARACTER_CUES: readonly [RegExp, ReplyLanguage][] = [
  [/[¿¡ñ]/i, 'es'],
  [/[ãõ]/i, 'pt'],
  [/ß/, 'de'],
  [/[œùûëï]/i, 'fr'],
];

/**
 * Words (lower case, accents removed) that, among the five, only one language uses in questions to a product
 * assistant. Words shared by two languages (como, que, por, das, was, du, do, tu) are left out on purpose.
 */
const WORD_CUES: Record<ReplyLanguage, readonly string[]> = {
  en: ['i', 'you', 'what', 'whats', 'how', 'where', 'why', 'the', 'does', 'did', 'doesnt', 'didnt', 'is', 'my', 'now', 'next', 'this', 'that', 'work', 'are', 'can', 'thanks', 'thank', 'hello', 'hi', 'hey', 'please', 'help', 'should', 'which', 'done'],
  es: ['y', 'estoy', 'hago', 'hice', 'ahora', 'donde', 'puedo', 'eres', 'gracias', 'hola', 'funciono', 'siguiente', 'ayuda', 'ayudame', 'despues', 'cual', 'el', 'los', 'las', 'pero', 'muy', 'hecho', 'sigue', 'luego', 'esto', 'eso', 'quiero', 'necesito', 'tengo', 'hacer', 'buenos', 'buenas', 'salio', 'usted', 'mi', 'mis', 'una', 'unos', 'unas', 'del', 'al'],
  fr: ['et', 'je', 'j', 'suis', 'est', 'maintenant', 'pourquoi', 'quoi', 'merci', 'bonjour', 'salut', 'ca', 'faire', 'fait', 'vous', 'une', 'avec', 'pas', 'ne', 'marche', 'fonctionne', 'etape', 'aide', 'qu', 'jusqu', 'ici', 'dois', 'veux', 'voudrais', 'bonsoir', 'quelle', 'quel', 'suivante', 'prochaine', 'etes', 'le', 'les', 'des', 'au', 'aux', 'mon', 'ma', 'votre', 'vos', 'nous', 'peux'],
  de: ['ich', 'nicht', 'und', 'bin', 'jetzt', 'warum', 'geht', 'danke', 'bist', 'wie', 'wo', 'ist', 'der', 'die', 'funktioniert', 'klappt', 'geklappt', 'hallo', 'habe', 'gemacht', 'mache', 'weiter', 'hilfe', 'mein', 'meine', 'kann', 'soll', 'schritt', 'seite', 'nun', 'nachste', 'nachstes', 'hier', 'dies', 'dieser', 'muss', 'gibt', 'sind', 'wer', 'welche', 'mich', 'mir', 'meinen', 'meinem', 'einen', 'einem', 'einer'],
  pt: ['e', 'voce', 'nao', 'estou', 'fiz', 'faco', 'agora', 'obrigado', 'obrigada', 'onde', 'ola', 'oi', 'meu', 'minha', 'isso', 'isto', 'tenho', 'posso', 'funcionou', 'depois', 'qual', 'ajuda', 'proximo', 'certo', 'coloco', 'preciso', 'quero', 'fazer', 'feito', 'um', 'uma', 'eu', 'estao', 'tudo', 'num', 'numa', 'ao', 'aos', 'meus', 'minhas', 'seu', 'sua', 'pelo', 'pela'],
};

/** Word sequences that only one of the five languages uses. */
const PHRASE_CUES: readonly [RegExp, ReplyLanguage][] = [
  [/\btu es\b|\bes tu\b/, 'fr'],
  [/\bdeu certo\b/, 'pt'],
  [/\bpor que no\b/, 'es'],
];

const CUE_OWNER = new Map<string, ReplyLanguage>();
for (const language of REPLY_LANGUAGES) for (const word of WORD_CUES[language]) CUE_OWNER.set(word, language);

/** The message without quoted labels: a user quoting the product's English UI is not writing English. */
function withoutQuotes(text: string): string {
  return text.replace(/(^|\s)['"‘“][^'"’”\n]{1,80}['"’”](?=\s|[.,;:!?)]|$)/g, '$1');
}

/** Lower case, accents removed. */
function plainWords(text: string): string[] {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .split(/[^\p{L}]+/u)
    .filter(Boolean);
}

function wordVotes(words: readonly string[]): Map<ReplyLanguage, number> {
  const votes = new Map<ReplyLanguage, number>();
  for (const word of words) {
    const owner = CUE_OWNER.get(word);
    if (owner) votes.set(owner, (votes.get(owner) ?? 0) + 1);
  }
  return votes;
}

/** eld's answer among the five, when its score and its lead over the runner-up are high enough. */
function detectorLanguage(text: string): ReplyLanguage | null {
  const scores = Object.entries(eld.detect(text).getScores())
    .filter((entry): entry is [ReplyLanguage, number] => (REPLY_LANGUAGES as readonly string[]).includes(entry[0]))
    .sort((left, right) => right[1] - left[1]);
  const [best, second] = scores;
  if (!best || best[1] < MIN_SCORE) return null;
  return best[1] - (second?.[1] ?? 0) >= MIN_MARGIN ? best[0] : null;
}

/**
 * The widget's language as one of the five, from a code such as `es`, `es-MX`, `pt_BR` or `PT`; null when it is
 * none of them.
 *
 * @example
 * languageOfHint('pt-BR'); // 'pt'
 */
export function languageOfHint(hint: string | null | undefined): ReplyLanguage | null {
  const primary = hint?.trim().toLowerCase().split(/[-_]/)[0];
  return REPLY_LANGUAGES.find((language) => language === primary) ?? null;
}

/**
 * The language to answer `query` in: characters only one language uses; for short messages, words only one
 * language uses; the detector when confident; then those words by majority; then `hint` (the widget's
 * `customData.language`); then English.
 *
 * @example
 * detectLanguage('¿y ahora?', null); // 'es'
 * detectLanguage('ok', 'de-AT'); // 'de'
 */
export function detectLanguage(query: string, hint: string | null): ReplyLanguage {
  const text = withoutQuotes(query.trim());
  for (const [cue, language] of CHARACTER_CUES) if (cue.test(text)) return language;
  const words = plainWords(text);
  const joined = words.join(' ');
  for (const [cue, language] of PHRASE_CUES) if (cue.test(joined)) return language;
  const votes = [...wordVotes(words)].sort((left, right) => right[1] - left[1]);
  const [top, runnerUp] = votes;
  if (top && !runnerUp && words.length <= SHORT_WORDS) return top[0];
  const detected = words.length > 0 ? detectorLanguage(text) : null;
  if (detected) return detected;
  if (top && top[1] > (runnerUp?.[1] ?? 0)) return top[0];
  return languageOfHint(hint) ?? 'en';
}
