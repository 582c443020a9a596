/**
 * Redaction of personal data and secrets in free text: element text, labels, page titles, URL parts, prompts and
 * replies. One module for the whole project, so the connector (at the source) and the bridge (on what leaves it)
 * redact the same things the same way. docs/privacy.md lists what is redacted and why.
 *
 * Every pattern is linear in its input: quantifiers are bounded (or range over one character class with nothing
 * after it that could make the engine backtrack), so a failed match from one start position costs a bounded number
 * of steps and no crafted string can make redaction quadratic. Cheap counts (digits, `@`) decide which patterns run.
 */
import { IBAN_LENGTHS, isIbanValid, isLuhnValid } from './checksums.ts';

/** Longest text {@link redactText} looks at; the rest is cut (labels, titles and URLs are far shorter). */
export const REDACT_MAX_LENGTH = 4096;

/** What each kind of redacted data becomes. Placeholders are never redacted again, so redaction is idempotent. */
export const REDACTED = {
  email: '[email]',
  card: '[card]',
  phone: '[phone]',
  iban: '[iban]',
  nationalId: '[id-number]',
  jwt: '[jwt]',
  apiKey: '[api-key]',
  token: '[token]',
  number: '[number]',
  secret: '[redacted]',
  user: '[user]',
} as const;

/** What a redacted email becomes. */
export const REDACTED_EMAIL = REDACTED.email;
/** What a redacted long number becomes. */
export const REDACTED_NUMBER = REDACTED.number;

// JSON Web Tokens: a base64url header that starts `{"` (`eyJ`), a payload and a signature.
const JWT = /eyJ[A-Za-z0-9_-]{5,1000}\.[A-Za-z0-9_-]{2,4000}\.[A-Za-z0-9_-]{0,1000}/g;

// API keys by their documented prefixes. Not preceded by a letter or digit, so `task_live_x` is no Stripe key.
const API_KEY = new RegExp(
  '(?<![A-Za-z0-9])(?:' +
    [
      '(?:sk|pk|rk)_(?:live|test)_[A-Za-z0-9]{8,247}', // Stripe secret, publishable and restricted keys
      'rk_[A-Za-z0-9]{16,247}',
      'whsec_[A-Za-z0-9+/=]{16,128}', // Stripe webhook secrets
      'sk-(?:proj-|ant-|svcacct-)?[A-Za-z0-9_-]{20,200}', // OpenAI and Anthropic
      'gh[pousr]_[A-Za-z0-9]{30,251}', // GitHub tokens
      'github_pat_[A-Za-z0-9_]{22,251}',
      '(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA)[A-Z0-9]{16}', // AWS access key ids
      'xox[abprse]-[A-Za-z0-9-]{10,250}', // Slack tokens
      'xapp-[A-Za-z0-9-]{10,250}',
      'AIza[A-Za-z0-9_-]{35}', // Google API keys
      'ya29\\.[A-Za-z0-9_-]{20,500}', // Google OAuth access tokens
      'glpat-[A-Za-z0-9_-]{20,64}', // GitLab personal access tokens
      'SG\\.[A-Za-z0-9_-]{16,32}\\.[A-Za-z0-9_-]{16,64}', // SendGrid
      'npm_[A-Za-z0-9]{36}', // npm
      'shp(?:at|ss|ca|pa)_[A-Fa-f0-9]{32}', // Shopify
      'ph[cx]_[A-Za-z0-9]{30,60}', // PostHog project and personal keys
      'hf_[A-Za-z0-9]{30,40}', // Hugging Face
      'key-[a-f0-9]{32}', // Mailgun
      'sq0(?:atp|csp)-[A-Za-z0-9_-]{22,60}', // Square
    ].join('|') +
    ')',
  'g',
);

