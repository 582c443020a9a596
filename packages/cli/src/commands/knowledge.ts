/**
 * `sightline knowledge index <dir>` builds a help center's index and saves it where the bridge loads it from;
 * `sightline knowledge search <query>` shows the passages a question finds, in a local help center or on a running
 * bridge (`GET /knowledge/search`, which adds the UI map's paths). See docs/knowledge.md.
 */
import { createHelpCenterSource, type HelpPassage } from '@sightline/bridge';
import { defaultIndexPath, indexHelpCenter } from '@sightline/bridge/internal';
import { readCommandLine } from './command-line.ts';

/** One-line summary for `sightline --help`. */
export const summary = "index a help center (KNOWLEDGE_DIR) or search it, locally or on a running bridge";

const HELP = `usage: sightline knowledge index <dir> [--index <path>] [--language <code>]
       sightline knowledge search <query> [--dir <dir>] [--index <path>] [--lang <code>] [--limit <n>] [--json]
       sightline knowledge search <query> --bridge-url <url> [--api-key <key>] [--product <id>] [--lang <code>] [--json]

index    reads the Markdown and HTML articles under <dir> (one folder per language, e.g. <dir>/en/, or flat),
         splits them into passages by heading and saves the full-text index where the bridge loads it from.
search   prints the passages a question finds: in the help center at --dir (default KNOWLEDGE_DIR), using its
         saved index when it is up to date; or, with --bridge-url, what a running bridge's knowledge sources give
         (help center and UI map).

options:
  --index <path>       the index file (default: <dir>/.sightline/help-index.json, or KNOWLEDGE_INDEX_PATH)
  --language <code>    language of articles whose language is given nowhere (default: KNOWLEDGE_LANGUAGE or en)
  --dir <dir>          the help center to search (default: KNOWLEDGE_DIR)
  --lang <code>        the question's language (default: detected from the question)
  --limit <n>          passages shown (default 3)
  --bridge-url <url>   ask this bridge instead (default: BRIDGE_URL when no --dir or KNOWLEDGE_DIR is given)
  --api-key <key>      the bridge's BRIDGE_API_KEY (default: BRIDGE_API_KEY)
  --product <id>       the product asked about on the bridge (default: the bridge's own)
  --json               print JSON instead of text
  -h, --help           show this help

Exit status: 0 on success, 1 when the folder, the index or the bridge could not be read, 2 on a usage error.
`;

/** Where output goes, which environment is read, and how HTTP is done (injectable for tests). */
export interface KnowledgeIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
  fetch: typeof fetch;
  /** Milliseconds now, for the build time printed. */
  now: () => number;
}

const defaultIo = (): KnowledgeIo => ({
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
  fetch: (input, init) => fetch(input, init),
  now: () => performance.now(),
});

function passageLines(passages: readonly HelpPassage[]): string {
  if (passages.length === 0) return 'no passage found\n';
  return passages
    .map((passage, index) => {
      const where = [passage.title, ...passage.headings].join(' › ');
      const text = passage.text.split('\n').map((line) => `   ${line}`).join('\n');
      return `${index + 1}. ${where}\n   (${passage.source}, ${passage.language}, score ${passage.score.toFixed(2)})\n${text}\n`;
    })
    .join('\n');
}

async function index(dir: string, values: { index?: string | undefined; language?: string | undefined }, io: KnowledgeIo): Promise<number> {
  const started = io.now();
  const indexPath = values.index ?? io.env['KNOWLEDGE_INDEX_PATH'] ?? defaultIndexPath(dir);
  const language = values.language ?? io.env['KNOWLEDGE_LANGUAGE'];
  let result;
  try {
    result = await indexHelpCenter({ dir, indexPath, ...(language ? { defaultLanguage: language } : {}) });
  } catch (error) {
    io.stderr(`cannot index ${dir}: ${(error as Error).message}\n`);
    return 1;
  }
  for (const problem of result.problems) io.stderr(`skipped ${problem.source}: ${problem.reason}\n`);
  const { stats } = result;
  const kib = ((stats.indexBytes ?? 0) / 1024).toFixed(1);
  io.stdout(
    `indexed ${stats.articles} articles, ${stats.passages} passages (${stats.languages.join(', ') || 'no language'}) in ${Math.round(io.now() - started)} ms\nsaved ${indexPath} (${kib} KiB)\n`,
  );
  return 0;
}

