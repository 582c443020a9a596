/**
 * A small `.env` reader. The format is the common one: `KEY=value` lines, an optional `export ` prefix,
 * `#` comments, single quotes (taken literally) and double quotes (with `\n`, `\t`, `\"`, `\\` escapes).
 *
 * Not `util.parseEnv`: on Node 20 (the floor) a line that is not `KEY=value` swallows the next line's name
 * (`oops\nLOOKBACK_SECONDS=300` gives the key `"oops\nLOOKBACK_SECONDS"`), so one stray line would drop a setting; and
 * it keeps `\t` unescaped. Once the floor is Node 22, compare again (the test below states what must hold).
 */
import { readFileSync } from 'node:fs';

const LINE = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.]*)\s*=\s*(.*?)\s*$/;

/**
 * Parses the text of a `.env` file into a map. Malformed lines are skipped, since a stray line must
 * not stop the bridge when every variable it needs is set; later lines win over earlier ones.
 *
 * @example
 * parseEnvFile('STREAM_URL=http://localhost:8080/stream/acme\nPORT="8090" # bridge')
 * // → { STREAM_URL: 'http://localhost:8080/stream/acme', PORT: '8090' }
 */
export function parseEnvFile(text: string): Record<string, string> {
  const values: Record<string, string> = {};
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  for (let index = 0; index < lines.length; index++) {
    const match = LINE.exec(lines[index]!);
    if (!match) continue;
    const key = match[1]!;
    let raw = match[2]!;
    const quote = raw[0];
    if (quote === '"' || quote === "'") {
      // A quoted value may span lines until its closing quote.
      let body = raw.slice(1);
      let end = findClosingQuote(body, quote);
      while (end === -1 && index + 1 < lines.length) {
        body += '\n' + lines[++index]!;
        end = findClosingQuote(body, quote);
      }
      if (end === -1) continue;
      raw = body.slice(0, end);
      values[key] = quote === '"' ? unescapeDoubleQuoted(raw) : raw;
    } else {
      // An unquoted value ends at a ` #` comment.
      const comment = raw.search(/\s#/);
      values[key] = (comment === -1 ? raw : raw.slice(0, comment)).trim();
    }
  }
  return values;
}

function findClosingQuote(text: string, quote: string): number {
  for (let position = 0; position < text.length; position++) {
    const char = text[position];
    if (char === '\\' && quote === '"') {
      position++;
      continue;
    }
    if (char === quote) return position;
  }
  return -1;
}

function unescapeDoubleQuoted(text: string): string {
  return text.replace(/\\([nrt"\\])/g, (_whole, char: string) => {
    switch (char) {
      case 'n':
        return '\n';
      case 'r':
        return '\r';
      case 't':
        return '\t';
      default:
        return char;
    }
  });
}

/**
 * Reads and parses a `.env` file; a missing file gives `{}` (the file is optional), other read
 * errors are thrown.
 */
export function readEnvFile(path: string): Record<string, string> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw error;
  }
  return parseEnvFile(text);
}