// A secret written after its name: `password: hunter2`, `PIN=1234`, `API key: …`; for the password words also
// `your password is hunter2` (and its Spanish, French and German forms).
const LABELLED_SECRET =
  /(?<![A-Za-z])(password|passwort|passwd|passcode|pass ?phrase|contraseña|senha|mot de passe|pwd|pw|pin|cvv|cvc|otp|one-time code|secret|client[ _-]?secret|api[ _-]?key|access[ _-]?token|refresh[ _-]?token|token)(\s{0,3}[:=]\s{0,3})(?![[\s])[^\s,;]{1,128}/gi;
const PASSWORD_IS =
  /(?<![A-Za-z])(password|passwort|passwd|passcode|contraseña|senha|mot de passe|pwd|pin)(\s{1,3}(?:is|es|est|ist|é)\s{1,3})(?![[\s])[^\s,;]{1,128}/gi;

const PASSWORD_WORD = /pass|pwd|pin|contrase|senha|mot de/i;

// Emails, also with `@` percent-encoded as in query strings and paths.
const EMAIL = /[A-Za-z0-9._%+-]{1,64}(?:@|%40)[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){1,8}/g;

// A run of letters, digits, `_` and `-`, to be tested for randomness (see isRandomToken). The quantifier ranges over
// one class with nothing after it, so the engine never backtracks into it.
const TOKEN_RUN = /(?<![A-Za-z0-9_-])[A-Za-z0-9_-]{24,4096}/g;

// IBAN: country, check digits, then 11-30 letters and digits, optionally in groups of four.
const IBAN = /(?<![A-Za-z0-9])[A-Z]{2}\d{2}(?: ?[A-Z0-9]){11,30}/gi;

// National ids with a shape of their own: US SSN, UK National Insurance number, Spanish DNI and NIE, Indian PAN,
// Italian codice fiscale, Brazilian CPF. Ids that are only digits (French NIR, Canadian SIN, Dutch BSN, Aadhaar)
// are long digit runs and go as numbers.
const NATIONAL_ID = new RegExp(
  '(?<![A-Za-z0-9])(?:' +
    [
      '\\d{3}[- ]\\d{2}[- ]\\d{4}', // US SSN
      '[A-CEGHJ-PR-TW-Z]{2} ?\\d{2} ?\\d{2} ?\\d{2} ?[A-D]', // UK NINO
      '\\d{8}-?[A-Z]', // Spanish DNI
      '[XYZ]-?\\d{7}-?[A-Z]', // Spanish NIE
      '[A-Z]{5}\\d{4}[A-Z]', // Indian PAN
      '[A-Z]{6}\\d{2}[A-Z]\\d{2}[A-Z]\\d{3}[A-Z]', // Italian codice fiscale
      '\\d{3}\\.\\d{3}\\.\\d{3}-\\d{2}', // Brazilian CPF
    ].join('|') +
    ')(?![A-Za-z0-9])',
  'g',
);

// Card numbers: 13-19 digits with up to three separators (spaces, tabs, dashes, dots, slashes) between any two.
const CARD = /(?<!\d)\d(?:[ \t./-]{0,3}\d){12,18}(?!\d)/g;

// Phone numbers. International: `+` and 7-15 digits with separators or parentheses (`+44 20 7946 0958`,
// `+1-415-555-2671`, `+44 (0)20 …`). National: an area code in parentheses (`(415) 555-2671`), a trunk 0 and groups
// (`020 7946 0958`, `06 12 34 56 78`), or the North American 3-3-4 (`415.555.2671`).
const PHONE_INTERNATIONAL = /(?<![\w+])\+\(?\d(?:[ \t./()-]{0,3}\d){6,14}(?!\d)/g;
const PHONE_AREA_CODE = /(?<!\d)\(\d{2,5}\)[ \t.-]{0,3}\d{2,4}(?:[ \t.-]{1,3}\d{2,5}){1,3}(?!\d)/g;
const PHONE_TRUNK = /(?<![\d+])0\d{1,4}(?:[ \t./-]{1,3}\d{2,4}){2,5}(?!\d)/g;
const PHONE_NANP = /(?<![\d+])\d{3}[ \t.-]{1,2}\d{3}[ \t.-]{1,2}\d{4}(?!\d)/g;

// Nine or more digits with up to two separators between any two: account and card-like numbers in any layout.
const GROUPED_DIGITS = /\d(?:[ \t./-]{0,2}\d){8,4096}/g;
// Six or more digits in a row: order numbers, one-time codes, account ids. Five digits and fewer (years, prices,
// counts, versions, "Step 2 of 3") are kept because they carry meaning and rarely identify anyone.
const LONG_DIGITS = /\d{6,4096}/g;

function countDigits(text: string): number {
  let count = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 48 && code <= 57) count++;
  }
  return count;
}

function digitsOf(text: string): string {
  let digits = '';
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 48 && code <= 57) digits += text[i];
  }
  return digits;
}