async function searchLocal(query: string, dir: string, values: Record<string, string | boolean | undefined>, limit: number, io: KnowledgeIo): Promise<number> {
  const indexPath = (values['index'] as string | undefined) ?? io.env['KNOWLEDGE_INDEX_PATH'];
  const language = io.env['KNOWLEDGE_LANGUAGE'];
  const source = createHelpCenterSource({ dir, watch: false, limit, ...(indexPath ? { indexPath } : {}), ...(language ? { defaultLanguage: language } : {}) });
  try {
    await source.ready();
    if (source.stats().builtAt === null) {
      io.stderr(`cannot read the help center at ${dir}\n`);
      return 1;
    }
    const lang = values['lang'] as string | undefined;
    const passages = lang ? await source.search(query, { language: lang.toLowerCase().split(/[-_]/)[0]!, limit }) : ((await source.find({ productId: '', query, language: null, page: null, pageTitle: null })).passages ?? []);
    io.stdout(values['json'] ? `${JSON.stringify({ query, passages: passages.slice(0, limit) }, null, 2)}\n` : passageLines(passages.slice(0, limit)));
    return 0;
  } finally {
    await source.close();
  }
}

async function searchBridge(query: string, bridgeUrl: string, values: Record<string, string | boolean | undefined>, io: KnowledgeIo): Promise<number> {
  const url = new URL('/knowledge/search', bridgeUrl);
  url.searchParams.set('q', query);
  if (typeof values['lang'] === 'string') url.searchParams.set('lang', values['lang']);
  if (typeof values['product'] === 'string') url.searchParams.set('product', values['product']);
  const key = (values['api-key'] as string | undefined) ?? io.env['BRIDGE_API_KEY'];
  let response: Response;
  try {
    response = await io.fetch(url.toString(), { headers: key ? { authorization: `Bearer ${key}` } : {}, signal: AbortSignal.timeout(10_000) });
  } catch (error) {
    io.stderr(`bridge unreachable at ${url.origin} (${(error as { cause?: { code?: string } }).cause?.code ?? (error as Error).name})\n`);
    return 1;
  }
  const body = (await response.json().catch(() => ({}))) as { passages?: HelpPassage[]; paths?: { goal: string; users: number; steps: { label: string }[] }[]; error?: { code?: string; message?: string } };
  if (!response.ok) {
    io.stderr(`bridge answered HTTP ${response.status}${body.error?.code ? ` ${body.error.code}: ${body.error.message ?? ''}` : ''}\n`);
    return 1;
  }
  if (values['json']) {
    io.stdout(`${JSON.stringify(body, null, 2)}\n`);
    return 0;
  }
  const paths = (body.paths ?? []).map((path) => `- ${path.goal} (${path.users} users): ${path.steps.map((step) => step.label).join(' → ')}\n`).join('');
  io.stdout(`${paths ? `UI map paths:\n${paths}\n` : ''}${passageLines(body.passages ?? [])}`);
  return 0;
}

/** Runs the command; resolves to the exit code. */
export async function run(args: string[], io: KnowledgeIo = defaultIo()): Promise<number> {
  const line = readCommandLine(args, {
    index: { type: 'string' },
    language: { type: 'string' },
    dir: { type: 'string' },
    lang: { type: 'string' },
    limit: { type: 'string' },
    'bridge-url': { type: 'string' },
    'api-key': { type: 'string' },
    product: { type: 'string' },
    json: { type: 'boolean' },
  }, { name: 'sightline knowledge', help: HELP, io });
  if ('exitCode' in line) return line.exitCode;
  const { values, positionals } = line;
  const [action, ...rest] = positionals;
  const argument = rest.join(' ').trim();
  if ((action !== 'index' && action !== 'search') || argument === '') {
    io.stderr(`give 'index <dir>' or 'search <query>'\n\n${HELP}`);
    return 2;
  }
  if (action === 'index') return index(argument, values, io);
  const limit = values.limit === undefined ? 3 : Number(values.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 50) {
    io.stderr(`--limit takes a whole number from 1 to 50\n\n${HELP}`);
    return 2;
  }
  const dir = values.dir ?? (values['bridge-url'] ? undefined : io.env['KNOWLEDGE_DIR']);
  if (dir) return searchLocal(argument, dir, values, limit, io);
  const bridgeUrl = values['bridge-url'] ?? io.env['BRIDGE_URL'];
  if (!bridgeUrl) {
    io.stderr(`give --dir (or KNOWLEDGE_DIR) to search a help center, or --bridge-url (or BRIDGE_URL) to ask a bridge\n\n${HELP}`);
    return 2;
  }
  return searchBridge(argument, bridgeUrl, values, io);
}