function isLetter(code: number): boolean {
  return (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}

// The shortest API key of the list above is 15 characters (`xoxb-` and 10), the shortest JWT 12 (`eyJ`, 5, `.`, 2,
// `.`), all from the key alphabet of TextShape. Random tokens are runs of 24+ (TOKEN_RUN).
const MIN_API_KEY_RUN = 15;
const MIN_JWT_RUN = 12;
const MIN_TOKEN_RUN = 24;

/** What one scan of a text tells about which patterns could match in it. */
interface TextShape {
  digits: number;
  /** Longest run of characters an API key or JWT is made of: letters, digits, `_ - . + / =`. */
  keyRun: number;
  /** Longest run of letters, digits, `_` and `-` (what TOKEN_RUN matches). */
  tokenRun: number;
  /** `@` or `%40` (an email, plain or percent-encoded). */
  hasAt: boolean;
  /** `:` or `=` (a secret written after its name). */
  hasSeparator: boolean;
  /** Longest run of capital letters A-Z (an Indian PAN starts with five). */
  upperRun: number;
}

// What each ASCII character can be part of, for shapeOf: one table lookup per character instead of a chain of
// comparisons. Characters above ASCII are none of these.
const IS_DIGIT = 1;
const IS_TOKEN = 2; // letters, digits, `_` and `-`
const IS_KEY = 4; // the token characters and `. + / =`
const IS_UPPER = 8;
const IS_MARK = 16; // `@`, `%`, `:` and `=`: looked at one by one
const CHARACTER_KINDS = new Uint8Array(128);
for (let code = 0; code < 128; code++) {
  const isDigit = code >= 48 && code <= 57;
  const isUpper = code >= 65 && code <= 90;
  const isToken = isDigit || isUpper || (code >= 97 && code <= 122) || code === 95 || code === 45;
  const isKey = isToken || code === 46 || code === 43 || code === 47 || code === 61;
  const isMark = code === 64 || code === 37 || code === 58 || code === 61;
  CHARACTER_KINDS[code] = (isDigit ? IS_DIGIT : 0) | (isToken ? IS_TOKEN : 0) | (isKey ? IS_KEY : 0) | (isUpper ? IS_UPPER : 0) | (isMark ? IS_MARK : 0);
}

function shapeOf(text: string): TextShape {
  let digits = 0;
  let keyRun = 0;
  let tokenRun = 0;
  let upperRun = 0;
  let key = 0;
  let token = 0;
  let upper = 0;
  let hasAt = false;
  let hasSeparator = false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const kind = code < 128 ? CHARACTER_KINDS[code]! : 0;
    if ((kind & IS_DIGIT) !== 0) digits++;
    token = (kind & IS_TOKEN) !== 0 ? token + 1 : 0;
    key = (kind & IS_KEY) !== 0 ? key + 1 : 0;
    upper = (kind & IS_UPPER) !== 0 ? upper + 1 : 0;
    if (token > tokenRun) tokenRun = token;
    if (key > keyRun) keyRun = key;
    if (upper > upperRun) upperRun = upper;
    if ((kind & IS_MARK) !== 0) {
      if (code === 64 /* @ */ || (code === 37 /* % */ && text.startsWith('40', i + 1))) hasAt = true;
      else if (code === 58 /* : */ || code === 61 /* = */) hasSeparator = true;
    }
  }
  return { digits, keyRun, tokenRun, hasAt, hasSeparator, upperRun };
}

const VOWELS = /[aeiouy]/i;

/**
 * Share of a part's letters that sit in readable words: camelCase split into words, a word counts when it has 3+
 * letters and a vowel. `getStartedGuide` reads as words; `xKqTbWmPzLrNvYsJ` does not.
 */
function readableShare(part: string): number {
  const words = part.match(/[A-Z]?[a-z]{1,64}|[A-Z]{1,64}(?![a-z])/g);
  if (words === null) return 0;
  let letters = 0;
  let readable = 0;
  for (const word of words) {
    letters += word.length;
    if (word.length >= 3 && VOWELS.test(word)) readable += word.length;
  }
  return letters === 0 ? 0 : readable / letters;
}

/**
 * True for a run that is a random token rather than words: split at `-` and `_`, some part of 10+ characters mixes
 * 2+ letters with 2+ digits (`a64548f232fb`, `x7Kq9…`), or some part of 16+ letters does not read as words.
 * Slugs (`how-to-set-up-sso-2024`) and camelCase names (`gettingStartedGuide`) are not tokens.
 *
 * @example isRandomToken('xK9qT2bWmP4zLr7NvY3sJdHg'); // true
 */
export function isRandomToken(run: string): boolean {
  let start = 0;
  for (let i = 0; i <= run.length; i++) {
    if (i < run.length && run[i] !== '-' && run[i] !== '_') continue;
    const length = i - start;
    if (length >= 10) {
      let letters = 0;
      let digits = 0;
      for (let j = start; j < i; j++) {
        const code = run.charCodeAt(j);
        if (code >= 48 && code <= 57) digits++;
        else if (isLetter(code)) letters++;
      }
      if (letters >= 2 && digits >= 2) return true;
      if (digits === 0 && length >= 16 && readableShare(run.slice(start, i)) < 0.6) return true;
    }
    start = i + 1;
  }
  return false;
}

function redactCard(match: string): string {
  return isLuhnValid(digitsOf(match)) ? REDACTED.card : match;
}

function redactIban(match: string): string {
  const compact = match.replace(/ /g, '');
  const length = IBAN_LENGTHS[compact.slice(0, 2).toUpperCase()];
  if (length !== undefined && compact.length >= length) {
    const iban = compact.slice(0, length);
    if (!isIbanValid(iban)) return match;
    // Keep what followed the IBAN (it matched only because letters and digits may follow without a space).
    let seen = 0;
    let end = 0;
    while (end < match.length && seen < length) {
      if (match[end] !== ' ') seen++;
      end++;
    }
    return REDACTED.iban + match.slice(end);
  }
  return isIbanValid(compact) ? REDACTED.iban : match;
}

function redactPhone(match: string): string {
  const digits = countDigits(match);
  return digits >= 7 && digits <= 15 ? REDACTED.phone : match;
}

function redactTrunkPhone(match: string): string {
  const digits = countDigits(match);
  return digits >= 9 && digits <= 12 ? REDACTED.phone : match;
}

function redactTokenRun(run: string): string {
  return isRandomToken(run) ? REDACTED.token : run;
}

function redactLabelledSecret(_match: string, name: string, separator: string): string {
  return `${name}${separator}${REDACTED.secret}`;
}

/**
 * Replaces personal data and secrets in `text` with placeholders ({@link REDACTED}): JWTs (`[jwt]`), API keys of
 * the common providers (`[api-key]`), a secret written after its name (`password: [redacted]`), emails (also with
 * `%40`), long random tokens (`[token]`), IBANs with a valid checksum (`[iban]`), national ids (`[id-number]`),
 * Luhn-valid card numbers in any layout (`[card]`), phone numbers in international and national forms (`[phone]`),
 * and any other run of 9+ digits (with separators) or 6+ digits in a row (`[number]`). Short numbers stay (years,
 * prices, counts, "Step 2 of 3").
 *
 * Input longer than {@link REDACT_MAX_LENGTH} characters is cut to that length first. Idempotent: redacting twice
 * gives the same text. Never throws; a non-string gives `''`.
 *
 * @example
 * redactText('Card 4111  1111  1111  1111, call (415) 555-2671'); // 'Card [card], call [phone]'
 * redactText('Invite jane@example.com, order 1234567');          // 'Invite [email], order [number]'
 */
export function redactText(text: string): string {
  if (typeof text !== 'string' || text.length === 0) return '';
  let result = text.length > REDACT_MAX_LENGTH ? text.slice(0, REDACT_MAX_LENGTH) : text;
  // One pass says which patterns could match at all; most labels and titles need none of them.
  const scanned = result;
  const shape = shapeOf(scanned);
  if (shape.keyRun >= MIN_JWT_RUN && result.includes('eyJ')) result = result.replace(JWT, REDACTED.jwt);
  if (shape.keyRun >= MIN_API_KEY_RUN) result = result.replace(API_KEY, REDACTED.apiKey);
  // A labelled secret needs `:` or `=`, or one of the password words before "is".
  if (result.length >= 4) {
    if (shape.hasSeparator) result = result.replace(LABELLED_SECRET, redactLabelledSecret);
    if (PASSWORD_WORD.test(result)) result = result.replace(PASSWORD_IS, redactLabelledSecret);
  }
  if (shape.hasAt) result = result.replace(EMAIL, REDACTED.email);
  let digits = shape.digits;
  if (digits < 4 && shape.tokenRun < MIN_TOKEN_RUN) return result;
  // Before tokens: an IBAN without spaces is also a long run of letters and digits.
  if (digits >= 10 && /[A-Za-z]{2}\d{2}/.test(result)) result = result.replace(IBAN, redactIban);
  if (shape.tokenRun >= MIN_TOKEN_RUN) result = result.replace(TOKEN_RUN, redactTokenRun);
  // The scan's count is exact while nothing was replaced (the usual case); otherwise the digits are counted again.
  digits = result === scanned ? shape.digits : countDigits(result);
  if (digits < 4) return result;
  // Every national id but the Indian PAN holds 6+ digits; a PAN is 5 capitals, 4 digits and a capital. The patterns
  // above only put placeholders (no capitals, no digits) in place of what they match, so no run grew since the scan.
  if (digits >= 6 || shape.upperRun >= 5) {
    const before = result;
    result = result.replace(NATIONAL_ID, REDACTED.nationalId);
    if (result !== before) digits = countDigits(result);
  }
  if (digits < 6) return result;
  if (digits >= 13) result = result.replace(CARD, redactCard);
  if (digits >= 7) {
    if (result.includes('+')) result = result.replace(PHONE_INTERNATIONAL, redactPhone);
    if (result.includes('(')) result = result.replace(PHONE_AREA_CODE, redactPhone);
    result = result.replace(PHONE_TRUNK, redactTrunkPhone).replace(PHONE_NANP, REDACTED.phone);
  }
  if (countDigits(result) >= 6) result = result.replace(GROUPED_DIGITS, REDACTED.number).replace(LONG_DIGITS, REDACTED.number);
  return result;
}

/**
 * {@link redactText} for text of any length (prompts, chat history, summaries): each line is redacted on its own,
 * and a line longer than {@link REDACT_MAX_LENGTH} is redacted in pieces cut at whitespace, so nothing is dropped.
 *
 * @example redactDocument('Story: paid with 4111 1111 1111 1111.\nUser: my email is jane@example.com');
 * // 'Story: paid with [card].\nUser: my email is [email]'
 */
export function redactDocument(text: string): string {
  if (typeof text !== 'string' || text === '') return '';
  return text
    .split('\n')
    .map((line) => {
      if (line.length <= REDACT_MAX_LENGTH) return redactText(line);
      const pieces: string[] = [];
      let rest = line;
      while (rest.length > REDACT_MAX_LENGTH) {
        const space = rest.lastIndexOf(' ', REDACT_MAX_LENGTH);
        const cut = space > REDACT_MAX_LENGTH / 2 ? space : REDACT_MAX_LENGTH;
        pieces.push(redactText(rest.slice(0, cut)));
        rest = rest.slice(cut);
      }
      pieces.push(redactText(rest));
      return pieces.join('');
    })
    .join('\n');
}
